import { clone, create } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { Modality, VerificationTier, CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { DelegationStage, RiskPolicySchema, TaskRisk } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { Outcome } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { SHA256_TEST_CAPABILITY } from "../canary/oracles.js";
import { parseAttestation } from "../reputation/attestation.js";
import { issueTaskRequest } from "../task/issue-request.js";
import { verifyTaskRequest } from "../task/verify-request.js";
import { testAttestationVerifier, issueTestAttestation } from "../evidence/attestation/test-format.js";
import { attestationRegistry } from "../evidence/attestation/verifier.js";
import { delegate, type DelegationTask } from "./delegate.js";
import { checkRiskPolicy, DEFAULT_RISK_POLICY, defaultRisk, tiersRequiredFor } from "./policy.js";
import { delegatorOn, keyFrom, network, seededRandom, sha256Provider, steppingClock } from "./testing.js";

const T0 = 1767225600000n;
const INPUT = new TextEncoder().encode("the image prompt");
const task = (risk: TaskRisk): DelegationTask => ({ capability: SHA256_TEST_CAPABILITY.capability, input: INPUT, risk });
const codeName = (n: ErrorCode) => ErrorCode[n];
const steps = (r: Awaited<ReturnType<typeof delegate>>) => r.report.attempts.map((a) => `${a.peerId.slice(-4)}:${DelegationStage[a.stage]}:${codeName(a.error)}`);

/** The three-provider scenario of the issue: attractive liars first, the honest provider last. */
function scenario() {
  const { clock } = steppingClock(T0);
  const forger = sha256Provider("forger", "forges-evidence", clock, { latencyMs: 100 });
  const failer = sha256Provider("failer", "fails-canaries", clock, { latencyMs: 200 });
  const honest = sha256Provider("honest", "honest", clock, { latencyMs: 900 });
  // The forger needs an earlier task's evidence to copy: give it one honest run first.
  const net = network([forger, failer, honest], clock);
  return { clock, forger, failer, honest, net };
}

async function warmUpForger(s: ReturnType<typeof scenario>) {
  const warm = issueTaskRequest(keyFrom("someone"), { provider: s.forger.peerId, capability: SHA256_TEST_CAPABILITY.capability, input: INPUT, requiredTier: VerificationTier.EVIDENCE }, { now: s.clock(), timeoutMs: 30_000n, random: seededRandom("warm") });
  expect((await s.forger.handleTask(warm.bytes))?.ok).toBe(true);
}

describe("the delegation procedure (spec/10-delegation.md §10.4)", () => {
  it("level 3: the forger is caught by evidence, the canary failer by its canary, and the honest provider is chosen", async () => {
    const s = scenario();
    await warmUpForger(s);
    const out = await delegate(delegatorOn(s.net, s.clock), task(TaskRisk.HIGH));
    expect(out.report.error).toBe(ErrorCode.UNSPECIFIED);
    expect(out.report.chosen).toBe(s.honest.peerId);
    expect(Buffer.from(out.result!.output!)).toEqual(Buffer.from(sha256(INPUT)));
    const bad = out.report.attempts.filter((a) => a.error !== ErrorCode.UNSPECIFIED);
    expect(bad.map((a) => [a.peerId, DelegationStage[a.stage], codeName(a.error)])).toEqual([
      [s.forger.peerId, "EVIDENCE", "EVD_REQUEST_HASH_MISMATCH"],
      [s.failer.peerId, "CANARY", "CANARY_WRONG_OUTPUT"],
    ]);
    // DLG-006: one attestation per provider contacted, with the outcome observed.
    const outcomes = out.attestations.map((a) => [a.attestation.provider, Outcome[a.attestation.outcome]]);
    expect(outcomes).toEqual([
      [s.forger.peerId, "EVIDENCE_REJECTED"],
      [s.failer.peerId, "CANARY_FAILED"],
      [s.honest.peerId, "SUCCESS"],
    ]);
    for (const a of out.report.attestations) expect(parseAttestation(a.coseSign1).ok).toBe(true);
  });

  it("level 2: without evidence checks the forger's made-up output is accepted — what Tier 3 is for", async () => {
    const s = scenario();
    await warmUpForger(s);
    const out = await delegate(delegatorOn(s.net, s.clock), task(TaskRisk.MEDIUM));
    expect(out.report.chosen).toBe(s.forger.peerId);
    expect(new TextDecoder().decode(out.result!.output!)).toBe("made-up output");
  });

  it("DLG-003: nothing from a rejected result is used, and a rejected candidate's turn ends at its first failure", async () => {
    const s = scenario();
    await warmUpForger(s);
    const out = await delegate(delegatorOn(s.net, s.clock), task(TaskRisk.HIGH));
    expect(out.result?.provider).toBe(s.honest.peerId);
    expect(steps(out).filter((x) => x.startsWith(s.failer.peerId.slice(-4)))).toEqual([`${s.failer.peerId.slice(-4)}:CANARY:CANARY_WRONG_OUTPUT`]);
  });

  it("DLG-005: stops at the first candidate that passes, and never contacts more than max_attempts", async () => {
    const s = scenario();
    await warmUpForger(s);
    const contactedBefore = s.net.contacted.length;
    const policy = clone(RiskPolicySchema, DEFAULT_RISK_POLICY);
    policy.rules.find((r) => r.risk === TaskRisk.HIGH)!.maxAttempts = 1;
    const out = await delegate(delegatorOn(s.net, s.clock, { policy }), task(TaskRisk.HIGH));
    expect(codeName(out.report.error)).toBe("DELEGATION_FAILED");
    expect(out.report.chosen).toBe("");
    expect(new Set(s.net.contacted.slice(contactedBefore))).toEqual(new Set([s.forger.peerId]));
    const honestOnly = network([sha256Provider("honest-a", "honest", s.clock), sha256Provider("honest-b", "honest", s.clock)], s.clock);
    const ok = await delegate(delegatorOn(honestOnly, s.clock), task(TaskRisk.HIGH));
    expect(ok.report.chosen).not.toBe("");
    expect(new Set(honestOnly.contacted).size).toBe(1);
  });

  it("DLG-004: reputation from earlier outcomes reorders candidates; below the floor a candidate is skipped", async () => {
    const s = scenario();
    await warmUpForger(s);
    const first = await delegate(delegatorOn(s.net, s.clock), task(TaskRisk.HIGH));
    const held = first.attestations.map((a) => a.attestation);
    const second = await delegate(delegatorOn(s.net, s.clock, { attestations: held }), task(TaskRisk.HIGH));
    // The honest provider now has the best reputation and is tried first; the failures are below the HIGH floor.
    expect(second.report.chosen).toBe(s.honest.peerId);
    const skipped = second.report.attempts.filter((a) => a.stage === DelegationStage.REPUTATION).map((a) => [a.peerId, codeName(a.error)]);
    expect(skipped).toEqual(expect.arrayContaining([[s.forger.peerId, "REPUTATION_BELOW_THRESHOLD"], [s.failer.peerId, "REPUTATION_BELOW_THRESHOLD"]]));
    const tried = second.report.attempts.filter((a) => a.stage === DelegationStage.CANARY).map((a) => a.peerId);
    expect(tried).toEqual([s.honest.peerId]);
    for (const a of second.report.attempts.filter((x) => x.reputationPpm !== undefined && x.peerId === s.honest.peerId)) {
      expect(a.reputationPpm!).toBeGreaterThan(333_333);
    }
  });

  it("DLG-006: attests only providers it contacted", async () => {
    const s = scenario();
    await warmUpForger(s);
    const policy = clone(RiskPolicySchema, DEFAULT_RISK_POLICY);
    policy.rules.find((r) => r.risk === TaskRisk.HIGH)!.maxAttempts = 2;
    const out = await delegate(delegatorOn(s.net, s.clock, { policy }), task(TaskRisk.HIGH));
    expect(out.attestations.map((a) => a.attestation.provider).sort()).toEqual([s.forger.peerId, s.failer.peerId].sort());
  });

  it("TIER-001: a candidate whose capability lacks a tier the level needs is skipped without being contacted", async () => {
    const { clock } = steppingClock(T0);
    const noEvidence = sha256Provider("no-evidence", "honest", clock, { tiers: [VerificationTier.REPUTATION, VerificationTier.CANARY], latencyMs: 10 });
    const honest = sha256Provider("honest", "honest", clock);
    const net = network([noEvidence, honest], clock);
    const out = await delegate(delegatorOn(net, clock), task(TaskRisk.HIGH));
    expect(out.report.chosen).toBe(honest.peerId);
    expect(out.report.attempts.filter((a) => a.peerId === noEvidence.peerId).map((a) => [DelegationStage[a.stage], codeName(a.error)])).toEqual([["NEGOTIATE", "TIER_NOT_SUPPORTED"]]);
    expect(net.contacted).not.toContain(noEvidence.peerId);
    expect(tiersRequiredFor(VerificationTier.EVIDENCE)).toEqual([VerificationTier.CANARY, VerificationTier.EVIDENCE]);
    expect(tiersRequiredFor(VerificationTier.REPUTATION)).toEqual([]);
  });

  it("TIER-002: a provider refuses a request whose tier its capability does not list, or a capability it does not offer", () => {
    const { clock } = steppingClock(T0);
    const p = sha256Provider("tiers", "honest", clock, { tiers: [VerificationTier.CANARY] });
    const offered = [create(CapabilitySchema, { ...SHA256_TEST_CAPABILITY.capability, supportedTiers: [VerificationTier.CANARY] })];
    const req = (tier: VerificationTier, cap = SHA256_TEST_CAPABILITY.capability) =>
      issueTaskRequest(keyFrom("d"), { provider: p.peerId, capability: cap, input: INPUT, requiredTier: tier }, { now: T0, timeoutMs: 10_000n, random: seededRandom("t2") }).bytes;
    const code = (bytes: Uint8Array) => {
      const v = verifyTaskRequest(bytes, { now: T0, provider: p.peerId, offered });
      return v.ok ? "ok" : v.error.code;
    };
    expect(code(req(VerificationTier.EVIDENCE))).toBe("TIER_NOT_SUPPORTED");
    expect(code(req(VerificationTier.CANARY))).toBe("ok");
    expect(code(req(VerificationTier.CANARY, { namespace: "ap2p.test", id: "reverse", version: "1.0.0" }))).toBe("CAPABILITY_NOT_OFFERED");
  });

  it("TIER-003/TIER-004: a provider that advertises EVIDENCE but returns no evidence fails at the evidence stage", async () => {
    const { clock } = steppingClock(T0);
    const p = sha256Provider("no-evidence-liar", "honest", clock);
    // Make it drop the evidence package: forward to the honest agent, then strip evidence and re-sign.
    const net = network([p], clock);
    const { parseTaskResult } = await import("../task/verify-result.js");
    const { signMessage } = await import("../signed/signed-message.js");
    const { TaskResultSchema } = await import("../../../gen/ts/ap2p/v1/task_pb.js");
    const stripping = {
      ...net.transport,
      task: async (d: Parameters<typeof net.transport.task>[0], request: Uint8Array, input: Uint8Array | undefined) => {
        const r = await net.transport.task(d, request, input);
        const parsed = parseTaskResult(r!.result);
        if (!parsed.ok) return r;
        const { evidence: _dropped, ...rest } = parsed.value.message;
        return { result: signMessage(TaskResultSchema, create(TaskResultSchema, rest), keyFrom("no-evidence-liar")) };
      },
    };
    const out = await delegate(delegatorOn({ ...net, transport: stripping }, clock), task(TaskRisk.HIGH));
    expect(codeName(out.report.error)).toBe("DELEGATION_FAILED");
    expect(out.report.attempts.map((a) => [DelegationStage[a.stage], codeName(a.error)])).toContainEqual(["EVIDENCE", "EVD_EVIDENCE_MISSING"]);
  });

  it("DLG-007: a critical task needs a verified platform attestation", async () => {
    const { clock } = steppingClock(T0);
    const attesting = sha256Provider("attesting", "honest", clock);
    (attesting as unknown as { options: { attest: unknown } }).options.attest = (b: { nonce: Uint8Array; provider: string; requestHash: Uint8Array }) =>
      issueTestAttestation({ nonce: b.nonce, provider: b.provider, requestHash: b.requestHash, measurement: sha256(new TextEncoder().encode("build")), issuedAt: clock() });
    const net = network([attesting], clock);
    const verifiers = attestationRegistry([testAttestationVerifier]);
    // A newcomer's prior (333,333 ppm) is below the default CRITICAL floor; lower it to test attestation alone.
    const policy = clone(RiskPolicySchema, DEFAULT_RISK_POLICY);
    policy.rules.find((r) => r.risk === TaskRisk.CRITICAL)!.minReputationPpm = 0;
    const ok = await delegate(delegatorOn(net, clock, { attestationVerifiers: verifiers, policy }), task(TaskRisk.CRITICAL));
    expect(ok.report.chosen).toBe(attesting.peerId);
    // Without any verifier the delegator cannot appraise an attestation: every candidate fails.
    const none = await delegate(delegatorOn(network([sha256Provider("plain", "honest", clock)], clock), clock, { policy }), task(TaskRisk.CRITICAL));
    expect(none.report.attempts.map((a) => codeName(a.error))).toContain("ATTESTATION_REQUIRED");
    expect(codeName(none.report.error)).toBe("DELEGATION_FAILED");
  });

  it("DLG-001: a risk policy needs one rule per class and levels that never fall as risk rises", () => {
    expect(checkRiskPolicy(DEFAULT_RISK_POLICY).ok).toBe(true);
    const missing = create(RiskPolicySchema, { rules: DEFAULT_RISK_POLICY.rules.slice(1) });
    const v1 = checkRiskPolicy(missing);
    expect(!v1.ok && v1.error.code).toBe("RISK_POLICY_INVALID");
    const twice = create(RiskPolicySchema, { rules: [...DEFAULT_RISK_POLICY.rules.slice(0, 3), DEFAULT_RISK_POLICY.rules[0]!] });
    const v2 = checkRiskPolicy(twice);
    expect(!v2.ok && v2.error.code).toBe("RISK_POLICY_INVALID");
    const falling = clone(RiskPolicySchema, DEFAULT_RISK_POLICY);
    falling.rules.find((r) => r.risk === TaskRisk.CRITICAL)!.level = VerificationTier.CANARY;
    const v3 = checkRiskPolicy(falling);
    expect(!v3.ok && v3.error.code).toBe("RISK_POLICY_INVALID");
  });

  it("DLG-002: side effects in the world are at least high risk by default", () => {
    const action = create(CapabilitySchema, { namespace: "social", id: "post", version: "1.0.0", outputs: [{ name: "receipt", modality: Modality.ACTION }] });
    const image = create(CapabilitySchema, { namespace: "ai.image", id: "generate", version: "1.0.0", outputs: [{ name: "image", modality: Modality.IMAGE }] });
    expect(defaultRisk(action)).toBe(TaskRisk.HIGH);
    expect(defaultRisk(image)).toBe(TaskRisk.MEDIUM);
  });

  it("a silent provider times out and the delegation falls back", async () => {
    const { clock } = steppingClock(T0);
    const silent = sha256Provider("silent", "silent", clock, { latencyMs: 10 });
    const honest = sha256Provider("honest", "honest", clock);
    const out = await delegate(delegatorOn(network([silent, honest], clock), clock), task(TaskRisk.MEDIUM));
    expect(out.report.chosen).toBe(honest.peerId);
    expect(out.report.attempts.map((a) => codeName(a.error))).toContain("CANARY_RESPONSE_LATE");
  });

  it("a provider lacking the capability passes level 1 with a made-up result, and is caught at level 2", async () => {
    const { clock } = steppingClock(T0);
    const liar = sha256Provider("liar", "lacks-capability", clock, { latencyMs: 10 });
    const honest = sha256Provider("honest", "honest", clock);
    const net = network([liar, honest], clock);
    const low = await delegate(delegatorOn(net, clock), task(TaskRisk.LOW));
    expect(low.report.chosen).toBe(liar.peerId);
    const medium = await delegate(delegatorOn(net, clock, { random: seededRandom("again") }), task(TaskRisk.MEDIUM));
    expect(medium.report.chosen).toBe(honest.peerId);
  });
});
