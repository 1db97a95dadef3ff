// Descriptor verification (spec/05-descriptors.md §5.3–5.5). Two stages, kept
// apart as RFC 8949 and RFC 9052 keep well-formed apart from valid:
//   well-formed: envelope, header, canonical payload, schema, descriptor structure;
//   valid:       signature, TTL, time window with clock skew, seq.
// Checks run in the order the spec lists, so every verifier reports the same
// first defect (DESC-017).
import { CapabilityDescriptorSchema, type CapabilityDescriptor } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { parseSignedMessageOrThrow, verifySignedMessageOrThrow, type SignedMessage } from "../signed/signed-message.js";
import { DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS, type DescriptorPolicy } from "./policy.js";

/** A descriptor that passed every check. */
export interface VerifiedDescriptor extends SignedMessage<CapabilityDescriptor> {
  /** The publishing peer (equal to the signer's kid). */
  readonly peerId: string;
  /** The exact bytes verified. */
  readonly bytes: Uint8Array;
}

/** What a verifier knows when it checks a descriptor. */
export interface VerifyContext {
  /** The verifier's current time, milliseconds since the Unix epoch (injected, never read from a clock here). */
  readonly now: bigint;
  /** The highest seq already accepted from this peer, if any (DESC-008). */
  readonly lastSeq?: bigint;
  /** TTL and skew limits; defaults to DEFAULT_POLICY. */
  readonly policy?: DescriptorPolicy;
}

function fail(code: ConstructorParameters<typeof Ap2pError>[0], message: string, path?: string): never {
  throw new Ap2pError(code, message, path === undefined ? {} : { path });
}

/** Stage 1: is this a well-formed descriptor? Does NOT check the signature or the time. Never throws on bad input. */
export function parseDescriptor(bytes: Uint8Array): Verdict<SignedMessage<CapabilityDescriptor>> {
  return toVerdict(() => parseDescriptorOrThrow(bytes));
}

/**
 * Stages 1 and 2: is this a valid descriptor, now, for this verifier? Never throws on bad input.
 *
 * @example
 * ```ts
 * import { verifyDescriptor } from "ap2p";
 *
 * const verdict = verifyDescriptor(bytes, { now: 1_700_000_000_000n });
 * if (verdict.ok) console.log(verdict.value.peerId, verdict.value.message.seq);
 * else console.log(verdict.error.code); // e.g. "DESC_EXPIRED"
 * ```
 * @see spec/05-descriptors.md §5.5 (valid descriptors)
 * @see spec/05-descriptors.md §5.7 (verification procedure)
 */
export function verifyDescriptor(bytes: Uint8Array, context: VerifyContext): Verdict<VerifiedDescriptor> {
  const policy = context.policy ?? DEFAULT_POLICY;
  if (policy.clockSkewMs < 0n || policy.clockSkewMs > MAX_CLOCK_SKEW_MS) {
    fail("INVALID_ARGUMENT", `clock skew allowance must be within 0..${MAX_CLOCK_SKEW_MS} ms`);
  }
  if (policy.maxTtlMs <= 0n || policy.maxTtlMs > MAX_MAX_TTL_MS) fail("INVALID_ARGUMENT", `maximum TTL must be within 1..${MAX_MAX_TTL_MS} ms`);
  return toVerdict(() => {
    const signed = verifySignedMessageOrThrow<CapabilityDescriptor>(CapabilityDescriptorSchema, bytes, {
      wellFormed: (s) => checkStructureOrThrow(s.message, s.envelope.kid),
      valid: (s) => checkValidityOrThrow(s.message, context.now, policy, context.lastSeq),
    });
    return { ...signed, peerId: signed.message.peerId, bytes };
  });
}

/** As parseDescriptor, reporting a defect by throwing Ap2pError. */
export function parseDescriptorOrThrow(bytes: Uint8Array): SignedMessage<CapabilityDescriptor> {
  const signed = parseSignedMessageOrThrow<CapabilityDescriptor>(CapabilityDescriptorSchema, bytes);
  checkStructureOrThrow(signed.message, signed.envelope.kid);
  return signed;
}

/** The descriptor rules that need no clock and no key (spec/05-descriptors.md §5.3). */
export function checkStructureOrThrow(d: CapabilityDescriptor, kid: string): void {
  // DESC-004: a descriptor speaks only for its signer.
  if (d.peerId !== kid) fail("COSE_KID_MISMATCH", `peer_id ${d.peerId} is not the signer ${kid}`, "peer_id");
  // DESC-005
  if (d.expiresAt <= d.issuedAt) fail("DESC_VALIDITY_WINDOW_INVALID", "expires_at is not after issued_at", "expires_at");
  if (d.withdrawn) {
    // DESC-011: a tombstone retracts; it offers nothing.
    if (d.capabilities.length > 0 || d.endpoints.length > 0) {
      fail("DESC_TOMBSTONE_NOT_EMPTY", "a withdrawal tombstone must not list capabilities or endpoints", d.capabilities.length > 0 ? "capabilities" : "endpoints");
    }
    return;
  }
  // DESC-010
  if (d.capabilities.length === 0) fail("DESC_NO_CAPABILITIES", "a live descriptor must list at least one capability", "capabilities");
  const caps = d.capabilities;
  for (let i = 0; i < caps.length; i++) {
    const c = caps[i]!;
    const at = () => `capabilities[${i}]`;
    // DESC-012
    if (firstRepeat(caps, i, (a, b) => a.namespace === b.namespace && a.id === b.id && a.version === b.version)) {
      fail("DESC_DUPLICATE_CAPABILITY", `${c.namespace}/${c.id}@${c.version} is listed twice`, at());
    }
    // DESC-018: parameter names identify parameters.
    for (const [list, name] of [
      [c.inputs, "inputs"],
      [c.outputs, "outputs"],
    ] as const) {
      for (let j = 1; j < list.length; j++) {
        if (firstRepeat(list, j, (a, b) => a.name === b.name)) fail("SCHEMA_DUPLICATE_ITEM", `${name} name ${list[j]!.name} is used twice`, `${at()}.${name}[${j}].name`);
      }
    }
    // DESC-013
    const windows = c.constraints?.availability ?? [];
    for (let j = 0; j < windows.length; j++) {
      if (windows[j]!.endMinute <= windows[j]!.startMinute) fail("DESC_AVAILABILITY_INVALID", "availability window must end after it starts", `${at()}.constraints.availability[${j}]`);
    }
  }
}

/** Whether list[i] equals an item before it. Lists are bounded by their schema rules, and short. */
function firstRepeat<T>(list: readonly T[], i: number, same: (a: T, b: T) => boolean): boolean {
  for (let k = 0; k < i; k++) if (same(list[k]!, list[i]!)) return true;
  return false;
}

/** The rules that need the verifier's clock, policy and memory (spec/05-descriptors.md §5.4). */
export function checkValidityOrThrow(d: CapabilityDescriptor, now: bigint, policy: DescriptorPolicy, lastSeq: bigint | undefined): void {
  // DESC-006
  const ttl = d.expiresAt - d.issuedAt;
  if (ttl > policy.maxTtlMs) fail("DESC_TTL_TOO_LONG", `TTL ${ttl} ms exceeds the maximum ${policy.maxTtlMs} ms`, "expires_at");
  // DESC-007: valid from issued_at − skew ...
  if (now + policy.clockSkewMs < d.issuedAt) {
    fail("DESC_NOT_YET_VALID", `issued_at is ${d.issuedAt - now} ms in the future, beyond the ${policy.clockSkewMs} ms allowance`, "issued_at");
  }
  // DESC-009: ... until expires_at + skew, exclusive.
  if (now >= d.expiresAt + policy.clockSkewMs) {
    fail("DESC_EXPIRED", `expired ${now - d.expiresAt} ms ago, beyond the ${policy.clockSkewMs} ms allowance`, "expires_at");
  }
  // DESC-008
  if (lastSeq !== undefined && d.seq <= lastSeq) fail("DESC_SEQ_ROLLBACK", `seq ${d.seq} is not greater than the last accepted seq ${lastSeq}`, "seq");
}
