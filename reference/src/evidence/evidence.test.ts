import { readFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { AttestationBindingSchema, PlatformAttestationSchema, TestAttestationClaimsSchema, ToolReceiptSchema } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskResultSchema, TaskStatus } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { decodeCanonical } from "../cbor/decode.js";
import { toDiagnostic } from "../cbor/diagnostic.js";
import { messageHash, sha256Bytes } from "../codec/hash.js";
import { parseSign1 } from "../cose/sign1.js";
import { reject } from "../errors.js";
import { buildTaskResult } from "../task/build-result.js";
import { executeTask } from "../task/execute.js";
import { issueTaskRequest } from "../task/issue-request.js";
import { DEFAULT_TASK_POLICY } from "../task/policy.js";
import { verifyTaskRequest } from "../task/verify-request.js";
import { verifyTaskResult, type TaskResultContext } from "../task/verify-result.js";
import { issueTestAttestation, testAttestationVerifier, TEST_ATTESTATION_FORMAT, TEST_ATTESTATION_ROOT_DID, TEST_ATTESTATION_ROOT_SECRET_KEY, TEST_ATTESTATION_ROOT_SEED } from "./attestation/test-format.js";
import { attestationChallenge, attestationRegistry, NO_ATTESTATION_VERIFIERS, type AttestationVerifier } from "./attestation/verifier.js";
import { exampleTask } from "./example.js";
import { buildEvidencePackage } from "./package.js";
import { ReceiptChain } from "./receipts.js";
import { runToolChain, type Tool } from "./runner.js";
import {
  ARRIVED_AT,
  COMPLETED_AT,
  DEADLINE,
  DELEGATOR_SK,
  MEASUREMENT,
  NONCE,
  OFFERED,
  OTHER,
  OTHER_SK,
  PROVIDER,
  PROVIDER_SK,
  relink,
  scenario,
  seal,
  signAny,
  signReceipts,
  T0,
  type ReceiptFields,
  type SealOptions,
} from "./testing/forge.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const SKEW = DEFAULT_TASK_POLICY.clockSkewMs;
const TRUSTED = attestationRegistry([testAttestationVerifier]);
const S = scenario();

const verify = (bytes: Uint8Array, ctx: Partial<TaskResultContext> = {}, s = S) =>
  verifyTaskResult(bytes, { request: s.requestBytes, now: ARRIVED_AT, attestationVerifiers: TRUSTED, ...ctx });
const code = (bytes: Uint8Array, ctx: Partial<TaskResultContext> = {}, s = S) => {
  const v = verify(bytes, ctx, s);
  return v.ok ? "ok" : v.error.code;
};
const sealed = (options: SealOptions, s = S) => seal(s, options);
/** The scenario's receipts with fields changed, signed by the provider; relinked unless told not to. */
const withSteps = (change: (steps: ReceiptFields[]) => ReceiptFields[], options: { relink?: boolean; s?: typeof S } = {}) => {
  const s = options.s ?? S;
  const steps = change(s.steps.map((f) => ({ ...f })));
  return signReceipts(options.relink === false ? steps : relink(steps, s.requestHash));
};
const attest = (over: Partial<Parameters<typeof issueTestAttestation>[0]> = {}) =>
  issueTestAttestation({ nonce: NONCE, provider: PROVIDER, requestHash: S.requestHash, measurement: MEASUREMENT, issuedAt: T0 + 4_000n, ...over });

/** A provider's tools: a pipeline of three steps, each a pure function of its input. */
const TOOLS: Tool[] = [
  { id: "ap2p.tool/prompt-expand@1", run: (input, trace) => (trace.record("model.call", { text: "expand", detail: input }), new Uint8Array([...input, ...utf8(", watercolour")])) },
  { id: "ap2p.tool/image-diffusion@1", run: async (input) => sha256Bytes(input) },
  { id: "ap2p.tool/png-encode@1", run: (input) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...input]) },
];
/** A clock that advances 100 ms each time it is read. */
const ticking = (start: bigint) => {
  let t = start;
  return () => (t += 100n);
};

describe("end to end (spec §9.4 to §9.10)", () => {
  it("a provider runs a verified request through its tools; the delegator verifies receipts, trace and a test attestation", async () => {
    const req = issueTaskRequest(
      DELEGATOR_SK,
      { provider: PROVIDER, capability: { namespace: "ai.image", id: "generate", version: "1.2.0" }, input: utf8("a red bicycle"), requiredTier: VerificationTier.EVIDENCE, attestationFormats: [TEST_ATTESTATION_FORMAT] },
      { now: T0, timeoutMs: 60_000n, random: (n) => new Uint8Array(n).fill(0x42) },
    );
    const accepted = verifyTaskRequest(req.bytes, { now: T0 + 50n, provider: PROVIDER, offered: OFFERED });
    if (!accepted.ok) throw accepted.error;
    const clock = ticking(T0 + 100n);
    const result = await executeTask(PROVIDER_SK, accepted.value, TOOLS, {
      clock,
      attest: ({ nonce, provider, requestHash, formats }) => {
        expect(formats).toEqual([TEST_ATTESTATION_FORMAT]);
        return issueTestAttestation({ nonce, provider, requestHash, measurement: MEASUREMENT, issuedAt: clock() });
      },
    });
    const v = verifyTaskResult(result.bytes, { request: req.bytes, now: T0 + 5_000n, attestationVerifiers: TRUSTED });
    if (!v.ok) throw v.error;
    expect(v.value.message.status).toBe(TaskStatus.COMPLETED);
    expect(v.value.evidence?.receipts.map((r) => r.tool)).toEqual(TOOLS.map((t) => t.id));
    expect(v.value.evidence?.trace.map((e) => e.kind)).toEqual(["model.call"]);
    expect(v.value.evidence?.attestation?.appraisal?.measurement).toEqual(MEASUREMENT);
    let expected: Uint8Array = utf8("a red bicycle");
    for (const t of TOOLS) expected = await t.run(expected, { record: () => undefined } as never);
    expect(v.value.output).toEqual(expected);
  });
  it("the forged scenario itself is valid: three receipts, a trace and an attestation", () => {
    const v = verify(sealed({}));
    if (!v.ok) throw v.error;
    expect(v.value.evidence?.receipts.length).toBe(3);
    expect(v.value.evidence?.attestation?.format).toBe(TEST_ATTESTATION_FORMAT);
  });
  it("a tool that fails ends the chain: a FAILED result whose evidence holds the completed steps", async () => {
    const req = issueTaskRequest(
      DELEGATOR_SK,
      { provider: PROVIDER, capability: { namespace: "ai.image", id: "generate", version: "1.2.0" }, input: utf8("x"), requiredTier: VerificationTier.EVIDENCE },
      { now: T0, timeoutMs: 60_000n, random: (n) => new Uint8Array(n).fill(1) },
    );
    const accepted = verifyTaskRequest(req.bytes, { now: T0, provider: PROVIDER, offered: OFFERED });
    if (!accepted.ok) throw accepted.error;
    const broken: Tool = { id: "ap2p.tool/explode@1", run: () => { throw new Error("secret internal detail"); } };
    const result = await executeTask(PROVIDER_SK, accepted.value, [TOOLS[0]!, broken, TOOLS[2]!], { clock: ticking(T0) });
    expect(result.result.status).toBe(TaskStatus.FAILED);
    expect(result.result.reason).toBe("tool ap2p.tool/explode@1 failed");
    const v = verifyTaskResult(result.bytes, { request: req.bytes, now: T0 + 1_000n });
    if (!v.ok) throw v.error;
    expect(v.value.evidence?.receipts.length).toBe(1);
  });
  it("below Tier 3 the provider sends no evidence, and none is required", async () => {
    const req = issueTaskRequest(
      DELEGATOR_SK,
      { provider: PROVIDER, capability: { namespace: "ai.image", id: "generate", version: "1.2.0" }, input: utf8("x"), requiredTier: VerificationTier.CANARY },
      { now: T0, timeoutMs: 60_000n, random: (n) => new Uint8Array(n).fill(3) },
    );
    const accepted = verifyTaskRequest(req.bytes, { now: T0, provider: PROVIDER, offered: OFFERED });
    if (!accepted.ok) throw accepted.error;
    const result = await executeTask(PROVIDER_SK, accepted.value, TOOLS, { clock: ticking(T0) });
    expect(result.result.evidence).toBeUndefined();
    expect(verifyTaskResult(result.bytes, { request: req.bytes, now: T0 + 1_000n }).ok).toBe(true);
  });
});

describe("evidence packages (spec §9.5)", () => {
  it("EVD-001: a completed Tier 3 result without evidence", async () => {
    expect(code(sealed({ evidence: null }))).toBe("EVD_EVIDENCE_MISSING");
    // A failed task owes no evidence.
    expect(code(sealed({ evidence: null, result: { status: TaskStatus.FAILED, outputHash: new Uint8Array(0), output: undefined } }))).toBe("ok");
    // The provider's builder refuses to leave it out.
    expect(() => buildTaskResult(PROVIDER_SK, S.request, { status: TaskStatus.COMPLETED, output: S.output, completedAt: COMPLETED_AT })).toThrow(/EVD-001/);
    await expect(executeTask(PROVIDER_SK, { message: S.request, hash: S.requestHash, input: undefined }, TOOLS, { clock: ticking(T0) })).rejects.toThrow(/detached/);
  });
  it("EVD-002: evidence bound to another request hash", () => {
    expect(code(sealed({ evidence: { requestHash: sha256Bytes(utf8("another request")) } }))).toBe("EVD_REQUEST_HASH_MISMATCH");
  });
  it("EVD-003: evidence carrying another nonce", () => {
    expect(code(sealed({ evidence: { nonce: new Uint8Array(32).fill(0xee) } }))).toBe("EVD_NONCE_MISMATCH");
  });
  it("EVD-004: a completed task's evidence with no receipt (missing receipt)", () => {
    expect(code(sealed({ receipts: [] }))).toBe("EVD_RECEIPTS_MISSING");
  });
  it("EVD-013: evidence that is present is verified even when the tier does not require it", () => {
    const s = scenario({ tier: VerificationTier.CANARY, attestationFormats: [] });
    expect(code(sealed({ evidence: { attestation: undefined } }, s), {}, s)).toBe("ok");
    expect(code(sealed({ evidence: { attestation: undefined, nonce: new Uint8Array(16) } }, s), {}, s)).toBe("EVD_NONCE_MISMATCH");
    expect(code(sealed({ evidence: { attestation: undefined }, receipts: [] }, s), {}, s)).toBe("EVD_RECEIPTS_MISSING");
  });
  it("buildEvidencePackage binds to the request and refuses ill-formed content", () => {
    const chain = new ReceiptChain(PROVIDER_SK, { requestHash: S.requestHash, inputHash: S.request.inputHash });
    chain.append({ tool: "ap2p.tool/a@1", inputHash: S.request.inputHash, outputHash: sha256Bytes(S.output), startedAt: T0 + 1n, endedAt: T0 + 2n });
    const pkg = buildEvidencePackage({ hash: S.requestHash, nonce: NONCE }, { receipts: chain.receipts });
    expect(pkg.requestHash).toEqual(S.requestHash);
    expect(pkg.receipts.length).toBe(1);
    expect(() => buildEvidencePackage({ hash: new Uint8Array(3), nonce: NONCE }, { receipts: [] })).toThrow(/request_hash/);
  });
});

describe("tool receipts and the chain (spec §9.6)", () => {
  it("EVD-005: each receipt is a COSE_Sign1 under the tool-receipt content type, signed by its executor", () => {
    const env = parseSign1(signReceipts(S.steps)[0]!, "application/ap2p.tool-receipt.v1+cbor");
    expect(env.ok && env.value.kid).toBe(PROVIDER);
    // A receipt whose executor field names someone other than its signer.
    const receipts = signReceipts(S.steps);
    receipts[1] = signAny(ToolReceiptSchema, { ...S.steps[1]!, executor: OTHER }, PROVIDER_SK);
    expect(code(sealed({ receipts }))).toBe("COSE_KID_MISMATCH");
    // A receipt whose signature does not verify.
    const bad = signReceipts(S.steps);
    bad[2]![bad[2]!.length - 1]! ^= 1;
    const v = verify(sealed({ receipts: bad }));
    expect(!v.ok && [v.error.code, v.error.path]).toEqual(["SIG_INVALID", "evidence.receipts[2]"]);
  });
  it("EVD-005: cross-kind replay: a result or a request is not accepted as a receipt", () => {
    const receipts = signReceipts(S.steps);
    receipts[0] = sealed({ evidence: null });
    expect(code(sealed({ receipts }))).toBe("COSE_CONTENT_TYPE_MISMATCH");
    receipts[0] = S.requestBytes;
    expect(code(sealed({ receipts }))).toBe("COSE_CONTENT_TYPE_MISMATCH");
  });
  it("EVD-006: a receipt signed by an executor other than the provider (wrong signer)", () => {
    const steps = relink(S.steps.map((f, i) => (i === 1 ? { ...f, executor: OTHER } : f)), S.requestHash);
    const receipts = steps.map((f, i) => signAny(ToolReceiptSchema, f, i === 1 ? OTHER_SK : PROVIDER_SK));
    expect(code(sealed({ receipts }))).toBe("EVD_EXECUTOR_MISMATCH");
    // Every receipt signed by another peer, and the result too: still not the provider the request named.
    expect(code(sealed({ receipts: signReceipts(S.steps.map((f) => ({ ...f, executor: OTHER })), OTHER_SK), result: { provider: OTHER }, secretKey: OTHER_SK }))).toBe("TASK_WRONG_PROVIDER");
  });
  it("EVD-007: a dropped, repeated or reordered receipt leaves a gap in the indexes", () => {
    const r = signReceipts(S.steps);
    expect(code(sealed({ receipts: [r[0]!, r[2]!] }))).toBe("EVD_RECEIPT_INDEX_MISMATCH");
    expect(code(sealed({ receipts: [r[1]!, r[2]!] }))).toBe("EVD_RECEIPT_INDEX_MISMATCH");
    expect(code(sealed({ receipts: [r[0]!, r[0]!, r[1]!, r[2]!] }))).toBe("EVD_RECEIPT_INDEX_MISMATCH");
    expect(code(sealed({ receipts: [r[0]!, r[2]!, r[1]!] }))).toBe("EVD_RECEIPT_INDEX_MISMATCH");
  });
  it("EVD-008: a broken hash chain", () => {
    const wrongFirst = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, prevHash: sha256Bytes(utf8("not the request")) } : f)), { relink: false });
    expect(code(sealed({ receipts: wrongFirst }))).toBe("EVD_CHAIN_BROKEN");
    // A step re-signed with other content: the next receipt no longer links to it.
    const edited = S.steps.map((f) => ({ ...f }));
    edited[1] = { ...edited[1]!, tool: "ap2p.tool/other-model@1" };
    expect(code(sealed({ receipts: signReceipts(edited) }))).toBe("EVD_CHAIN_BROKEN");
    // A provider that drops a step and renumbers the rest still breaks the chain.
    const renumbered = [S.steps[0]!, { ...S.steps[2]!, index: 1 }];
    expect(code(sealed({ receipts: signReceipts(renumbered) }))).toBe("EVD_CHAIN_BROKEN");
  });
  it("EVD-008: the chain links payload hashes, not the COSE_Sign1 bytes", () => {
    const [r0] = signReceipts(S.steps);
    const env = parseSign1(r0!, "application/ap2p.tool-receipt.v1+cbor");
    if (!env.ok) throw env.error;
    expect(S.steps[1]!.prevHash).toEqual(sha256Bytes(env.value.payload));
    expect(S.steps[1]!.prevHash).toEqual(messageHash(ToolReceiptSchema, create(ToolReceiptSchema, S.steps[0]!)));
    expect(S.steps[1]!.prevHash).not.toEqual(sha256Bytes(r0!));
    expect(S.steps[0]!.prevHash).toEqual(S.requestHash);
  });
  it("EVD-009: a receipt whose input is not the previous product (wrong hash)", () => {
    const first = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, inputHash: sha256Bytes(utf8("another input")) } : f)));
    expect(code(sealed({ receipts: first }))).toBe("EVD_INPUT_HASH_MISMATCH");
    const middle = withSteps((st) => st.map((f, i) => (i === 2 ? { ...f, inputHash: sha256Bytes(utf8("spliced")) } : f)));
    expect(code(sealed({ receipts: middle }))).toBe("EVD_INPUT_HASH_MISMATCH");
    // A provider that drops a step and re-makes a consistent chain still breaks the data flow.
    expect(code(sealed({ receipts: withSteps((st) => [st[0]!, st[2]!]) }))).toBe("EVD_INPUT_HASH_MISMATCH");
  });
  it("EVD-010: the last receipt's output is not the result's output (a dropped last receipt)", () => {
    expect(code(sealed({ receipts: signReceipts(S.steps).slice(0, 2) }))).toBe("EVD_OUTPUT_HASH_MISMATCH");
    const other = utf8("a different image");
    expect(code(sealed({ result: { output: other, outputHash: sha256Bytes(other) } }))).toBe("EVD_OUTPUT_HASH_MISMATCH");
  });
  it("EVD-011: time disorder within a receipt, between receipts, and in the trace", () => {
    const backwards = withSteps((st) => st.map((f, i) => (i === 1 ? { ...f, startedAt: f.endedAt + 1n } : f)));
    expect(code(sealed({ receipts: backwards }))).toBe("EVD_TIME_DISORDER");
    const overlap = withSteps((st) => st.map((f, i) => (i === 2 ? { ...f, startedAt: st[1]!.endedAt - 1n } : f)));
    expect(code(sealed({ receipts: overlap }))).toBe("EVD_TIME_DISORDER");
    const touching = withSteps((st) => st.map((f, i) => (i === 2 ? { ...f, startedAt: st[1]!.endedAt } : f)));
    expect(code(sealed({ receipts: touching }))).toBe("ok");
    const instant = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, endedAt: f.startedAt } : f)));
    expect(code(sealed({ receipts: instant }))).toBe("ok");
    expect(code(sealed({ evidence: { trace: [{ at: T0 + 2_000n, kind: "a" }, { at: T0 + 1_999n, kind: "b" }] } }))).toBe("EVD_TIME_DISORDER");
  });
  it("EVD-012: evidence times outside [issued_at − skew, completed_at]", () => {
    const early = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, startedAt: T0 - SKEW - 1n } : f)));
    expect(code(sealed({ receipts: early }))).toBe("EVD_TIME_OUTSIDE_WINDOW");
    const edge = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, startedAt: T0 - SKEW } : f)));
    expect(code(sealed({ receipts: edge }))).toBe("ok");
    const after = withSteps((st) => st.map((f, i) => (i === 2 ? { ...f, endedAt: COMPLETED_AT + 1n } : f)));
    expect(code(sealed({ receipts: after }))).toBe("EVD_TIME_OUTSIDE_WINDOW");
    expect(code(sealed({ evidence: { trace: [{ at: COMPLETED_AT + 1n, kind: "late" }] } }))).toBe("EVD_TIME_OUTSIDE_WINDOW");
    expect(code(sealed({ evidence: { trace: [{ at: T0 - SKEW - 1n, kind: "early" }] } }))).toBe("EVD_TIME_OUTSIDE_WINDOW");
  });
  it("ReceiptChain refuses a step that does not continue the chain", () => {
    const chain = new ReceiptChain(PROVIDER_SK, { requestHash: S.requestHash, inputHash: S.request.inputHash });
    expect(() => chain.append({ tool: "ap2p.tool/a@1", inputHash: sha256Bytes(utf8("?")), outputHash: S.request.inputHash, startedAt: T0, endedAt: T0 })).toThrow(/input/);
    chain.append({ tool: "ap2p.tool/a@1", inputHash: S.request.inputHash, outputHash: sha256Bytes(utf8("1")), startedAt: T0, endedAt: T0 + 5n });
    expect(() => chain.append({ tool: "ap2p.tool/b@1", inputHash: sha256Bytes(utf8("1")), outputHash: sha256Bytes(utf8("2")), startedAt: T0 + 4n, endedAt: T0 + 6n })).toThrow(/EVD-011/);
    expect(chain.receipts[0]!.receipt.prevHash).toEqual(S.requestHash);
  });
  it("runToolChain signs one receipt per step, linked and in time order", async () => {
    const run = await runToolChain(PROVIDER_SK, { requestHash: S.requestHash, input: S.input }, TOOLS, ticking(T0));
    expect(run.ok).toBe(true);
    expect(run.receipts.map((r) => r.receipt.index)).toEqual([0, 1, 2]);
    expect(run.receipts[1]!.receipt.prevHash).toEqual(run.receipts[0]!.hash);
    await expect(runToolChain(PROVIDER_SK, { requestHash: S.requestHash, input: S.input }, [], ticking(T0))).rejects.toThrow(/at least one tool/);
    const notBytes: Tool = { id: "ap2p.tool/bad@1", run: () => "text" as unknown as Uint8Array };
    await expect(runToolChain(PROVIDER_SK, { requestHash: S.requestHash, input: S.input }, [notBytes], ticking(T0))).rejects.toThrow(/bytes/);
  });
});

describe("platform attestation (spec §9.8, §9.9)", () => {
  it("EVD-015: the challenge for single-slot formats is the message hash of the binding", () => {
    const binding = { nonce: NONCE, provider: PROVIDER, requestHash: S.requestHash };
    const challenge = attestationChallenge(binding);
    expect(challenge).toEqual(messageHash(AttestationBindingSchema, create(AttestationBindingSchema, binding)));
    expect(challenge.length).toBe(32);
    expect(attestationChallenge({ ...binding, nonce: new Uint8Array(16) })).not.toEqual(challenge);
    expect(attestationChallenge({ ...binding, provider: OTHER })).not.toEqual(challenge);
  });
  it("EVD-015: a format verifier that checks its challenge slot rejects a replayed quote", () => {
    // A single-slot format, as a platform would produce: challenge ‖ signature-free measurement.
    const slotFormat: AttestationVerifier = {
      format: "example-slot",
      verify: (evidence, ctx) => {
        const expected = attestationChallenge(ctx);
        const got = evidence.subarray(0, 32);
        return Buffer.from(got).equals(Buffer.from(expected)) ? { ok: true, value: { format: "example-slot" } } : reject("EVD_ATTESTATION_NONCE_MISMATCH", "challenge slot mismatch");
      },
    };
    const s = scenario({ attestationFormats: ["example-slot"] });
    const registry = attestationRegistry([slotFormat]);
    const fresh = create(PlatformAttestationSchema, { format: "example-slot", evidence: attestationChallenge({ nonce: s.request.nonce, provider: PROVIDER, requestHash: s.requestHash }) });
    expect(code(sealed({ evidence: { attestation: fresh } }, s), { attestationVerifiers: registry }, s)).toBe("ok");
    const replayed = create(PlatformAttestationSchema, { format: "example-slot", evidence: attestationChallenge({ nonce: new Uint8Array(32), provider: PROVIDER, requestHash: s.requestHash }) });
    expect(code(sealed({ evidence: { attestation: replayed } }, s), { attestationVerifiers: registry }, s)).toBe("EVD_ATTESTATION_NONCE_MISMATCH");
  });
  it("EVD-016: an unknown format fails when the request requires attestation", () => {
    expect(code(sealed({}), { attestationVerifiers: NO_ATTESTATION_VERIFIERS })).toBe("EVD_ATTESTATION_FORMAT_UNKNOWN");
    const s = scenario({ attestationFormats: ["tpm2-quote"] });
    const tpm = create(PlatformAttestationSchema, { format: "tpm2-quote", evidence: new Uint8Array([1, 2, 3]) });
    expect(code(sealed({ evidence: { attestation: tpm } }, s), {}, s)).toBe("EVD_ATTESTATION_FORMAT_UNKNOWN");
  });
  it("EVD-016: an optional attestation of an unknown format is ignored or rejected as policy says", () => {
    const s = scenario({ attestationFormats: [] });
    const unknown = create(PlatformAttestationSchema, { format: "android-key-attestation", evidence: new Uint8Array([1]) });
    const bytes = sealed({ evidence: { attestation: unknown } }, s);
    const v = verify(bytes, {}, s);
    expect(v.ok && v.value.evidence?.attestation).toEqual({ format: "android-key-attestation" });
    expect(code(bytes, { unknownAttestation: "reject" }, s)).toBe("EVD_ATTESTATION_FORMAT_UNKNOWN");
  });
  it("EVD-017: a required attestation that is missing or in a format the request does not list", () => {
    expect(code(sealed({ evidence: { attestation: undefined } }))).toBe("EVD_ATTESTATION_MISSING");
    const other = create(PlatformAttestationSchema, { format: "apple-app-attest", evidence: new Uint8Array([1]) });
    expect(code(sealed({ evidence: { attestation: other } }))).toBe("EVD_ATTESTATION_FORMAT_NOT_ACCEPTED");
  });
  it("EVD-018: a known format that fails is rejected with its own code, required or not", () => {
    const cases: [Parameters<typeof attest>[0], string][] = [
      [{ nonce: new Uint8Array(32).fill(7) }, "EVD_ATTESTATION_NONCE_MISMATCH"],
      [{ provider: OTHER }, "EVD_ATTESTATION_PROVIDER_MISMATCH"],
      [{ requestHash: sha256Bytes(utf8("another request")) }, "EVD_ATTESTATION_REQUEST_MISMATCH"],
      [{ issuedAt: T0 - SKEW - 1n }, "EVD_ATTESTATION_TIME_INVALID"],
      [{ issuedAt: DEADLINE + SKEW + 1n }, "EVD_ATTESTATION_TIME_INVALID"],
    ];
    const optional = scenario({ attestationFormats: [] });
    for (const [over, expected] of cases) {
      expect(code(sealed({ evidence: { attestation: attest(over) } })), expected).toBe(expected);
      const forOptional = issueTestAttestation({ nonce: NONCE, provider: PROVIDER, requestHash: optional.requestHash, measurement: MEASUREMENT, issuedAt: T0 + 4_000n, ...over });
      expect(code(sealed({ evidence: { attestation: forOptional } }, optional), {}, optional), expected).toBe(expected);
    }
    expect(code(sealed({ evidence: { attestation: attest({ issuedAt: T0 - SKEW }) } }))).toBe("ok");
    // A verifier plug-in that reports some other code is read as invalid evidence.
    const odd: AttestationVerifier = { format: TEST_ATTESTATION_FORMAT, verify: () => reject("SIG_INVALID", "bad") };
    expect(code(sealed({}), { attestationVerifiers: attestationRegistry([odd]) })).toBe("EVD_ATTESTATION_INVALID");
  });
  it("EVD-019: test-format evidence not signed by the test root, badly signed, or ill-formed is invalid", () => {
    const claims = { nonce: NONCE, provider: PROVIDER, requestHash: S.requestHash, measurement: MEASUREMENT, issuedAt: T0 + 4_000n };
    const byOther = create(PlatformAttestationSchema, { format: TEST_ATTESTATION_FORMAT, evidence: signAny(TestAttestationClaimsSchema, claims, PROVIDER_SK) });
    expect(code(sealed({ evidence: { attestation: byOther } }))).toBe("EVD_ATTESTATION_INVALID");
    const good = attest();
    const flipped = good.evidence.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(code(sealed({ evidence: { attestation: { format: TEST_ATTESTATION_FORMAT, evidence: flipped } } }))).toBe("EVD_ATTESTATION_INVALID");
    expect(code(sealed({ evidence: { attestation: { format: TEST_ATTESTATION_FORMAT, evidence: new Uint8Array([0xa0]) } } }))).toBe("EVD_ATTESTATION_INVALID");
    // A receipt is not attestation evidence, even when signed by the test root.
    const receiptByRoot = signAny(ToolReceiptSchema, S.steps[0]!, TEST_ATTESTATION_ROOT_SECRET_KEY);
    const v = verify(sealed({ evidence: { attestation: { format: TEST_ATTESTATION_FORMAT, evidence: receiptByRoot } } }));
    expect(!v.ok && v.error.code).toBe("EVD_ATTESTATION_INVALID");
    expect(!v.ok && (v.error.cause as { cause?: { code?: string } }).cause?.code).toBe("COSE_CONTENT_TYPE_MISMATCH");
  });
  it("EVD-019: the test root is derived from its published seed and has the published did:key", () => {
    expect(TEST_ATTESTATION_ROOT_SEED).toBe("ap2p-test-v1 attestation root (test only, never trust)");
    expect(TEST_ATTESTATION_ROOT_SECRET_KEY).toEqual(sha256Bytes(utf8(TEST_ATTESTATION_ROOT_SEED)));
    expect(TEST_ATTESTATION_ROOT_DID).toBe("did:key:z6MkiP9qHuYFyJ8oZLLxup2KrjR8ZffMiitVFNXGypCjfy6z");
  });
  it("EVD-020: no attestation verifier, least of all the test format, is trusted unless the caller registers it", () => {
    expect(NO_ATTESTATION_VERIFIERS.size).toBe(0);
    // Without a registry, a valid test attestation counts for nothing: a required one fails.
    expect(code(sealed({}), { attestationVerifiers: undefined })).toBe("EVD_ATTESTATION_FORMAT_UNKNOWN");
    expect(() => attestationRegistry([testAttestationVerifier, testAttestationVerifier])).toThrow(/two attestation verifiers/);
  });
});

describe("order and properties (spec §9.10)", () => {
  it("EVD-021: evidence checks run in the order of the table", () => {
    // Binding before receipts; receipts in order; receipt structure before its signature; receipts before attestation.
    expect(code(sealed({ evidence: { nonce: new Uint8Array(16), requestHash: new Uint8Array(32) }, receipts: [] }))).toBe("EVD_REQUEST_HASH_MISMATCH");
    expect(code(sealed({ evidence: { nonce: new Uint8Array(16) }, receipts: [] }))).toBe("EVD_NONCE_MISMATCH");
    const twoDefects = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, startedAt: f.endedAt + 1n } : i === 1 ? { ...f, executor: OTHER } : f)));
    expect(code(sealed({ receipts: twoDefects }))).toBe("EVD_TIME_DISORDER");
    const structThenSig = withSteps((st) => st.map((f, i) => (i === 0 ? { ...f, inputHash: new Uint8Array(32) } : f)));
    structThenSig[0]![structThenSig[0]!.length - 1]! ^= 1;
    expect(code(sealed({ receipts: structThenSig }))).toBe("EVD_INPUT_HASH_MISMATCH");
    expect(code(sealed({ receipts: signReceipts(S.steps).slice(0, 2), evidence: { attestation: undefined } }))).toBe("EVD_OUTPUT_HASH_MISMATCH");
    // Task checks come before evidence checks.
    expect(code(sealed({ evidence: { nonce: new Uint8Array(16) } }), { now: DEADLINE + SKEW })).toBe("TASK_RESULT_LATE");
  });
  it("any single-byte change to any receipt makes verification fail", () => {
    const receipts = signReceipts(S.steps);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: receipts.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, pos, xor) => {
        const copy = receipts.map((r) => r.slice());
        const r = copy[which]!;
        r[pos % r.length]! ^= xor;
        expect(verify(sealed({ receipts: copy })).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
  it("any single-byte change to the result makes verification fail (exhaustive over positions)", () => {
    const bytes = sealed({});
    for (let i = 0; i < bytes.length; i++) {
      const m = bytes.slice();
      m[i]! ^= 1 << i % 8;
      expect(verify(m).ok, `byte ${i}`).toBe(false);
    }
  });
  it("any single-byte change to the attestation evidence makes verification fail", () => {
    const a = attest();
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (pos, xor) => {
        const evidence = a.evidence.slice();
        evidence[pos % evidence.length]! ^= xor;
        const v = verify(sealed({ evidence: { attestation: { format: TEST_ATTESTATION_FORMAT, evidence } } }));
        expect(!v.ok && v.error.code.startsWith("EVD_ATTESTATION_")).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  describe("verification depends on nothing but its inputs", () => {
    afterEach(() => vi.restoreAllMocks());
    it("reads no clock and no global randomness, and gives the same verdict in any order", () => {
      vi.spyOn(Date, "now").mockImplementation(() => {
        throw new Error("Date.now read");
      });
      vi.spyOn(Math, "random").mockImplementation(() => {
        throw new Error("Math.random read");
      });
      const inputs = [sealed({}), sealed({ receipts: [] }), sealed({ evidence: { nonce: new Uint8Array(16) } }), sealed({ evidence: null })];
      const run = (order: number[]) => order.map((i) => JSON.stringify(verdictSummary(verify(inputs[i]!))));
      const forward = run([0, 1, 2, 3]);
      const backward = run([3, 2, 1, 0]).reverse();
      expect(backward).toEqual(forward);
      expect(run([0, 0, 0])).toEqual([forward[0], forward[0], forward[0]]);
    });
    it("never throws on arbitrary bytes", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
          expect(() => verify(b)).not.toThrow();
          expect(() => verify(new Uint8Array([0xd2, 0x84, ...b]))).not.toThrow();
        }),
        { numRuns: 300 },
      );
    });
  });
  it("the result's payload is deterministic: sealing twice gives the same bytes", () => {
    expect(sealed({})).toEqual(sealed({}));
    expect(TaskResultSchema.typeName).toBe("ap2p.v1.TaskResult");
  });
});

function verdictSummary(v: ReturnType<typeof verify>): unknown {
  return v.ok ? { ok: true, receipts: v.value.evidence?.receipts.length, hash: Buffer.from(v.value.requestHash).toString("hex") } : { ok: false, code: v.error.code, path: v.error.path };
}

describe("the worked example (spec §9.12)", () => {
  const spec = readFileSync(new URL("../../../spec/09-tasks-and-evidence.md", import.meta.url), "utf8");
  const e = exampleTask();
  const diag = (bytes: Uint8Array, contentType: string) => {
    const env = parseSign1(bytes, contentType);
    if (!env.ok) throw env.error;
    const v = decodeCanonical(env.value.payload);
    if (!v.ok) throw v.error;
    return toDiagnostic(v.value);
  };
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  it("prints the bytes the reference implementation produces", () => {
    expect(spec).toContain(diag(e.request.bytes, "application/ap2p.task-request.v1+cbor"));
    expect(spec).toContain(diag(e.receipts[1]!.bytes, "application/ap2p.tool-receipt.v1+cbor"));
    expect(spec).toContain(hex(e.request.hash));
    expect(spec).toContain(hex(e.receipts[0]!.hash));
    expect(spec).toContain(TEST_ATTESTATION_ROOT_DID);
    expect(spec).toContain(TEST_ATTESTATION_ROOT_SEED);
    expect(e.receipts[1]!.receipt.outputHash).toEqual(e.result.result.outputHash);
  });
  it("verifies end to end with the test format registered", () => {
    const v = verifyTaskResult(e.result.bytes, { request: e.request.bytes, now: 1767225605000n, attestationVerifiers: TRUSTED });
    expect(v.ok && v.value.output).toEqual(e.output);
  });
});
