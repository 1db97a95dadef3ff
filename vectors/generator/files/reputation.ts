// reputation.json: Tier 1 reputation (spec/07-reputation.md): outcome
// attestations, verified (§7.4) and signed (§7.3); the decay weight
// (§7.5.4); and the evaluator's scores (§7.5), pinned to the unit: the worked
// example of §7.9, decay, duplicates, trust through raters, the depth, the
// caps, the prior, Sybil clusters with and without an attack edge.
//
// Expected verdicts are stated from the specification. Scores and weights are
// produce-side outputs computed with the reference; the simple ones are also
// written here as literals (the generator fails if the reference disagrees),
// and vectors/independent/check.py recomputes every one from the formulas of
// §7.5 in Python.
import { OutcomeAttestationSchema } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { ATTESTATION_CONTENT_TYPE, verifyAttestation } from "../../../reference/src/reputation/attestation.js";
import { decayWeight } from "../../../reference/src/reputation/decay.js";
import { exampleAttestations } from "../../../reference/src/reputation/example.js";
import { DEFAULT_REPUTATION_PARAMS, type ReputationParams } from "../../../reference/src/reputation/params.js";
import { computeReputation, priorScore } from "../../../reference/src/reputation/score.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { signMessage } from "../../../reference/src/signed/signed-message.js";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { base58 } from "@scure/base";
import { cat, filled, hex, le32, sha256Of, unhex, utf8 } from "../bytes.js";
import { enc, Ordered, type W } from "../cbor-writer.js";
import { DAY, DEFAULT_SKEW, derivedSecret, HOUR, MINUTE, RFC8032_TEST1_SECRET, RFC8032_TEST2_SECRET, RFC8032_TEST3_SECRET, T0 } from "../constants.js";
import { craftKey, L, P as FIELD_P, scalarOf, SMALL_ORDER_POINTS, withS } from "../ed25519-craft.js";
import { assemble, DESCRIPTOR_CT, honestParts, signCose, sigStructure, type Peer } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";
import { CAP_MIN, descriptorBody } from "./descriptor-bodies.js";
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";

const dec = (n: bigint) => n.toString();

/** The content type of outcome attestations (REP-001), as spec §7.3 writes it. */
const ATTESTATION_CT = "application/ap2p.outcome-attestation.v1+cbor";
/** Other signed kinds, for cross-kind replay (SIG-006). */
const TASK_RESULT_CT = "application/ap2p.task-result.v1+cbor";
const TEST_ATTESTATION_CT = "application/ap2p.test-attestation.v1+cbor";

// Enum numbers of the CBOR data model (spec §7.2, §5.2).
const SUCCESS = 1;
const FAILURE = 2;
const TIMEOUT = 3;
const CANARY_FAILED = 4;
const EVIDENCE_REJECTED = 5;
const REPUTATION = 1;
const CANARY = 2;
const EVIDENCE = 3;

function peer(name: string, seed: Uint8Array): Peer {
  const publicKey = publicKeyFromSecret(seed);
  return { name, seed, publicKey, did: didFromPublicKey(publicKey), craft: craftKey(seed) };
}

// The peers of spec §7.9: E, P and Q are the RFC 8032 §7.1 TEST 1, 2 and 3
// keys, X is TEST 1024. Further raters and providers have derived keys.
const E = peer("rfc8032-test1", RFC8032_TEST1_SECRET);
const P = peer("rfc8032-test2", RFC8032_TEST2_SECRET);
const Q = peer("rfc8032-test3", RFC8032_TEST3_SECRET);
const X = peer("rfc8032-test1024", unhex("f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5"));
const derived = (label: string) => peer(`reputation-${label}`, derivedSecret(`reputation-${label}`));
const A = derived("a");
const B = derived("b");
const C = derived("c");
const F = derived("f");
const R = derived("r");
const T = derived("t");
const T2 = derived("t2");
const SYBILS = [derived("s1"), derived("s2"), derived("s3"), derived("s4"), derived("s5"), derived("s6")];

/** The example's identifiers, as spec §7.9 prints them. */
const SPEC_PEERS = {
  E: "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw",
  P: "did:key:z6MkiaMbhXHNA4eJVCCj8dbzKzTgYDKf6crKgHVHid1F1WCT",
  Q: "did:key:z6MkwSD8dBdqcXQzKJZQFPy2hh2izzxskndKCjdmC2dBpfME",
  X: "did:key:z6Mkh7U7jBwoMro3UeHmXes4tKtFbZhMRWejbtunbU4hhvjP",
};

/** Attestation #3 of spec §7.9, as printed there (467 bytes). */
const SPEC_ATTESTATION_3 = unhex(`
d284586da3012703782c6170706c69636174696f6e2f617032702e6f7574636f
6d652d6174746573746174696f6e2e76312b63626f720458386469643a6b6579
3a7a364d6b74777570646d4c58565671547a43773469343672347547796f7347
58526e5233586a4e345a71376f4d4d7377a059011ca8647469657201676f7574
636f6d650168617474657374657278386469643a6b65793a7a364d6b74777570
646d4c58565671547a43773469343672347547796f734758526e5233586a4e34
5a71376f4d4d73776870726f766964657278386469643a6b65793a7a364d6b69
614d626858484e4134654a5643436a3864627a4b7a546759444b663663724b67
4856486964314631574354696973737565645f61741b0000019b9ae72c006974
61736b5f68617368582003030303030303030303030303030303030303030303
030303030303030303036a6361706162696c697479a36269646867656e657261
74656776657273696f6e65312e322e30696e616d6573706163656861692e696d
6167656a6c6174656e63795f6d731905dc5840d03885a7a3d1de0d901c16a5c1
317bd24086382666628a11fd44bb36fd648c0e03ba140efc4ece8bcb05851754
5e560284ce12ba871782c1b3e22b747cbfde02`);

/** When E evaluates in §7.9: 2026-01-15T00:00:00Z, T0 + 14 days. Every score vector uses it. */
const NOW = T0 + 14n * DAY;
/** The default half-life (REP-019). */
const H = 1_209_600_000n;

/** A capability other than the example's, for scoped scores. */
const CAP_TEXT: Body = { namespace: "ai.text", id: "summarize", version: "1.0.0" };

// ---------------------------------------------------------------------------
// Attestations, written in the CBOR data model and signed with an honest envelope.

interface Att {
  readonly by: Peer;
  readonly about: Peer | string;
  readonly outcome?: number;
  readonly tier?: number;
  readonly at: bigint;
  /** A number n gives 32 bytes equal to n (as in §7.9); a label gives SHA-256 of it. */
  readonly task: number | string;
  readonly latency?: number;
  readonly capability?: Body;
}

const didOf = (w: Peer | string) => (typeof w === "string" ? w : w.did);
const taskHash = (t: number | string) => (typeof t === "number" ? filled(32, t) : sha256Of(utf8(`ap2p/vectors/v1/task/${t}`)));

function body(a: Att, overrides: Body = {}): Body {
  return {
    attester: a.by.did,
    provider: didOf(a.about),
    capability: a.capability ?? CAP_MIN,
    task_hash: taskHash(a.task),
    outcome: a.outcome ?? SUCCESS,
    latency_ms: a.latency === undefined || a.latency === 0 ? undefined : a.latency,
    tier: a.tier ?? REPUTATION,
    issued_at: a.at,
    ...overrides,
  };
}

/** The signed attestation. */
const att = (a: Att): Uint8Array => signCose(a.by, ATTESTATION_CT, enc(body(a)));

/** n attestations alike but for their task hashes (labels `${label}-1` …). */
function many(n: number, a: Omit<Att, "task">, label: string): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => att({ ...a, task: `${label}-${i + 1}` }));
}

// ---------------------------------------------------------------------------
// attestation.verify

function ok(id: string, requirements: string[], comment: string, bytes: Uint8Array, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: { attestation: hex(bytes) } });
}
function bad(id: string, error: string, requirements: string[], comment: string, bytes: Uint8Array, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { attestation: hex(bytes) } });
}
const verifier = (now: bigint, skew: bigint = DEFAULT_SKEW): JsonObject => ({ now: dec(now), clock_skew_ms: dec(skew) });

/** A did:key of arbitrary key bytes, bypassing every check. */
const rawDid = (key: Uint8Array) => `did:key:z${base58.encode(cat(Uint8Array.of(0xed, 0x01), key))}`;

function verifyGroups() {
  const V = NOW;
  const base: Att = { by: E, about: P, at: V - HOUR, task: "verify", latency: 1500 };
  const signed = (b: W, signer: Peer = E) => signCose(signer, ATTESTATION_CT, enc(b));
  const example3 = att({ by: E, about: P, at: NOW - 7n * DAY, task: 3, latency: 1500, capability: CAP_MIN });
  if (hex(example3) !== hex(SPEC_ATTESTATION_3)) throw new Error("attestation #3 differs from the bytes spec §7.9 prints");

  const validGroup = group("attestation.verify", "Valid attestations, verified at 2026-01-15T00:00:00Z with the default skew (5 s).", verifier(V), [
    ok("reputation/attestation/valid/example-3-001", ["REP-001", "REP-002", "REP-011"], "attestation #3 of spec §7.9, byte for byte as printed there", SPEC_ATTESTATION_3, ["SpecExample"]),
    ok("reputation/attestation/valid/other-attester-001", ["REP-001", "REP-005"], "Q (RFC 8032 TEST 3) attests a failure by P", att({ ...base, by: Q, outcome: FAILURE })),
    ok("reputation/attestation/valid/success-canary-001", ["REP-008"], "SUCCESS at tier CANARY", att({ ...base, tier: CANARY })),
    ok("reputation/attestation/valid/success-evidence-001", ["REP-008"], "SUCCESS at tier EVIDENCE", att({ ...base, tier: EVIDENCE })),
    ok("reputation/attestation/valid/failure-reputation-001", ["REP-003", "REP-008"], "FAILURE at tier REPUTATION", att({ ...base, outcome: FAILURE })),
    ok("reputation/attestation/valid/timeout-reputation-001", ["REP-003", "REP-008"], "TIMEOUT at tier REPUTATION", att({ ...base, outcome: TIMEOUT })),
    ok("reputation/attestation/valid/canary-failed-canary-001", ["REP-008"], "CANARY_FAILED at tier CANARY", att({ ...base, outcome: CANARY_FAILED, tier: CANARY })),
    ok("reputation/attestation/valid/canary-failed-evidence-001", ["REP-008"], "CANARY_FAILED at tier EVIDENCE: the canary comes before the evidence", att({ ...base, outcome: CANARY_FAILED, tier: EVIDENCE })),
    ok("reputation/attestation/valid/evidence-rejected-evidence-001", ["REP-008"], "EVIDENCE_REJECTED at tier EVIDENCE", att({ ...base, outcome: EVIDENCE_REJECTED, tier: EVIDENCE })),
    ok("reputation/attestation/valid/no-latency-001", ["REP-004"], "latency_ms 0, so absent (it is informational)", att({ ...base, latency: 0 })),
    ok("reputation/attestation/valid/latency-max-001", ["REP-004"], "latency_ms 2^32 − 1, the largest uint32", att({ ...base, latency: 4294967295 }), ["IntegerRange"]),
    ok("reputation/attestation/valid/old-001", ["REP-009"], "issued a year before now: an attestation does not expire (it only weighs less)", att({ ...base, at: V - 365n * DAY })),
    ok("reputation/attestation/valid/issued-at-1-001", ["REP-009"], "issued_at 1, the smallest allowed", att({ ...base, at: 1n })),
    ok("reputation/attestation/valid/future-at-skew-001", ["REP-009"], "issued_at = now + skew: valid", att({ ...base, at: V + DEFAULT_SKEW }), ["ClockSkewEdge"]),
    ok("reputation/attestation/valid/future-within-skew-001", ["REP-009"], "issued_at = now + 1", att({ ...base, at: V + 1n }), ["ClockSkewEdge"]),
    ok("reputation/attestation/valid/scoped-capability-001", ["REP-002"], "another capability (ai.text/summarize 1.0.0)", att({ ...base, capability: CAP_TEXT })),
  ]);

  const structure = group("attestation.verify", "The rules of §7.4 step 4 (REP-005 to REP-008), each broken on an otherwise valid, correctly signed attestation.", verifier(V), [
    bad("reputation/attestation/kid/attester-not-kid-001", "COSE_KID_MISMATCH", ["REP-005", "SIG-007"], "attester names Q (TEST 3); E (TEST 1) signed it and is the kid", signed(body(base, { attester: Q.did })), ["KidConfusion"]),
    bad("reputation/attestation/kid/attester-is-provider-of-kid-001", "COSE_KID_MISMATCH", ["REP-005"], "attester names P, the provider; E signed it: an attestation put in P's mouth", signed(body({ ...base, about: Q }, { attester: P.did })), ["KidConfusion"]),
    bad("reputation/attestation/self/self-attestation-001", "REP_SELF_ATTESTATION", ["REP-006"], "E attests a success by itself", att({ ...base, about: E }), ["SelfAttestation"]),
    bad("reputation/attestation/self/self-failure-001", "REP_SELF_ATTESTATION", ["REP-006"], "E attests a failure by itself: a self-attestation is refused whatever it says", att({ ...base, about: E, outcome: FAILURE }), ["SelfAttestation"]),
    bad("reputation/attestation/provider/small-order-identity-001", "KEY_SMALL_ORDER", ["REP-007", "ID-003"], "provider is the did:key of the identity point, which matches the schema's pattern", att({ ...base, about: rawDid(unhex(SMALL_ORDER_POINTS[0]!.hex)) }), ["SmallOrderKey"]),
    bad("reputation/attestation/provider/small-order-8-001", "KEY_SMALL_ORDER", ["REP-007", "ID-003"], "provider is the did:key of a point of order 8", att({ ...base, about: rawDid(unhex(SMALL_ORDER_POINTS[4]!.hex)) }), ["SmallOrderKey"]),
    bad("reputation/attestation/provider/non-canonical-001", "KEY_NOT_CANONICAL", ["REP-007", "ID-003"], "provider is the did:key of y = p + 3, a non-canonical encoding", att({ ...base, about: rawDid(le32(FIELD_P + 3n)) }), ["NonCanonicalKey"]),
    bad("reputation/attestation/provider/not-on-curve-001", "KEY_NOT_ON_CURVE", ["REP-007", "ID-003"], "provider is the did:key of y = 2, not on the curve", att({ ...base, about: rawDid(le32(2n)) }), ["KeyNotOnCurve"]),
    bad("reputation/attestation/outcome-tier/canary-failed-reputation-001", "REP_OUTCOME_TIER_MISMATCH", ["REP-008"], "CANARY_FAILED at tier REPUTATION: no canary was sent", att({ ...base, outcome: CANARY_FAILED, tier: REPUTATION }), ["OutcomeTier"]),
    bad("reputation/attestation/outcome-tier/evidence-rejected-reputation-001", "REP_OUTCOME_TIER_MISMATCH", ["REP-008"], "EVIDENCE_REJECTED at tier REPUTATION", att({ ...base, outcome: EVIDENCE_REJECTED, tier: REPUTATION }), ["OutcomeTier"]),
    bad("reputation/attestation/outcome-tier/evidence-rejected-canary-001", "REP_OUTCOME_TIER_MISMATCH", ["REP-008"], "EVIDENCE_REJECTED at tier CANARY: no evidence package is checked below Tier 3", att({ ...base, outcome: EVIDENCE_REJECTED, tier: CANARY }), ["OutcomeTier"]),
  ]);

  const payload = enc(body(base));
  const parts = honestParts(E, ATTESTATION_CT, payload);
  const M = sigStructure(parts.protectedBytes, payload);
  const wrongSignature = (b: Body) => assemble({ ...honestParts(E, ATTESTATION_CT, enc(b)), signature: parts.signature });
  const envelope = group("attestation.verify", "The envelope, header and payload (REP-011, §4.5 steps 1 to 3), the content type (REP-001) and the signature (step 5).", verifier(V), [
    bad("reputation/attestation/envelope/unsigned-001", "COSE_TAG_MISSING", ["REP-011", "REP-001"], "the attestation's payload alone, unsigned", payload, ["Unsigned"]),
    bad("reputation/attestation/envelope/descriptor-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["REP-001", "SIG-006"], "an attestation payload signed by its attester under the descriptor content type", signCose(E, DESCRIPTOR_CT, payload), ["CrossKindReplay"]),
    bad("reputation/attestation/envelope/task-result-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["REP-001", "SIG-006"], "an attestation payload signed under the task-result content type", signCose(E, TASK_RESULT_CT, payload), ["CrossKindReplay"]),
    bad("reputation/attestation/envelope/platform-attestation-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["REP-001", "SIG-006"], "an attestation payload signed under the content type of a (test) platform attestation: another kind of attestation", signCose(E, TEST_ATTESTATION_CT, payload), ["CrossKindReplay"]),
    bad("reputation/attestation/envelope/descriptor-001", "COSE_CONTENT_TYPE_MISMATCH", ["REP-001", "SIG-006"], "a valid capability descriptor of E presented as an attestation", signCose(E, DESCRIPTOR_CT, enc(descriptorBody(E, { issued_at: V - MINUTE, expires_at: V + MINUTE }))), ["CrossKindReplay"]),
    bad("reputation/attestation/schema/task-hash-31-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["REP-011", "REP-002"], "a 31-byte task_hash: not a message hash", signed(body(base, { task_hash: filled(31, 7) })), ["SchemaRule"]),
    bad("reputation/attestation/schema/task-hash-33-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["REP-011", "REP-002"], "a 33-byte task_hash", signed(body(base, { task_hash: filled(33, 7) })), ["SchemaRule"]),
    bad("reputation/attestation/schema/task-hash-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011", "REP-002"], "no task_hash: the attestation names no delegation", signed(body(base, { task_hash: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/capability-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011", "REP-002"], "no capability", signed(body(base, { capability: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/capability-version-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011", "REP-002"], "a capability without version", signed(body(base, { capability: { namespace: "ai.image", id: "generate" } })), ["SchemaRule"]),
    bad("reputation/attestation/schema/outcome-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011"], "no outcome (OUTCOME_UNSPECIFIED, the default, is omitted)", signed(body(base, { outcome: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/outcome-undefined-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["REP-011", "ENC-014"], "outcome 6, which Outcome does not define", signed(body(base, { outcome: 6 }))),
    bad("reputation/attestation/schema/tier-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011"], "no tier", signed(body(base, { tier: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/tier-undefined-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["REP-011", "ENC-014"], "tier 4, which VerificationTier does not define", signed(body(base, { tier: 4 }))),
    bad("reputation/attestation/schema/issued-at-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011"], "no issued_at", signed(body(base, { issued_at: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/provider-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011"], "no provider", signed(body(base, { provider: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/provider-did-web-001", "SCHEMA_PATTERN_MISMATCH", ["REP-011", "REP-007"], "provider did:web:example.com, not a did:key", signed(body(base, { provider: "did:web:example.com" })), ["SchemaRule", "DidSyntax"]),
    bad("reputation/attestation/schema/attester-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-011", "REP-005"], "no attester", signed(body(base, { attester: undefined })), ["SchemaRule"]),
    bad("reputation/attestation/schema/latency-text-001", "SCHEMA_WRONG_TYPE", ["REP-011"], 'latency_ms as the text "1500"', signed(body(base, { latency_ms: "1500" }))),
    bad("reputation/attestation/schema/latency-over-uint32-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["REP-011"], "latency_ms 2^32, beyond uint32", signed(body(base, { latency_ms: 4294967296n })), ["IntegerRange"]),
    bad("reputation/attestation/schema/unknown-field-001", "SCHEMA_UNKNOWN_FIELD", ["REP-011", "ENC-015"], 'an extra field "weight" (an attester cannot say how much it counts)', signed({ ...body(base), weight: 10 } as Body), ["UnknownField"]),
    bad("reputation/attestation/schema/camel-case-field-001", "SCHEMA_UNKNOWN_FIELD", ["REP-011", "ENC-015"], 'the field "taskHash" in its JSON spelling instead of "task_hash"', signed(body(base, { task_hash: undefined, taskHash: taskHash("verify") } as Body)), ["UnknownField"]),
    bad("reputation/attestation/schema/unsorted-keys-001", "CBOR_MAP_KEYS_UNSORTED", ["REP-011", "ENC-004"], "a signed payload whose keys are in field-number order", signed(new Ordered(Object.entries(body(base)).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v as W]))), ["UnsortedKeys"]),
    bad("reputation/attestation/signature/outcome-altered-001", "SIG_INVALID", ["SIG-011", "SIG-015"], "signed as a FAILURE, then changed to SUCCESS in transit", assemble({ ...honestParts(E, ATTESTATION_CT, enc(body({ ...base, outcome: FAILURE }))), payload }), ["WrongSignature"]),
    bad("reputation/attestation/signature/forged-001", "SIG_INVALID", ["SIG-011", "SIG-015"], "attester and kid name E; P signed it: P praising itself in E's name", assemble({ ...parts, signature: signEd25519(P.seed, M) }), ["WrongSignature", "KidConfusion"]),
    bad("reputation/attestation/signature/s-plus-l-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S + L of the valid signature", assemble({ ...parts, signature: withS(parts.signature, scalarOf(parts.signature) + L) }), ["SignatureMalleability"]),
    bad("reputation/attestation/order/kid-before-signature-001", "COSE_KID_MISMATCH", ["SEC-003", "REP-005", "SIG-013", "REP-010"], "attester ≠ kid and a signature over other bytes: the mismatch is reported", wrongSignature(body(base, { attester: Q.did })), ["DefectOrder", "KidConfusion"]),
    bad("reputation/attestation/order/self-before-signature-001", "REP_SELF_ATTESTATION", ["SEC-003", "REP-006", "SIG-013", "REP-010"], "a self-attestation with a signature over other bytes: the structural defect is reported", wrongSignature(body({ ...base, about: E })), ["DefectOrder", "SelfAttestation"]),
    bad("reputation/attestation/order/tier-before-signature-001", "REP_OUTCOME_TIER_MISMATCH", ["SEC-003", "REP-008", "SIG-013", "REP-010"], "CANARY_FAILED at tier REPUTATION with a signature over other bytes", wrongSignature(body({ ...base, outcome: CANARY_FAILED })), ["DefectOrder", "OutcomeTier"]),
    bad("reputation/attestation/order/provider-key-before-signature-001", "KEY_SMALL_ORDER", ["SEC-003", "REP-007", "SIG-013", "REP-010"], "a small-order provider key with a signature over other bytes", wrongSignature(body({ ...base, about: rawDid(unhex(SMALL_ORDER_POINTS[0]!.hex)) })), ["DefectOrder", "SmallOrderKey"]),
  ]);

  const time = group("attestation.verify", "issued_at against now + skew (REP-009), default skew 5 s, now = 2026-01-15T00:00:00Z.", verifier(V), [
    bad("reputation/attestation/time/future-skew-plus-1-001", "REP_ATTESTATION_NOT_YET_VALID", ["REP-009"], "issued_at = now + skew + 1", att({ ...base, at: V + DEFAULT_SKEW + 1n }), ["ClockSkewEdge"]),
    bad("reputation/attestation/time/far-future-001", "REP_ATTESTATION_NOT_YET_VALID", ["REP-009"], "issued a day in the future: weight U for a long time to come if accepted", att({ ...base, at: V + DAY })),
    bad("reputation/attestation/time/max-uint64-001", "REP_ATTESTATION_NOT_YET_VALID", ["REP-009"], "issued_at 2^64 − 1", att({ ...base, at: 2n ** 64n - 1n }), ["IntegerRange"]),
  ]);
  const timeNoSkew = group("attestation.verify", "A verifier without clock-skew allowance (skew 0).", verifier(V, 0n), [
    ok("reputation/attestation/time/no-skew-at-now-001", ["REP-009"], "issued_at = now", att({ ...base, at: V }), ["ClockSkewEdge"]),
    bad("reputation/attestation/time/no-skew-now-plus-1-001", "REP_ATTESTATION_NOT_YET_VALID", ["REP-009"], "issued_at = now + 1", att({ ...base, at: V + 1n }), ["ClockSkewEdge"]),
  ]);
  const timeWide = group("attestation.verify", "The widest allowance a verifier may use: skew 60 s (DESC-014).", verifier(V, MINUTE), [
    ok("reputation/attestation/time/max-skew-edge-001", ["REP-009", "DESC-014"], "issued_at = now + 60 s", att({ ...base, at: V + MINUTE }), ["ClockSkewEdge"]),
    bad("reputation/attestation/time/max-skew-edge-plus-1-001", "REP_ATTESTATION_NOT_YET_VALID", ["REP-009"], "issued_at = now + 60 s + 1", att({ ...base, at: V + MINUTE + 1n }), ["ClockSkewEdge"]),
  ]);
  return [validGroup, structure, envelope, time, timeNoSkew, timeWide];
}

// ---------------------------------------------------------------------------
// attestation.sign

function signGroup() {
  const signs = (id: string, requirements: string[], comment: string, signer: Peer, b: Body, expected?: Uint8Array): TestVector => {
    const json = bodyToJson(OutcomeAttestationSchema, b);
    const message = fromJson(OutcomeAttestationSchema, json as JsonValue);
    const payload = enc(b);
    const cose = signMessage(OutcomeAttestationSchema, message, signer.seed);
    // The reference signer against the generator's own CBOR writer and envelope.
    if (hex(cose) !== hex(signCose(signer, ATTESTATION_CT, payload))) throw new Error(`${id}: the reference's signed attestation differs from the generator's`);
    if (expected !== undefined && hex(cose) !== hex(expected)) throw new Error(`${id}: differs from the expected bytes`);
    return valid(id, { requirements, comment, inputs: { secret_key: hex(signer.seed), json }, output: { payload: hex(payload), cose: hex(cose) } });
  };
  const refuses = (id: string, error: string, requirements: string[], comment: string, signer: Peer, b: Body, flags: FlagName[] = []): TestVector =>
    invalid(id, error, { requirements, comment, flags: [...flags, "ProducerRefuses"], inputs: { secret_key: hex(signer.seed), json: bodyToJson(OutcomeAttestationSchema, b) } });
  const base: Att = { by: E, about: P, at: NOW - HOUR, task: "sign", latency: 1500 };
  const example = exampleAttestations()[2]!;
  if (hex(example.bytes) !== hex(SPEC_ATTESTATION_3)) throw new Error("the reference's example attestation #3 differs from spec §7.9");
  return group("attestation.sign", "Signing an outcome attestation given in JSON form with inputs.secret_key: the exact payload and COSE_Sign1 (REP-001, SIG-012). A signer refuses what a verifier would reject, with the verifier's code.", {}, [
    signs("reputation/sign/example-3-001", ["REP-001", "SIG-012", "ENC-001"], "attestation #3 of spec §7.9, byte for byte", E, body({ by: E, about: P, at: NOW - 7n * DAY, task: 3, latency: 1500 }), SPEC_ATTESTATION_3),
    signs("reputation/sign/canary-failed-001", ["REP-001", "REP-002", "REP-008"], "Q attests that P failed a canary at tier EVIDENCE", Q, body({ ...base, by: Q, outcome: CANARY_FAILED, tier: EVIDENCE })),
    signs("reputation/sign/minimal-001", ["REP-001"], "no latency_ms: the smallest attestation", E, body({ ...base, latency: 0 })),
    refuses("reputation/sign/self-001", "REP_SELF_ATTESTATION", ["REP-006"], "E attesting itself", E, body({ ...base, about: E }), ["SelfAttestation"]),
    refuses("reputation/sign/other-attester-001", "COSE_KID_MISMATCH", ["REP-001", "REP-005"], "attester names Q, but the signing key is E's", E, body({ ...base, by: Q })),
    refuses("reputation/sign/tier-mismatch-001", "REP_OUTCOME_TIER_MISMATCH", ["REP-008"], "EVIDENCE_REJECTED at tier CANARY", E, body({ ...base, outcome: EVIDENCE_REJECTED, tier: CANARY }), ["OutcomeTier"]),
    refuses("reputation/sign/provider-small-order-001", "KEY_SMALL_ORDER", ["REP-007"], "provider is the did:key of the identity point", E, body({ ...base, about: rawDid(unhex(SMALL_ORDER_POINTS[0]!.hex)) }), ["SmallOrderKey"]),
    refuses("reputation/sign/task-hash-short-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["REP-002", "ENC-018"], "a 16-byte task_hash", E, body(base, { task_hash: filled(16, 1) })),
    refuses("reputation/sign/no-capability-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["REP-002", "ENC-018"], "no capability", E, body(base, { capability: undefined })),
  ]);
}

// ---------------------------------------------------------------------------
// reputation.decay

function decayGroup() {
  const weighs = (id: string, comment: string, age: bigint, halfLife: bigint, weight: bigint): TestVector => {
    const got = decayWeight(age, halfLife);
    if (got !== weight) throw new Error(`${id}: the reference gives ${got}, the formula of REP-014 ${weight}`);
    return valid(id, { requirements: ["REP-014"], comment, flags: ["DecayEdge"], inputs: { age_ms: dec(age), half_life_ms: dec(halfLife) }, output: { weight: dec(weight) } });
  };
  const hour = 3_600_000n;
  const year = 31_536_000_000n;
  return group("reputation.decay", "The weight of one attestation, in micro-units, from its age and the half-life H (REP-014): U / 2^n at n half-lives, the straight line between two halvings, floored once; 0 from 20 half-lives on. H = 14 days unless stated.", {}, [
    weighs("reputation/decay/age-0-001", "new: one unit", 0n, H, 1_000_000n),
    weighs("reputation/decay/age-1-ms-001", "1 ms old: 10^6 · (2H − 1) / 2H = 999,999.9996…, floored", 1n, H, 999_999n),
    weighs("reputation/decay/half-half-life-001", "H/2: 750,000 (§7.9, #3)", H / 2n, H, 750_000n),
    weighs("reputation/decay/half-life-minus-1-001", "H − 1 ms: 500,000.0004…, floored", H - 1n, H, 500_000n),
    weighs("reputation/decay/half-life-001", "exactly H: 500,000 (§7.9, #2)", H, H, 500_000n),
    weighs("reputation/decay/half-life-plus-1-001", "H + 1 ms: 499,999.9997…, floored", H + 1n, H, 499_999n),
    weighs("reputation/decay/one-and-a-half-001", "1.5 H: 375,000", H + H / 2n, H, 375_000n),
    weighs("reputation/decay/two-001", "2 H: 250,000", 2n * H, H, 250_000n),
    weighs("reputation/decay/third-001", "H/3 (403,200,000 ms): 10^6 · (5/3) / 2 = 833,333.33…", H / 3n, H, 833_333n),
    weighs("reputation/decay/four-thirds-001", "4H/3: 10^6 · (5/3) / 4 = 416,666.66…", H + H / 3n, H, 416_666n),
    weighs("reputation/decay/three-001", "3 H: 125,000", 3n * H, H, 125_000n),
    weighs("reputation/decay/ten-001", "10 H: 10^6 / 1024 = 976.5625", 10n * H, H, 976n),
    weighs("reputation/decay/nineteen-001", "19 H: 10^6 / 2^19 = 1.907…", 19n * H, H, 1n),
    weighs("reputation/decay/nineteen-and-a-half-001", "19.5 H: 1.43…", 19n * H + H / 2n, H, 1n),
    weighs("reputation/decay/twenty-minus-1-001", "20 H − 1 ms: 10^6 · (H + 1) / (2^20 · H) = 0.95…, below one micro-unit", 20n * H - 1n, H, 0n),
    weighs("reputation/decay/twenty-001", "20 H: 0 (n ≥ 20)", 20n * H, H, 0n),
    weighs("reputation/decay/century-001", "a century: 0", 100n * 365n * DAY, H, 0n),
    weighs("reputation/decay/min-half-life-001", "H = 1 hour (the least), age 1.5 hours: 375,000", hour + hour / 2n, hour, 375_000n),
    weighs("reputation/decay/max-half-life-001", "H = 365 days (the most), age 91.25 days: 875,000", year / 4n, year, 875_000n),
    weighs("reputation/decay/odd-half-life-001", "H = 3,600,001 ms, age 1 ms: 10^6 · 7,200,001 / 7,200,002 = 999,999.86…", 1n, 3_600_001n, 999_999n),
    weighs("reputation/decay/odd-half-life-half-001", "H = 3,600,001 ms, age 1,800,000 ms: 10^6 · 5,400,002 / 7,200,002 = 750,000.03…", 1_800_000n, 3_600_001n, 750_000n),
  ]);
}

// ---------------------------------------------------------------------------
// reputation.score

function paramsJson(p: ReputationParams): JsonObject {
  return {
    half_life_ms: dec(p.halfLifeMs),
    prior_positive: dec(p.priorPositive),
    prior_negative: dec(p.priorNegative),
    rater_cap: dec(p.raterCap),
    trust_floor: dec(p.trustFloor),
    damping_ppm: Number(p.dampingPpm),
    depth: p.depth,
    trusted_raters: [...p.trustedRaters],
  };
}

type Scope = { namespace: string; id: string; version: string };

/** A score group: its parameters and its tests. */
function scoreGroup(comment: string, params: ReputationParams, build: (s: Scorer) => TestVector[]) {
  return group("reputation.score", comment, { params: paramsJson(params), clock_skew_ms: dec(DEFAULT_SKEW) }, build(scorer(params)));
}

interface ScoreCase {
  readonly requirements: string[];
  readonly comment: string;
  readonly attestations: readonly Uint8Array[];
  readonly flags?: FlagName[];
  readonly evaluator?: Peer;
  readonly scope?: Scope;
  /** Scores stated in the generator; the reference must agree. */
  readonly expect?: Readonly<Record<string, number>>;
}

interface Scorer {
  scores(c: ScoreCase): Record<string, number>;
  valid(id: string, c: ScoreCase): TestVector;
  invalid(id: string, error: string, c: ScoreCase): TestVector;
}

function scorer(params: ReputationParams): Scorer {
  const inputsOf = (c: ScoreCase): JsonObject => ({
    evaluator: (c.evaluator ?? E).did,
    now: dec(NOW),
    attestations: c.attestations.map(hex),
    ...(c.scope === undefined ? {} : { scope: { ...c.scope } }),
  });
  const scores = (c: ScoreCase): Record<string, number> => {
    // Produce side: the reference's scores of the attestations (each verified first, REP-012).
    const held = c.attestations.map((bytes, i) => {
      const v = verifyAttestation(bytes, { now: NOW, clockSkewMs: DEFAULT_SKEW });
      if (!v.ok) throw new Error(`attestation ${i} of a valid score vector does not verify: ${v.error.code}`);
      return v.value.message;
    });
    const map = computeReputation((c.evaluator ?? E).did, held, NOW, params, c.scope);
    return Object.fromEntries([...map].map(([k, v]) => [k, Number(v)]));
  };
  return {
    scores,
    valid(id, c) {
      const got = scores(c);
      for (const [peerId, score] of Object.entries(c.expect ?? {})) {
        if (got[peerId] !== score) throw new Error(`${id}: the reference scores ${peerId} ${got[peerId]}, the generator states ${score}`);
      }
      return valid(id, { requirements: c.requirements, comment: c.comment, flags: c.flags ?? [], inputs: inputsOf(c), output: { scores: got, prior: Number(priorScore(params)) } });
    },
    invalid(id, error, c) {
      return invalid(id, error, { requirements: c.requirements, comment: c.comment, flags: c.flags ?? [], inputs: inputsOf(c) });
    },
  };
}

const withParams = (p: Partial<ReputationParams>): ReputationParams => ({ ...DEFAULT_REPUTATION_PARAMS, ...p });

/** floor((r + a) · 10^6 / (r + s + a + b)) with the default prior: the score of evidence the evaluator holds itself. */
const own = (r: bigint, s: bigint) => Number(((r + 1_000_000n) * 1_000_000n) / (r + s + 3_000_000n));

function scoreGroups() {
  const U = 1_000_000n;
  // The five attestations of §7.9, in the order of its table.
  const ex = [
    att({ by: E, about: Q, at: NOW, task: 1, latency: 1500 }),
    att({ by: E, about: Q, at: NOW - 14n * DAY, task: 2, latency: 1500 }),
    att({ by: E, about: P, at: NOW - 7n * DAY, task: 3, latency: 1500 }),
    att({ by: Q, about: P, outcome: FAILURE, at: NOW, task: 4, latency: 1500 }),
    att({ by: X, about: P, outcome: FAILURE, at: NOW, task: 5, latency: 1500 }),
  ];
  if (ex.map(hex).join() !== exampleAttestations().map((a) => hex(a.bytes)).join()) throw new Error("the §7.9 attestations differ from the reference's example");
  if (E.did !== SPEC_PEERS.E || P.did !== SPEC_PEERS.P || Q.did !== SPEC_PEERS.Q || X.did !== SPEC_PEERS.X) throw new Error("the peers differ from spec §7.9");

  const example = scoreGroup("The worked example of spec §7.9 and variations, default parameters, now = 2026-01-15T00:00:00Z. The output lists every provider an attestation names except the evaluator, and the prior (the score of anyone else).", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/example/spec-001", { requirements: ["REP-013", "REP-014", "REP-015", "REP-016", "REP-017"], comment: "the five attestations of §7.9: P 457,516, Q 555,555, anyone else 333,333", attestations: ex, flags: ["SpecExample"], expect: { [P.did]: 457_516, [Q.did]: 555_555 } }),
    s.valid("reputation/score/example/reversed-001", { requirements: ["REP-020"], comment: "the same five in reverse order: the same scores", attestations: [...ex].reverse(), flags: ["SpecExample", "OrderIndependence"], expect: { [P.did]: 457_516, [Q.did]: 555_555 } }),
    s.valid("reputation/score/example/shuffled-001", { requirements: ["REP-020"], comment: "the same five in the order #4, #1, #5, #3, #2", attestations: [ex[3]!, ex[0]!, ex[4]!, ex[2]!, ex[1]!], flags: ["SpecExample", "OrderIndependence"], expect: { [P.did]: 457_516, [Q.did]: 555_555 } }),
    s.valid("reputation/score/example/without-q-report-001", { requirements: ["REP-016", "REP-017"], comment: "without #4 (Q's report of a failure): P 466,666, as §7.9 says", attestations: [ex[0]!, ex[1]!, ex[2]!, ex[4]!], flags: ["SpecExample"], expect: { [P.did]: 466_666, [Q.did]: 555_555 } }),
    s.valid("reputation/score/example/without-x-report-001", { requirements: ["REP-016"], comment: "without #5 (the stranger X's report): nothing changes, X weighs 0", attestations: ex.slice(0, 4), flags: ["SpecExample"], expect: { [P.did]: 457_516, [Q.did]: 555_555 } }),
    s.valid("reputation/score/example/doubled-001", { requirements: ["REP-013"], comment: "every attestation of §7.9 held twice: each delegation counts once, the scores are the example's", attestations: [...ex, ...ex], flags: ["SpecExample", "DuplicateAttestation"], expect: { [P.did]: 457_516, [Q.did]: 555_555 } }),
    s.valid("reputation/score/example/evaluator-q-001", { requirements: ["REP-016", "REP-017"], comment: "the same attestations evaluated by Q: Q counts its own failure report about P in full, and E, with whom Q has no experience, weighs 0 for it: P 250,000. E is a provider no attestation names", attestations: ex, evaluator: Q, flags: ["SpecExample"], expect: { [P.did]: 250_000 } }),
    s.valid("reputation/score/example/evaluator-x-001", { requirements: ["REP-016", "REP-017"], comment: "evaluated by the stranger X: its own failure report counts in full; P 250,000; Q, whom only E has rated, 333,333", attestations: ex, evaluator: X, flags: ["SpecExample", "Newcomer"], expect: { [P.did]: 250_000, [Q.did]: 333_333 } }),
  ]);

  const base: Omit<Att, "task"> = { by: E, about: P, at: NOW };
  const one = (a: Partial<Att>, task: string) => att({ ...base, ...a, task });
  const basics = scoreGroup("Evidence the evaluator E holds itself, and the prior, default parameters.", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/basic/no-attestations-001", { requirements: ["REP-017"], comment: "no attestations: no scores; anyone scores the prior 333,333", attestations: [], flags: ["Newcomer"] }),
    s.valid("reputation/score/basic/one-success-001", { requirements: ["REP-017"], comment: "one fresh success by E: 500,000 (§7.5.7)", attestations: [one({}, "b1")], expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/basic/one-failure-001", { requirements: ["REP-017", "REP-003"], comment: "one fresh failure by E: 250,000 (§7.5.7)", attestations: [one({ outcome: FAILURE }, "b2")], expect: { [P.did]: 250_000 } }),
    s.valid("reputation/score/basic/negative-outcomes-001", { requirements: ["REP-003"], comment: "four providers, each with one fresh negative outcome by E: FAILURE, TIMEOUT, CANARY_FAILED (tier CANARY), EVIDENCE_REJECTED (tier EVIDENCE); each weighs the same, 250,000", attestations: [one({ outcome: FAILURE }, "n1"), one({ about: Q, outcome: TIMEOUT }, "n2"), one({ about: X, outcome: CANARY_FAILED, tier: CANARY }, "n3"), one({ about: R, outcome: EVIDENCE_REJECTED, tier: EVIDENCE }, "n4")], expect: { [P.did]: 250_000, [Q.did]: 250_000, [X.did]: 250_000, [R.did]: 250_000 } }),
    s.valid("reputation/score/basic/success-and-timeout-001", { requirements: ["REP-003", "REP-017"], comment: "one success and one timeout: (1 + 1) / (1 + 1 + 1 + 2) = 400,000", attestations: [one({}, "m1"), one({ outcome: TIMEOUT }, "m2")], expect: { [P.did]: 400_000 } }),
    s.valid("reputation/score/basic/tiers-do-not-weigh-001", { requirements: ["REP-003", "REP-017"], comment: "a success at tier REPUTATION and one at tier EVIDENCE weigh the same: 600,000", attestations: [one({}, "t1"), one({ tier: EVIDENCE }, "t2")], expect: { [P.did]: 600_000 } }),
    s.valid("reputation/score/basic/stranger-only-001", { requirements: ["REP-016"], comment: "only the stranger X has rated P (a failure): X weighs 0, P scores the prior", attestations: [one({ by: X, outcome: FAILURE }, "x1")], flags: ["Newcomer"], expect: { [P.did]: 333_333 } }),
    s.valid("reputation/score/basic/strangers-praise-001", { requirements: ["REP-016"], comment: "ten fresh successes by the stranger X: still the prior", attestations: many(10, { ...base, by: X }, "x2"), flags: ["Newcomer"], expect: { [P.did]: 333_333 } }),
    s.valid("reputation/score/basic/about-evaluator-001", { requirements: ["REP-017"], comment: "Q praises E and E praises Q: the evaluator has no score of its own; Q 500,000", attestations: [one({ by: Q, about: E }, "e1"), one({ about: Q }, "e2")], expect: { [Q.did]: 500_000 } }),
    s.valid("reputation/score/basic/future-within-skew-001", { requirements: ["REP-014", "REP-009"], comment: "a success issued now + 5 s (within the skew) weighs U: 500,000", attestations: [one({ at: NOW + DEFAULT_SKEW }, "f1")], flags: ["ClockSkewEdge"], expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/basic/uncapped-evaluator-001", { requirements: ["REP-015"], comment: "fifteen fresh successes by E: the evaluator is not capped, r = 15 units, 888,888", attestations: many(15, base, "u"), flags: ["RaterCap"], expect: { [P.did]: own(15n * U, 0n) } }),
  ]);

  // Decay: one success (or failure) by E at several ages.
  const aged = (age: bigint, outcome = SUCCESS) => att({ by: E, about: P, outcome, at: NOW - age, task: `age-${age}-${outcome}` });
  const decay = scoreGroup("Decay (REP-014) inside the score: one attestation by E about P at several ages, H = 14 days.", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/decay/half-half-life-001", { requirements: ["REP-014", "REP-017"], comment: "a success H/2 old weighs 750,000: 466,666", attestations: [aged(H / 2n)], flags: ["DecayEdge"], expect: { [P.did]: own(750_000n, 0n) } }),
    s.valid("reputation/score/decay/half-life-001", { requirements: ["REP-014", "REP-017"], comment: "a success H old weighs 500,000: 428,571", attestations: [aged(H)], flags: ["DecayEdge"], expect: { [P.did]: own(500_000n, 0n) } }),
    s.valid("reputation/score/decay/two-half-lives-001", { requirements: ["REP-014", "REP-017"], comment: "a success 2H old weighs 250,000: 384,615", attestations: [aged(2n * H)], flags: ["DecayEdge"], expect: { [P.did]: own(250_000n, 0n) } }),
    s.valid("reputation/score/decay/one-and-a-third-001", { requirements: ["REP-014", "REP-017"], comment: "a success 4H/3 old weighs 416,666 (interpolated, floored)", attestations: [aged(H + H / 3n)], flags: ["DecayEdge"], expect: { [P.did]: own(416_666n, 0n) } }),
    s.valid("reputation/score/decay/failure-half-life-001", { requirements: ["REP-014", "REP-017"], comment: "a failure H old weighs 500,000: 285,714", attestations: [aged(H, FAILURE)], flags: ["DecayEdge"], expect: { [P.did]: own(0n, 500_000n) } }),
    s.valid("reputation/score/decay/twenty-minus-1-001", { requirements: ["REP-014", "REP-023"], comment: "a success 20H − 1 ms old weighs 0: P is named, and scores the prior", attestations: [aged(20n * H - 1n)], flags: ["DecayEdge", "Newcomer"], expect: { [P.did]: 333_333 } }),
    s.valid("reputation/score/decay/old-failure-new-success-001", { requirements: ["REP-014", "REP-017"], comment: "a failure 2H old (250,000) and a fresh success: (1 + 1) / (1 + 0.25 + 3) = 470,588", attestations: [aged(2n * H, FAILURE), aged(0n)], flags: ["DecayEdge"], expect: { [P.did]: own(U, 250_000n) } }),
    s.valid("reputation/score/decay/mixed-ages-001", { requirements: ["REP-014", "REP-017"], comment: "successes 1 ms, H − 1 ms and H + 1 ms old (999,999 + 500,000 + 499,999) and a failure 3H old (125,000)", attestations: [aged(1n), aged(H - 1n), aged(H + 1n), aged(3n * H, FAILURE)], flags: ["DecayEdge"], expect: { [P.did]: own(999_999n + 500_000n + 499_999n, 125_000n) } }),
  ]);

  // Duplicates (REP-013).
  const sameTask = (outcome: number, at: bigint, latency = 0) => att({ by: E, about: P, outcome, at, task: "dup", latency });
  // Two attestations of one delegation with equal issued_at: the smaller message hash (SHA-256 of the canonical payload) wins.
  const payloadHash = (outcome: number, latency: number) => hex(sha256Of(enc(body({ by: E, about: P, outcome, at: NOW - DAY, task: "tie", latency }))));
  const tieLatency = (successWins: boolean): number => {
    for (let latency = 1; latency < 1000; latency++) {
      if (payloadHash(SUCCESS, latency) < payloadHash(FAILURE, latency) === successWins) return latency;
    }
    throw new Error("no latency found");
  };
  const successWinsLatency = tieLatency(true);
  const failureWinsLatency = tieLatency(false);
  const tie = (outcome: number, latency: number) => att({ by: E, about: P, outcome, at: NOW - DAY, task: "tie", latency });
  const dayOld = decayWeight(DAY, H);
  const duplicates = scoreGroup("One attestation per delegation (REP-013): among attestations with the same attester, provider and task_hash, the one with the greatest issued_at counts, and among those the one with the smallest message hash.", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/duplicate/same-bytes-001", { requirements: ["REP-013"], comment: "one success held twice (the same bytes): counted once, 500,000 (twice would be 600,000)", attestations: [sameTask(SUCCESS, NOW), sameTask(SUCCESS, NOW)], flags: ["DuplicateAttestation"], expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/duplicate/correction-001", { requirements: ["REP-013", "REP-022"], comment: "a success issued a day ago, corrected to a failure issued now (same task_hash): only the failure counts, 250,000", attestations: [sameTask(SUCCESS, NOW - DAY), sameTask(FAILURE, NOW)], flags: ["DuplicateAttestation"], expect: { [P.did]: 250_000 } }),
    s.valid("reputation/score/duplicate/correction-002", { requirements: ["REP-013", "REP-020"], comment: "the same two in the other order: the later one still wins", attestations: [sameTask(FAILURE, NOW), sameTask(SUCCESS, NOW - DAY)], flags: ["DuplicateAttestation", "OrderIndependence"], expect: { [P.did]: 250_000 } }),
    s.valid("reputation/score/duplicate/correction-003", { requirements: ["REP-013"], comment: "a failure a day ago corrected to a success now: only the success counts, 500,000", attestations: [sameTask(FAILURE, NOW - DAY), sameTask(SUCCESS, NOW)], flags: ["DuplicateAttestation"], expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/duplicate/tie-success-wins-001", { requirements: ["REP-013"], comment: `a success and a failure of one delegation, both issued a day ago, latency_ms ${successWinsLatency}: the success has the smaller message hash and counts alone (weight ${dayOld})`, attestations: [tie(FAILURE, successWinsLatency), tie(SUCCESS, successWinsLatency)], flags: ["DuplicateAttestation", "TieBreak"], expect: { [P.did]: own(dayOld, 0n) } }),
    s.valid("reputation/score/duplicate/tie-failure-wins-001", { requirements: ["REP-013"], comment: `the same with latency_ms ${failureWinsLatency}: now the failure has the smaller message hash and counts alone`, attestations: [tie(SUCCESS, failureWinsLatency), tie(FAILURE, failureWinsLatency)], flags: ["DuplicateAttestation", "TieBreak"], expect: { [P.did]: own(0n, dayOld) } }),
    s.valid("reputation/score/duplicate/tie-reversed-001", { requirements: ["REP-013", "REP-020"], comment: "the first tie in the other order: the same winner", attestations: [tie(SUCCESS, successWinsLatency), tie(FAILURE, successWinsLatency)], flags: ["DuplicateAttestation", "TieBreak", "OrderIndependence"], expect: { [P.did]: own(dayOld, 0n) } }),
    s.valid("reputation/score/duplicate/same-task-other-provider-001", { requirements: ["REP-013"], comment: "one task_hash used for a success about P and a failure about Q: the provider is part of the key, both count", attestations: [att({ by: E, about: P, at: NOW, task: "shared" }), att({ by: E, about: Q, outcome: FAILURE, at: NOW, task: "shared" })], flags: ["DuplicateAttestation"], expect: { [P.did]: 500_000, [Q.did]: 250_000 } }),
    s.valid("reputation/score/duplicate/same-task-other-attester-001", { requirements: ["REP-013", "REP-016"], comment: "E and A (whom E trusts through ten successes) both attest one task_hash about P, E a success and A a failure: different attesters, both count (A weighs 500,000)", attestations: [...many(10, { by: E, about: A, at: NOW }, "ea"), att({ by: E, about: P, at: NOW, task: "shared" }), att({ by: A, about: P, outcome: FAILURE, at: NOW, task: "shared" })], flags: ["DuplicateAttestation"], expect: { [P.did]: own(U, 500_000n) } }),
  ]);

  // Trust through raters (REP-016).
  const chainAB = many(10, { by: E, about: A, at: NOW }, "ea");
  const chainBC = many(10, { by: A, about: B, at: NOW }, "ab");
  const chainCD = many(10, { by: B, about: C, at: NOW }, "bc");
  const failures = (by: Peer, n: number, label: string) => many(n, { by, about: P, outcome: FAILURE, at: NOW }, label);
  const trust = scoreGroup("Trust in raters (REP-016) with the defaults: γ = 1/2 per hop, depth 2, floor L = 10 units. E has ten fresh successes with A, A ten with B, B ten with C; a rater reports failures by P.", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/trust/depth-1-001", { requirements: ["REP-016", "REP-017"], comment: "A (one hop) reports four failures: w(A) = ½ · 10/10 = 500,000, s = 2 units, P 200,000", attestations: [...chainAB, ...failures(A, 4, "af")], flags: ["TrustPath"], expect: { [P.did]: own(0n, 2n * U) } }),
    s.valid("reputation/score/trust/depth-2-001", { requirements: ["REP-016", "REP-017"], comment: "B (two hops) reports four failures: w(B) = 250,000, s = 1 unit, P 250,000", attestations: [...chainAB, ...chainBC, ...failures(B, 4, "bf")], flags: ["TrustPath"], expect: { [P.did]: own(0n, U) } }),
    s.valid("reputation/score/trust/depth-cut-off-001", { requirements: ["REP-016"], comment: "C (three hops) reports four failures: beyond the depth, C weighs 0, P scores the prior", attestations: [...chainAB, ...chainBC, ...chainCD, ...failures(C, 4, "cf")], flags: ["TrustPath", "Newcomer"], expect: { [P.did]: 333_333 } }),
    s.valid("reputation/score/trust/all-three-001", { requirements: ["REP-016", "REP-017"], comment: "A, B and C each report four failures: A and B count, C does not", attestations: [...chainAB, ...chainBC, ...chainCD, ...failures(A, 4, "af"), ...failures(B, 4, "bf"), ...failures(C, 4, "cf")], flags: ["TrustPath"] }),
    s.valid("reputation/score/trust/small-experience-001", { requirements: ["REP-016"], comment: "E has one success with A: N(E) is the floor L, w(A) = ½ · 1/10 = 50,000; A's four failures add 0.2 units: P 312,500", attestations: [att({ by: E, about: A, at: NOW, task: "ea-1" }), ...failures(A, 4, "af")], flags: ["TrustPath"], expect: { [P.did]: own(0n, 200_000n) } }),
    s.valid("reputation/score/trust/split-001", { requirements: ["REP-016"], comment: "E has twenty successes with A and twenty with B: N(E) = 40 units, each gets ½ · 20/40 = 250,000; A and B each report four failures", attestations: [...many(20, { by: E, about: A, at: NOW }, "ea"), ...many(20, { by: E, about: B, at: NOW }, "eb"), ...failures(A, 4, "af"), ...failures(B, 4, "bf")], flags: ["TrustPath"], expect: { [P.did]: own(0n, 2n * U) } }),
    s.valid("reputation/score/trust/net-experience-001", { requirements: ["REP-016"], comment: "E has ten successes and six failures with A: l(E, A) = 4 units, w(A) = ½ · 4/10 = 200,000; A's four failures add 0.8 units", attestations: [...chainAB, ...many(6, { by: E, about: A, outcome: FAILURE, at: NOW }, "eaf"), ...failures(A, 4, "af")], flags: ["TrustPath"], expect: { [P.did]: own(0n, 800_000n) } }),
    s.valid("reputation/score/trust/bad-experience-001", { requirements: ["REP-016"], comment: "E has more failures than successes with A: l(E, A) = 0, A weighs 0, P the prior", attestations: [...many(2, { by: E, about: A, at: NOW }, "ea"), ...many(3, { by: E, about: A, outcome: FAILURE, at: NOW }, "eaf"), ...failures(A, 4, "af")], flags: ["TrustPath", "Newcomer"], expect: { [P.did]: 333_333 } }),
    s.valid("reputation/score/trust/back-to-evaluator-001", { requirements: ["REP-016"], comment: "A also praises E ten times: A's trust splits between B and E (N(A) = 20 units), so w(B) = 125,000; E stays at U", attestations: [...chainAB, ...chainBC, ...many(10, { by: A, about: E, at: NOW }, "ae"), ...failures(B, 4, "bf")], flags: ["TrustPath"], expect: { [P.did]: own(0n, 500_000n) } }),
    s.valid("reputation/score/trust/own-influence-001", { requirements: ["REP-016"], comment: "E has one success with P; P praises F ten times and F praises P ten times. Scoring P leaves out P's attestations, so F weighs 0 for P: P 500,000. For F, P weighs 50,000", attestations: [att({ by: E, about: P, at: NOW, task: "ep" }), ...many(10, { by: P, about: F, at: NOW }, "pf"), ...many(10, { by: F, about: P, at: NOW }, "fp")], flags: ["SelfAttestation"], expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/trust/own-influence-baseline-001", { requirements: ["REP-016"], comment: "the baseline of own-influence-001: E's one success with P alone, 500,000", attestations: [att({ by: E, about: P, at: NOW, task: "ep" })], flags: ["SelfAttestation"], expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/trust/rater-cap-in-trust-001", { requirements: ["REP-015", "REP-016"], comment: "A has twenty successes with B and five with R: l(A, B) is capped at C = 10 units, N(A) = 15 units, w(B) = ⌊500,000 · ½ · 10/15⌋ = 166,666 (uncapped, 200,000); B's four failures add 666,664", attestations: [...chainAB, ...many(20, { by: A, about: B, at: NOW }, "ab"), ...many(5, { by: A, about: R, at: NOW }, "ar"), ...failures(B, 4, "bf")], flags: ["TrustPath", "RaterCap"], expect: { [P.did]: own(0n, 666_664n) } }),
  ]);

  // Sybil clusters (§7.6, §7.8).
  const sybilBase = [
    ...many(3, { by: E, about: Q, at: NOW }, "eq"),
    att({ by: E, about: P, at: NOW, task: "ep" }),
    ...many(2, { by: Q, about: P, outcome: FAILURE, at: NOW }, "qp"),
    ...many(2, { by: Q, about: R, at: NOW }, "qr"),
  ];
  const cluster: Uint8Array[] = [];
  SYBILS.forEach((si, i) => {
    SYBILS.forEach((sj, j) => {
      if (i !== j) cluster.push(att({ by: si, about: sj, at: NOW, task: `sybil-${i}-${j}` }));
    });
    cluster.push(...many(3, { by: si, about: P, outcome: FAILURE, at: NOW }, `sybil-${i}-p`));
    cluster.push(att({ by: si, about: Q, outcome: FAILURE, at: NOW, task: `sybil-${i}-q` }));
    cluster.push(...many(10, { by: si, about: R, at: NOW }, `sybil-${i}-r`));
    cluster.push(att({ by: si, about: E, outcome: FAILURE, at: NOW, task: `sybil-${i}-e` }));
  });
  const attackEdge = att({ by: E, about: SYBILS[0]!, at: NOW, task: "e-s1" });
  const sybil = scoreGroup("Sybil clusters (§7.6, §7.8): six identities S1…S6 praise each other, report failures by P and Q and praise R. The base: E has three successes with Q and one with P; Q reports two failures by P and two successes of R.", DEFAULT_REPUTATION_PARAMS, (s) => {
    const baseScores = s.scores({ requirements: [], comment: "", attestations: sybilBase });
    const clusterScores = s.scores({ requirements: [], comment: "", attestations: [...sybilBase, ...cluster] });
    for (const p of [P.did, Q.did, R.did]) if (baseScores[p] !== clusterScores[p]) throw new Error(`a Sybil cluster without attack edge changed the score of ${p}`);
    for (const si of SYBILS) if (clusterScores[si.did] !== 333_333) throw new Error("a Sybil does not score the prior");
    const prior = Object.fromEntries(SYBILS.map((si) => [si.did, 333_333]));
    return [
      s.valid("reputation/score/sybil/base-001", { requirements: ["REP-016", "REP-017"], comment: "the base alone", attestations: sybilBase }),
      s.valid("reputation/score/sybil/no-attack-edge-001", { requirements: ["REP-016", "REP-017"], comment: `the base and the cluster's ${cluster.length} attestations: no peer outside the cluster has good experience with a member, so the scores of P, Q and R are those of base-001 and every member scores the prior`, attestations: [...sybilBase, ...cluster], flags: ["SybilCluster"], expect: { ...Object.fromEntries([P.did, Q.did, R.did].map((p) => [p, baseScores[p]!])), ...prior } }),
      s.valid("reputation/score/sybil/no-attack-edge-shuffled-001", { requirements: ["REP-016", "REP-020"], comment: "the same, cluster first and in reverse order", attestations: [...[...cluster].reverse(), ...sybilBase], flags: ["SybilCluster", "OrderIndependence"], expect: clusterScores }),
      s.valid("reputation/score/sybil/one-attack-edge-001", { requirements: ["REP-016", "REP-017"], comment: "the same and one success by E with S1: trust enters the cluster across that edge (S1 50,000, S2…S6 2,500 each) and the members' reports count that much, within the bound of §7.8", attestations: [...sybilBase, ...cluster, attackEdge], flags: ["AttackEdge"] }),
    ];
  });

  // Caps (REP-015) and the weight limit of one unit (REP-016).
  const caps = scoreGroup("The rater cap C = 10 units (REP-015). A weighs 500,000 (E has ten successes with it).", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/cap/below-001", { requirements: ["REP-015"], comment: "A reports nine failures: 9 units, below the cap; s = 4.5 units", attestations: [...chainAB, ...failures(A, 9, "af")], flags: ["RaterCap"], expect: { [P.did]: own(0n, 4_500_000n) } }),
    s.valid("reputation/score/cap/at-001", { requirements: ["REP-015"], comment: "A reports ten failures: exactly the cap; s = 5 units, P 125,000", attestations: [...chainAB, ...failures(A, 10, "af")], flags: ["RaterCap"], expect: { [P.did]: 125_000 } }),
    s.valid("reputation/score/cap/above-001", { requirements: ["REP-015"], comment: "A reports fifteen failures: capped to 10 units; P 125,000, as with ten", attestations: [...chainAB, ...failures(A, 15, "af")], flags: ["RaterCap"], expect: { [P.did]: 125_000 } }),
    s.valid("reputation/score/cap/mixed-001", { requirements: ["REP-015"], comment: "A reports twelve successes and eight failures (20 units): scaled to 6 and 4, weighted to 3 and 2; P 500,000", attestations: [...chainAB, ...many(12, { by: A, about: P, at: NOW }, "as"), ...failures(A, 8, "af")], flags: ["RaterCap"], expect: { [P.did]: own(3n * U, 2n * U) } }),
    s.valid("reputation/score/cap/mixed-rounding-001", { requirements: ["REP-015"], comment: "A reports seven successes and four failures, one of them H/3 old (10.833… units): R′ = ⌊7 · 10 / 10.833…⌋, S′ likewise, both floored", attestations: [...chainAB, ...many(7, { by: A, about: P, at: NOW }, "as"), ...failures(A, 3, "af"), att({ by: A, about: P, outcome: FAILURE, at: NOW - H / 3n, task: "af-old" })], flags: ["RaterCap", "DecayEdge"] }),
  ]);
  const weightCap = scoreGroup("The weight limit of one unit (REP-016): trusted raters T and T2, damping γ = 1 (1,000,000 ppm).", withParams({ trustedRaters: [T.did, T2.did], dampingPpm: 1_000_000n }), (s) => [
    s.valid("reputation/score/cap/weight-one-unit-001", { requirements: ["REP-016"], comment: "E, T and T2 each have ten successes with A: A receives 3 units of trust and weighs min(U, 3U) = U; its five failures add 5 units: P 125,000", attestations: [...chainAB, ...many(10, { by: T, about: A, at: NOW }, "ta"), ...many(10, { by: T2, about: A, at: NOW }, "t2a"), ...failures(A, 5, "af")], flags: ["RaterCap", "TrustPath"], expect: { [P.did]: 125_000 } }),
    s.valid("reputation/score/cap/trusted-rater-capped-001", { requirements: ["REP-015", "REP-016"], comment: "T, a trusted rater, reports fifteen failures: it weighs U but is not the evaluator, so it is capped at 10 units: P 76,923", attestations: failures(T, 15, "tf"), flags: ["RaterCap"], expect: { [P.did]: 76_923 } }),
  ]);

  // Scope (REP-015).
  const text: Scope = { namespace: "ai.text", id: "summarize", version: "1.0.0" };
  const image: Scope = { namespace: "ai.image", id: "generate", version: "1.2.0" };
  const scoped = [att({ by: E, about: P, at: NOW, task: "img" }), att({ by: E, about: P, outcome: FAILURE, at: NOW, task: "txt", capability: CAP_TEXT })];
  const crossScope = [...many(10, { by: E, about: A, at: NOW, capability: CAP_TEXT }, "ea-text"), ...failures(A, 4, "af")];
  const scope = scoreGroup("A capability scope (§7.5.1, REP-015): only attestations about the capability count as evidence about the provider; trust in raters comes from all of them.", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.valid("reputation/score/scope/none-001", { requirements: ["REP-017"], comment: "no scope: a success (image) and a failure (text) by E, 400,000", attestations: scoped, expect: { [P.did]: 400_000 } }),
    s.valid("reputation/score/scope/image-001", { requirements: ["REP-015"], comment: "scope ai.image/generate 1.2.0: the success only, 500,000", attestations: scoped, scope: image, expect: { [P.did]: 500_000 } }),
    s.valid("reputation/score/scope/text-001", { requirements: ["REP-015"], comment: "scope ai.text/summarize 1.0.0: the failure only, 250,000", attestations: scoped, scope: text, expect: { [P.did]: 250_000 } }),
    s.valid("reputation/score/scope/other-version-001", { requirements: ["REP-015"], comment: "scope ai.image/generate 1.2.1: no attestation is in scope, so no provider is listed", attestations: scoped, scope: { ...image, version: "1.2.1" } }),
    s.valid("reputation/score/scope/trust-from-all-001", { requirements: ["REP-015", "REP-016"], comment: "E's experience with A is with ai.text; A's four failures of P are ai.image. Scoped to ai.image, A still weighs 500,000: P 200,000; A, named only out of scope, is not listed", attestations: crossScope, scope: image, expect: { [P.did]: own(0n, 2n * U) } }),
  ]);

  // Parameters other than the defaults (REP-018 bounds).
  const chainFailures = [...chainAB, ...chainBC, ...chainCD, ...failures(C, 4, "cf")];
  const params = [
    scoreGroup("Depth D = 0: only E and the trusted raters count.", withParams({ depth: 0 }), (s) => [
      s.valid("reputation/score/params/depth-0-001", { requirements: ["REP-016", "REP-018"], comment: "A's four failures do not count: P the prior; A has ten successes by E, 846,153", attestations: [...chainAB, ...failures(A, 4, "af")], flags: ["TrustPath"], expect: { [P.did]: 333_333, [A.did]: own(10n * U, 0n) } }),
    ]),
    scoreGroup("Depth D = 3.", withParams({ depth: 3 }), (s) => [
      s.valid("reputation/score/params/depth-3-001", { requirements: ["REP-016", "REP-018"], comment: "C, three hops away, now counts: w(C) = 125,000, s = 0.5 units, P 285,714", attestations: chainFailures, flags: ["TrustPath"], expect: { [P.did]: own(0n, 500_000n) } }),
    ]),
    scoreGroup("Depth D = 4 (the most).", withParams({ depth: 4 }), (s) => [
      s.valid("reputation/score/params/depth-4-001", { requirements: ["REP-016", "REP-018"], comment: "the chain of depth-3-001: nothing further to reach, the same score", attestations: chainFailures, flags: ["TrustPath"], expect: { [P.did]: own(0n, 500_000n) } }),
    ]),
    scoreGroup("Damping γ = 0: trust does not flow.", withParams({ dampingPpm: 0n }), (s) => [
      s.valid("reputation/score/params/damping-0-001", { requirements: ["REP-016", "REP-018"], comment: "A's four failures do not count: P the prior", attestations: [...chainAB, ...failures(A, 4, "af")], flags: ["TrustPath"], expect: { [P.did]: 333_333 } }),
    ]),
    scoreGroup("A trusted rater T (REP-016: t₀(T) = U).", withParams({ trustedRaters: [T.did] }), (s) => [
      s.valid("reputation/score/params/trusted-rater-001", { requirements: ["REP-016", "REP-019"], comment: "T reports one failure by P: it counts in full, 250,000", attestations: [att({ by: T, about: P, outcome: FAILURE, at: NOW, task: "tf" })], expect: { [P.did]: 250_000 } }),
      s.valid("reputation/score/params/trusted-rater-passes-trust-001", { requirements: ["REP-016"], comment: "T has ten successes with A, A reports four failures by P: w(A) = 500,000 through T", attestations: [...many(10, { by: T, about: A, at: NOW }, "ta"), ...failures(A, 4, "af")], flags: ["TrustPath"], expect: { [P.did]: own(0n, 2n * U) } }),
      s.valid("reputation/score/params/trusted-rater-as-provider-001", { requirements: ["REP-016"], comment: "T is also scored: E's failure report about T counts, and T's own attestations are left out of its score", attestations: [att({ by: E, about: T, outcome: FAILURE, at: NOW, task: "et" }), ...many(10, { by: T, about: A, at: NOW }, "ta"), ...many(10, { by: A, about: T, at: NOW }, "at")], flags: ["SelfAttestation"], expect: { [T.did]: 250_000 } }),
    ]),
    scoreGroup("A neutral prior: a = b = 1 unit.", withParams({ priorPositive: 1_000_000n, priorNegative: 1_000_000n }), (s) => [
      s.valid("reputation/score/params/neutral-prior-001", { requirements: ["REP-017", "REP-018"], comment: "one success by E: 666,666; the prior is 500,000", attestations: [one({}, "np")], flags: ["Newcomer"], expect: { [P.did]: 666_666 } }),
    ]),
    scoreGroup("The least prior: a = b = 1 micro-unit.", withParams({ priorPositive: 1n, priorNegative: 1n }), (s) => [
      s.valid("reputation/score/params/least-prior-failure-001", { requirements: ["REP-017", "REP-018"], comment: "one failure by E: ⌊10^6 / (10^6 + 2)⌋ = 0, the lowest score", attestations: [one({ outcome: FAILURE }, "lp1")], expect: { [P.did]: 0 } }),
      s.valid("reputation/score/params/least-prior-success-001", { requirements: ["REP-017", "REP-018"], comment: "one success by E: ⌊(10^6 + 1) · 10^6 / (10^6 + 2)⌋ = 999,999, the highest score", attestations: [one({}, "lp2")], expect: { [P.did]: 999_999 } }),
    ]),
    scoreGroup("The greatest prior: a = b = 1,000 units.", withParams({ priorPositive: 1_000_000_000n, priorNegative: 1_000_000_000n }), (s) => [
      s.valid("reputation/score/params/greatest-prior-001", { requirements: ["REP-017", "REP-018"], comment: "fifteen successes by E barely move the score: ⌊1,015 · 10^6 / 2,015⌋ = 503,722", attestations: many(15, base, "gp"), expect: { [P.did]: 503_722 } }),
    ]),
    scoreGroup("The least half-life, H = 1 hour.", withParams({ halfLifeMs: 3_600_000n }), (s) => [
      s.valid("reputation/score/params/hour-half-life-001", { requirements: ["REP-014", "REP-018"], comment: "a success 1.5 hours old weighs 375,000: 407,407; one 20 hours old weighs 0", attestations: [one({ at: NOW - 5_400_000n }, "hh1"), one({ about: Q, at: NOW - 20n * 3_600_000n }, "hh2")], flags: ["DecayEdge"], expect: { [P.did]: own(375_000n, 0n), [Q.did]: 333_333 } }),
    ]),
    scoreGroup("The greatest half-life, H = 365 days.", withParams({ halfLifeMs: 31_536_000_000n }), (s) => [
      s.valid("reputation/score/params/year-half-life-001", { requirements: ["REP-014", "REP-018"], comment: "the §7.9 attestations: #2 (14 days) weighs 980,821 and #3 (7 days) 990,410", attestations: ex, flags: ["DecayEdge", "SpecExample"] }),
    ]),
    scoreGroup("The least trust floor and rater cap: L = C = 1 unit.", withParams({ trustFloor: 1_000_000n, raterCap: 1_000_000n }), (s) => [
      s.valid("reputation/score/params/least-floor-and-cap-001", { requirements: ["REP-015", "REP-016", "REP-018"], comment: "one success by E with A gives w(A) = ½ · 1/1 = 500,000; A's four failures are capped at 1 unit: s = 0.5 units, P 285,714", attestations: [att({ by: E, about: A, at: NOW, task: "ea-1" }), ...failures(A, 4, "af")], flags: ["RaterCap", "TrustPath"], expect: { [P.did]: own(0n, 500_000n) } }),
    ]),
  ];

  // REP-012: every attestation must pass §7.4 at now; a set with one that does not is refused.
  const altered = assemble({ ...honestParts(Q, ATTESTATION_CT, enc(body({ by: Q, about: P, outcome: FAILURE, at: NOW, task: 4, latency: 1500 }))), payload: enc(body({ by: Q, about: P, outcome: SUCCESS, at: NOW, task: 4, latency: 1500 })) });
  const unverified = scoreGroup("Sets holding one attestation that fails §7.4 at now: an evaluator computes only from verified attestations (REP-012), so the set is refused with that attestation's code.", DEFAULT_REPUTATION_PARAMS, (s) => [
    s.invalid("reputation/score/unverified/altered-001", "SIG_INVALID", { requirements: ["REP-012", "SIG-011"], comment: "the §7.9 set with #4 changed from FAILURE to SUCCESS after signing", attestations: [ex[0]!, ex[1]!, ex[2]!, altered, ex[4]!], flags: ["WrongSignature"] }),
    s.invalid("reputation/score/unverified/self-attestation-001", "REP_SELF_ATTESTATION", { requirements: ["REP-012", "REP-006"], comment: "the §7.9 set and P's praise of itself", attestations: [...ex, att({ by: P, about: P, at: NOW, task: "pp" })], flags: ["SelfAttestation"] }),
    s.invalid("reputation/score/unverified/not-yet-valid-001", "REP_ATTESTATION_NOT_YET_VALID", { requirements: ["REP-012", "REP-009"], comment: "the §7.9 set and a success issued now + skew + 1 ms", attestations: [...ex, att({ by: E, about: P, at: NOW + DEFAULT_SKEW + 1n, task: "future" })], flags: ["ClockSkewEdge"] }),
    s.invalid("reputation/score/unverified/tier-mismatch-001", "REP_OUTCOME_TIER_MISMATCH", { requirements: ["REP-012", "REP-008"], comment: "the §7.9 set and a CANARY_FAILED at tier REPUTATION", attestations: [...ex, att({ by: E, about: P, outcome: CANARY_FAILED, at: NOW, task: "cf" })], flags: ["OutcomeTier"] }),
    s.invalid("reputation/score/unverified/attester-not-kid-001", "COSE_KID_MISMATCH", { requirements: ["REP-012", "REP-005"], comment: "the §7.9 set and a failure of P that names E as attester but is signed by X", attestations: [...ex, signCose(X, ATTESTATION_CT, enc(body({ by: E, about: P, outcome: FAILURE, at: NOW, task: "kid" })))], flags: ["KidConfusion"] }),
    s.invalid("reputation/score/unverified/descriptor-001", "COSE_CONTENT_TYPE_MISMATCH", { requirements: ["REP-012", "REP-001"], comment: "the §7.9 set and E's capability descriptor", attestations: [...ex, signCose(E, DESCRIPTOR_CT, enc(descriptorBody(E, { issued_at: NOW, expires_at: NOW + MINUTE })))], flags: ["CrossKindReplay"] }),
  ]);

  return [example, basics, decay, duplicates, trust, sybil, caps, weightCap, scope, ...params, unverified];
}

function build() {
  if (ATTESTATION_CONTENT_TYPE !== ATTESTATION_CT) throw new Error("the reference's attestation content type differs from spec §7.3");
  return {
    name: "reputation",
    description:
      "Tier 1 reputation (spec/07-reputation.md): outcome attestations verified (attestation.verify; shared now, clock_skew_ms) and signed (attestation.sign); the decay weight (reputation.decay); and an evaluator's scores in ppm (reputation.score; shared params, clock_skew_ms; inputs evaluator, now, attestations, optional scope), including the worked example of §7.9. E, P and Q are the RFC 8032 §7.1 TEST 1, 2 and 3 keys and X TEST 1024, as in §7.9; now = 2026-01-15T00:00:00Z = 1768435200000 ms unless stated.",
    groups: [...verifyGroups(), signGroup(), decayGroup(), ...scoreGroups()],
  };
}

export const reputationFile: VectorFileModule = { name: "reputation", build };
