import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { ToolReceiptSchema } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskRequestSchema, TaskResultSchema, TaskStatus } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { messageHash, sha256Bytes } from "../codec/hash.js";
import { parseSign1 } from "../cose/sign1.js";
import { isAp2pError } from "../errors.js";
import {
  ARRIVED_AT,
  COMPLETED_AT,
  DEADLINE,
  DELEGATOR,
  DELEGATOR_SK,
  NONCE,
  OFFERED,
  OTHER,
  OTHER_SK,
  PROVIDER,
  PROVIDER_SK,
  scenario,
  seal,
  signAny,
  T0,
} from "../evidence/testing/forge.js";
import { buildTaskResult } from "./build-result.js";
import { executeTask } from "./execute.js";
import { issueTaskRequest, TASK_NONCE_BYTES, type TaskRequestContent } from "./issue-request.js";
import { checkDetachedInput, checkDetachedOutput } from "./payload.js";
import { DEFAULT_TASK_POLICY } from "./policy.js";
import { TaskReplayGuard } from "./replay.js";
import { parseTaskRequest, verifyTaskRequest, type TaskRequestContext } from "./verify-request.js";
import { parseTaskResult, verifyTaskResult } from "./verify-result.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const SKEW = DEFAULT_TASK_POLICY.clockSkewMs;
const INPUT = utf8("a red bicycle leaning on a wall");
/** A deterministic stand-in for a CSPRNG: counts up from a seed byte. */
const counter = (seed: number) => (n: number) => new Uint8Array(n).map((_, i) => (seed + i) & 0xff);

const CONTENT: TaskRequestContent = {
  provider: PROVIDER,
  capability: { namespace: "ai.image", id: "generate", version: "1.2.0" },
  input: INPUT,
  requiredTier: VerificationTier.EVIDENCE,
  attestationFormats: ["ap2p-test-v1"],
};
const issue = (content: Partial<TaskRequestContent> = {}, now = T0, timeoutMs = 60_000n) =>
  issueTaskRequest(DELEGATOR_SK, { ...CONTENT, ...content }, { now, timeoutMs, random: counter(1) });

type ReqInit = Parameters<typeof create<typeof TaskRequestSchema>>[1];
/** Signs any request, bypassing the issuer's checks. */
const rawRequest = (over: Partial<NonNullable<ReqInit>> = {}, sk = DELEGATOR_SK) =>
  signAny(
    TaskRequestSchema,
    {
      delegator: DELEGATOR,
      provider: PROVIDER,
      nonce: NONCE,
      capability: { namespace: "ai.image", id: "generate", version: "1.2.0" },
      inputHash: sha256Bytes(INPUT),
      input: INPUT,
      requiredTier: VerificationTier.EVIDENCE,
      issuedAt: T0,
      deadline: DEADLINE,
      ...over,
    } as NonNullable<ReqInit>,
    sk,
  );

const CTX: TaskRequestContext = { now: T0, provider: PROVIDER, offered: OFFERED };
const reqCode = (bytes: Uint8Array, ctx: Partial<TaskRequestContext> = {}) => {
  const v = verifyTaskRequest(bytes, { ...CTX, ...ctx });
  return v.ok ? "ok" : v.error.code;
};
const resCode = (bytes: Uint8Array, request: Uint8Array, ctx: { now?: bigint; output?: Uint8Array } = {}) => {
  const v = verifyTaskResult(bytes, { request, now: ctx.now ?? ARRIVED_AT, ...(ctx.output ? { output: ctx.output } : {}) });
  return v.ok ? "ok" : v.error.code;
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return isAp2pError(e) ? e.code : String(e);
  }
};

describe("task requests: issuing (spec §9.2)", () => {
  it("TASK-001: a request is a COSE_Sign1 under the task-request content type, signed by the delegator", () => {
    const { bytes, request, hash } = issue();
    const env = parseSign1(bytes, "application/ap2p.task-request.v1+cbor");
    expect(env.ok && env.value.kid).toBe(DELEGATOR);
    expect(request.delegator).toBe(DELEGATOR);
    expect(hash).toEqual(messageHash(TaskRequestSchema, request));
    const v = verifyTaskRequest(bytes, CTX);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.value.hash).toEqual(hash);
      expect(v.value.input).toEqual(INPUT);
    }
  });
  it("TASK-003: the nonce is drawn from the injected random source, 32 bytes, fresh per request", () => {
    const a = issueTaskRequest(DELEGATOR_SK, CONTENT, { now: T0, timeoutMs: 60_000n, random: counter(1) });
    const b = issueTaskRequest(DELEGATOR_SK, CONTENT, { now: T0, timeoutMs: 60_000n, random: counter(2) });
    expect(a.request.nonce).toEqual(counter(1)(TASK_NONCE_BYTES));
    expect(a.request.nonce).not.toEqual(b.request.nonce);
    expect(() => issueTaskRequest(DELEGATOR_SK, CONTENT, { now: T0, timeoutMs: 60_000n, random: () => new Uint8Array(8) })).toThrow(/random/);
    // A nonce below 16 bytes is ill-formed on the wire.
    expect(reqCode(rawRequest({ nonce: new Uint8Array(15) }))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
    expect(reqCode(rawRequest({ nonce: new Uint8Array(16) }))).toBe("ok");
  });
  it("large inputs are detached: only their hash is signed", () => {
    const big = new Uint8Array(20_000).fill(7);
    const { request } = issue({ input: big });
    expect(request.input).toBeUndefined();
    expect(request.inputHash).toEqual(sha256Bytes(big));
    expect(() => issue({ input: big, inline: true })).toThrow(/inline/);
    expect(issue({ inline: false }).request.input).toBeUndefined();
  });
  it("the issuer refuses what a provider would reject", () => {
    expect(() => issue({}, T0, 0n)).toThrow(/timeoutMs/);
    expect(() => issue({}, T0, 3_600_001n)).toThrow(/timeoutMs/);
    expect(codeOf(() => issue({ requiredTier: VerificationTier.CANARY }))).toBe("TASK_ATTESTATION_REQUIRES_EVIDENCE");
    expect(codeOf(() => issue({ capability: { namespace: "AI", id: "x", version: "1" } }))).toBe("SCHEMA_PATTERN_MISMATCH");
  });
});

describe("task requests: provider-side verification (spec §9.3)", () => {
  const cases: [string, () => Uint8Array, string][] = [
    ["TASK-002: delegator names another peer", () => rawRequest({ delegator: OTHER }), "COSE_KID_MISMATCH"],
    ["TASK-004: deadline equal to issued_at", () => rawRequest({ deadline: T0 }), "TASK_DEADLINE_INVALID"],
    ["TASK-004: deadline before issued_at", () => rawRequest({ deadline: T0 - 1n }), "TASK_DEADLINE_INVALID"],
    ["TASK-005: inline input whose hash is not input_hash", () => rawRequest({ input: utf8("another prompt") }), "TASK_INPUT_HASH_MISMATCH"],
    ["TASK-006: attestation formats without the EVIDENCE tier", () => rawRequest({ requiredTier: VerificationTier.CANARY, attestationFormats: ["ap2p-test-v1"] }), "TASK_ATTESTATION_REQUIRES_EVIDENCE"],
    ["ENC-018: input_hash of the wrong length", () => rawRequest({ inputHash: new Uint8Array(31) }), "SCHEMA_LENGTH_OUT_OF_RANGE"],
  ];
  for (const [what, make, code] of cases) {
    it(`${what} → ${code}`, () => {
      const bytes = make();
      const p = parseTaskRequest(bytes);
      expect(p.ok ? "ok" : p.error.code).toBe(code);
      expect(reqCode(bytes)).toBe(code);
    });
  }
  it("TASK-005: a detached input is checked against input_hash before it is used", () => {
    const detached = rawRequest({ input: undefined });
    expect(reqCode(detached)).toBe("ok");
    expect(reqCode(detached, { input: INPUT })).toBe("ok");
    expect(reqCode(detached, { input: utf8("tampered") })).toBe("TASK_INPUT_HASH_MISMATCH");
    const v = verifyTaskRequest(detached, { ...CTX, input: INPUT });
    expect(v.ok && v.value.input).toEqual(INPUT);
    const parsed = parseTaskRequest(detached);
    if (!parsed.ok) throw parsed.error;
    expect(checkDetachedInput(parsed.value.message, INPUT).ok).toBe(true);
    const bad = checkDetachedInput(parsed.value.message, utf8("x"));
    expect(!bad.ok && bad.error.code).toBe("TASK_INPUT_HASH_MISMATCH");
    expect(() => verifyTaskRequest(rawRequest(), { ...CTX, input: INPUT })).toThrow(/inline/);
  });
  it("TASK-007: a task longer than the maximum duration; the maximum is at most one day", () => {
    expect(reqCode(rawRequest({ deadline: T0 + 3_600_000n }))).toBe("ok");
    expect(reqCode(rawRequest({ deadline: T0 + 3_600_001n }))).toBe("TASK_DEADLINE_TOO_FAR");
    expect(reqCode(rawRequest({ deadline: T0 + 30_001n }), { policy: { maxTaskDurationMs: 30_000n, clockSkewMs: SKEW } })).toBe("TASK_DEADLINE_TOO_FAR");
    expect(() => verifyTaskRequest(rawRequest(), { ...CTX, policy: { maxTaskDurationMs: 86_400_001n, clockSkewMs: SKEW } })).toThrow(/duration/);
    expect(() => verifyTaskRequest(rawRequest(), { ...CTX, policy: { maxTaskDurationMs: 60_000n, clockSkewMs: 60_001n } })).toThrow(/skew/);
  });
  it("TASK-008: a request addressed to another provider", () => {
    expect(reqCode(rawRequest({ provider: OTHER }))).toBe("TASK_WRONG_PROVIDER");
    expect(reqCode(rawRequest(), { provider: OTHER })).toBe("TASK_WRONG_PROVIDER");
  });
  it("TASK-009: not yet valid, at the exact edge of the skew allowance", () => {
    expect(reqCode(rawRequest(), { now: T0 - SKEW })).toBe("ok");
    expect(reqCode(rawRequest(), { now: T0 - SKEW - 1n })).toBe("TASK_NOT_YET_VALID");
  });
  it("TASK-010: expired on arrival, at the exact edge of the skew allowance", () => {
    expect(reqCode(rawRequest(), { now: DEADLINE + SKEW - 1n })).toBe("ok");
    expect(reqCode(rawRequest(), { now: DEADLINE + SKEW })).toBe("TASK_EXPIRED");
  });
  it("TIER-002: a capability the provider does not offer, or a tier it does not list", () => {
    expect(reqCode(rawRequest({ capability: { namespace: "ai.image", id: "generate", version: "2.0.0" } }))).toBe("CAPABILITY_NOT_OFFERED");
    const noEvidence = [{ ...OFFERED[0]!, supportedTiers: [VerificationTier.CANARY] }];
    expect(reqCode(rawRequest(), { offered: noEvidence })).toBe("TIER_NOT_SUPPORTED");
    expect(reqCode(rawRequest({ requiredTier: VerificationTier.CANARY }), { offered: noEvidence })).toBe("ok");
    // Tier 1 asks nothing of the provider (§10.1).
    expect(reqCode(rawRequest({ requiredTier: VerificationTier.REPUTATION }), { offered: [{ ...OFFERED[0]!, supportedTiers: [] }] })).toBe("ok");
  });
  it("TASK-010: the provider's helper does not start a task after deadline + skew", async () => {
    const s = scenario({ tier: VerificationTier.CANARY, attestationFormats: [] });
    const tool = { id: "ap2p.tool/echo@1", run: (b: Uint8Array) => b };
    const request = { message: s.request, hash: s.requestHash, input: s.input };
    await expect(executeTask(PROVIDER_SK, request, [tool], { clock: () => DEADLINE + SKEW })).rejects.toMatchObject({ code: "TASK_EXPIRED" });
    const done = await executeTask(PROVIDER_SK, request, [tool], { clock: () => DEADLINE + SKEW - 1n });
    expect(done.result.status).toBe(TaskStatus.COMPLETED);
  });
  it("TASK-011: a replayed request (same delegator and nonce) is refused until it expires", () => {
    const guard = new TaskReplayGuard();
    const bytes = rawRequest();
    expect(guard.accept(bytes, CTX).ok).toBe(true);
    const again = guard.accept(bytes, { ...CTX, now: T0 + 10n });
    expect(!again.ok && again.error.code).toBe("TASK_REPLAYED");
    // The same nonce in a different request is refused too: the pair is what counts.
    const sameNonce = guard.accept(rawRequest({ deadline: DEADLINE + 1n }), { ...CTX, now: T0 + 20n });
    expect(!sameNonce.ok && sameNonce.error.code).toBe("TASK_REPLAYED");
    // Another nonce, or another delegator with the same nonce, is a new request.
    expect(guard.accept(rawRequest({ nonce: new Uint8Array(16).fill(9) }), CTX).ok).toBe(true);
    expect(guard.accept(rawRequest({ delegator: OTHER }, OTHER_SK), CTX).ok).toBe(true);
    // Kept until deadline + skew, when every copy is expired anyway.
    expect(guard.purge(DEADLINE + SKEW - 1n)).toBe(0);
    const late = guard.accept(bytes, { ...CTX, now: DEADLINE + SKEW - 1n });
    expect(!late.ok && late.error.code).toBe("TASK_REPLAYED");
    expect(guard.purge(DEADLINE + SKEW)).toBe(3);
    const expired = guard.accept(bytes, { ...CTX, now: DEADLINE + SKEW });
    expect(!expired.ok && expired.error.code).toBe("TASK_EXPIRED");
    expect(guard.size).toBe(0);
  });
  it("TASK-019: checks run in the order of the §9.3 table", () => {
    const broken = rawRequest({ deadline: T0 });
    broken[broken.length - 1]! ^= 1;
    expect(reqCode(broken)).toBe("TASK_DEADLINE_INVALID"); // structure before signature
    const badSig = rawRequest({ provider: OTHER });
    badSig[badSig.length - 1]! ^= 1;
    expect(reqCode(badSig, { now: DEADLINE + 10n * SKEW })).toBe("SIG_INVALID"); // signature before addressee and time
    expect(reqCode(rawRequest({ provider: OTHER, deadline: T0 + 3_600_001n }))).toBe("TASK_WRONG_PROVIDER");
    expect(reqCode(rawRequest({ deadline: T0 + 3_600_001n }), { now: T0 + 99_999_999n })).toBe("TASK_DEADLINE_TOO_FAR");
    expect(reqCode(rawRequest({ capability: { namespace: "x", id: "y", version: "1.0.0" } }), { now: DEADLINE + SKEW })).toBe("TASK_EXPIRED");
  });
  it("never throws on arbitrary or mutated bytes", () => {
    const good = rawRequest();
    for (let i = 0; i < good.length; i++) {
      const m = good.slice();
      m[i]! ^= 0x20;
      expect(verifyTaskRequest(m, CTX).ok).toBe(false);
    }
    for (let i = 0; i < 500; i++) {
      const b = new Uint8Array(1 + (i % 120)).map((_, j) => (j * 37 + i * 11) & 0xff);
      expect(() => verifyTaskRequest(b, CTX)).not.toThrow();
    }
  });
});

describe("task results (spec §9.4, §9.10)", () => {
  const s = scenario({ tier: VerificationTier.CANARY, attestationFormats: [] });
  const ok = seal(s, { evidence: null });

  it("TASK-012: a result is signed under the task-result content type by the provider", () => {
    const built = buildTaskResult(PROVIDER_SK, s.request, { status: TaskStatus.COMPLETED, output: s.output, completedAt: COMPLETED_AT });
    const env = parseSign1(built.bytes, "application/ap2p.task-result.v1+cbor");
    expect(env.ok && env.value.kid).toBe(PROVIDER);
    expect(resCode(built.bytes, s.requestBytes)).toBe("ok");
    expect(resCode(ok, s.requestBytes)).toBe("ok");
    expect(resCode(seal(s, { evidence: null, result: { provider: OTHER } }), s.requestBytes)).toBe("COSE_KID_MISMATCH");
    expect(() => buildTaskResult(OTHER_SK, s.request, { status: TaskStatus.COMPLETED, output: s.output, completedAt: COMPLETED_AT })).toThrow(/addressed/);
  });
  it("TASK-013: an output exactly when the task completed", () => {
    const none = new Uint8Array(0);
    expect(resCode(seal(s, { evidence: null, result: { outputHash: none, output: undefined } }), s.requestBytes)).toBe("TASK_RESULT_STATUS_INCONSISTENT");
    expect(resCode(seal(s, { evidence: null, result: { status: TaskStatus.FAILED } }), s.requestBytes)).toBe("TASK_RESULT_STATUS_INCONSISTENT");
    expect(resCode(seal(s, { evidence: null, result: { status: TaskStatus.DECLINED, outputHash: none } }), s.requestBytes)).toBe("TASK_RESULT_STATUS_INCONSISTENT");
    expect(resCode(seal(s, { evidence: null, result: { status: TaskStatus.FAILED, outputHash: none, output: undefined, reason: "tool failed" } }), s.requestBytes)).toBe("ok");
    expect(resCode(seal(s, { evidence: null, result: { status: TaskStatus.DECLINED, outputHash: none, output: undefined } }), s.requestBytes)).toBe("ok");
    expect(() => buildTaskResult(PROVIDER_SK, s.request, { status: TaskStatus.FAILED, output: s.output, completedAt: COMPLETED_AT })).toThrow(/TASK-013/);
  });
  it("TASK-014: an inline output whose hash is not output_hash", () => {
    const bytes = seal(s, { evidence: null, result: { output: utf8("another image") } });
    expect(resCode(bytes, s.requestBytes)).toBe("TASK_OUTPUT_HASH_MISMATCH");
    const p = parseTaskResult(bytes);
    expect(!p.ok && p.error.code).toBe("TASK_OUTPUT_HASH_MISMATCH");
  });
  it("TASK-015: a result for another request, or from another provider", () => {
    const other = issue();
    expect(resCode(ok, other.bytes)).toBe("TASK_REQUEST_HASH_MISMATCH");
    const fromOther = seal(s, { evidence: null, result: { provider: OTHER }, secretKey: OTHER_SK });
    expect(resCode(fromOther, s.requestBytes)).toBe("TASK_WRONG_PROVIDER");
  });
  it("TASK-016: a late result, at the exact edge of the skew allowance", () => {
    expect(resCode(ok, s.requestBytes, { now: DEADLINE + SKEW - 1n })).toBe("ok");
    expect(resCode(ok, s.requestBytes, { now: DEADLINE + SKEW })).toBe("TASK_RESULT_LATE");
  });
  it("TASK-017: completed_at outside the task window or in the verifier's future", () => {
    const at = (completedAt: bigint) => seal(s, { evidence: null, result: { completedAt } });
    expect(resCode(at(T0 - SKEW), s.requestBytes)).toBe("ok");
    expect(resCode(at(T0 - SKEW - 1n), s.requestBytes)).toBe("TASK_RESULT_TIME_INVALID");
    expect(resCode(at(DEADLINE + SKEW), s.requestBytes, { now: DEADLINE })).toBe("ok");
    expect(resCode(at(DEADLINE + SKEW + 1n), s.requestBytes, { now: DEADLINE })).toBe("TASK_RESULT_TIME_INVALID");
    expect(resCode(at(ARRIVED_AT + SKEW + 1n), s.requestBytes, { now: ARRIVED_AT })).toBe("TASK_RESULT_TIME_INVALID");
  });
  it("TASK-018: a detached output is used only once its hash matches", () => {
    const built = buildTaskResult(PROVIDER_SK, s.request, { status: TaskStatus.COMPLETED, output: s.output, inline: false, completedAt: COMPLETED_AT });
    expect(built.result.output).toBeUndefined();
    expect(built.detachedOutput).toEqual(s.output);
    const v = verifyTaskResult(built.bytes, { request: s.requestBytes, now: ARRIVED_AT, output: s.output });
    expect(v.ok && v.value.output).toEqual(s.output);
    expect(resCode(built.bytes, s.requestBytes, { output: utf8("swapped in transit") })).toBe("TASK_OUTPUT_HASH_MISMATCH");
    // Without the bytes the result verifies, but carries no output to use until they are checked.
    const later = verifyTaskResult(built.bytes, { request: s.requestBytes, now: ARRIVED_AT });
    expect(later.ok && later.value.output).toBeUndefined();
    if (!later.ok) throw later.error;
    expect(checkDetachedOutput(later.value.message, s.output).ok).toBe(true);
    const bad = checkDetachedOutput(later.value.message, utf8("x"));
    expect(!bad.ok && bad.error.code).toBe("TASK_OUTPUT_HASH_MISMATCH");
    // Output bytes for a result that has none.
    const failed = seal(s, { evidence: null, result: { status: TaskStatus.FAILED, outputHash: new Uint8Array(0), output: undefined } });
    expect(resCode(failed, s.requestBytes, { output: s.output })).toBe("TASK_RESULT_STATUS_INCONSISTENT");
  });
  it("the request may be given as bytes or as the message; a request that does not verify is a caller error", () => {
    expect(verifyTaskResult(ok, { request: s.request, now: ARRIVED_AT }).ok).toBe(true);
    const broken = s.requestBytes.slice();
    broken[broken.length - 1]! ^= 1;
    expect(() => verifyTaskResult(ok, { request: broken, now: ARRIVED_AT })).toThrow(/does not verify/);
  });
  it("SIG-006: other signed kinds are never accepted as a result (cross-kind replay)", () => {
    expect(resCode(s.requestBytes, s.requestBytes)).toBe("COSE_CONTENT_TYPE_MISMATCH");
    const receipt = signAny(ToolReceiptSchema, s.steps[0]!, PROVIDER_SK);
    expect(resCode(receipt, s.requestBytes)).toBe("COSE_CONTENT_TYPE_MISMATCH");
    // And a result is not a request.
    expect(reqCode(ok)).toBe("COSE_CONTENT_TYPE_MISMATCH");
  });
  it("TASK-019: checks run in the order of the §9.10 table", () => {
    const bad = seal(s, { evidence: null, result: { output: utf8("x") } });
    bad[bad.length - 1]! ^= 1;
    expect(resCode(bad, s.requestBytes)).toBe("TASK_OUTPUT_HASH_MISMATCH"); // structure before signature
    const sig = ok.slice();
    sig[sig.length - 1]! ^= 1;
    expect(resCode(sig, issue().bytes, { now: DEADLINE + 10n * SKEW })).toBe("SIG_INVALID");
    expect(resCode(ok, issue().bytes, { now: DEADLINE + 10n * SKEW })).toBe("TASK_REQUEST_HASH_MISMATCH");
    expect(resCode(seal(s, { evidence: null, result: { completedAt: T0 - 99_999n } }), s.requestBytes, { now: DEADLINE + SKEW })).toBe("TASK_RESULT_LATE");
  });
  it("a result is never constructed from ill-typed payloads", () => {
    const wrongType = signAny(TaskResultSchema, { requestHash: s.requestHash, provider: PROVIDER, status: 9 as TaskStatus, completedAt: COMPLETED_AT }, PROVIDER_SK);
    expect(resCode(wrongType, s.requestBytes)).toBe("SCHEMA_UNKNOWN_ENUM_VALUE");
  });
});
