// Errors and verdicts. Every rejection carries a stable code from the one error
// registry, ErrorCode in schemas/proto/ap2p/v1/errors.proto (spec/11-errors.md).
//
// Two rules, after noble: misuse by the caller throws an Ap2pError with code
// INVALID_ARGUMENT; untrusted bytes never throw, they produce a Verdict.
import { ErrorCode } from "../../gen/ts/ap2p/v1/errors_pb.js";

export { ErrorCode };

/** The stable string form of an error code: the enum value name without "ERROR_CODE_". */
export type ErrorCodeName = Exclude<keyof typeof ErrorCode, "UNSPECIFIED">;

/** An AP2P rejection: a registry code, a message for people, and where it applies. */
export class Ap2pError extends Error {
  override readonly name = "Ap2pError";
  /** Stable registry code, e.g. "DESC_EXPIRED". */
  readonly code: ErrorCodeName;
  /** Where in the input the problem is, as a dotted field path ("capabilities[0].id"), if known. */
  readonly path: string | undefined;

  constructor(code: ErrorCodeName, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }

  /** The code's number in the registry. */
  get codeNumber(): number {
    return ErrorCode[this.code];
  }

  /** A plain-data form for reports and JSON output. */
  toJSON(): { code: ErrorCodeName; message: string; path?: string } {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path };
  }
}

/** True for an Ap2pError, without relying on instanceof (copies of the library may coexist). */
export function isAp2pError(value: unknown): value is Ap2pError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { name?: unknown }).name === "Ap2pError" &&
    typeof (value as { code?: unknown }).code === "string" &&
    isErrorCodeName((value as { code: string }).code)
  );
}

/** True if the string names a registered error code. */
export function isErrorCodeName(name: string): name is ErrorCodeName {
  return name !== "UNSPECIFIED" && typeof (ErrorCode as unknown as Record<string, unknown>)[name] === "number";
}

/** The outcome of checking untrusted input: the value, or the reason it was rejected. */
export type Verdict<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Ap2pError };

/** A successful verdict. */
export function accept<T>(value: T): Verdict<T> {
  return { ok: true, value };
}

/** A failed verdict. */
export function reject<T = never>(code: ErrorCodeName, message: string, options?: { path?: string; cause?: unknown }): Verdict<T> {
  return { ok: false, error: new Ap2pError(code, message, options) };
}

/** Throws INVALID_ARGUMENT: for caller bugs only, never for untrusted input. */
export function misuse(message: string): never {
  throw new Ap2pError("INVALID_ARGUMENT", message);
}

/**
 * Runs a function that reports rejections by throwing Ap2pError and turns its
 * outcome into a Verdict. Any other exception is a bug in this library and is
 * rethrown, so that it is never mistaken for a verdict about the input.
 */
export function toVerdict<T>(fn: () => T): Verdict<T> {
  try {
    return accept(fn());
  } catch (e) {
    if (isAp2pError(e) && e.code !== "INVALID_ARGUMENT") return { ok: false, error: e };
    throw e;
  }
}
