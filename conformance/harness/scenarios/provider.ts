// Provider scenarios (spec/08-canaries.md, spec/09-tasks-and-evidence.md,
// spec/10 §10.1): the implementation runs a provider of the deterministic
// test capability ap2p.test/sha256@1.0.0 (§8.8) for the session; the harness
// plays the canary verifier and the delegator. Challenges and requests are
// signed by the harness with fixed test keys; responses and results are
// checked with the reference verifiers.
import { sha256 } from "@noble/hashes/sha2.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { issueChallenge } from "../../../reference/src/canary/challenge.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { verifyCanaryResponse } from "../../../reference/src/canary/response.js";
import { verifyDescriptor, type VerifiedDescriptor } from "../../../reference/src/descriptor/verify.js";
import { issueTaskRequest, type SignedTaskRequest } from "../../../reference/src/task/issue-request.js";
import { verifyTaskResult } from "../../../reference/src/task/verify-result.js";
import { didOf, hex, testKey, type ScenarioSpec, type Steps } from "./scenario.js";

const RESET = "provider-node.reset";
const DESCRIPTOR = "provider-node.descriptor";
const CANARY = "provider-node.canary";
const TASK = "provider-node.task";

const PROVIDER_KEY = testKey("provider");
const VERIFIER_KEY = testKey("canary verifier");
const DELEGATOR_KEY = testKey("delegator");
const CAP = SHA256_TEST_CAPABILITY.capability;
const CAP_NAME = `${CAP.namespace}/${CAP.id}@${CAP.version}`;
const OCTETS = "application/octet-stream";

/** A deterministic random source for the harness's nonces: SHA-256 in counter mode over a label. */
function randomFrom(label: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) out.set(sha256(new TextEncoder().encode(`${label}/${counter++}`)).slice(0, n - i), i);
    return out;
  };
}

async function reset(s: Steps): Promise<string> {
  s.step(`start a provider of ${CAP_NAME} with the harness's key`);
  const out = await s.ok(RESET, { secret_key: hex(PROVIDER_KEY) }, "a fresh provider");
  const peerId = s.text(out, "peer_id", RESET);
  s.expect(peerId === didOf(PROVIDER_KEY), `peer_id is ${peerId}, not the did:key of the secret key given, ${didOf(PROVIDER_KEY)}`);
  return peerId;
}

/** Fetches the provider's descriptor and checks it as any peer would (spec/05 §5.7) at the test clock. */
async function descriptor(s: Steps, lastSeq?: bigint): Promise<VerifiedDescriptor> {
  const out = await s.ok(DESCRIPTOR, { ttl_ms: "60000" }, "the provider's signed descriptor");
  const v = verifyDescriptor(s.bytes(out, "descriptor", DESCRIPTOR), { now: s.now, ...(lastSeq === undefined ? {} : { lastSeq }) });
  if (!v.ok) s.fail(`the descriptor does not verify at ${s.now}${lastSeq === undefined ? "" : ` after seq ${lastSeq}`}: ${v.error.code}: ${v.error.message}`, v.error.code);
  s.expect(v.value.peerId === didOf(PROVIDER_KEY), `the descriptor is ${v.value.peerId}'s, not the provider's`);
  return v.value;
}

/** TIER-003's premise: the descriptor lists the capability with the given tiers. */
function expectTiers(s: Steps, d: VerifiedDescriptor, tiers: readonly VerificationTier[]): void {
  const c = d.message.capabilities.find((x) => x.namespace === CAP.namespace && x.id === CAP.id && x.version === CAP.version);
  if (c === undefined) s.fail(`the descriptor does not offer ${CAP_NAME}`);
  const missing = tiers.filter((t) => !c.supportedTiers.includes(t)).map((t) => VerificationTier[t]);
  s.expect(missing.length === 0, `${CAP_NAME} does not list ${missing.join(", ")} in supported_tiers`);
}

function request(s: Steps, provider: string, input: Uint8Array, tier: VerificationTier, label: string): SignedTaskRequest {
  return issueTaskRequest(DELEGATOR_KEY, { provider, capability: CAP, input, requiredTier: tier }, { now: s.now, timeoutMs: 60_000n, random: randomFrom(label) });
}

const descriptorScenario: ScenarioSpec = {
  id: "scenario/provider/descriptor-001",
  requirements: ["DESC-001", "DESC-003", "DESC-019"],
  operations: [RESET, DESCRIPTOR],
  expectation: `a signed descriptor offering ${CAP_NAME} at every tier; a later one with a higher seq and no earlier issued_at`,
  script: async (s: Steps) => {
    await reset(s);
    s.step("fetch the descriptor");
    const first = await descriptor(s);
    s.expect(first.message.seq >= 1n, `the first descriptor has seq ${first.message.seq} (DESC-003)`);
    expectTiers(s, first, [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE]);
    s.step("move the clock 10 s on and fetch the descriptor again");
    await s.clock(s.now + 10_000n);
    const second = await descriptor(s, first.message.seq);
    s.expect(second.message.issuedAt >= first.message.issuedAt, `issued_at ${second.message.issuedAt} is earlier than the previous descriptor's ${first.message.issuedAt} (DESC-019)`);
  },
};

const canaryScenario: ScenarioSpec = {
  id: "scenario/provider/canary-001",
  requirements: ["TIER-003", "CAN-010", "CAN-015"],
  operations: [RESET, DESCRIPTOR, CANARY],
  expectation: "a canary answered with the right output, signed, bound to the challenge, before the deadline",
  script: async (s: Steps) => {
    const peerId = await reset(s);
    s.step("fetch the descriptor");
    expectTiers(s, await descriptor(s), [VerificationTier.CANARY]);
    s.step("send a challenge with a 5 s window and answer it 4 s later");
    const input = randomFrom("canary input")(48);
    const issued = issueChallenge(VERIFIER_KEY, { provider: peerId, capability: CAP, input: { bytes: input, mediaType: OCTETS }, now: s.now, windowMs: 5_000n, random: randomFrom("canary nonce") });
    await s.clock(s.now + 4_000n);
    const out = await s.ok(CANARY, { challenge: hex(issued.bytes) }, "a signed canary response (TIER-003)");
    const v = verifyCanaryResponse(s.bytes(out, "response", CANARY), { challenge: issued, oracle: SHA256_TEST_CAPABILITY.oracle(input), now: s.now });
    if (!v.ok) s.fail(`the canary response does not verify for the harness's challenge at ${s.now} (CAN-010, CAN-015): ${v.error.code}: ${v.error.message}`, v.error.code);
    s.expect(v.value.message.respondedAt === s.now, `responded_at is ${v.value.message.respondedAt}, not the provider's (test) clock ${s.now} (CAN-010)`);
  },
};

const wrongProviderScenario: ScenarioSpec = {
  id: "scenario/provider/canary-wrong-provider-001",
  requirements: ["CAN-007"],
  operations: [RESET, CANARY],
  expectation: "error CANARY_WRONG_PROVIDER for a challenge addressed to another provider",
  script: async (s: Steps) => {
    await reset(s);
    s.step("send a challenge addressed to another provider");
    const other = didOf(testKey("another provider"));
    const issued = issueChallenge(VERIFIER_KEY, { provider: other, capability: CAP, input: { bytes: new Uint8Array([1, 2, 3]), mediaType: OCTETS }, now: s.now, windowMs: 5_000n, random: randomFrom("wrong provider nonce") });
    await s.error(CANARY, { challenge: hex(issued.bytes) }, "CANARY_WRONG_PROVIDER", "the challenge names another provider (CAN-007)");
  },
};

const evidenceScenario: ScenarioSpec = {
  id: "scenario/provider/task-evidence-001",
  requirements: ["TIER-003", "TASK-012", "TASK-013", "EVD-001", "EVD-002", "EVD-003", "EVD-004", "EVD-005", "EVD-006", "EVD-007", "EVD-008", "EVD-009", "EVD-010", "EVD-011", "EVD-012"],
  operations: [RESET, DESCRIPTOR, TASK],
  expectation: "a signed result of a Tier 3 task with the right output and an evidence package that verifies",
  script: async (s: Steps) => {
    const peerId = await reset(s);
    s.step("fetch the descriptor");
    expectTiers(s, await descriptor(s), [VerificationTier.EVIDENCE]);
    s.step("send a task request that requires evidence");
    const input = new TextEncoder().encode("conformance: hash me");
    const r = request(s, peerId, input, VerificationTier.EVIDENCE, "evidence task nonce");
    await s.clock(s.now + 1_000n);
    const out = await s.ok(TASK, { request: hex(r.bytes) }, "a signed result with evidence (TIER-003)");
    const detached = out["output"] === undefined ? undefined : s.bytes(out, "output", TASK);
    const v = verifyTaskResult(s.bytes(out, "result", TASK), { request: r.bytes, now: s.now, ...(detached ? { output: detached } : {}) });
    if (!v.ok) s.fail(`the result does not verify for the harness's request at ${s.now} (TASK-012, EVD-001 to EVD-012): ${v.error.code}: ${v.error.message}`, v.error.code);
    s.expect(v.value.evidence !== undefined, "the result of a task that requires evidence carries no evidence package (EVD-001, TIER-003)", "EVD_EVIDENCE_MISSING");
    const want = hex(sha256(input));
    s.expect(v.value.output !== undefined && hex(v.value.output) === want, `the output is ${v.value.output === undefined ? "missing" : hex(v.value.output)}, not SHA-256 of the input ${want}`);
  },
};

const replayScenario: ScenarioSpec = {
  id: "scenario/provider/task-replay-001",
  requirements: ["TASK-011"],
  operations: [RESET, TASK],
  expectation: "the first copy of a request runs, a second copy gets TASK_REPLAYED",
  script: async (s: Steps) => {
    const peerId = await reset(s);
    const r = request(s, peerId, new Uint8Array([7, 7, 7]), VerificationTier.REPUTATION, "replayed task nonce");
    s.step("send a task request");
    await s.ok(TASK, { request: hex(r.bytes) }, "a result");
    s.step("send the same request again 1 s later");
    await s.clock(s.now + 1_000n);
    await s.error(TASK, { request: hex(r.bytes) }, "TASK_REPLAYED", "the same delegator and nonce were accepted before (TASK-011)");
  },
};

/** The provider scenarios. */
export const PROVIDER_SCENARIOS: readonly ScenarioSpec[] = [descriptorScenario, canaryScenario, wrongProviderScenario, evidenceScenario, replayScenario];
