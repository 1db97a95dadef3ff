// Broken on purpose: rejects the right inputs but reports every CBOR_* defect
// as CBOR_MALFORMED (ERR-001, ENC-002 to ENC-012 name a code each).
// Usage: node --import tsx conformance/adapters/broken/wrong-error-code.ts
import { errorResponse } from "../reference/dispatch.js";
import { errorCode, runBroken } from "./common.js";

await runBroken("wrong-error-code", {
  answer: (_request, response) => {
    const code = errorCode(response);
    if (code === undefined || !code.startsWith("CBOR_") || code === "CBOR_MALFORMED") return response;
    return errorResponse(response.id, "CBOR_MALFORMED", `really ${code}`);
  },
});
