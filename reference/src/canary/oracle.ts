// The verifier's oracle for a canary (spec/08-canaries.md §8.8): either the
// one expected output, for a deterministic capability, or a check function
// that accepts every correct output, for a capability with more than one.
// The same judgement serves explicit challenges and covert spot checks
// (CAN-017, CAN-026).
import { accept, misuse, reject, type Verdict } from "../errors.js";
import { bytesEqual } from "../bytes.js";

/** Content carried by a canary: bytes in a media type. */
export interface CanaryContent {
  /** The bytes. */
  readonly bytes: Uint8Array;
  /** The IANA media type of the bytes, compared as an exact string. */
  readonly mediaType: string;
}

/**
 * What a verifier holds to judge an output. A check function MUST be a
 * deterministic function of the output (and of the input it was built for):
 * no clock, no randomness, no network (CAN-022).
 */
export type CanaryOracle =
  | { readonly kind: "expected"; readonly output: CanaryContent }
  | { readonly kind: "check"; readonly check: (output: CanaryContent) => boolean };

/** An oracle that accepts exactly one output: these bytes in this media type. */
export function expectedOutput(bytes: Uint8Array, mediaType: string): CanaryOracle {
  if (!(bytes instanceof Uint8Array)) misuse("expectedOutput: bytes must be a Uint8Array");
  if (typeof mediaType !== "string" || mediaType === "") misuse("expectedOutput: mediaType must be a non-empty string");
  return Object.freeze({ kind: "expected", output: Object.freeze({ bytes: bytes.slice(), mediaType }) });
}

/** An oracle that accepts every output the function accepts. */
export function checkedOutput(check: (output: CanaryContent) => boolean): CanaryOracle {
  if (typeof check !== "function") misuse("checkedOutput: check must be a function");
  return Object.freeze({ kind: "check", check });
}

/** True if the oracle accepts the output (CAN-017). */
export function judgeOutput(oracle: CanaryOracle, output: CanaryContent): boolean {
  switch (oracle.kind) {
    case "expected":
      return output.mediaType === oracle.output.mediaType && bytesEqual(output.bytes, oracle.output.bytes);
    case "check": {
      const verdict = oracle.check(output);
      if (typeof verdict !== "boolean") misuse("a canary check function must return a boolean");
      return verdict;
    }
    default:
      return misuse("unknown oracle kind");
  }
}

/**
 * The output rule as a verdict, for explicit challenges and for covert canaries
 * sent as ordinary task requests alike (CAN-017, CAN-026): CANARY_WRONG_OUTPUT
 * when the oracle rejects the output.
 */
export function checkCanaryOutput(oracle: CanaryOracle, output: CanaryContent): Verdict<CanaryContent> {
  if (judgeOutput(oracle, output)) return accept(output);
  return reject("CANARY_WRONG_OUTPUT", `the verifier's oracle rejects the ${output.bytes.length}-byte ${output.mediaType} output`, { path: "output" });
}

