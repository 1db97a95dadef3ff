// Broken on purpose: accepts every input whose only fault is a signature that
// does not verify (SIG-011). Everything else is the reference's answer.
// Usage: node --import tsx conformance/adapters/broken/skips-signature-check.ts
import { acceptInstead, errorCode, runBroken } from "./common.js";

await runBroken("skips-signature-check", {
  answer: (_request, response) => (errorCode(response) === "SIG_INVALID" ? acceptInstead(response) : response),
});
