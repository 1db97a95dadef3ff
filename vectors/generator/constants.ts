// Fixed inputs of the corpus: the specification revision, the clock, and the
// keys. Nothing here is random: every key comes from a published test vector
// or from SHA-256 of a fixed label, so the corpus regenerates byte for byte.
import { sha256Of, unhex, utf8 } from "./bytes.js";

/** The specification revision the corpus is generated for. */
export const SPEC_VERSION = "1.0.0-draft.1";

/** The corpus clock: 2026-01-01T00:00:00Z in milliseconds since the Unix epoch. */
export const T0 = 1767225600000n;

/** One minute, one hour and one day in milliseconds. */
export const MINUTE = 60_000n;
export const HOUR = 3_600_000n;
export const DAY = 86_400_000n;

/** The time limits of spec §13.8, in milliseconds: a verifier's verdict on a descriptor (DESC-022), a provider's decision on a challenge (CAN-033) and its signing of the response (CAN-034). */
export const DESCRIPTOR_VERDICT_LIMIT_MS = 50;
export const CANARY_DECISION_LIMIT_MS = 100;
export const CANARY_SIGNING_LIMIT_MS = 100;

/** The default verifier policy of spec/05-descriptors.md §5.5 (DESC-006, DESC-014). */
export const DEFAULT_MAX_TTL = HOUR;
export const DEFAULT_SKEW = 5_000n;

/** RFC 8032 §7.1 TEST 1, 2 and 3: published secret keys (seeds). */
export const RFC8032_TEST1_SECRET = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
export const RFC8032_TEST2_SECRET = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
export const RFC8032_TEST3_SECRET = unhex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7");

/** A further fixed key: SHA-256 of "ap2p/vectors/v1/key/" + label. */
export function derivedSecret(label: string): Uint8Array {
  return sha256Of(utf8(`ap2p/vectors/v1/key/${label}`));
}

/**
 * The seed of the vector-signing key, which signs MANIFEST.cose. It is public
 * (anyone can read this line), so the manifest signature is an integrity seal,
 * not a proof of authorship: see vectors/README.md.
 */
export const VECTOR_SIGNING_SECRET = sha256Of(utf8("ap2p/vectors/v1/vector-signing-key"));
