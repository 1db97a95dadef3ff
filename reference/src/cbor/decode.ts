// Decoding of untrusted CBOR (spec/03-data-model.md §3.3): validate against the
// profile, parse with cbor-x, then re-encode and require the input bytes back.
// The validator gives each defect its own code; the re-encoding check is the
// rule's definition (RFC 8949 §4.2) and a second line of defence.
import { Decoder, Tag } from "cbor-x";
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { compareBytes, encodeCanonical } from "./encode.js";
import { scanCanonical, type ScanProfile } from "./scan.js";
import { CborTag, DEFAULT_LIMITS, type CborValue } from "./value.js";

const cborx = new Decoder({ useRecords: false, mapsAsObjects: false, int64AsType: "bigint" } as ConstructorParameters<typeof Decoder>[0]);

/** The profile of AP2P message payloads: text keys, no tags (ENC-001 to ENC-011). */
export const MESSAGE_PROFILE: ScanProfile = Object.freeze({ ...DEFAULT_LIMITS, mapKeys: "text" });

/** Decodes untrusted bytes that must be in deterministic form. Never throws on bad input. */
export function decodeCanonical(bytes: Uint8Array, profile: ScanProfile = MESSAGE_PROFILE): Verdict<CborValue> {
  return toVerdict(() => decodeCanonicalOrThrow(bytes, profile));
}

/** As decodeCanonical, but reports a defect by throwing Ap2pError (for composition). */
export function decodeCanonicalOrThrow(bytes: Uint8Array, profile: ScanProfile = MESSAGE_PROFILE): CborValue {
  const value = decodeValidated(bytes, profile);
  const again = encodeCanonical(value);
  if (compareBytes(again, bytes) !== 0) {
    throw new Ap2pError("CBOR_NOT_DETERMINISTIC", "re-encoding the decoded value does not reproduce the input");
  }
  return value;
}

/**
 * Validates and parses, without the final re-encoding comparison: for callers
 * that map the value further and compare at their own level.
 */
export function decodeValidated(bytes: Uint8Array, profile: ScanProfile): CborValue {
  if (!(bytes instanceof Uint8Array)) throw new Ap2pError("INVALID_ARGUMENT", "expected a Uint8Array");
  scanCanonical(bytes, profile);
  return fromCborX(cborx.decode(bytes));
}

// cbor-x gives Buffers for byte strings and its own Tag class; map both onto the data model.
function fromCborX(v: unknown): CborValue {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  if (Array.isArray(v)) return v.map(fromCborX);
  if (v instanceof Map) {
    const out = new Map<string | number, CborValue>();
    for (const [k, x] of v) out.set(typeof k === "bigint" ? Number(k) : (k as string | number), fromCborX(x));
    return out;
  }
  if (v instanceof Tag) return new CborTag(v.tag, fromCborX(v.value));
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "string" || typeof v === "boolean") return v;
  throw new Ap2pError("CBOR_MALFORMED", `unexpected decoded value of type ${typeof v}`);
}
