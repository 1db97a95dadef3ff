// descriptor.json: capability descriptors (spec/05-descriptors.md): the
// structural rules, the signature, the validity window with clock skew, the
// TTL, seq and the verifier's memory; and the signing side.
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { CapabilityDescriptorSchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { exampleDescriptor } from "../../../reference/src/descriptor/example.js";
import { signMessage } from "../../../reference/src/signed/signed-message.js";
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { cat, hex } from "../bytes.js";
import { enc, Ordered, type W } from "../cbor-writer.js";
import { DAY, DEFAULT_MAX_TTL, DEFAULT_SKEW, DESCRIPTOR_VERDICT_LIMIT_MS, HOUR, MINUTE, T0 } from "../constants.js";
import { L, mixedOrderR, scalarOf, signWithR, SMALL_ORDER_POINTS, withS } from "../ed25519-craft.js";
import { ALICE, assemble, BOB, DESCRIPTOR_CT, honestParts, MANIFEST_CT, signCose, sigStructure, type Peer } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { acceptable, group, invalid, valid, withBudget, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";
import { CAP_FULL, CAP_MIN, descriptorBody, fullDescriptorBody, tombstoneBody } from "./descriptor-bodies.js";

const dec = (n: bigint) => n.toString();

/** The shared inputs of descriptor.verify: the verifier's clock and policy. */
function verifier(now: bigint, maxTtl: bigint = DEFAULT_MAX_TTL, skew: bigint = DEFAULT_SKEW): JsonObject {
  return { now: dec(now), max_ttl_ms: dec(maxTtl), clock_skew_ms: dec(skew) };
}

/** A signed descriptor (honest envelope over the canonical payload of body). */
function sd(body: Body, signer: Peer = ALICE): Uint8Array {
  return signCose(signer, DESCRIPTOR_CT, enc(body));
}

type Extra = { last_seq?: bigint };
const inputsOf = (bytes: Uint8Array, extra: Extra): JsonObject =>
  extra.last_seq === undefined ? { descriptor: hex(bytes) } : { descriptor: hex(bytes), last_seq: dec(extra.last_seq) };

function ok(id: string, requirements: string[], comment: string, bytes: Uint8Array, flags: FlagName[] = [], extra: Extra = {}): TestVector {
  return valid(id, { requirements, comment, flags, inputs: inputsOf(bytes, extra) });
}
function bad(id: string, error: string, requirements: string[], comment: string, bytes: Uint8Array, flags: FlagName[] = [], extra: Extra = {}): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: inputsOf(bytes, extra) });
}

/** A descriptor issued at `issued` that lives `ttl` ms. */
const timed = (issued: bigint, ttl: bigint, overrides: Body = {}) => descriptorBody(ALICE, { issued_at: issued, expires_at: issued + ttl, ...overrides });

function build() {
  const NOW = T0 + 10_000n;
  const base = descriptorBody(ALICE);
  const withCaps = (...caps: Body[]) => descriptorBody(ALICE, { capabilities: caps });

  const validGroup = group("descriptor.verify", "Valid descriptors: well-formed, signed by their peer, inside their validity window, 10 s after issue, under the default policy.", verifier(NOW), [
    ok("descriptor/valid/minimal-001", ["DESC-001", "DESC-005", "DESC-010"], "one minimal capability, a one-minute lifetime, seq 1", sd(base)),
    ok("descriptor/valid/full-001", ["DESC-001"], "every field set (the example of spec §5.8)", sd(fullDescriptorBody(ALICE))),
    ok("descriptor/valid/tombstone-001", ["DESC-011"], "a withdrawal tombstone: no capabilities, no endpoints", sd(tombstoneBody(ALICE)), ["Tombstone"]),
    ok("descriptor/valid/tombstone-max-seq-001", ["DESC-011", "DESC-003", "SEC-004"], "a tombstone with seq 2^64 − 1, as a peer retiring its key publishes (SEC-004)", sd(tombstoneBody(ALICE, { seq: 2n ** 64n - 1n })), ["Tombstone"]),
    ok("descriptor/valid/other-signer-001", ["DESC-001", "DESC-004"], "a descriptor of the RFC 8032 TEST 2 key", sd(descriptorBody(BOB), BOB)),
    ok("descriptor/valid/same-capability-other-version-001", ["DESC-012"], "the same namespace and id at two versions: different capabilities", sd(withCaps(CAP_MIN, { ...CAP_MIN, version: "2.0.0" }))),
    ok("descriptor/valid/input-and-output-same-name-001", ["DESC-018"], 'an input and an output both named "image": names are unique among inputs and among outputs, not across them', sd(withCaps({ ...CAP_MIN, inputs: [{ name: "image", modality: 2 }], outputs: [{ name: "image", modality: 2 }] }))),
    ok("descriptor/valid/window-whole-day-001", ["DESC-013"], "an availability window from 0 (omitted) to 1440", sd(withCaps({ ...CAP_MIN, constraints: { availability: [{ weekdays: 127, end_minute: 1440 }] } }))),
  ]);

  const budget = group(
    "descriptor.verify",
    `Timed (DESC-022, spec §13.8): valid descriptors, which go through every check, each answered within ${DESCRIPTOR_VERDICT_LIMIT_MS} ms (the p95 of at least 5 samples).`,
    verifier(NOW),
    [
      withBudget(ok("descriptor/budget/minimal-001", [], "the minimal descriptor of descriptor/valid/minimal-001", sd(base)), ["DESC-022"], DESCRIPTOR_VERDICT_LIMIT_MS),
      withBudget(ok("descriptor/budget/full-001", [], "the full descriptor of descriptor/valid/full-001 (spec §5.8)", sd(fullDescriptorBody(ALICE))), ["DESC-022"], DESCRIPTOR_VERDICT_LIMIT_MS),
    ],
  );

  const structure = group("descriptor.verify", "The structural rules of §5.4 (step 4), each on an otherwise valid, correctly signed descriptor.", verifier(NOW), [
    bad("descriptor/structure/peer-id-not-kid-001", "COSE_KID_MISMATCH", ["DESC-004", "SIG-007"], "peer_id names the TEST 2 key; the TEST 1 key signed it and is the kid", sd(descriptorBody(ALICE, { peer_id: BOB.did })), ["KidConfusion"]),
    bad("descriptor/structure/expires-equals-issued-001", "DESC_VALIDITY_WINDOW_INVALID", ["DESC-005"], "expires_at = issued_at", sd(descriptorBody(ALICE, { expires_at: T0 }))),
    bad("descriptor/structure/expires-before-issued-001", "DESC_VALIDITY_WINDOW_INVALID", ["DESC-005"], "expires_at one millisecond before issued_at", sd(descriptorBody(ALICE, { expires_at: T0 - 1n }))),
    bad("descriptor/structure/tombstone-with-capabilities-001", "DESC_TOMBSTONE_NOT_EMPTY", ["DESC-011"], "withdrawn, but still listing a capability", sd(tombstoneBody(ALICE, { capabilities: [CAP_MIN] })), ["Tombstone"]),
    bad("descriptor/structure/tombstone-with-endpoints-001", "DESC_TOMBSTONE_NOT_EMPTY", ["DESC-011"], "withdrawn, but still listing an endpoint", sd(tombstoneBody(ALICE, { endpoints: [{ transport: 1, uri: "ws://127.0.0.1:7443/ap2p" }] })), ["Tombstone"]),
    bad("descriptor/structure/no-capabilities-001", "DESC_NO_CAPABILITIES", ["DESC-010"], "live, with an endpoint and no capability", sd(descriptorBody(ALICE, { capabilities: undefined, endpoints: [{ transport: 1, uri: "ws://127.0.0.1:7443/ap2p" }] }))),
    bad("descriptor/structure/no-capabilities-bare-001", "DESC_NO_CAPABILITIES", ["DESC-010"], "live, with nothing at all", sd(descriptorBody(ALICE, { capabilities: undefined }))),
    bad("descriptor/structure/duplicate-capability-001", "DESC_DUPLICATE_CAPABILITY", ["DESC-012"], "the same capability twice", sd(withCaps(CAP_MIN, CAP_MIN))),
    bad("descriptor/structure/duplicate-capability-other-details-001", "DESC_DUPLICATE_CAPABILITY", ["DESC-012"], "the same namespace, id and version twice, with different details", sd(withCaps(CAP_MIN, { ...CAP_FULL }))),
    bad("descriptor/structure/duplicate-input-name-001", "SCHEMA_DUPLICATE_ITEM", ["DESC-018"], 'two inputs named "prompt"', sd(withCaps({ ...CAP_MIN, inputs: [{ name: "prompt", modality: 1 }, { name: "prompt", modality: 2 }] }))),
    bad("descriptor/structure/duplicate-output-name-001", "SCHEMA_DUPLICATE_ITEM", ["DESC-018"], 'two outputs named "image"', sd(withCaps({ ...CAP_MIN, outputs: [{ name: "image", modality: 2 }, { name: "image", modality: 2, media_type: "image/png" }] }))),
    bad("descriptor/structure/window-empty-001", "DESC_AVAILABILITY_INVALID", ["DESC-013"], "an availability window with end_minute = start_minute", sd(withCaps({ ...CAP_MIN, constraints: { availability: [{ weekdays: 1, start_minute: 600, end_minute: 600 }] } }))),
    bad("descriptor/structure/window-reversed-001", "DESC_AVAILABILITY_INVALID", ["DESC-013"], "an availability window ending before it starts (22:00 to 06:00: a window does not wrap past midnight)", sd(withCaps({ ...CAP_MIN, constraints: { availability: [{ weekdays: 1, start_minute: 1320, end_minute: 360 }] } }))),
    bad("descriptor/structure/window-in-second-capability-001", "DESC_AVAILABILITY_INVALID", ["DESC-013"], "the second capability's window is empty", sd(withCaps(CAP_MIN, { ...CAP_MIN, id: "edit", constraints: { availability: [{ weekdays: 2, start_minute: 60, end_minute: 60 }] } }))),
  ]);

  const payload = enc(base);
  const parts = honestParts(ALICE, DESCRIPTOR_CT, payload);
  const M = sigStructure(parts.protectedBytes, payload);
  const signedPayload = (bytes: Uint8Array) => signCose(ALICE, DESCRIPTOR_CT, bytes);
  const R_NONCE = 0x5eedn;
  const envelope = group("descriptor.verify", "The envelope, header and payload (§4.5 steps 1 to 3; DESC-002) and the signature (step 5) of descriptors.", verifier(NOW), [
    bad("descriptor/envelope/unsigned-001", "COSE_TAG_MISSING", ["ARCH-001", "DESC-002", "SIG-001"], "the descriptor's payload alone, unsigned", payload, ["Unsigned"]),
    bad("descriptor/envelope/manifest-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["DESC-001", "SIG-006"], "a descriptor payload signed under the vector-manifest content type", signCose(ALICE, MANIFEST_CT, payload), ["CrossKindReplay"]),
    bad("descriptor/envelope/payload-unknown-field-001", "SCHEMA_UNKNOWN_FIELD", ["DESC-002", "ENC-015"], 'a signed payload with an extra field "ttl"', signedPayload(enc({ ...base, ttl: 60000 })), ["UnknownField"]),
    bad("descriptor/envelope/payload-unsorted-001", "CBOR_MAP_KEYS_UNSORTED", ["DESC-002", "ENC-004"], "a signed payload whose keys are in field-number order", signedPayload(enc(new Ordered(Object.entries(base).map(([k, v]) => [k, v as W])))), ["UnsortedKeys"]),
    bad("descriptor/envelope/payload-trailing-001", "CBOR_TRAILING_BYTES", ["DESC-002", "ENC-012"], "a signed payload followed by a zero byte", signedPayload(cat(payload, Uint8Array.of(0))), ["TrailingBytes"]),
    bad("descriptor/envelope/payload-seq-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["DESC-002", "DESC-003"], "a signed payload without seq", sd(descriptorBody(ALICE, { seq: undefined }))),
    bad("descriptor/signature/payload-altered-001", "SIG_INVALID", ["ARCH-003", "SIG-011"], "as a registry might serve it: signed, then seq raised from 1 to 2 in transit", assemble({ ...parts, payload: enc(descriptorBody(ALICE, { seq: 2n })) }), ["WrongSignature"]),
    bad("descriptor/signature/forged-001", "SIG_INVALID", ["SIG-011", "SIG-015"], "peer_id and kid name the TEST 1 key, the TEST 2 key signed: a forgery whose content is otherwise valid and current, so acting on it before the signature check would accept it", assemble({ ...parts, signature: signEd25519(BOB.seed, M) }), ["WrongSignature", "KidConfusion"]),
    bad("descriptor/signature/s-plus-l-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S + L of the valid signature: a second encoding of the same signed descriptor", assemble({ ...parts, signature: withS(parts.signature, scalarOf(parts.signature) + L) }), ["SignatureMalleability"]),
    acceptable("descriptor/signature/mixed-order-r-001", { requirements: ["SIG-011", "SIG-014"], comment: "R = [r]B + T8, signed by the key holder", flags: ["MixedOrderR"], inputs: { descriptor: hex(assemble({ ...parts, signature: signWithR(ALICE.craft, mixedOrderR(R_NONCE, SMALL_ORDER_POINTS[4]!.hex), R_NONCE, M) })) } }),
    bad("descriptor/order/structure-before-signature-001", "DESC_NO_CAPABILITIES", ["SEC-003", "DESC-010", "SIG-013", "DESC-017"], "no capability and a signature by the wrong key: the structural defect is reported, the signature never checked", assemble({ ...honestParts(ALICE, DESCRIPTOR_CT, enc(descriptorBody(ALICE, { capabilities: undefined }))), signature: parts.signature }), ["DefectOrder"]),
    bad("descriptor/order/schema-before-signature-001", "SCHEMA_UNKNOWN_FIELD", ["SEC-003", "ENC-015", "SIG-013", "DESC-017"], "an unknown field and a signature over other bytes: the schema defect is reported", assemble({ ...honestParts(ALICE, DESCRIPTOR_CT, enc({ ...base, ttl: 60000 })), signature: parts.signature }), ["DefectOrder"]),
    bad("descriptor/order/kid-before-signature-001", "COSE_KID_MISMATCH", ["SEC-003", "DESC-004", "SIG-013", "DESC-017"], "peer_id ≠ kid and a signature over other bytes: the mismatch is reported", assemble({ ...honestParts(ALICE, DESCRIPTOR_CT, enc(descriptorBody(ALICE, { peer_id: BOB.did }))), signature: parts.signature }), ["DefectOrder", "KidConfusion"]),
  ]);

  // Time: the window issued_at − skew ≤ now < expires_at + skew, and the TTL.
  const time = group("descriptor.verify", "The validity window under the default policy (skew 5 s, maximum TTL 1 h), with now = T0: each edge exactly, and one millisecond beyond.", verifier(T0), [
    ok("descriptor/expiry/at-edge-minus-1-001", ["DESC-009"], "now = expires_at + skew − 1: the last valid millisecond", sd(timed(T0 - 64_999n, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/expiry/at-edge-001", "DESC_EXPIRED", ["DESC-009"], "now = expires_at + skew: expired", sd(timed(T0 - 65_000n, MINUTE)), ["ClockSkewEdge"]),
    ok("descriptor/expiry/within-skew-001", ["DESC-009"], "now = expires_at: expired by the issuer's clock, inside the allowance", sd(timed(T0 - MINUTE, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/expiry/long-ago-001", "DESC_EXPIRED", ["DESC-009"], "expired a day ago", sd(timed(T0 - DAY - MINUTE, MINUTE))),
    bad("descriptor/expiry/tombstone-001", "DESC_EXPIRED", ["DESC-009"], "an expired tombstone", sd(tombstoneBody(ALICE, { issued_at: T0 - 2n * MINUTE, expires_at: T0 - MINUTE })), ["Tombstone"]),
    ok("descriptor/not-yet-valid/at-edge-001", ["DESC-007"], "issued_at = now + skew: valid", sd(timed(T0 + 5_000n, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/not-yet-valid/at-edge-plus-1-001", "DESC_NOT_YET_VALID", ["DESC-007"], "issued_at = now + skew + 1: not yet valid", sd(timed(T0 + 5_001n, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/not-yet-valid/far-future-001", "DESC_NOT_YET_VALID", ["DESC-007"], "issued a day in the future", sd(timed(T0 + DAY, MINUTE))),
    ok("descriptor/not-yet-valid/within-skew-001", ["DESC-007"], "issued_at = now + 1: ahead of the verifier's clock, inside the allowance", sd(timed(T0 + 1n, MINUTE)), ["ClockSkewEdge"]),
    ok("descriptor/ttl/at-max-001", ["DESC-006"], "lifetime = the maximum TTL (1 h)", sd(timed(T0 - 1_000n, HOUR)), ["TtlLimit"]),
    bad("descriptor/ttl/max-plus-1-001", "DESC_TTL_TOO_LONG", ["DESC-006"], "lifetime = the maximum TTL + 1 ms", sd(timed(T0 - 1_000n, HOUR + 1n)), ["TtlLimit"]),
    bad("descriptor/ttl/day-001", "DESC_TTL_TOO_LONG", ["DESC-006"], "a one-day lifetime under a one-hour maximum", sd(timed(T0 - 1_000n, DAY)), ["TtlLimit"]),
  ]);
  const timeNoSkew = group("descriptor.verify", "A verifier without clock-skew allowance (skew 0), now = T0.", verifier(T0, DEFAULT_MAX_TTL, 0n), [
    bad("descriptor/expiry/no-skew-at-expiry-001", "DESC_EXPIRED", ["DESC-009"], "now = expires_at: expired (the window is half-open)", sd(timed(T0 - MINUTE, MINUTE)), ["ClockSkewEdge"]),
    ok("descriptor/expiry/no-skew-before-expiry-001", ["DESC-009"], "now = expires_at − 1", sd(timed(T0 - MINUTE + 1n, MINUTE)), ["ClockSkewEdge"]),
    ok("descriptor/not-yet-valid/no-skew-at-issue-001", ["DESC-007"], "now = issued_at", sd(timed(T0, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/not-yet-valid/no-skew-before-issue-001", "DESC_NOT_YET_VALID", ["DESC-007"], "now = issued_at − 1", sd(timed(T0 + 1n, MINUTE)), ["ClockSkewEdge"]),
  ]);
  const timeWide = group("descriptor.verify", "The widest policy a verifier may use: skew 60 s (DESC-014) and maximum TTL 1 day (DESC-006), now = T0.", verifier(T0, DAY, MINUTE), [
    ok("descriptor/expiry/max-skew-edge-minus-1-001", ["DESC-009", "DESC-014"], "now = expires_at + 60 s − 1", sd(timed(T0 - 2n * MINUTE + 1n, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/expiry/max-skew-edge-001", "DESC_EXPIRED", ["DESC-009"], "now = expires_at + 60 s", sd(timed(T0 - 2n * MINUTE, MINUTE)), ["ClockSkewEdge"]),
    ok("descriptor/not-yet-valid/max-skew-edge-001", ["DESC-007", "DESC-014"], "issued_at = now + 60 s", sd(timed(T0 + MINUTE, MINUTE)), ["ClockSkewEdge"]),
    bad("descriptor/not-yet-valid/max-skew-edge-plus-1-001", "DESC_NOT_YET_VALID", ["DESC-007"], "issued_at = now + 60 s + 1", sd(timed(T0 + MINUTE + 1n, MINUTE)), ["ClockSkewEdge"]),
    ok("descriptor/ttl/max-max-001", ["DESC-006"], "lifetime = 1 day, the largest maximum TTL", sd(timed(T0 - 1_000n, DAY)), ["TtlLimit"]),
    bad("descriptor/ttl/max-max-plus-1-001", "DESC_TTL_TOO_LONG", ["DESC-006"], "lifetime = 1 day + 1 ms", sd(timed(T0 - 1_000n, DAY + 1n)), ["TtlLimit"]),
  ]);
  const timeShort = group("descriptor.verify", "A registry with a shorter maximum TTL (10 min) than the default, now = T0: the verifier's maximum applies.", verifier(T0, 10n * MINUTE), [
    ok("descriptor/ttl/short-max-at-max-001", ["DESC-006"], "lifetime = 10 min", sd(timed(T0 - 1_000n, 10n * MINUTE)), ["TtlLimit"]),
    bad("descriptor/ttl/short-max-hour-001", "DESC_TTL_TOO_LONG", ["DESC-006"], "a one-hour lifetime, valid under the default policy, too long here", sd(timed(T0 - 1_000n, HOUR)), ["TtlLimit"]),
  ]);

  const seq = group("descriptor.verify", "seq against the highest seq already accepted from the peer (inputs.last_seq; DESC-008).", verifier(NOW), [
    ok("descriptor/seq/first-001", ["DESC-008", "DESC-003"], "no descriptor accepted before: any seq ≥ 1", sd(base)),
    ok("descriptor/seq/greater-001", ["DESC-008"], "seq 5 after 4", sd(descriptorBody(ALICE, { seq: 5n })), [], { last_seq: 4n }),
    bad("descriptor/seq/equal-001", "DESC_SEQ_ROLLBACK", ["DESC-008"], "seq 5 after 5: a replay", sd(descriptorBody(ALICE, { seq: 5n })), ["SeqRollback"], { last_seq: 5n }),
    bad("descriptor/seq/lower-001", "DESC_SEQ_ROLLBACK", ["DESC-008"], "seq 4 after 5", sd(descriptorBody(ALICE, { seq: 4n })), ["SeqRollback"], { last_seq: 5n }),
    bad("descriptor/seq/after-max-001", "DESC_SEQ_ROLLBACK", ["DESC-008", "SEC-004"], "seq 1 after 2^64 − 1 (the key was retired)", sd(base), ["SeqRollback"], { last_seq: 2n ** 64n - 1n }),
    ok("descriptor/seq/max-after-max-minus-1-001", ["DESC-008"], "a tombstone with seq 2^64 − 1 after 2^64 − 2", sd(tombstoneBody(ALICE, { seq: 2n ** 64n - 1n })), ["Tombstone"], { last_seq: 2n ** 64n - 2n }),
    bad("descriptor/seq/tombstone-replayed-001", "DESC_SEQ_ROLLBACK", ["DESC-008"], "a tombstone presented again after it was accepted", sd(tombstoneBody(ALICE, { seq: 3n })), ["SeqRollback", "Tombstone"], { last_seq: 3n }),
  ]);

  // descriptor.store: a fresh store, a history that must be accepted, then one more.
  const at = (bytes: Uint8Array, now: bigint) => ({ descriptor: hex(bytes), now: dec(now) });
  const stored = (id: string, requirements: string[], comment: string, history: { descriptor: string; now: string }[], bytes: Uint8Array, now: bigint, live: string[], flags: FlagName[] = []) =>
    valid(id, { requirements, comment, flags, inputs: { accepted: history, descriptor: hex(bytes), now: dec(now) }, output: { live } });
  const refused = (id: string, error: string, requirements: string[], comment: string, history: { descriptor: string; now: string }[], bytes: Uint8Array, now: bigint, flags: FlagName[] = []) =>
    invalid(id, error, { requirements, comment, flags, inputs: { accepted: history, descriptor: hex(bytes), now: dec(now) } });
  const s1 = sd(base);
  const s2 = sd(descriptorBody(ALICE, { seq: 2n, issued_at: T0 + 30_000n, expires_at: T0 + 90_000n }));
  const tomb2 = sd(tombstoneBody(ALICE, { seq: 2n, issued_at: T0 + 30_000n, expires_at: T0 + 90_000n }));
  const s5 = sd(descriptorBody(ALICE, { seq: 5n }));
  const s3old = sd(descriptorBody(ALICE, { seq: 3n, issued_at: T0 - 1_000n, expires_at: T0 - 1_000n + HOUR }));
  const aliceNamed = sd(descriptorBody(ALICE, { seq: 5n, display_name: "Image agent" }));
  const bobNamed = sd(descriptorBody(BOB, { display_name: "Image agent" }), BOB);
  const bob1 = sd(descriptorBody(BOB, { issued_at: T0 + MINUTE, expires_at: T0 + 2n * MINUTE }), BOB);
  const s2late = sd(descriptorBody(ALICE, { seq: 2n, issued_at: T0 + 2n * MINUTE, expires_at: T0 + 3n * MINUTE }));
  const byPeer = [ALICE.did, BOB.did].sort();
  const store = group("descriptor.store", "A verifier's memory (§5.6): a fresh store under the default policy accepts inputs.accepted in order (each at its own time; all must be accepted), then is offered inputs.descriptor at inputs.now. A valid result's output lists the peers whose descriptors are live at now.", { max_ttl_ms: dec(DEFAULT_MAX_TTL), clock_skew_ms: dec(DEFAULT_SKEW) }, [
    stored("descriptor/store/refresh-001", ["DESC-008"], "seq 1, then the refresh seq 2", [at(s1, T0 + 1_000n)], s2, T0 + 31_000n, [ALICE.did]),
    refused("descriptor/store/replay-after-refresh-001", "DESC_SEQ_ROLLBACK", ["DESC-008"], "seq 1, seq 2, then seq 1 again while it is still within its lifetime", [at(s1, T0 + 1_000n), at(s2, T0 + 31_000n)], s1, T0 + 32_000n, ["SeqRollback"]),
    stored("descriptor/store/withdraw-001", ["DESC-011", "DESC-021"], "seq 1, then a tombstone seq 2: the peer is no longer live", [at(s1, T0 + 1_000n)], tomb2, T0 + 31_000n, [], ["Tombstone"]),
    refused("descriptor/store/replay-after-tombstone-001", "DESC_SEQ_ROLLBACK", ["DESC-021", "DESC-008"], "seq 1, the tombstone seq 2, then seq 1 again: a withdrawn descriptor must not come back", [at(s1, T0 + 1_000n), at(tomb2, T0 + 31_000n)], s1, T0 + 32_000n, ["SeqRollback", "Tombstone"]),
    refused("descriptor/store/retention-001", "DESC_SEQ_ROLLBACK", ["DESC-016", "DESC-008"], "seq 5 (one-minute lifetime) accepted; after it expired, an older seq 3 with a one-hour lifetime is replayed: the store still remembers seq 5 until issued_at + maximum TTL + skew", [at(s5, T0 + 1_000n)], s3old, T0 + 70_000n, ["SeqRollback"]),
    refused("descriptor/store/retention-ended-001", "DESC_EXPIRED", ["DESC-016", "DESC-009"], "the same replay at issued_at(seq 5) + maximum TTL + skew, when the store may forget seq 5: by then seq 3 has expired too", [at(s5, T0 + 1_000n)], s3old, T0 + HOUR + 5_000n, ["ClockSkewEdge"]),
    stored("descriptor/store/same-display-name-001", ["ARCH-002"], "two peers with the same display_name: the second is a different peer, not a rollback of the first", [at(aliceNamed, T0 + 1_000n)], bobNamed, T0 + 2_000n, byPeer),
    stored("descriptor/store/expired-not-live-001", ["DESC-009"], "seq 1 of one peer, then another peer's descriptor at the moment the first expires (expires_at + skew): only the second is live", [at(s1, T0 + 1_000n)], bob1, T0 + MINUTE + 5_000n, [BOB.did], ["ClockSkewEdge"]),
    stored("descriptor/store/return-after-expiry-001", ["DESC-008", "DESC-015"], "seq 1 expired; the peer returns with seq 2", [at(s1, T0 + 1_000n)], s2late, T0 + 2n * MINUTE + 1_000n, [ALICE.did]),
  ]);

  // descriptor.sign: the exact COSE_Sign1 of a descriptor given in JSON form.
  const signs = (id: string, requirements: string[], comment: string, body: Body): TestVector => {
    const json = bodyToJson(CapabilityDescriptorSchema, body);
    const message = fromJson(CapabilityDescriptorSchema, json as JsonValue);
    return valid(id, { requirements, comment, inputs: { json }, output: { payload: hex(encodeMessage(CapabilityDescriptorSchema, message)), cose: hex(signMessage(CapabilityDescriptorSchema, message, ALICE.seed)) } });
  };
  const refuses = (id: string, error: string, requirements: string[], comment: string, body: Body): TestVector =>
    invalid(id, error, { requirements, comment, flags: ["ProducerRefuses"], inputs: { json: bodyToJson(CapabilityDescriptorSchema, body) } });
  const example = exampleDescriptor();
  const fullSigned = signs("descriptor/sign/full-001", ["DESC-001", "SIG-012", "ENC-001"], "the example of spec §5.8, byte for byte", fullDescriptorBody(ALICE));
  if ((fullSigned.output as { cose: string }).cose !== hex(example.bytes)) throw new Error("descriptor/sign/full-001 differs from the example of spec §5.8");
  const sign = group("descriptor.sign", "Signing a descriptor given in its JSON form with shared.secret_key: the exact payload and COSE_Sign1 (DESC-001, SIG-012). A signer refuses a descriptor a verifier would reject for its structure, with the verifier's code.", { secret_key: hex(ALICE.seed) }, [
    signs("descriptor/sign/minimal-001", ["DESC-001", "SIG-012", "ENC-001"], "the minimal descriptor", base),
    fullSigned,
    signs("descriptor/sign/tombstone-001", ["DESC-001", "DESC-011", "SIG-012"], "a tombstone", tombstoneBody(ALICE)),
    refuses("descriptor/sign/other-peer-001", "COSE_KID_MISMATCH", ["DESC-001", "DESC-004"], "peer_id names the TEST 2 key, but the signing key is TEST 1's", descriptorBody(ALICE, { peer_id: BOB.did })),
    refuses("descriptor/sign/no-capabilities-001", "DESC_NO_CAPABILITIES", ["DESC-010"], "a live descriptor without capabilities", descriptorBody(ALICE, { capabilities: undefined })),
    refuses("descriptor/sign/tombstone-not-empty-001", "DESC_TOMBSTONE_NOT_EMPTY", ["DESC-011"], "a tombstone that lists a capability", tombstoneBody(ALICE, { capabilities: [CAP_MIN] })),
    refuses("descriptor/sign/seq-zero-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["DESC-003", "ENC-018"], "seq 0", descriptorBody(ALICE, { seq: undefined })),
    refuses("descriptor/sign/validity-window-001", "DESC_VALIDITY_WINDOW_INVALID", ["DESC-005"], "expires_at = issued_at", descriptorBody(ALICE, { expires_at: T0 })),
  ]);

  return {
    name: "descriptor",
    description:
      "Capability descriptors (spec/05-descriptors.md): structure, signature, validity window with clock skew, TTL, seq and the verifier's memory; and signing. Operations descriptor.verify (shared: now, max_ttl_ms, clock_skew_ms; inputs: descriptor, optional last_seq), descriptor.store and descriptor.sign. T0 = 2026-01-01T00:00:00Z = 1767225600000 ms.",
    groups: [validGroup, structure, envelope, time, timeNoSkew, timeWide, timeShort, seq, store, sign, budget],
  };
}

export const descriptorFile: VectorFileModule = { name: "descriptor", build };
