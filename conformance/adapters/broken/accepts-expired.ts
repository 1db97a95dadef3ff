// Broken on purpose: accepts expired descriptors (DESC-009). Everything else
// is the reference's answer.
// Usage: node --import tsx conformance/adapters/broken/accepts-expired.ts
import { acceptInstead, errorCode, runBroken } from "./common.js";

await runBroken("accepts-expired", {
  answer: (_request, response) => (errorCode(response) === "DESC_EXPIRED" ? acceptInstead(response) : response),
});
