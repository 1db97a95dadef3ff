// Shared material of task.json and evidence.json (spec/09-tasks-and-evidence.md):
// the parties, the test attestation root, and builders for task requests,
// tool receipts, evidence packages, test attestations and task results in
// the CBOR data model. Payloads are written with the generator's own CBOR
// writer and signed with the fixtures' COSE assembly; every builder takes
// overrides so that a vector changes exactly one thing. Chains are re-linked
// after a change (each prev_hash is the SHA-256 of the payload actually
// before it) unless a vector overrides prev_hash itself, so that a defect in
// one receipt does not spill into the next.
import { fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { messageHash } from "../../../reference/src/codec/hash.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret, signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { contentTypeOf, signMessage } from "../../../reference/src/signed/signed-message.js";
import { cat, hex, sha256Of, utf8 } from "../bytes.js";
import { enc } from "../cbor-writer.js";
import { DEFAULT_SKEW, MINUTE, T0 } from "../constants.js";
import { craftKey } from "../ed25519-craft.js";
import { ALICE, assemble, BOB, honestParts, sigStructure, signCose, type Peer } from "../fixtures.js";
import type { JsonObject } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";

/** The content types of the signed kinds of §9 (SIG-006), written out; build-time checks compare them with the schema's. */
export const TASK_REQUEST_CT = "application/ap2p.task-request.v1+cbor";
export const TASK_RESULT_CT = "application/ap2p.task-result.v1+cbor";
export const TOOL_RECEIPT_CT = "application/ap2p.tool-receipt.v1+cbor";
export const TEST_ATTESTATION_CT = "application/ap2p.test-attestation.v1+cbor";

/** The test-only attestation format of §9.9. */
export const TEST_FORMAT = "ap2p-test-v1";
/** The test attestation root's did:key as spec §9.9 publishes it. TEST ONLY: its secret key is public. */
export const TEST_ROOT_DID = "did:key:z6MkiP9qHuYFyJ8oZLLxup2KrjR8ZffMiitVFNXGypCjfy6z";

function peerOf(name: string, seed: Uint8Array): Peer {
  const publicKey = publicKeyFromSecret(seed);
  return { name, seed, publicKey, did: didFromPublicKey(publicKey), craft: craftKey(seed) };
}

/** The test attestation root: secret key SHA-256 of the published seed text (§9.9). */
export const TEST_ROOT = peerOf("ap2p-test-v1-root", sha256Of(utf8("ap2p-test-v1 attestation root (test only, never trust)")));
if (TEST_ROOT.did !== TEST_ROOT_DID) throw new Error(`the test root seed gives ${TEST_ROOT.did}, spec §9.9 publishes ${TEST_ROOT_DID}`);

/** The delegator (RFC 8032 TEST 1) and the provider (TEST 2) of every task, as in spec §9.12. */
export const DELEGATOR = ALICE;
export const PROVIDER = BOB;

/** VerificationTier and TaskStatus numbers (descriptor.proto, task.proto). */
export const TIER = { REPUTATION: 1, CANARY: 2, EVIDENCE: 3 } as const;
export const STATUS = { COMPLETED: 1, FAILED: 2, DECLINED: 3 } as const;

/** The request's nonce: the bytes 00 to 1f (§9.12); and another delegator-chosen nonce for a second task. */
export const NONCE = Uint8Array.from({ length: 32 }, (_, i) => i);
export const OTHER_NONCE = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);

/** The requested capability (§9.12). */
export const CAPABILITY: Body = { namespace: "ai.image", id: "generate", version: "1.2.0" };

/** The task's input, the products of the three tools of the standard pipeline, and its output. */
export const INPUT = utf8("a red bicycle leaning on a wall");
const PNG = (s: string) => cat(Uint8Array.of(0x89), utf8(s));
export const PRODUCTS: readonly Uint8Array[] = [INPUT, utf8("a red bicycle leaning on a wall, watercolour"), PNG("PNG latent"), PNG("PNG final image")];
export const OUTPUT = PRODUCTS[3]!;
export const TOOLS = ["ap2p.tool/prompt-expand@1", "ap2p.tool/image-diffusion@1", "ap2p.tool/png-encode@1"] as const;
export const MEASUREMENT = sha256Of(utf8("example provider runtime 1.0"));

/** Times of the standard task: issued at T0 with a one-minute deadline, completed 5 s in, arriving 6 s in. */
export const ISSUED = T0;
export const DEADLINE = T0 + MINUTE;
export const COMPLETED = T0 + 5_000n;
export const ARRIVED = T0 + 6_000n;
export const ATTESTED = T0 + 4_000n;

const dec = (n: bigint) => n.toString();

/** A body without the fields set to undefined (the writer and the JSON form skip them anyway; this keeps spreads tidy). */
export type Overrides = Body;

// ---------------------------------------------------------------------------
// Requests

/** A Tier 3 request for the standard task with a test attestation (the request of spec §9.12); any field can be overridden, undefined drops it. */
export function requestBody(overrides: Overrides = {}): Body {
  return {
    delegator: DELEGATOR.did,
    provider: PROVIDER.did,
    nonce: NONCE,
    capability: CAPABILITY,
    input_hash: sha256Of(INPUT),
    input: INPUT,
    required_tier: TIER.EVIDENCE,
    attestation_formats: [TEST_FORMAT],
    issued_at: ISSUED,
    deadline: DEADLINE,
    ...overrides,
  };
}

/** A request at a lower tier, without attestation formats. */
export function plainRequestBody(tier: number, overrides: Overrides = {}): Body {
  return requestBody({ required_tier: tier, attestation_formats: undefined, ...overrides });
}

/** A signed message of the vectors: its body, canonical payload, COSE_Sign1 and message hash. */
export interface Signed {
  readonly body: Body;
  readonly payload: Uint8Array;
  readonly cose: Uint8Array;
  /** SHA-256 of the payload: the message hash (ENC-020) when the payload is canonical. */
  readonly hash: Uint8Array;
}

/** Signs a body honestly under a content type. */
export function signBody(body: Body, contentType: string, signer: Peer): Signed {
  const payload = enc(body);
  return { body, payload, cose: signCose(signer, contentType, payload), hash: sha256Of(payload) };
}

/** A COSE_Sign1 whose kid names `kid` but whose signature is by `signer` (a forgery). */
export function forged(kid: Peer, signer: Peer, contentType: string, payload: Uint8Array): Uint8Array {
  const parts = honestParts(kid, contentType, payload);
  return assemble({ ...parts, signature: signEd25519(signer.seed, sigStructure(parts.protectedBytes, payload)) });
}

/** A signed request. */
export function signedRequest(body: Body = requestBody(), signer: Peer = DELEGATOR): Signed {
  return signBody(body, TASK_REQUEST_CT, signer);
}

// ---------------------------------------------------------------------------
// Receipts

/** One receipt of a chain: field overrides, and how it is signed. */
export interface ReceiptSpec {
  /** Overrides of the receipt's fields (index and prev_hash included); undefined drops a field. */
  readonly fields?: Overrides;
  /** The signer (default the provider); its did is the kid. */
  readonly signer?: Peer;
  /** The payload bytes instead of the canonical encoding of the body. */
  readonly payload?: (body: Body) => Uint8Array;
  /** The COSE_Sign1 bytes instead of an honest signature over the payload. */
  readonly cose?: (payload: Uint8Array, body: Body) => Uint8Array;
}

/** A receipt as built: body, payload bytes, COSE_Sign1 bytes. */
export interface BuiltReceipt {
  readonly body: Body;
  readonly payload: Uint8Array;
  readonly cose: Uint8Array;
}

/** The fields of step i of the standard pipeline (tool i on PRODUCTS[i], 500 ms each, one second apart). */
export function stepFields(i: number): Body {
  return {
    executor: PROVIDER.did,
    tool: TOOLS[i]!,
    input_hash: sha256Of(PRODUCTS[i]!),
    output_hash: sha256Of(PRODUCTS[i + 1]!),
    started_at: T0 + 1_000n + BigInt(i) * 1_000n,
    ended_at: T0 + 1_500n + BigInt(i) * 1_000n,
  };
}

/** The three standard steps, unchanged. */
export const STANDARD_STEPS: readonly ReceiptSpec[] = [0, 1, 2].map((i) => ({ fields: stepFields(i) }));

/** The standard steps with one step's spec replaced (its fields merged over the standard ones). */
export function withStep(i: number, spec: ReceiptSpec): ReceiptSpec[] {
  return STANDARD_STEPS.map((s, j) => (j === i ? { ...spec, fields: { ...s.fields, ...spec.fields } } : s));
}

/**
 * Builds a receipt chain from `firstPrev` (the request hash): position i gets
 * index i (omitted when 0, ENC-013) and prev_hash = SHA-256 of the previous
 * receipt's payload bytes, unless the spec overrides them.
 */
export function buildReceipts(firstPrev: Uint8Array, specs: readonly ReceiptSpec[]): BuiltReceipt[] {
  let prev = firstPrev;
  return specs.map((spec, i) => {
    const body: Body = { index: i === 0 ? undefined : i, prev_hash: prev, ...spec.fields };
    const payload = spec.payload ? spec.payload(body) : enc(body);
    const cose = spec.cose ? spec.cose(payload, body) : signCose(spec.signer ?? PROVIDER, TOOL_RECEIPT_CT, payload);
    prev = sha256Of(payload);
    return { body, payload, cose };
  });
}

// ---------------------------------------------------------------------------
// Attestation

/** Test-format claims for a request: its nonce and hash, the provider, the measurement, issued 4 s into the task. */
export function claimsBody(request: Signed, overrides: Overrides = {}): Body {
  return {
    nonce: request.body["nonce"] as Uint8Array,
    provider: PROVIDER.did,
    request_hash: request.hash,
    measurement: MEASUREMENT,
    issued_at: ATTESTED,
    ...overrides,
  };
}

/** A PlatformAttestation body of the test format whose evidence is the root's signature over the claims. */
export function testAttestation(claims: Body, signer: Peer = TEST_ROOT): Body {
  return { format: TEST_FORMAT, evidence: signCose(signer, TEST_ATTESTATION_CT, enc(claims)) };
}

/** The standard trace: two model calls, the first with text and a detail hash. */
export const STANDARD_TRACE: readonly Body[] = [
  { at: T0 + 1_200n, kind: "model.call", text: "diffusion model, 20 steps", detail_hash: sha256Of(utf8("model call detail")) },
  { at: T0 + 2_200n, kind: "model.call" },
];

// ---------------------------------------------------------------------------
// Results

/** What a task result is made of; everything defaults to the valid standard Tier 3 task. */
export interface TaskSpec {
  /** The request the delegator sent (default: the standard Tier 3 request). */
  readonly request?: Signed;
  /** The receipts (default: the three standard steps); [] for none. */
  readonly receipts?: readonly ReceiptSpec[];
  /** The first receipt's prev_hash anchor (default: the request's hash). */
  readonly chainAnchor?: Uint8Array;
  /** The trace (default: the standard trace). */
  readonly trace?: readonly Body[];
  /** The attestation body; null for none (default: a test attestation over claimsBody(request)). */
  readonly attestation?: Body | null;
  /** Overrides of the evidence fields; null leaves the package out. */
  readonly evidence?: Overrides | null;
  /** Overrides of the result fields. */
  readonly result?: Overrides;
  /** The result's signer (default: the provider). */
  readonly signer?: Peer;
  /** The result's COSE_Sign1 bytes instead of an honest signature. */
  readonly cose?: (payload: Uint8Array) => Uint8Array;
}

/** A built task: the request, the receipts and the signed result. */
export interface BuiltTask {
  readonly request: Signed;
  readonly receipts: readonly BuiltReceipt[];
  readonly result: Signed;
}

/** The evidence package body of a task. */
export function evidenceBody(request: Signed, receipts: readonly BuiltReceipt[], trace: readonly Body[], attestation: Body | null, overrides: Overrides = {}): Body {
  return {
    request_hash: request.hash,
    nonce: request.body["nonce"] as Uint8Array,
    receipts: receipts.length === 0 ? undefined : receipts.map((r) => ({ cose_sign1: r.cose })),
    trace: trace.length === 0 ? undefined : [...trace],
    attestation: attestation ?? undefined,
    ...overrides,
  };
}

/** Builds a task's result from a spec. */
export function buildTask(spec: TaskSpec = {}): BuiltTask {
  const request = spec.request ?? signedRequest();
  const receipts = buildReceipts(spec.chainAnchor ?? request.hash, spec.receipts ?? STANDARD_STEPS);
  const attestation = spec.attestation === undefined ? testAttestation(claimsBody(request)) : spec.attestation;
  const evidence = spec.evidence === null ? undefined : evidenceBody(request, receipts, spec.trace ?? STANDARD_TRACE, attestation, spec.evidence ?? {});
  const body: Body = {
    request_hash: request.hash,
    provider: PROVIDER.did,
    status: STATUS.COMPLETED,
    output_hash: sha256Of(OUTPUT),
    output: OUTPUT,
    completed_at: COMPLETED,
    evidence,
    ...spec.result,
  };
  const payload = enc(body);
  const cose = spec.cose ? spec.cose(payload) : signCose(spec.signer ?? PROVIDER, TASK_RESULT_CT, payload);
  return { request, receipts, result: { body, payload, cose, hash: sha256Of(payload) } };
}

/** A result without evidence for a request below Tier 3 (for the result rules of §9.4 alone). */
export function plainTask(resultOverrides: Overrides = {}, request: Signed = signedRequest(plainRequestBody(TIER.REPUTATION)), more: Omit<TaskSpec, "request" | "result" | "evidence"> = {}): BuiltTask {
  return buildTask({ ...more, request, evidence: null, result: resultOverrides });
}

/** A COSE_Sign1 by `signer` over `original`, carrying `altered` as its payload instead: content changed in transit. */
export function alteredAfterSigning(signer: Peer, contentType: string, original: Uint8Array, altered: Uint8Array): Uint8Array {
  return assemble({ ...honestParts(signer, contentType, original), payload: altered });
}

// ---------------------------------------------------------------------------
// Operation inputs

/** The shared inputs of task-result.verify: the delegator's clock, skew and attestation policy. */
export function delegatorPolicy(now: bigint, verifiers: readonly string[] = [TEST_FORMAT], unknown: "ignore" | "reject" = "ignore", skew: bigint = DEFAULT_SKEW): JsonObject {
  return { now: dec(now), clock_skew_ms: dec(skew), attestation_verifiers: [...verifiers], unknown_attestation: unknown };
}

/** The inputs of task-result.verify. */
export function resultInputs(task: BuiltTask | { request: Signed; result: Uint8Array }, output?: Uint8Array): JsonObject {
  const result = task.result instanceof Uint8Array ? task.result : task.result.cose;
  return { request: hex(task.request.cose), result: hex(result), ...(output === undefined ? {} : { output: hex(output) }) };
}

// ---------------------------------------------------------------------------
// The worked example of spec §9.12

/** The worked example of spec §9.12: two steps, no trace, a test attestation at 4.1 s, completed at 4.2 s. */
export function example(): BuiltTask {
  const output = new Uint8Array([0x89, ...utf8("PNG example image")]);
  const request = signedRequest();
  return buildTask({
    request,
    receipts: [
      { fields: { executor: PROVIDER.did, tool: TOOLS[0], input_hash: sha256Of(INPUT), output_hash: sha256Of(PRODUCTS[1]!), started_at: T0 + 1_000n, ended_at: T0 + 1_200n } },
      { fields: { executor: PROVIDER.did, tool: TOOLS[1], input_hash: sha256Of(PRODUCTS[1]!), output_hash: sha256Of(output), started_at: T0 + 1_200n, ended_at: T0 + 4_000n } },
    ],
    trace: [],
    attestation: testAttestation(claimsBody(request, { issued_at: T0 + 4_100n })),
    result: { output_hash: sha256Of(output), output, completed_at: T0 + 4_200n },
  });
}


// ---------------------------------------------------------------------------
// Produce side

/**
 * The exact output of a sign operation for a body given in JSON form: the
 * canonical payload, the COSE_Sign1 and the message hash, computed by the
 * reference encoder and signer (produce side), and cross-checked here
 * against the generator's own CBOR writer and COSE assembly.
 */
export function producedOutput(desc: DescMessage, body: Body, signer: Peer): JsonObject {
  const message = fromJson(desc, bodyToJson(desc, body) as JsonValue);
  const payload = encodeMessage(desc, message);
  const cose = signMessage(desc, message, signer.seed);
  const hash = messageHash(desc, message);
  const mine = enc(body);
  if (hex(payload) !== hex(mine)) throw new Error(`${desc.typeName}: the reference encoding differs from the generator's writer`);
  if (hex(cose) !== hex(signCose(signer, contentTypeOf(desc), mine))) throw new Error(`${desc.typeName}: the reference COSE_Sign1 differs from the generator's assembly`);
  if (hex(hash) !== hex(sha256Of(mine))) throw new Error(`${desc.typeName}: the message hash is not the SHA-256 of the payload`);
  return { payload: hex(payload), cose: hex(cose), sha256: hex(hash) };
}
