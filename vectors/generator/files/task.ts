// task.json: task requests and results (spec/09-tasks-and-evidence.md §9.2–9.4,
// §9.10 steps 1–6): the provider's checks of a request (structure,
// signature, addressee, duration, time window, capability and tier, detached
// input, replay), the delegator's checks of a result (structure, signature,
// binding to the request, lateness, time, detached output), and the signing
// side of both. Evidence packages are in evidence.json.
import { CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { TestAttestationClaimsSchema, ToolReceiptSchema } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskRequestSchema, TaskResultSchema } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { exampleTask } from "../../../reference/src/evidence/example.js";
import { contentTypeOf } from "../../../reference/src/signed/signed-message.js";
import { hex, sha256Of, utf8 } from "../bytes.js";
import { enc } from "../cbor-writer.js";
import { DAY, DEFAULT_SKEW, HOUR, MINUTE, T0 } from "../constants.js";
import { CAROL, DAVE, signCose } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";
import {
  alteredAfterSigning,
  ARRIVED,
  buildReceipts,
  CAPABILITY,
  COMPLETED,
  DEADLINE,
  DELEGATOR,
  delegatorPolicy,
  example,
  forged,
  INPUT,
  ISSUED,
  NONCE,
  OTHER_NONCE,
  OUTPUT,
  plainRequestBody,
  plainTask,
  producedOutput,
  PROVIDER,
  PRODUCTS,
  requestBody,
  resultInputs,
  signedRequest,
  STANDARD_STEPS,
  STATUS,
  TASK_REQUEST_CT,
  TASK_RESULT_CT,
  TEST_ATTESTATION_CT,
  TEST_FORMAT,
  TIER,
  TOOL_RECEIPT_CT,
  TOOLS,
  type BuiltTask,
  type Signed,
} from "./task-scenario.js";

const dec = (n: bigint) => n.toString();

/** The capabilities the provider offers in its current descriptor (TIER-002). */
const OFFERED: readonly Body[] = [
  { ...CAPABILITY, supported_tiers: [TIER.REPUTATION, TIER.CANARY, TIER.EVIDENCE] },
  { namespace: "ai.text", id: "summarize", version: "1.0.0", supported_tiers: [TIER.REPUTATION] },
  { namespace: "ai.image", id: "edit", version: "1.0.0" },
];
const SUMMARIZE: Body = { namespace: "ai.text", id: "summarize", version: "1.0.0" };
const EDIT: Body = { namespace: "ai.image", id: "edit", version: "1.0.0" };

/** The provider's clock when a request arrives: half a second after it was issued. */
const NOW_P = T0 + 500n;

/** The shared inputs of task-request.verify: the provider's clock (omitted when each test gives its own), policy, identifier and offer. */
function provider(now: bigint | undefined, maxDuration: bigint = HOUR, skew: bigint = DEFAULT_SKEW): JsonObject {
  return {
    ...(now === undefined ? {} : { now: dec(now) }),
    max_task_duration_ms: dec(maxDuration),
    clock_skew_ms: dec(skew),
    provider: PROVIDER.did,
    offered: OFFERED.map((c) => bodyToJson(CapabilitySchema, c)),
  };
}

type ReqExtra = { input?: Uint8Array; now?: bigint; accepted?: readonly { request: Uint8Array; now: bigint }[] };
function reqInputs(bytes: Uint8Array, extra: ReqExtra): JsonObject {
  const out: JsonObject = {};
  if (extra.accepted !== undefined) out["accepted"] = extra.accepted.map((a) => ({ request: hex(a.request), now: dec(a.now) }));
  out["request"] = hex(bytes);
  if (extra.input !== undefined) out["input"] = hex(extra.input);
  if (extra.now !== undefined) out["now"] = dec(extra.now);
  return out;
}

const bytesOf = (r: Signed | Uint8Array) => (r instanceof Uint8Array ? r : r.cose);

/** A request the provider must accept; the output is its message hash. */
function accepts(id: string, requirements: string[], comment: string, r: Signed, flags: FlagName[] = [], extra: ReqExtra = {}): TestVector {
  return valid(id, { requirements, comment, flags, inputs: reqInputs(r.cose, extra), output: { request_hash: hex(r.hash) } });
}
/** A request the provider must reject with `error`. */
function rejects(id: string, error: string, requirements: string[], comment: string, r: Signed | Uint8Array, flags: FlagName[] = [], extra: ReqExtra = {}): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: reqInputs(bytesOf(r), extra) });
}

function build() {
  for (const [desc, ct] of [
    [TaskRequestSchema, TASK_REQUEST_CT],
    [TaskResultSchema, TASK_RESULT_CT],
    [ToolReceiptSchema, TOOL_RECEIPT_CT],
    [TestAttestationClaimsSchema, TEST_ATTESTATION_CT],
  ] as const) {
    if (contentTypeOf(desc) !== ct) throw new Error(`${desc.typeName}: content type ${contentTypeOf(desc)}, the generator writes ${ct}`);
  }

  // The worked example of spec §9.12, rebuilt with the generator's writer and
  // checked byte for byte against the reference's example and the hashes the
  // spec prints.
  const ex = example();
  const ref = exampleTask();
  if (hex(ex.request.cose) !== hex(ref.request.bytes)) throw new Error("the §9.12 request differs from the reference example");
  if (ex.receipts.map((r) => hex(r.cose)).join() !== ref.receipts.map((r) => hex(r.bytes)).join()) throw new Error("the §9.12 receipts differ from the reference example");
  if (hex(ex.result.cose) !== hex(ref.result.bytes)) throw new Error("the §9.12 result differs from the reference example");
  if (hex(ex.request.hash) !== "d6bbfdc2f12155406ef7d1ceb6d21857fd9af0bfe42c9564f69771bed9f9af9c") throw new Error("the §9.12 request hash differs from the spec");
  if (hex(sha256Of(ex.receipts[0]!.payload)) !== "69a10434639eedb09aea217c31d2435a80c3f61d9d9f61451e85bfcf172b5f35") throw new Error("the §9.12 first receipt hash differs from the spec");

  const R = signedRequest();
  const detached = signedRequest(requestBody({ input: undefined }));
  const at = (issued: bigint, duration: bigint = MINUTE, more: Body = {}) => signedRequest(requestBody({ issued_at: issued, deadline: issued + duration, ...more }));

  // ---------------------------------------------------------------- requests
  const requestValid = group(
    "task-request.verify",
    "Requests a provider accepts, 500 ms after issue, under the default policy (maximum duration 1 h, skew 5 s). The output is the request's message hash (ENC-020), which the result and the evidence must name.",
    provider(NOW_P),
    [
      accepts("task/request/valid/example-001", ["TASK-001", "TASK-002", "TASK-005", "TASK-008", "TIER-002"], "the request of spec §9.12: Tier 3 with a test attestation, inline input", ex.request, ["SpecExample"]),
      accepts("task/request/valid/detached-input-001", ["TASK-005"], "the input detached (no input field) and supplied beside the request; its SHA-256 is input_hash", detached, ["DetachedPayload"], { input: INPUT }),
      accepts("task/request/valid/reputation-001", ["TIER-002"], "Tier 1, no attestation formats, a capability that lists only Tier 1", signedRequest(plainRequestBody(TIER.REPUTATION, { capability: SUMMARIZE }))),
      accepts("task/request/valid/reputation-unlisted-001", ["TIER-002"], "Tier 1 for a capability whose supported_tiers is empty: Tier 1 asks nothing of the provider and is always accepted", signedRequest(plainRequestBody(TIER.REPUTATION, { capability: EDIT })), ["CapabilityOffer"]),
      accepts("task/request/valid/canary-001", ["TIER-002"], "Tier 2, listed by the capability", signedRequest(plainRequestBody(TIER.CANARY))),
      accepts("task/request/valid/evidence-without-attestation-001", ["TASK-006", "TIER-002"], "Tier 3 without attestation formats", signedRequest(plainRequestBody(TIER.EVIDENCE))),
      accepts("task/request/valid/nonce-16-001", ["TASK-003"], "a 16-byte nonce, the shortest allowed", signedRequest(requestBody({ nonce: NONCE.slice(0, 16) }))),
      accepts("task/request/valid/nonce-64-001", ["TASK-003"], "a 64-byte nonce, the longest allowed", signedRequest(requestBody({ nonce: Uint8Array.from({ length: 64 }, (_, i) => i) }))),
      accepts("task/request/valid/other-delegator-001", ["TASK-001", "TASK-002"], "a request from another delegator (a derived key)", signedRequest(requestBody({ delegator: DAVE.did }), DAVE)),
      accepts("task/request/valid/empty-inline-input-001", ["TASK-005", "ENC-013"], "an inline input of zero bytes: input has explicit presence, so it is present (inline, not detached) and its hash is the SHA-256 of the empty string", signedRequest(requestBody({ input: new Uint8Array(0), input_hash: sha256Of(new Uint8Array(0)) })), ["ExplicitPresence"]),
      accepts("task/request/valid/two-formats-001", ["TASK-006"], "two attestation formats, most preferred first", signedRequest(requestBody({ attestation_formats: ["tpm2-quote", TEST_FORMAT] }))),
    ],
  );

  const other = (body: Body) => signedRequest(body);
  const requestStructure = group(
    "task-request.verify",
    "The request rules that need no key or clock (§9.3 step 4), each on an otherwise valid, correctly signed request; and the signature and content type (steps 1–2, 5).",
    provider(NOW_P),
    [
      rejects("task/request/structure/delegator-not-kid-001", "COSE_KID_MISMATCH", ["TASK-002"], "delegator names a derived key; the TEST 1 key signed and is the kid", other(requestBody({ delegator: DAVE.did })), ["KidConfusion"]),
      rejects("task/request/structure/deadline-equals-issued-001", "TASK_DEADLINE_INVALID", ["TASK-004"], "deadline = issued_at", other(requestBody({ deadline: ISSUED }))),
      rejects("task/request/structure/deadline-before-issued-001", "TASK_DEADLINE_INVALID", ["TASK-004"], "deadline one millisecond before issued_at", other(requestBody({ deadline: ISSUED - 1n }))),
      rejects("task/request/structure/attestation-at-canary-001", "TASK_ATTESTATION_REQUIRES_EVIDENCE", ["TASK-006"], "attestation formats listed at Tier 2", other(requestBody({ required_tier: TIER.CANARY }))),
      rejects("task/request/structure/attestation-at-reputation-001", "TASK_ATTESTATION_REQUIRES_EVIDENCE", ["TASK-006"], "attestation formats listed at Tier 1", other(requestBody({ required_tier: TIER.REPUTATION }))),
      rejects("task/request/structure/inline-input-mismatch-001", "TASK_INPUT_HASH_MISMATCH", ["TASK-005"], "the inline input has one more character than the input whose hash is signed", other(requestBody({ input: utf8("a red bicycle leaning on a wall.") }))),
      rejects("task/request/structure/nonce-15-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["TASK-003", "ENC-018"], "a 15-byte nonce: shorter than the 16 bytes TASK-003 asks for", other(requestBody({ nonce: NONCE.slice(0, 15) })), ["SchemaRule"]),
      rejects("task/request/structure/nonce-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["TASK-003", "ENC-018"], "no nonce", other(requestBody({ nonce: undefined })), ["SchemaRule"]),
      rejects("task/request/structure/tier-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["ENC-018"], "no required_tier (VERIFICATION_TIER_UNSPECIFIED), and no attestation formats", other(plainRequestBody(0, { required_tier: undefined })), ["SchemaRule"]),
      rejects("task/request/structure/duplicate-format-001", "SCHEMA_DUPLICATE_ITEM", ["ENC-018"], "the same attestation format twice", other(requestBody({ attestation_formats: [TEST_FORMAT, TEST_FORMAT] })), ["SchemaRule"]),
      rejects("task/request/signature/wrong-key-001", "SIG_INVALID", ["TASK-001", "SIG-011"], "delegator and kid name the TEST 1 key; the TEST 3 key signed", forged(DELEGATOR, CAROL, TASK_REQUEST_CT, R.payload), ["WrongSignature", "KidConfusion"]),
      rejects("task/request/signature/altered-001", "SIG_INVALID", ["TASK-001", "SIG-011"], "signed, then the deadline raised by a minute in transit (still within the maximum duration)", alteredAfterSigning(DELEGATOR, TASK_REQUEST_CT, R.payload, enc(requestBody({ deadline: DEADLINE + MINUTE }))), ["WrongSignature"]),
      rejects("task/request/cross-kind/result-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-001", "SIG-006"], "the request's payload signed by the delegator under the task-result content type", signCose(DELEGATOR, TASK_RESULT_CT, R.payload), ["CrossKindReplay"]),
      rejects("task/request/cross-kind/receipt-as-request-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-001", "SIG-006"], "a tool receipt signed by the provider, presented as a request", buildReceipts(R.hash, STANDARD_STEPS)[0]!.cose, ["CrossKindReplay"]),
      rejects("task/request/order/structure-before-signature-001", "TASK_DEADLINE_INVALID", ["SEC-003", "TASK-004", "SIG-013", "TASK-019"], "deadline = issued_at and a signature by the wrong key: the structural defect is reported, the signature never checked", forged(DELEGATOR, CAROL, TASK_REQUEST_CT, enc(requestBody({ deadline: ISSUED }))), ["DefectOrder"]),
      rejects("task/request/order/kid-before-signature-001", "COSE_KID_MISMATCH", ["SEC-003", "TASK-002", "SIG-013", "TASK-019"], "delegator ≠ kid and a signature by another key: the mismatch is reported", forged(DELEGATOR, CAROL, TASK_REQUEST_CT, enc(requestBody({ delegator: DAVE.did }))), ["DefectOrder", "KidConfusion"]),
    ],
  );

  const requestProvider = group(
    "task-request.verify",
    "The provider's checks (§9.3 step 6): addressee, duration, capability and tier, detached input. The provider's clock is 500 ms after issue.",
    provider(NOW_P),
    [
      rejects("task/request/provider/wrong-provider-001", "TASK_WRONG_PROVIDER", ["TASK-008"], "addressed to the TEST 3 key, received by the TEST 2 key", other(requestBody({ provider: CAROL.did })), ["KidConfusion"]),
      rejects("task/request/provider/delegator-as-provider-001", "TASK_WRONG_PROVIDER", ["TASK-008"], "addressed to the delegator itself", other(requestBody({ provider: DELEGATOR.did }))),
      accepts("task/request/duration/at-max-001", ["TASK-007"], "deadline − issued_at = the maximum duration (1 h)", at(ISSUED, HOUR), ["DurationLimit"]),
      rejects("task/request/duration/max-plus-1-001", "TASK_DEADLINE_TOO_FAR", ["TASK-007"], "deadline − issued_at = the maximum duration + 1 ms", at(ISSUED, HOUR + 1n), ["DurationLimit"]),
      rejects("task/request/duration/day-001", "TASK_DEADLINE_TOO_FAR", ["TASK-007"], "a one-day task under a one-hour maximum", at(ISSUED, DAY), ["DurationLimit"]),
      rejects("task/request/capability/other-version-001", "CAPABILITY_NOT_OFFERED", ["TIER-002"], "ai.image/generate at version 2.0.0; the provider offers 1.2.0", other(requestBody({ capability: { ...CAPABILITY, version: "2.0.0" } })), ["CapabilityOffer"]),
      rejects("task/request/capability/other-namespace-001", "CAPABILITY_NOT_OFFERED", ["TIER-002"], "ai.audio/generate@1.2.0: the same id and version in another namespace", other(requestBody({ capability: { ...CAPABILITY, namespace: "ai.audio" } })), ["CapabilityOffer"]),
      rejects("task/request/tier/canary-not-listed-001", "TIER_NOT_SUPPORTED", ["TIER-002"], "Tier 2 for a capability that lists only Tier 1", other(plainRequestBody(TIER.CANARY, { capability: SUMMARIZE })), ["CapabilityOffer"]),
      rejects("task/request/tier/evidence-not-listed-001", "TIER_NOT_SUPPORTED", ["TIER-002"], "Tier 3 for a capability that lists no tier", other(plainRequestBody(TIER.EVIDENCE, { capability: EDIT })), ["CapabilityOffer"]),
      rejects("task/request/detached/mismatch-001", "TASK_INPUT_HASH_MISMATCH", ["TASK-005"], "detached input bytes that are not the input whose hash is signed", detached, ["DetachedPayload"], { input: utf8("a blue bicycle leaning on a wall") }),
      rejects("task/request/detached/empty-001", "TASK_INPUT_HASH_MISMATCH", ["TASK-005"], "zero detached bytes for a non-empty input", detached, ["DetachedPayload"], { input: new Uint8Array(0) }),
    ],
  );

  const requestDayPolicy = group("task-request.verify", "A provider whose maximum task duration is one day, the largest TASK-007 allows.", provider(NOW_P, DAY), [
    accepts("task/request/duration/day-policy-at-max-001", ["TASK-007"], "a one-day task", at(ISSUED, DAY), ["DurationLimit"]),
    rejects("task/request/duration/day-policy-plus-1-001", "TASK_DEADLINE_TOO_FAR", ["TASK-007"], "one day and one millisecond", at(ISSUED, DAY + 1n), ["DurationLimit"]),
  ]);

  // The window [issued_at − skew, deadline + skew) on the provider's clock.
  const skew = DEFAULT_SKEW;
  const requestTime = group("task-request.verify", "The request's time window (TASK-009, TASK-010) at the provider's clock T0 + 500 ms, skew 5 s: each edge exactly, and one millisecond beyond.", provider(NOW_P), [
    accepts("task/request/not-yet-valid/at-edge-001", ["TASK-009"], "issued_at = now + skew: valid", at(NOW_P + skew), ["ClockSkewEdge"]),
    rejects("task/request/not-yet-valid/at-edge-plus-1-001", "TASK_NOT_YET_VALID", ["TASK-009"], "issued_at = now + skew + 1", at(NOW_P + skew + 1n), ["ClockSkewEdge"]),
    rejects("task/request/not-yet-valid/far-future-001", "TASK_NOT_YET_VALID", ["TASK-009"], "issued a day in the future", at(NOW_P + DAY)),
    accepts("task/request/expired/at-edge-minus-1-001", ["TASK-010"], "now = deadline + skew − 1: the last millisecond a provider may start", at(NOW_P - skew + 1n - MINUTE), ["ClockSkewEdge"]),
    rejects("task/request/expired/at-edge-001", "TASK_EXPIRED", ["TASK-010"], "now = deadline + skew", at(NOW_P - skew - MINUTE), ["ClockSkewEdge"]),
    rejects("task/request/expired/long-ago-001", "TASK_EXPIRED", ["TASK-010"], "a request whose deadline passed a day ago", at(NOW_P - DAY - MINUTE)),
  ]);

  // TASK-011: the provider's memory of (delegator, nonce). Each test gives its own now.
  const R2 = signedRequest(requestBody({ nonce: OTHER_NONCE }));
  const sameNonceOtherInput = signedRequest(requestBody({ input: utf8("a blue bicycle leaning on a wall"), input_hash: sha256Of(utf8("a blue bicycle leaning on a wall")) }));
  const first = [{ request: R.cose, now: NOW_P }];
  const replay = group(
    "task-request.verify",
    "Replay (TASK-011): the provider starts with an empty memory, accepts each request of `accepted` at its `now`, then receives `request` at the test's `now`.",
    provider(undefined),
    [
      rejects("task/request/replay/same-request-001", "TASK_REPLAYED", ["TASK-011"], "the same signed request delivered again a second later", R, ["Replay"], { accepted: first, now: NOW_P + 1_000n }),
      rejects("task/request/replay/same-nonce-other-input-001", "TASK_REPLAYED", ["TASK-003", "TASK-011"], "another request by the same delegator with the same nonce", sameNonceOtherInput, ["Replay"], { accepted: first, now: NOW_P + 1_000n }),
      rejects("task/request/replay/remembered-until-expiry-001", "TASK_REPLAYED", ["TASK-011"], "delivered again at deadline + skew − 1: still remembered", R, ["Replay", "ClockSkewEdge"], { accepted: first, now: DEADLINE + skew - 1n }),
      rejects("task/request/replay/after-expiry-001", "TASK_EXPIRED", ["TASK-010", "TASK-011"], "delivered again at deadline + skew: the memory may be gone, and the request is expired", R, ["Replay", "ClockSkewEdge"], { accepted: first, now: DEADLINE + skew }),
      accepts("task/request/replay/other-nonce-001", ["TASK-011"], "the same work with a fresh nonce is a new request", R2, [], { accepted: first, now: NOW_P + 1_000n }),
      accepts("task/request/replay/other-delegator-001", ["TASK-011"], "another delegator that happens to use the same nonce: the pair differs", signedRequest(requestBody({ delegator: DAVE.did }), DAVE), [], { accepted: first, now: NOW_P + 1_000n }),
      accepts("task/request/replay/first-delivery-001", ["TASK-011"], "the request itself, with nothing accepted before", R, [], { accepted: [], now: NOW_P }),
    ],
  );

  // ---------------------------------------------------------------- request signing
  const signsRequest = (id: string, requirements: string[], comment: string, body: Body, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { json: bodyToJson(TaskRequestSchema, body) }, output: producedOutput(TaskRequestSchema, body, DELEGATOR) });
  const refuses = (desc: typeof TaskRequestSchema | typeof TaskResultSchema) => (id: string, error: string, requirements: string[], comment: string, body: Body): TestVector =>
    invalid(id, error, { requirements, comment, flags: ["ProducerRefuses"], inputs: { json: bodyToJson(desc, body) } });
  const exampleSigned = signsRequest("task/sign/request-example-001", ["TASK-001", "TASK-003", "SIG-012", "ENC-020"], "the request of spec §9.12, byte for byte; sha256 is the request hash the spec prints", requestBody(), ["SpecExample"]);
  if ((exampleSigned.output as { cose: string }).cose !== hex(ref.request.bytes)) throw new Error("task/sign/request-example-001 differs from the reference example");
  const requestSign = group(
    "task-request.sign",
    "Signing a request given in JSON form with shared.secret_key (the delegator, RFC 8032 TEST 1): the exact payload, COSE_Sign1 and message hash (TASK-001). A signer refuses a request a provider would reject for its structure, with the provider's code.",
    { secret_key: hex(DELEGATOR.seed) },
    [
      exampleSigned,
      signsRequest("task/sign/request-detached-001", ["TASK-001", "TASK-005"], "the same request with its input detached: only input_hash is signed", requestBody({ input: undefined })),
      signsRequest("task/sign/request-reputation-001", ["TASK-001"], "a Tier 1 request without attestation formats", plainRequestBody(TIER.REPUTATION)),
      refuses(TaskRequestSchema)("task/sign/request-delegator-not-signer-001", "COSE_KID_MISMATCH", ["TASK-001", "TASK-002"], "delegator names the TEST 3 key, the signing key is TEST 1's", requestBody({ delegator: CAROL.did })),
      refuses(TaskRequestSchema)("task/sign/request-deadline-invalid-001", "TASK_DEADLINE_INVALID", ["TASK-004"], "deadline = issued_at", requestBody({ deadline: ISSUED })),
      refuses(TaskRequestSchema)("task/sign/request-attestation-below-evidence-001", "TASK_ATTESTATION_REQUIRES_EVIDENCE", ["TASK-006"], "attestation formats at Tier 2", requestBody({ required_tier: TIER.CANARY })),
      refuses(TaskRequestSchema)("task/sign/request-input-mismatch-001", "TASK_INPUT_HASH_MISMATCH", ["TASK-005"], "an inline input whose SHA-256 is not input_hash", requestBody({ input_hash: sha256Of(utf8("something else")) })),
      refuses(TaskRequestSchema)("task/sign/request-nonce-short-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["TASK-003", "ENC-018"], "an 8-byte nonce", requestBody({ nonce: NONCE.slice(0, 8) })),
    ],
  );

  // ---------------------------------------------------------------- results
  // A Tier 1 request: its results carry no evidence, so each vector tests one rule of §9.4.
  const R1 = signedRequest(plainRequestBody(TIER.REPUTATION));
  const R1other = signedRequest(plainRequestBody(TIER.REPUTATION, { nonce: OTHER_NONCE }));
  const plain = (overrides: Body = {}, more: Parameters<typeof plainTask>[2] = {}) => plainTask(overrides, R1, more);
  const okResult = (id: string, requirements: string[], comment: string, task: BuiltTask | { request: Signed; result: Uint8Array }, flags: FlagName[] = [], output?: Uint8Array) =>
    valid(id, { requirements, comment, flags, inputs: resultInputs(task, output) });
  const badResult = (id: string, error: string, requirements: string[], comment: string, task: BuiltTask | { request: Signed; result: Uint8Array }, flags: FlagName[] = [], output?: Uint8Array) =>
    invalid(id, error, { requirements, comment, flags, inputs: resultInputs(task, output) });
  const noOutput = { output_hash: undefined, output: undefined };

  const resultValid = group(
    "task-result.verify",
    "Results a delegator accepts, arriving 6 s after the request was issued (skew 5 s; the test attestation format registered; optional attestations of unknown formats ignored).",
    delegatorPolicy(ARRIVED),
    [
      okResult("task/result/valid/example-001", ["TASK-012", "TASK-015", "TASK-016", "TASK-017", "EVD-001", "EVD-008", "EVD-015", "EVD-019"], "the result of spec §9.12: two receipts and a test attestation", ex, ["SpecExample"]),
      okResult("task/result/valid/reputation-001", ["TASK-012", "TASK-013", "TASK-014"], "a Tier 1 result with its output inline and no evidence", plain()),
      okResult("task/result/valid/detached-output-001", ["TASK-018"], "the output detached (no output field) and supplied beside the result; its SHA-256 is output_hash", plain({ output: undefined }), ["DetachedPayload"], OUTPUT),
      okResult("task/result/valid/failed-001", ["TASK-013"], "a failed task: no output_hash, no output, a reason", plain({ ...noOutput, status: STATUS.FAILED, reason: `tool ${TOOLS[1]} failed` })),
      okResult("task/result/valid/declined-001", ["TASK-013"], "a declined task", plain({ ...noOutput, status: STATUS.DECLINED, reason: "busy" })),
      okResult("task/result/valid/empty-output-001", ["TASK-013", "TASK-014", "ENC-013"], "a completed task whose output is zero bytes, inline: output is present and output_hash is the SHA-256 of the empty string", plain({ output: new Uint8Array(0), output_hash: sha256Of(new Uint8Array(0)) }), ["ExplicitPresence"]),
      okResult("task/result/valid/canary-001", ["TASK-015"], "a Tier 2 result (no evidence required)", plainTask({}, signedRequest(plainRequestBody(TIER.CANARY)))),
    ],
  );

  const R1receipt = buildReceipts(R1.hash, STANDARD_STEPS)[2]!;
  const resultStructure = group(
    "task-result.verify",
    "The result rules that need no key or request (§9.10 steps 1–4), each on an otherwise valid, correctly signed result; and the signature (step 5).",
    delegatorPolicy(ARRIVED),
    [
      badResult("task/result/structure/provider-not-kid-001", "COSE_KID_MISMATCH", ["TASK-012"], "provider names the TEST 2 key (the request's provider); the TEST 3 key signed and is the kid", plain({}, { signer: CAROL }), ["KidConfusion"]),
      badResult("task/result/structure/completed-without-output-hash-001", "TASK_RESULT_STATUS_INCONSISTENT", ["TASK-013"], "completed, with neither output_hash nor output", plain(noOutput)),
      badResult("task/result/structure/failed-with-output-hash-001", "TASK_RESULT_STATUS_INCONSISTENT", ["TASK-013"], "failed, but declaring an output_hash", plain({ status: STATUS.FAILED, output: undefined })),
      badResult("task/result/structure/declined-with-output-001", "TASK_RESULT_STATUS_INCONSISTENT", ["TASK-013"], "declined, without output_hash but with inline output bytes", plain({ status: STATUS.DECLINED, output_hash: undefined })),
      badResult("task/result/structure/inline-output-mismatch-001", "TASK_OUTPUT_HASH_MISMATCH", ["TASK-014"], "inline output bytes whose SHA-256 is not output_hash", plain({ output: PRODUCTS[2]! })),
      badResult("task/result/structure/status-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["ENC-018"], "no status (TASK_STATUS_UNSPECIFIED), no output", plain({ ...noOutput, status: undefined }), ["SchemaRule"]),
      badResult("task/result/signature/wrong-key-001", "SIG_INVALID", ["TASK-012", "SIG-011"], "provider and kid name the TEST 2 key; the TEST 3 key signed", plain({}, { cose: (p) => forged(PROVIDER, CAROL, TASK_RESULT_CT, p) }), ["WrongSignature", "KidConfusion"]),
      badResult("task/result/signature/altered-001", "SIG_INVALID", ["TASK-012", "SIG-011"], "signed, then completed_at moved a second earlier in transit", { request: R1, result: alteredAfterSigning(PROVIDER, TASK_RESULT_CT, plain().result.payload, enc({ ...plain().result.body, completed_at: COMPLETED - 1_000n })) }, ["WrongSignature"]),
      badResult("task/result/cross-kind/request-as-result-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-012", "SIG-006"], "the delegator's own request presented as the result", { request: R1, result: R1.cose }, ["CrossKindReplay"]),
      badResult("task/result/cross-kind/receipt-as-result-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-012", "SIG-006"], "the provider's receipt of the last tool step, whose output_hash is the output's, presented as the result", { request: R1, result: R1receipt.cose }, ["CrossKindReplay"]),
      badResult("task/result/cross-kind/result-payload-receipt-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-012", "SIG-006"], "the result's payload signed by the provider under the tool-receipt content type", plain({}, { cose: (p) => signCose(PROVIDER, TOOL_RECEIPT_CT, p) }), ["CrossKindReplay"]),
      badResult("task/result/order/structure-before-signature-001", "TASK_RESULT_STATUS_INCONSISTENT", ["SEC-003", "TASK-013", "SIG-013", "TASK-019"], "completed without output_hash and a signature by the wrong key: the structural defect is reported", plain(noOutput, { cose: (p) => forged(PROVIDER, CAROL, TASK_RESULT_CT, p) }), ["DefectOrder"]),
    ],
  );

  const resultBinding = group(
    "task-result.verify",
    "The result against the delegator's own request (§9.10 step 6): binding, lateness, time, detached output. Arrival 6 s after issue unless a group says otherwise.",
    delegatorPolicy(ARRIVED),
    [
      badResult("task/result/binding/other-request-001", "TASK_REQUEST_HASH_MISMATCH", ["TASK-015"], "a valid result for another request of the same delegator (same work, another nonce), presented as the answer to this one", { request: R1, result: plainTask({}, R1other).result.cose }, ["Replay"]),
      badResult("task/result/binding/request-hash-of-cose-001", "TASK_REQUEST_HASH_MISMATCH", ["TASK-015", "ENC-020"], "request_hash is the SHA-256 of the request's COSE_Sign1 bytes, not of its payload", plain({ request_hash: sha256Of(R1.cose) })),
      badResult("task/result/binding/wrong-provider-001", "TASK_WRONG_PROVIDER", ["TASK-015"], "a result signed by the TEST 3 key in its own name, for a request addressed to the TEST 2 key", plain({ provider: CAROL.did }, { signer: CAROL }), ["KidConfusion"]),
      badResult("task/result/detached/mismatch-001", "TASK_OUTPUT_HASH_MISMATCH", ["TASK-018"], "detached output bytes that are not the output whose hash is signed", plain({ output: undefined }), ["DetachedPayload"], PRODUCTS[2]!),
      badResult("task/result/detached/for-failed-001", "TASK_RESULT_STATUS_INCONSISTENT", ["TASK-013", "TASK-018"], "detached output bytes beside a failed result, which declares no output", plain({ ...noOutput, status: STATUS.FAILED }), ["DetachedPayload"], OUTPUT),
      badResult("task/result/time/completed-before-window-001", "TASK_RESULT_TIME_INVALID", ["TASK-017"], "completed_at = issued_at − skew − 1", plain({ completed_at: ISSUED - skew - 1n }), ["ClockSkewEdge"]),
      okResult("task/result/time/completed-at-window-start-001", ["TASK-017"], "completed_at = issued_at − skew", plain({ completed_at: ISSUED - skew }), ["ClockSkewEdge"]),
      badResult("task/result/time/completed-in-future-001", "TASK_RESULT_TIME_INVALID", ["TASK-017"], "completed_at = now + skew + 1: after the result arrived, beyond the allowance", plain({ completed_at: ARRIVED + skew + 1n }), ["ClockSkewEdge"]),
      okResult("task/result/time/completed-at-now-plus-skew-001", ["TASK-017"], "completed_at = now + skew", plain({ completed_at: ARRIVED + skew }), ["ClockSkewEdge"]),
    ],
  );

  const lateEdge = DEADLINE + skew;
  const resultLate = group("task-result.verify", "A result arriving at deadline + skew (TASK-016).", delegatorPolicy(lateEdge), [
    badResult("task/result/late/at-edge-001", "TASK_RESULT_LATE", ["TASK-016"], "now = deadline + skew", plain(), ["ClockSkewEdge"]),
  ]);
  const resultLastMs = group("task-result.verify", "A result arriving at deadline + skew − 1, the last millisecond it is in time (TASK-016, TASK-017).", delegatorPolicy(lateEdge - 1n), [
    okResult("task/result/late/at-edge-minus-1-001", ["TASK-016"], "now = deadline + skew − 1", plain(), ["ClockSkewEdge"]),
    okResult("task/result/time/completed-at-deadline-plus-skew-001", ["TASK-017"], "completed_at = deadline + skew", plain({ completed_at: lateEdge }), ["ClockSkewEdge"]),
    badResult("task/result/time/completed-after-deadline-001", "TASK_RESULT_TIME_INVALID", ["TASK-017"], "completed_at = deadline + skew + 1 (not in the delegator's future: now + skew is later)", plain({ completed_at: lateEdge + 1n }), ["ClockSkewEdge"]),
  ]);

  // ---------------------------------------------------------------- result signing
  const signsResult = (id: string, requirements: string[], comment: string, body: Body, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { json: bodyToJson(TaskResultSchema, body) }, output: producedOutput(TaskResultSchema, body, PROVIDER) });
  const exResult = signsResult("task/sign/result-example-001", ["TASK-012", "EVD-001", "SIG-012"], "the result of spec §9.12 with its evidence package, byte for byte", ex.result.body, ["SpecExample"]);
  if ((exResult.output as { cose: string }).cose !== hex(ref.result.bytes)) throw new Error("task/sign/result-example-001 differs from the reference example");
  const base = plain().result.body;
  const resultSign = group(
    "task-result.sign",
    "Signing a result given in JSON form with shared.secret_key (the provider, RFC 8032 TEST 2): the exact payload, COSE_Sign1 and message hash (TASK-012). A signer refuses a result a delegator would reject for its structure, with the delegator's code.",
    { secret_key: hex(PROVIDER.seed) },
    [
      exResult,
      signsResult("task/sign/result-reputation-001", ["TASK-012", "TASK-013"], "a Tier 1 result with its output inline, no evidence", base),
      signsResult("task/sign/result-detached-001", ["TASK-012", "TASK-018"], "the same result with its output detached", { ...base, output: undefined }),
      signsResult("task/sign/result-failed-001", ["TASK-012", "TASK-013"], "a failed task with a reason", { ...base, ...noOutput, status: STATUS.FAILED, reason: `tool ${TOOLS[1]} failed` }),
      refuses(TaskResultSchema)("task/sign/result-provider-not-signer-001", "COSE_KID_MISMATCH", ["TASK-012"], "provider names the TEST 3 key, the signing key is TEST 2's", { ...base, provider: CAROL.did }),
      refuses(TaskResultSchema)("task/sign/result-completed-without-output-001", "TASK_RESULT_STATUS_INCONSISTENT", ["TASK-013"], "completed without output_hash", { ...base, ...noOutput }),
      refuses(TaskResultSchema)("task/sign/result-output-mismatch-001", "TASK_OUTPUT_HASH_MISMATCH", ["TASK-014"], "an inline output whose SHA-256 is not output_hash", { ...base, output: INPUT }),
    ],
  );

  return {
    name: "task",
    description:
      "Task requests and results (spec/09-tasks-and-evidence.md §9.2–9.4, §9.10 steps 1–6): the provider's checks of a request, the delegator's checks of a result, and the signing side of both. The delegator is the RFC 8032 TEST 1 key, the provider the TEST 2 key; the standard request is the one of spec §9.12 (issued at T0 = 2026-01-01T00:00:00Z = 1767225600000 ms, deadline one minute later). Evidence packages are in evidence.json. Operations task-request.verify, task-request.sign, task-result.verify, task-result.sign.",
    groups: [requestValid, requestStructure, requestProvider, requestDayPolicy, requestTime, replay, requestSign, resultValid, resultStructure, resultBinding, resultLate, resultLastMs, resultSign],
  };
}

export const taskFile: VectorFileModule = { name: "task", build };
