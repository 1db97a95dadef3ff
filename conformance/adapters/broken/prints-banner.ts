// Broken on purpose: writes a banner to standard output before the first
// response, which DRV-018 forbids. The answers themselves are the reference's.
// Usage: node --import tsx conformance/adapters/broken/prints-banner.ts
import { BANNER, runBroken } from "./common.js";

await runBroken("prints-banner", {
  start: (stdout) => void stdout.write(`${BANNER}\n`),
});
