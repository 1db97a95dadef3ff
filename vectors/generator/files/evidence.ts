// evidence.json: evidence packages (spec/09-tasks-and-evidence.md §9.5–9.9,
// §9.10 step 7): binding to the request, the receipts and their hash chain,
// the data flow from input to output, evidence times, the trace, platform
// attestation with the test format ap2p-test-v1 and the delegator's
// attestation policy; and the signing side of receipts and test
// attestations, and the attestation challenge.
//
// Every task here is the standard Tier 3 task of task-scenario.ts (three
// tool steps, a trace, a test attestation) with exactly one change. A change
// to one receipt is re-linked: the next receipt's prev_hash is the SHA-256 of
// the changed payload, so that the chain breaks only where a vector says so.
import { create } from "@bufbuild/protobuf";
import { AttestationBindingSchema, TestAttestationClaimsSchema, ToolReceiptSchema } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { messageHash } from "../../../reference/src/codec/hash.js";
import { attestationChallenge } from "../../../reference/src/evidence/attestation/verifier.js";
import { filled, hex, sha256Of, utf8 } from "../bytes.js";
import { enc, Ordered, type W } from "../cbor-writer.js";
import { DEFAULT_SKEW, T0 } from "../constants.js";
import { CAROL, signCose } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type TestVector, type VectorFileModule } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";
import {
  alteredAfterSigning,
  ARRIVED,
  ATTESTED,
  buildReceipts,
  buildTask,
  claimsBody,
  COMPLETED,
  DEADLINE,
  delegatorPolicy,
  example,
  forged,
  INPUT,
  NONCE,
  OTHER_NONCE,
  OUTPUT,
  plainRequestBody,
  plainTask,
  producedOutput,
  PRODUCTS,
  PROVIDER,
  requestBody,
  resultInputs,
  signedRequest,
  STANDARD_STEPS,
  STANDARD_TRACE,
  STATUS,
  stepFields,
  TASK_RESULT_CT,
  TEST_ATTESTATION_CT,
  TEST_FORMAT,
  TEST_ROOT,
  testAttestation,
  TIER,
  TOOL_RECEIPT_CT,
  TOOLS,
  withStep,
  type BuiltTask,
  type Signed,
  type TaskSpec,
} from "./task-scenario.js";

type Task = BuiltTask | { request: Signed; result: Uint8Array };

function ok(id: string, requirements: string[], comment: string, task: Task, flags: FlagName[] = [], output?: Uint8Array): TestVector {
  return valid(id, { requirements, comment, flags, inputs: resultInputs(task, output) });
}
function bad(id: string, error: string, requirements: string[], comment: string, task: Task, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: resultInputs(task) });
}

/** Opaque evidence of a format the vectors have no verifier for. */
const TPM_QUOTE: Body = { format: "tpm2-quote", evidence: utf8("opaque tpm2 quote bytes") };

function build() {
  const skew = DEFAULT_SKEW;
  const R = signedRequest();
  /** Another task of the same delegator, provider and input, with its own nonce. */
  const Rother = signedRequest(requestBody({ nonce: OTHER_NONCE }));
  /** The standard request without attestation formats (an attestation is optional). */
  const Roptional = signedRequest(plainRequestBody(TIER.EVIDENCE));
  /** A Tier 1 request: evidence is not required, but checked when present (EVD-013). */
  const R1 = signedRequest(plainRequestBody(TIER.REPUTATION));
  /** A request that lists only a format the delegator has no verifier for. */
  const Rtpm = signedRequest(requestBody({ attestation_formats: ["tpm2-quote"] }));
  const t = (spec: TaskSpec = {}) => buildTask(spec);
  const std = t();
  const noOutput = { output_hash: undefined, output: undefined };
  const attested = (overrides: Body, request: Signed = R) => t({ request, attestation: testAttestation(claimsBody(request, overrides)) });
  const withAttestation = (attestation: Body | null, request: Signed = R) => t({ request, attestation });

  const V = ["EVD-001", "EVD-002", "EVD-003", "EVD-004", "EVD-005", "EVD-006", "EVD-007", "EVD-008", "EVD-009", "EVD-010", "EVD-011", "EVD-012"];
  const validGroup = group(
    "task-result.verify",
    "Results whose evidence a delegator accepts: the result arrives 6 s after issue (skew 5 s), the test attestation format is registered, and an optional attestation of an unknown format is ignored.",
    delegatorPolicy(ARRIVED),
    [
      ok("evidence/valid/standard-001", [...V, "EVD-015", "EVD-017", "EVD-018", "EVD-019"], "three chained receipts, a trace of two events and a test attestation bound to the request", std),
      ok("evidence/valid/example-001", ["EVD-001", "EVD-008", "EVD-010", "EVD-019"], "the result of spec §9.12: two receipts, no trace", example(), ["SpecExample"]),
      ok("evidence/valid/one-step-001", ["EVD-004", "EVD-008", "EVD-009", "EVD-010"], "one receipt: its prev_hash is the request hash, its input the request's, its output the result's", t({ receipts: [{ fields: { ...stepFields(0), tool: "ap2p.tool/image-generate@2", output_hash: sha256Of(OUTPUT), ended_at: T0 + 4_000n } }] })),
      ok("evidence/valid/no-trace-001", ["EVD-011"], "no trace: the trace is optional", t({ trace: [] })),
      ok("evidence/valid/back-to-back-001", ["EVD-011"], "the second step starts the millisecond the first ended and takes no time (ended_at = started_at)", t({ receipts: withStep(1, { fields: { started_at: T0 + 1_500n, ended_at: T0 + 1_500n } }) }), ["TimeOrder"]),
      ok("evidence/valid/trace-same-time-001", ["EVD-011"], "two trace events at the same millisecond", t({ trace: [STANDARD_TRACE[0]!, { ...STANDARD_TRACE[1]!, at: T0 + 1_200n }] }), ["TimeOrder"]),
      ok("evidence/valid/window-start-edge-001", ["EVD-012"], "the first step starts at issued_at − skew", t({ receipts: withStep(0, { fields: { started_at: T0 - skew } }), trace: [{ at: T0 - skew, kind: "queue.wait" }, ...STANDARD_TRACE] }), ["EvidenceWindow"]),
      ok("evidence/valid/window-end-edge-001", ["EVD-012"], "the last step ends, and the last trace event happens, at completed_at exactly", t({ receipts: withStep(2, { fields: { ended_at: COMPLETED } }), trace: [...STANDARD_TRACE, { at: COMPLETED, kind: "result.sign" }] }), ["EvidenceWindow"]),
      ok("evidence/valid/detached-output-001", ["EVD-010", "TASK-018"], "the output detached; the last receipt's output_hash is the result's", t({ result: { output: undefined } }), ["DetachedPayload"], OUTPUT),
      ok("evidence/valid/failed-partial-001", ["EVD-010", "EVD-013", "EVD-017"], "a failed task with the receipts of the two steps that completed and no attestation: a failed task owes no attestation, and its last receipt need not produce an output", t({ receipts: STANDARD_STEPS.slice(0, 2), attestation: null, trace: [], result: { ...noOutput, status: STATUS.FAILED, completed_at: T0 + 2_600n, reason: `tool ${TOOLS[2]} failed` } })),
      ok("evidence/valid/failed-without-evidence-001", ["EVD-001"], "a failed Tier 3 task without evidence", t({ evidence: null, result: { ...noOutput, status: STATUS.FAILED, reason: `tool ${TOOLS[0]} failed` } })),
      ok("evidence/valid/declined-without-evidence-001", ["EVD-001"], "a declined Tier 3 task without evidence", t({ evidence: null, result: { ...noOutput, status: STATUS.DECLINED, reason: "busy" } })),
      ok("evidence/valid/optional-evidence-001", ["EVD-013"], "a Tier 1 result that carries a valid evidence package anyway (checked, and it passes)", t({ request: R1 })),
      ok("evidence/valid/attestation-window-start-001", ["EVD-018"], "the attestation issued at issued_at − skew", attested({ issued_at: T0 - skew }), ["EvidenceWindow"]),
      ok("evidence/valid/attestation-window-end-001", ["EVD-018"], "the attestation issued at deadline + skew (its window is the request's, not the evidence window)", attested({ issued_at: DEADLINE + skew }), ["EvidenceWindow"]),
      ok("evidence/valid/second-listed-format-001", ["EVD-017"], "the request lists tpm2-quote first and ap2p-test-v1 second; a test attestation is in a listed format", attested({}, signedRequest(requestBody({ attestation_formats: ["tpm2-quote", TEST_FORMAT] }))), ["TestAttestation"]),
      ok("evidence/valid/optional-unknown-ignored-001", ["EVD-016"], "no format listed, an attestation of a format the delegator cannot verify, policy ignore: the attestation is ignored", withAttestation(TPM_QUOTE, Roptional), ["AttestationPolicy"]),
      ok("evidence/valid/optional-attestation-absent-001", ["EVD-017"], "no format listed and no attestation", withAttestation(null, Roptional)),
    ],
  );

  const pkg = group("task-result.verify", "The package and its binding to the request (§9.5; §9.10 steps 7a–7d).", delegatorPolicy(ARRIVED), [
    bad("evidence/package/missing-001", "EVD_EVIDENCE_MISSING", ["EVD-001", "TIER-004"], "a completed Tier 3 result without an evidence package", t({ evidence: null })),
    bad("evidence/package/missing-no-formats-001", "EVD_EVIDENCE_MISSING", ["EVD-001", "TIER-004"], "the same, for a Tier 3 request that lists no attestation format", t({ request: Roptional, evidence: null })),
    bad("evidence/package/request-hash-mismatch-001", "EVD_REQUEST_HASH_MISMATCH", ["EVD-002"], "the package names another request of the same delegator (the receipts and attestation are bound to this one)", t({ evidence: { request_hash: Rother.hash } })),
    bad("evidence/package/request-hash-of-cose-001", "EVD_REQUEST_HASH_MISMATCH", ["EVD-002", "ENC-020"], "the package's request_hash is the SHA-256 of the request's COSE_Sign1 bytes, not of its payload", t({ evidence: { request_hash: sha256Of(R.cose) } })),
    bad("evidence/package/nonce-mismatch-001", "EVD_NONCE_MISMATCH", ["EVD-003"], "the package carries another nonce", t({ evidence: { nonce: OTHER_NONCE } })),
    bad("evidence/package/nonce-truncated-001", "EVD_NONCE_MISMATCH", ["EVD-003"], "the package carries the first 16 bytes of the nonce", t({ evidence: { nonce: NONCE.slice(0, 16) } })),
    bad("evidence/package/receipts-missing-001", "EVD_RECEIPTS_MISSING", ["EVD-004"], "a completed task's package with a trace and an attestation but no receipt", t({ receipts: [] })),
    bad("evidence/package/optional-broken-chain-001", "EVD_CHAIN_BROKEN", ["EVD-013", "EVD-008"], "a Tier 1 result whose optional evidence has a broken chain: evidence that is present is checked", t({ request: R1, receipts: withStep(1, { fields: { prev_hash: filled(32) } }) }), ["EvidenceChain"]),
    bad("evidence/package/optional-receipts-missing-001", "EVD_RECEIPTS_MISSING", ["EVD-013", "EVD-004"], "a completed Tier 1 result whose optional evidence holds no receipt", t({ request: R1, receipts: [] })),
  ]);

  // Receipts one by one (§9.6; step 7e): envelope, schema, signer.
  const r0 = buildReceipts(R.hash, STANDARD_STEPS)[0]!;
  const unsorted = (body: Body) => enc(new Ordered(Object.entries(body).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v as W] as const)));
  const receipts = group("task-result.verify", "Each receipt is a COSE_Sign1 of a well-formed ToolReceipt under the tool-receipt content type, signed by its executor, who is the provider (EVD-005, EVD-006). The result around it is valid and correctly signed.", delegatorPolicy(ARRIVED), [
    bad("evidence/receipt/executor-not-kid-001", "COSE_KID_MISMATCH", ["EVD-005"], "receipts[1] names the provider as executor but the TEST 3 key signed it and is its kid", t({ receipts: withStep(1, { signer: CAROL }) }), ["KidConfusion"]),
    bad("evidence/receipt/other-executor-001", "EVD_EXECUTOR_MISMATCH", ["EVD-006"], "receipts[1] executed and signed by the TEST 3 key in its own name: a third-party executor, which this revision does not admit", t({ receipts: withStep(1, { signer: CAROL, fields: { executor: CAROL.did } }) })),
    bad("evidence/receipt/bad-signature-001", "SIG_INVALID", ["EVD-005", "SIG-011"], "receipts[1]: executor and kid name the provider; the TEST 3 key signed", t({ receipts: withStep(1, { cose: (p) => forged(PROVIDER, CAROL, TOOL_RECEIPT_CT, p) }) }), ["WrongSignature", "KidConfusion"]),
    bad("evidence/receipt/altered-001", "SIG_INVALID", ["EVD-005", "SIG-011"], "receipts[1] signed with ended_at 2.5 s, then ended_at changed to 2.4 s (receipts[2] links to the payload as carried)", t({ receipts: withStep(1, { fields: { ended_at: T0 + 2_400n }, cose: (p, body) => alteredAfterSigning(PROVIDER, TOOL_RECEIPT_CT, enc({ ...body, ended_at: T0 + 2_500n }), p) }) }), ["WrongSignature"]),
    bad("evidence/receipt/result-as-receipt-001", "COSE_CONTENT_TYPE_MISMATCH", ["EVD-005", "SIG-006"], "receipts[0] is a task result signed by the provider", t({ receipts: withStep(0, { cose: () => plainTask().result.cose }) }), ["CrossKindReplay"]),
    bad("evidence/receipt/request-as-receipt-001", "COSE_CONTENT_TYPE_MISMATCH", ["EVD-005", "SIG-006"], "receipts[0] is the delegator's request", t({ receipts: withStep(0, { cose: () => R.cose }) }), ["CrossKindReplay"]),
    bad("evidence/receipt/payload-under-result-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["EVD-005", "SIG-006"], "receipts[0]'s payload signed by the provider under the task-result content type", t({ receipts: withStep(0, { cose: (p) => signCose(PROVIDER, TASK_RESULT_CT, p) }) }), ["CrossKindReplay"]),
    bad("evidence/receipt/attestation-as-receipt-001", "COSE_CONTENT_TYPE_MISMATCH", ["EVD-005", "SIG-006"], "receipts[0] is the test attestation's evidence (signed by the test root)", t({ receipts: withStep(0, { cose: () => (testAttestation(claimsBody(R))["evidence"] as Uint8Array) }) }), ["CrossKindReplay"]),
    bad("evidence/receipt/unsigned-001", "COSE_TAG_MISSING", ["EVD-005", "SIG-001"], "receipts[0] is the receipt's payload without a signature", t({ receipts: withStep(0, { cose: (p) => p }) }), ["Unsigned"]),
    bad("evidence/receipt/unsorted-payload-001", "CBOR_MAP_KEYS_UNSORTED", ["EVD-005", "ENC-004"], "receipts[0]'s signed payload has its keys in field-number order", t({ receipts: withStep(0, { payload: unsorted }) }), ["UnsortedKeys"]),
    bad("evidence/receipt/unknown-field-001", "SCHEMA_UNKNOWN_FIELD", ["EVD-005", "ENC-015"], 'receipts[0]\'s signed payload has an extra field "cost_micros"', t({ receipts: withStep(0, { fields: { cost_micros: 20000 } }) }), ["UnknownField"]),
    bad("evidence/receipt/index-zero-encoded-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["EVD-005", "ENC-013"], "receipts[0] encodes index 0, the default value", t({ receipts: withStep(0, { fields: { index: 0 } }) }), ["DefaultValueEncoded"]),
    bad("evidence/receipt/tool-pattern-001", "SCHEMA_PATTERN_MISMATCH", ["EVD-005", "ENC-018"], 'receipts[1]\'s tool is "image-diffusion", without namespace and version', t({ receipts: withStep(1, { fields: { tool: "image-diffusion" } }) }), ["SchemaRule"]),
  ]);

  // The chain and the data flow (EVD-007 to EVD-010).
  const chain = group("task-result.verify", "The receipts' positions, hash chain and data flow (EVD-007 to EVD-010); every receipt is well-formed and signed by the provider.", delegatorPolicy(ARRIVED), [
    bad("evidence/chain/index-skipped-001", "EVD_RECEIPT_INDEX_MISMATCH", ["EVD-007"], "receipts[1] has index 2", t({ receipts: withStep(1, { fields: { index: 2 } }) }), ["EvidenceChain"]),
    bad("evidence/chain/index-repeated-001", "EVD_RECEIPT_INDEX_MISMATCH", ["EVD-007"], "receipts[1] has index 0 (omitted)", t({ receipts: withStep(1, { fields: { index: undefined } }) }), ["EvidenceChain"]),
    bad("evidence/chain/first-index-one-001", "EVD_RECEIPT_INDEX_MISMATCH", ["EVD-007"], "receipts[0] has index 1: positions count from 0", t({ receipts: withStep(0, { fields: { index: 1 } }) }), ["EvidenceChain"]),
    bad("evidence/chain/first-prev-other-request-001", "EVD_CHAIN_BROKEN", ["EVD-008"], "receipts[0].prev_hash is the hash of another request of the same delegator", t({ receipts: withStep(0, { fields: { prev_hash: Rother.hash } }) }), ["EvidenceChain"]),
    bad("evidence/chain/first-prev-request-cose-001", "EVD_CHAIN_BROKEN", ["EVD-008", "ENC-020"], "receipts[0].prev_hash is the SHA-256 of the request's COSE_Sign1 bytes, not of its payload", t({ receipts: withStep(0, { fields: { prev_hash: sha256Of(R.cose) } }) }), ["EvidenceChain"]),
    bad("evidence/chain/prev-cose-hash-001", "EVD_CHAIN_BROKEN", ["EVD-008", "ENC-020"], "receipts[1].prev_hash is the SHA-256 of receipts[0]'s COSE_Sign1 bytes, not of its payload", t({ receipts: withStep(1, { fields: { prev_hash: sha256Of(r0.cose) } }) }), ["EvidenceChain"]),
    bad("evidence/chain/prev-skips-001", "EVD_CHAIN_BROKEN", ["EVD-008"], "receipts[2].prev_hash is the hash of receipts[0]'s payload", t({ receipts: withStep(2, { fields: { prev_hash: sha256Of(r0.payload) } }) }), ["EvidenceChain"]),
    bad("evidence/chain/prev-zero-001", "EVD_CHAIN_BROKEN", ["EVD-008"], "receipts[1].prev_hash is 32 zero bytes", t({ receipts: withStep(1, { fields: { prev_hash: filled(32) } }) }), ["EvidenceChain"]),
    bad("evidence/chain/receipts-of-other-task-001", "EVD_CHAIN_BROKEN", ["EVD-008"], "the whole chain was made for another task of the same delegator with the same input (another nonce): it starts from that task's request hash", t({ chainAnchor: Rother.hash }), ["EvidenceChain", "Replay"]),
    bad("evidence/flow/first-input-not-request-001", "EVD_INPUT_HASH_MISMATCH", ["EVD-009"], "receipts[0].input_hash is not the request's input_hash", t({ receipts: withStep(0, { fields: { input_hash: sha256Of(utf8("a blue bicycle leaning on a wall")) } }) }), ["EvidenceChain"]),
    bad("evidence/flow/input-not-previous-output-001", "EVD_INPUT_HASH_MISMATCH", ["EVD-009"], "receipts[1] took the request's input instead of receipts[0]'s output", t({ receipts: withStep(1, { fields: { input_hash: sha256Of(INPUT) } }) }), ["EvidenceChain"]),
    bad("evidence/flow/dropped-step-resigned-001", "EVD_INPUT_HASH_MISMATCH", ["EVD-009", "EVD-007", "EVD-008"], "the middle step dropped and the last re-signed at position 1 with its prev_hash linked to receipts[0]: index and chain hold, the data flow does not", t({ receipts: [STANDARD_STEPS[0]!, STANDARD_STEPS[2]!] }), ["EvidenceChain"]),
    bad("evidence/flow/last-output-not-result-001", "EVD_OUTPUT_HASH_MISMATCH", ["EVD-010"], "the last receipt's output_hash is not the result's output_hash", t({ receipts: withStep(2, { fields: { output_hash: sha256Of(PRODUCTS[2]!) } }) }), ["EvidenceChain"]),
    bad("evidence/flow/dropped-last-step-001", "EVD_OUTPUT_HASH_MISMATCH", ["EVD-010"], "the last step's receipt left out: the chain ends at an intermediate product", t({ receipts: STANDARD_STEPS.slice(0, 2) }), ["EvidenceChain"]),
  ]);

  const time = group("task-result.verify", "Evidence times (EVD-011, EVD-012): order, and the window [issued_at − skew, completed_at] with skew 5 s; issued_at = T0, completed_at = T0 + 5 s.", delegatorPolicy(ARRIVED), [
    bad("evidence/time/ends-before-start-001", "EVD_TIME_DISORDER", ["EVD-011"], "receipts[1] ends 100 ms before it starts", t({ receipts: withStep(1, { fields: { started_at: T0 + 2_000n, ended_at: T0 + 1_900n } }) }), ["TimeOrder"]),
    bad("evidence/time/overlapping-steps-001", "EVD_TIME_DISORDER", ["EVD-011"], "receipts[1] starts 1 ms before receipts[0] ended", t({ receipts: withStep(1, { fields: { started_at: T0 + 1_499n } }) }), ["TimeOrder"]),
    bad("evidence/time/trace-backwards-001", "EVD_TIME_DISORDER", ["EVD-011"], "the trace's two events in reverse time order", t({ trace: [STANDARD_TRACE[1]!, STANDARD_TRACE[0]!] }), ["TimeOrder"]),
    bad("evidence/time/receipt-before-window-001", "EVD_TIME_OUTSIDE_WINDOW", ["EVD-012"], "receipts[0] starts at issued_at − skew − 1", t({ receipts: withStep(0, { fields: { started_at: T0 - skew - 1n } }) }), ["EvidenceWindow"]),
    bad("evidence/time/receipt-after-completed-001", "EVD_TIME_OUTSIDE_WINDOW", ["EVD-012"], "the last receipt ends 1 ms after completed_at: the window's end has no skew allowance", t({ receipts: withStep(2, { fields: { ended_at: COMPLETED + 1n } }) }), ["EvidenceWindow"]),
    bad("evidence/time/trace-after-completed-001", "EVD_TIME_OUTSIDE_WINDOW", ["EVD-012"], "a trace event 1 ms after completed_at", t({ trace: [...STANDARD_TRACE, { at: COMPLETED + 1n, kind: "result.sign" }] }), ["EvidenceWindow"]),
    bad("evidence/time/trace-before-window-001", "EVD_TIME_OUTSIDE_WINDOW", ["EVD-012"], "a trace event at issued_at − skew − 1", t({ trace: [{ at: T0 - skew - 1n, kind: "queue.wait" }, ...STANDARD_TRACE] }), ["EvidenceWindow"]),
  ]);

  // Attestation (§9.8, §9.9; step 7h), with the test format registered.
  const claims = claimsBody(R);
  const wrapped = (evidence: Uint8Array): Body => ({ format: TEST_FORMAT, evidence });
  const attestation = group("task-result.verify", "Platform attestation with the test format ap2p-test-v1 registered (EVD-015 to EVD-019). Unless a test says otherwise the request lists ap2p-test-v1, so an attestation is required.", delegatorPolicy(ARRIVED), [
    bad("evidence/attestation/missing-001", "EVD_ATTESTATION_MISSING", ["EVD-017"], "the request lists ap2p-test-v1, the package has no attestation", withAttestation(null)),
    bad("evidence/attestation/known-format-not-listed-001", "EVD_ATTESTATION_FORMAT_NOT_ACCEPTED", ["EVD-017"], "the request lists only tpm2-quote; the attestation is a valid test attestation, a format the delegator knows but did not list", attested({}, Rtpm), ["AttestationPolicy", "TestAttestation"]),
    bad("evidence/attestation/unknown-required-001", "EVD_ATTESTATION_FORMAT_UNKNOWN", ["EVD-016"], "the request lists tpm2-quote and the attestation is one, but the delegator has no verifier for it", withAttestation(TPM_QUOTE, Rtpm), ["AttestationPolicy"]),
    bad("evidence/attestation/optional-known-fails-001", "EVD_ATTESTATION_NONCE_MISMATCH", ["EVD-018"], "no format listed, but the attestation is of a format the delegator knows and it fails: a known format is verified, required or not", attested({ nonce: OTHER_NONCE }, Roptional), ["AttestationBinding", "AttestationPolicy"]),
    bad("evidence/attestation/optional-known-fails-tier1-001", "EVD_ATTESTATION_PROVIDER_MISMATCH", ["EVD-013", "EVD-018"], "a Tier 1 result's optional evidence with a test attestation made for another provider", attested({ provider: CAROL.did }, R1), ["AttestationBinding"]),
    bad("evidence/attestation/not-root-001", "EVD_ATTESTATION_INVALID", ["EVD-019"], "claims signed by the TEST 3 key, not by the test root", withAttestation(testAttestation(claims, CAROL)), ["TestAttestation"]),
    bad("evidence/attestation/provider-signed-001", "EVD_ATTESTATION_INVALID", ["EVD-019"], "claims signed by the provider itself: a self-attestation", withAttestation(testAttestation(claims, PROVIDER)), ["TestAttestation"]),
    bad("evidence/attestation/root-kid-forged-001", "EVD_ATTESTATION_INVALID", ["EVD-019"], "the kid names the test root; the TEST 3 key signed", withAttestation(wrapped(forged(TEST_ROOT, CAROL, TEST_ATTESTATION_CT, enc(claims)))), ["TestAttestation", "WrongSignature"]),
    bad("evidence/attestation/altered-001", "EVD_ATTESTATION_INVALID", ["EVD-019"], "signed by the root with issued_at 4 s into the task, then issued_at changed to 4.001 s", withAttestation(wrapped(alteredAfterSigning(TEST_ROOT, TEST_ATTESTATION_CT, enc(claims), enc({ ...claims, issued_at: ATTESTED + 1n })))), ["TestAttestation", "WrongSignature"]),
    bad("evidence/attestation/wrong-content-type-001", "EVD_ATTESTATION_INVALID", ["EVD-019", "SIG-006"], "the claims signed by the root under the tool-receipt content type", withAttestation(wrapped(signCose(TEST_ROOT, TOOL_RECEIPT_CT, enc(claims)))), ["TestAttestation", "CrossKindReplay"]),
    bad("evidence/attestation/unsigned-001", "EVD_ATTESTATION_INVALID", ["EVD-019"], "the evidence is the claims' payload, unsigned", withAttestation(wrapped(enc(claims))), ["TestAttestation", "Unsigned"]),
    bad("evidence/attestation/not-cbor-001", "EVD_ATTESTATION_INVALID", ["EVD-019"], "the evidence is ASCII text", withAttestation(wrapped(utf8("not a quote"))), ["TestAttestation"]),
    bad("evidence/attestation/claims-unknown-field-001", "EVD_ATTESTATION_INVALID", ["EVD-019", "ENC-015"], 'the claims have an extra field "platform", signed by the root', withAttestation(testAttestation({ ...claims, platform: "pixel" })), ["TestAttestation", "UnknownField"]),
    bad("evidence/attestation/measurement-too-long-001", "EVD_ATTESTATION_INVALID", ["EVD-019", "ENC-018"], "a 65-byte measurement, signed by the root", withAttestation(testAttestation({ ...claims, measurement: filled(65, 0xaa) })), ["TestAttestation", "SchemaRule"]),
    bad("evidence/attestation/nonce-mismatch-001", "EVD_ATTESTATION_NONCE_MISMATCH", ["EVD-015", "EVD-018", "EVD-019"], "claims for another nonce; provider and request hash are right", attested({ nonce: OTHER_NONCE }), ["AttestationBinding", "TestAttestation"]),
    bad("evidence/attestation/replayed-from-other-task-001", "EVD_ATTESTATION_NONCE_MISMATCH", ["EVD-015", "EVD-018", "EVD-019"], "a valid test attestation recorded from another task of the same provider (its nonce and request hash): the nonce is checked first (EVD-019), and a verifier that checks only the signature accepts it", withAttestation(testAttestation(claimsBody(Rother))), ["AttestationBinding", "Replay", "DefectOrder", "TestAttestation"]),
    bad("evidence/attestation/provider-mismatch-001", "EVD_ATTESTATION_PROVIDER_MISMATCH", ["EVD-018", "EVD-019"], "claims for the TEST 3 key as provider", attested({ provider: CAROL.did }), ["AttestationBinding", "TestAttestation"]),
    bad("evidence/attestation/request-mismatch-001", "EVD_ATTESTATION_REQUEST_MISMATCH", ["EVD-018", "EVD-019"], "claims with the right nonce for another request hash", attested({ request_hash: Rother.hash }), ["AttestationBinding", "TestAttestation"]),
    bad("evidence/attestation/request-hash-of-cose-001", "EVD_ATTESTATION_REQUEST_MISMATCH", ["EVD-018", "EVD-019", "ENC-020"], "claims whose request_hash is the SHA-256 of the request's COSE_Sign1 bytes", attested({ request_hash: sha256Of(R.cose) }), ["AttestationBinding", "TestAttestation"]),
    bad("evidence/attestation/issued-before-window-001", "EVD_ATTESTATION_TIME_INVALID", ["EVD-018", "EVD-019"], "issued at issued_at − skew − 1", attested({ issued_at: T0 - skew - 1n }), ["AttestationBinding", "EvidenceWindow", "TestAttestation"]),
    bad("evidence/attestation/issued-after-window-001", "EVD_ATTESTATION_TIME_INVALID", ["EVD-018", "EVD-019"], "issued at deadline + skew + 1", attested({ issued_at: DEADLINE + skew + 1n }), ["AttestationBinding", "EvidenceWindow", "TestAttestation"]),
  ]);

  const untrusted = group("task-result.verify", "A delegator outside a test environment: no attestation verifier registered (EVD-020); optional attestations of unknown formats ignored.", delegatorPolicy(ARRIVED, [], "ignore"), [
    bad("evidence/untrusted/required-test-format-001", "EVD_ATTESTATION_FORMAT_UNKNOWN", ["EVD-016", "EVD-020"], "the request lists ap2p-test-v1 and the attestation is valid test evidence, but this delegator trusts no format: the test root is never trusted by default", std, ["TestAttestation", "AttestationPolicy"]),
    ok("evidence/untrusted/optional-test-format-ignored-001", ["EVD-016", "EVD-020"], "no format listed; a valid test attestation is of a format this delegator does not know, and is ignored", attested({}, Roptional), ["TestAttestation", "AttestationPolicy"]),
    ok("evidence/untrusted/optional-invalid-test-format-ignored-001", ["EVD-016", "EVD-018", "EVD-020"], "no format listed; test evidence signed by the wrong key is not checked by a delegator that does not know the format, and is ignored", withAttestation(testAttestation(claimsBody(Roptional), CAROL), Roptional), ["TestAttestation", "AttestationPolicy"]),
  ]);
  const untrustedReject = group("task-result.verify", "No attestation verifier registered; optional attestations of unknown formats rejected (EVD-016).", delegatorPolicy(ARRIVED, [], "reject"), [
    bad("evidence/untrusted/optional-rejected-001", "EVD_ATTESTATION_FORMAT_UNKNOWN", ["EVD-016", "EVD-020"], "no format listed; a valid test attestation, which this delegator cannot verify and its policy rejects", attested({}, Roptional), ["TestAttestation", "AttestationPolicy"]),
    ok("evidence/untrusted/optional-absent-001", ["EVD-016"], "no format listed and no attestation: nothing to reject", withAttestation(null, Roptional), ["AttestationPolicy"]),
  ]);
  const rejectPolicy = group("task-result.verify", "The test format registered; optional attestations of unknown formats rejected (EVD-016).", delegatorPolicy(ARRIVED, [TEST_FORMAT], "reject"), [
    bad("evidence/attestation/optional-unknown-rejected-001", "EVD_ATTESTATION_FORMAT_UNKNOWN", ["EVD-016"], "no format listed; an attestation of format tpm2-quote, which policy rejects", withAttestation(TPM_QUOTE, Roptional), ["AttestationPolicy"]),
    ok("evidence/attestation/reject-policy-known-001", ["EVD-016", "EVD-018"], "no format listed; a valid test attestation: the format is known, so the policy for unknown formats does not apply", attested({}, Roptional), ["AttestationPolicy", "TestAttestation"]),
  ]);

  const crossKind = group("task-result.verify", "Cross-kind replay: other signed objects of the same task presented as its result (SIG-006).", delegatorPolicy(ARRIVED), [
    bad("evidence/cross-kind/receipt-as-result-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-012", "SIG-006"], "the last tool receipt of the task, signed by the provider, whose output_hash is the task's output, presented as the result", { request: R, result: std.receipts[2]!.cose }, ["CrossKindReplay"]),
    bad("evidence/cross-kind/attestation-as-result-001", "COSE_CONTENT_TYPE_MISMATCH", ["TASK-012", "SIG-006"], "the task's test attestation evidence presented as the result", { request: R, result: testAttestation(claims)["evidence"] as Uint8Array }, ["CrossKindReplay", "TestAttestation"]),
  ]);

  // ---------------------------------------------------------------- produce
  const ex = example();
  const signsReceipt = (id: string, requirements: string[], comment: string, body: Body, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { json: bodyToJson(ToolReceiptSchema, body) }, output: producedOutput(ToolReceiptSchema, body, PROVIDER) });
  const refusesReceipt = (id: string, error: string, requirements: string[], comment: string, body: Body): TestVector =>
    invalid(id, error, { requirements, comment, flags: ["ProducerRefuses"], inputs: { json: bodyToJson(ToolReceiptSchema, body) } });
  const receipt0 = signsReceipt("evidence/sign/receipt-example-first-001", ["EVD-005", "EVD-008", "SIG-012"], "the first receipt of spec §9.12 (index 0, omitted; prev_hash the request hash); sha256 is the second receipt's prev_hash", ex.receipts[0]!.body, ["SpecExample"]);
  if ((receipt0.output as { sha256: string }).sha256 !== "69a10434639eedb09aea217c31d2435a80c3f61d9d9f61451e85bfcf172b5f35") throw new Error("the first receipt's hash differs from spec §9.12");
  const stdBody = std.receipts[2]!.body;
  const receiptSign = group(
    "tool-receipt.sign",
    "Signing a tool receipt given in JSON form with shared.secret_key (the provider, RFC 8032 TEST 2): the exact payload, COSE_Sign1 and message hash, which is the next receipt's prev_hash (EVD-005, EVD-008). A signer refuses a receipt a delegator would reject.",
    { secret_key: hex(PROVIDER.seed) },
    [
      receipt0,
      signsReceipt("evidence/sign/receipt-example-second-001", ["EVD-005", "EVD-008", "SIG-012"], "the second receipt of spec §9.12, linked to the first", ex.receipts[1]!.body, ["SpecExample"]),
      signsReceipt("evidence/sign/receipt-standard-third-001", ["EVD-005", "EVD-007"], "the third receipt of the standard task (index 2)", stdBody),
      refusesReceipt("evidence/sign/receipt-executor-not-signer-001", "COSE_KID_MISMATCH", ["EVD-005"], "executor names the TEST 3 key, the signing key is TEST 2's", { ...stdBody, executor: CAROL.did }),
      refusesReceipt("evidence/sign/receipt-ends-before-start-001", "EVD_TIME_DISORDER", ["EVD-011"], "ended_at before started_at", { ...stdBody, ended_at: (stdBody["started_at"] as bigint) - 1n }),
      refusesReceipt("evidence/sign/receipt-index-32-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["EVD-007", "ENC-018"], "index 32", { ...stdBody, index: 32 }),
    ],
  );

  const exClaims = claimsBody(ex.request, { issued_at: T0 + 4_100n });
  const signsClaims = (id: string, requirements: string[], comment: string, body: Body, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags: ["TestAttestation", ...flags], inputs: { json: bodyToJson(TestAttestationClaimsSchema, body) }, output: producedOutput(TestAttestationClaimsSchema, body, TEST_ROOT) });
  const attestationSign = group(
    "test-attestation.sign",
    "TEST ONLY. Signing test-format claims with shared.secret_key, the test attestation root's published secret key (SHA-256 of the seed text of spec §9.9; did:key:z6MkiP9qHuYFyJ8oZLLxup2KrjR8ZffMiitVFNXGypCjfy6z): the exact payload and COSE_Sign1, which is the evidence of a PlatformAttestation of format ap2p-test-v1 (EVD-019).",
    { secret_key: hex(TEST_ROOT.seed) },
    [
      signsClaims("evidence/sign/attestation-example-001", ["EVD-015", "EVD-019"], "the attestation of spec §9.12", exClaims, ["SpecExample"]),
      signsClaims("evidence/sign/attestation-standard-001", ["EVD-015", "EVD-019"], "the attestation of the standard task", claims),
    ],
  );

  const challenges = (id: string, comment: string, binding: Body, flags: FlagName[] = []): TestVector => {
    const challenge = attestationChallenge({ nonce: binding["nonce"] as Uint8Array, provider: binding["provider"] as string, requestHash: binding["request_hash"] as Uint8Array });
    if (hex(challenge) !== hex(sha256Of(enc(binding))) || hex(challenge) !== hex(messageHash(AttestationBindingSchema, create(AttestationBindingSchema, { nonce: binding["nonce"] as Uint8Array, provider: binding["provider"] as string, requestHash: binding["request_hash"] as Uint8Array })))) {
      throw new Error(`${id}: the challenge is not the SHA-256 of the binding's canonical encoding`);
    }
    return valid(id, { requirements: ["EVD-015"], comment, flags, inputs: { json: bodyToJson(AttestationBindingSchema, binding) }, output: { challenge: hex(challenge) } });
  };
  const challenge = group(
    "attestation.challenge",
    "The value a provider places in a platform format's single challenge slot (EVD-015): the message hash of the AttestationBinding of the request's nonce, the provider and the request hash.",
    {},
    [
      challenges("evidence/challenge/example-001", "the binding of the task of spec §9.12", { nonce: NONCE, provider: PROVIDER.did, request_hash: ex.request.hash }, ["SpecExample"]),
      challenges("evidence/challenge/nonce-16-001", "a 16-byte nonce and another request hash", { nonce: NONCE.slice(0, 16), provider: PROVIDER.did, request_hash: Rother.hash }),
    ],
  );

  return {
    name: "evidence",
    description:
      "Evidence packages (spec/09-tasks-and-evidence.md §9.5–9.9, §9.10 step 7): the package's binding, tool receipts and their hash chain, the data flow, evidence times, the trace, and platform attestation with the test-only format ap2p-test-v1 under the delegator's attestation policy; and signing receipts and test attestations, and the attestation challenge. The standard task is a Tier 3 task of the RFC 8032 TEST 1 key (delegator) to the TEST 2 key (provider), issued at T0 = 2026-01-01T00:00:00Z = 1767225600000 ms with a one-minute deadline, run as three tool steps, completed at T0 + 5 s and checked at T0 + 6 s; each invalid test changes one thing in it. Operations task-result.verify, tool-receipt.sign, test-attestation.sign, attestation.challenge.",
    groups: [validGroup, pkg, receipts, chain, time, attestation, untrusted, untrustedReject, rejectPolicy, crossKind, receiptSign, attestationSign, challenge],
  };
}

export const evidenceFile: VectorFileModule = { name: "evidence", build };
