// Inline and detached task payloads (spec/09-tasks-and-evidence.md §9.2):
// content that is not an AP2P message is named by the SHA-256 of its raw
// bytes (ENC-020), and whichever way it travels it is used only after that
// hash has been checked.
import { Ap2pError, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { sha256Bytes } from "../codec/hash.js";
import { bytesEqual } from "../bytes.js";

/** Largest inline input or output, in bytes (the max_len of TaskRequest.input and TaskResult.output). */
export const MAX_INLINE_PAYLOAD_BYTES = 16384;


/** Throws Ap2pError with `code` unless SHA-256(bytes) is `expected`. */
export function checkPayloadHashOrThrow(bytes: Uint8Array, expected: Uint8Array, code: ErrorCodeName, what: string, path?: string): void {
  if (!bytesEqual(sha256Bytes(bytes), expected)) {
    throw new Ap2pError(code, `the SHA-256 of the ${what} is not its declared hash`, path === undefined ? {} : { path });
  }
}

/** Checks detached input bytes against a request's input_hash (TASK-005). Never throws on bad input. */
export function checkDetachedInput(request: { readonly inputHash: Uint8Array }, bytes: Uint8Array): Verdict<Uint8Array> {
  return toVerdict(() => {
    checkPayloadHashOrThrow(bytes, request.inputHash, "TASK_INPUT_HASH_MISMATCH", "detached input", "input_hash");
    return bytes;
  });
}

/** Checks detached output bytes against a result's output_hash (TASK-018). Never throws on bad input. */
export function checkDetachedOutput(result: { readonly outputHash: Uint8Array }, bytes: Uint8Array): Verdict<Uint8Array> {
  return toVerdict(() => {
    if (result.outputHash.length === 0) throw new Ap2pError("TASK_RESULT_STATUS_INCONSISTENT", "the result declares no output", { path: "output_hash" });
    checkPayloadHashOrThrow(bytes, result.outputHash, "TASK_OUTPUT_HASH_MISMATCH", "detached output", "output_hash");
    return bytes;
  });
}
