// Delegator scenarios (spec/10-delegation.md §10.4): the implementation
// delegates one task of the test capability ap2p.test/sha256@1.0.0 (§8.8);
// the harness plays the registry and every provider. Each query, challenge
// and task request the implementation sends arrives as a PeerCall and is
// answered by reference nodes with fixed test keys: a Registry, and
// ProviderAgents with the behaviours of §10.1 (an honest one and liars).
// The harness records who was sent what, in order, and checks the
// implementation's conduct from that record and from its report.
import { clone, fromJsonString, toJson } from "@bufbuild/protobuf";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { RiskPolicySchema, TaskRisk } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { PeerCallKind, type PeerCall } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ProviderAgent, type ProviderBehaviour } from "../../../reference/src/agent/provider.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { DEFAULT_RISK_POLICY } from "../../../reference/src/delegation/policy.js";
import { Registry } from "../../../reference/src/discovery/registry.js";
import { issueTaskRequest } from "../../../reference/src/task/issue-request.js";
import type { PeerAnswer, PeerHandler } from "../case.js";
import { didOf, hex, testKey, type JsonObject, type ScenarioSpec, type Steps } from "./scenario.js";

const DELEGATE = "delegator-node.delegate";
const REGISTRY_KEY = testKey("delegator-scenario registry");
const DELEGATOR_KEY = testKey("delegator-scenario delegator");
const CAP = SHA256_TEST_CAPABILITY.capability;
const INPUT = new TextEncoder().encode("conformance: delegate me");

/** A call the implementation made to a peer, as the harness saw it. */
interface Seen {
  readonly peer: string;
  readonly kind: "query" | "canary" | "task";
}

const KIND: Record<number, Seen["kind"]> = { [PeerCallKind.QUERY]: "query", [PeerCallKind.CANARY]: "canary", [PeerCallKind.TASK]: "task" };

/** A provider the harness plays. */
interface Provider {
  readonly label: string;
  readonly agent: ProviderAgent;
}

/** The network the harness plays for one delegation: a registry with the providers published, in the order of their advertised latency. */
class Network {
  readonly registry = new Registry();
  readonly registryId = didOf(REGISTRY_KEY);
  readonly providers: Provider[] = [];
  readonly seen: Seen[] = [];

  constructor(private readonly s: Steps) {}

  /** A provider of the test capability with the behaviour and the advertised latency, published from its own origin. */
  add(label: string, behaviour: ProviderBehaviour, latencyMs: number): Provider {
    const agent = new ProviderAgent({
      secretKey: testKey(`delegator-scenario provider ${label}`),
      behaviour,
      clock: () => this.s.now,
      displayName: label,
      offers: [
        {
          capability: { ...CAP, tags: ["hash"], constraints: { maxLatencyMs: latencyMs }, supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE] },
          tools: [{ id: "ap2p.test/sha256@1", run: (input) => sha256(input) }],
          compute: SHA256_TEST_CAPABILITY.compute,
        },
      ],
    });
    const published = this.registry.publish(agent.publish(60_000n).bytes, this.s.now, `origin-${label}`);
    if (!published.ok) throw new Error(`the harness could not publish ${label}: ${published.error.code}`);
    const p = { label, agent };
    this.providers.push(p);
    return p;
  }

  name(peer: string): string {
    if (peer === this.registryId) return "registry";
    return this.providers.find((p) => p.agent.peerId === peer)?.label ?? peer;
  }

  /** Answers each PeerCall as the peer it names would; a call to a peer the harness does not play goes unanswered. */
  readonly peers: PeerHandler = async (call: PeerCall): Promise<PeerAnswer> => {
    const kind = KIND[call.kind];
    this.s.note(`peer call ${call.callId}: ${kind ?? `kind ${call.kind}`} to ${this.name(call.peerId)}`);
    if (kind === undefined) return "silent";
    this.seen.push({ peer: call.peerId, kind });
    if (kind === "query") {
      if (call.peerId !== this.registryId) return "silent";
      const answer = this.registry.answer(fromJsonString(QuerySchema, call.queryJson), this.s.now, REGISTRY_KEY);
      return answer.ok ? { payload: answer.value } : "silent";
    }
    const provider = this.providers.find((p) => p.agent.peerId === call.peerId);
    if (provider === undefined) return "silent";
    if (kind === "canary") {
      const response = provider.agent.answerCanary(call.payload);
      return response?.ok ? { payload: response.value } : "silent";
    }
    const reply = await provider.agent.handleTask(call.payload, call.input.length > 0 ? call.input : undefined);
    return reply?.ok ? { payload: reply.value.result, ...(reply.value.output ? { output: reply.value.output } : {}) } : "silent";
  };

  /** The providers sent a call of this kind, in the order of their first such call. */
  sent(kind: Seen["kind"]): string[] {
    return [...new Set(this.seen.filter((c) => c.kind === kind).map((c) => c.peer))];
  }
}

/** Gives the forger the evidence of an earlier task, which it presents instead of doing the work (§10.1). */
async function warmUp(s: Steps, forger: Provider): Promise<void> {
  const warm = issueTaskRequest(testKey("delegator-scenario someone else"), { provider: forger.agent.peerId, capability: CAP, input: INPUT, requiredTier: VerificationTier.EVIDENCE }, { now: s.now, timeoutMs: 30_000n, random: (n) => testKey("warm-up nonce").slice(0, n) });
  const reply = await forger.agent.handleTask(warm.bytes);
  if (!reply?.ok) throw new Error("the harness could not warm up the forger");
}

/** Runs the delegation and returns its report: chosen, error, attested. */
async function delegate(s: Steps, net: Network, policy?: JsonObject, risk = "TASK_RISK_HIGH"): Promise<{ chosen: string; error: string; attested: string[]; attempts: { peer_id: string; stage: string; error: string }[] }> {
  const out = await s.ok(
    DELEGATE,
    {
      secret_key: hex(DELEGATOR_KEY),
      registry: net.registryId,
      capability: { namespace: CAP.namespace, id: CAP.id, version: CAP.version },
      input: hex(INPUT),
      risk,
      ...(policy === undefined ? {} : { policy }),
      attestation_verifiers: [],
    },
    "a delegation report",
    net.peers,
  );
  const chosen = s.text(out, "chosen", DELEGATE);
  const error = s.text(out, "error", DELEGATE);
  const attested = out["attested"];
  s.expect(Array.isArray(attested) && attested.every((a) => typeof a === "string"), `${DELEGATE} answered ok without "attested" as an array of peer ids`);
  s.expect(net.seen[0]?.kind === "query" && net.seen[0].peer === net.registryId, `the first peer call is ${net.seen[0] === undefined ? "missing" : `a ${net.seen[0].kind} to ${net.name(net.seen[0].peer)}`}, not a query to the registry given (DLG-003)`);
  // DLG-006: an attestation only about a provider sent a canary or a task in this delegation.
  const contacted = new Set([...net.sent("canary"), ...net.sent("task")]);
  const strangers = (attested as string[]).filter((p) => !contacted.has(p));
  s.expect(strangers.length === 0, `outcome attestations about ${strangers.map((p) => net.name(p)).join(", ")}, which were sent no canary and no task (DLG-006)`);
  // TIER-004, DLG-003: at level 3 no task goes to a provider that has not passed a canary first.
  for (const p of net.sent("task")) {
    const firstTask = net.seen.findIndex((c) => c.peer === p && c.kind === "task");
    const firstCanary = net.seen.findIndex((c) => c.peer === p && c.kind === "canary");
    s.expect(firstCanary !== -1 && firstCanary < firstTask, `${net.name(p)} was sent a task without a canary first, at a level that requires one (DLG-003)`);
  }
  const attempts = out["attempts"];
  const isAttempt = (a: unknown): a is { peer_id: string; stage: string; error: string } =>
    typeof a === "object" && a !== null && ["peer_id", "stage", "error"].every((k) => typeof (a as Record<string, unknown>)[k] === "string");
  s.expect(Array.isArray(attempts) && attempts.every(isAttempt), `${DELEGATE} answered ok without "attempts" as an array of {peer_id, stage, error}`);
  return { chosen, error, attested: attested as string[], attempts: attempts as { peer_id: string; stage: string; error: string }[] };
}

function order(net: Network, peers: readonly string[]): string {
  return `[${peers.map((p) => net.name(p)).join(", ")}]`;
}

const fallbackScenario: ScenarioSpec = {
  id: "scenario/delegator/fallback-001",
  requirements: ["TIER-004", "DLG-003", "DLG-004", "DLG-005", "DLG-006", "CAN-028", "CAN-029", "CAN-030", "DRV-027"],
  operations: [DELEGATE],
  expectation: "at risk HIGH, the forger's result rejected, no task to the canary failer, the honest provider chosen",
  script: async (s: Steps) => {
    s.step("play a registry with three providers: a forger (10 ms), a canary failer (20 ms), an honest one (1000 ms)");
    const net = new Network(s);
    const forger = net.add("forger", "forges-evidence", 10);
    const failer = net.add("failer", "fails-canaries", 20);
    const honest = net.add("honest", "honest", 1000);
    await warmUp(s, forger);
    s.step("delegate a HIGH-risk task");
    const r = await delegate(s, net);
    s.expect(r.error === "" && r.chosen === honest.agent.peerId, `the delegation chose ${r.chosen === "" ? "no provider" : net.name(r.chosen)} with error "${r.error}", not the honest provider (TIER-004, DLG-005)`, r.error || "output");
    const canaries = net.sent("canary");
    s.expect(
      canaries.length === 3 && canaries[0] === forger.agent.peerId && canaries[1] === failer.agent.peerId && canaries[2] === honest.agent.peerId,
      `canaries went to ${order(net, canaries)}, not to [forger, failer, honest] in the registry's order (DLG-004, CAN-028)`,
    );
    const tasks = net.sent("task");
    s.expect(!tasks.includes(failer.agent.peerId), `the canary failer was sent a task (CAN-029)`);
    s.expect(tasks.length === 2 && tasks[0] === forger.agent.peerId && tasks[1] === honest.agent.peerId, `tasks went to ${order(net, tasks)}, not to [forger, honest] (DLG-005, CAN-030)`);
  },
};

const forgedScenario: ScenarioSpec = {
  id: "scenario/delegator/forged-evidence-001",
  requirements: ["TIER-004", "DLG-003", "DLG-006"],
  operations: [DELEGATE],
  expectation: "at risk HIGH, the forger's result with stale evidence rejected and the honest provider chosen",
  script: async (s: Steps) => {
    s.step("play a registry with a forger (10 ms) and an honest provider (1000 ms)");
    const net = new Network(s);
    const forger = net.add("forger", "forges-evidence", 10);
    const honest = net.add("honest", "honest", 1000);
    await warmUp(s, forger);
    s.step("delegate a HIGH-risk task");
    const r = await delegate(s, net);
    s.expect(r.chosen !== forger.agent.peerId, "the delegation accepted the forger's result, whose evidence belongs to another task (TIER-004, DLG-003)", "valid");
    s.expect(r.error === "" && r.chosen === honest.agent.peerId, `the delegation chose ${r.chosen === "" ? "no provider" : net.name(r.chosen)} with error "${r.error}", not the honest provider`, r.error || "output");
    s.expect(net.sent("task").includes(forger.agent.peerId), "the forger was never sent the task, so its evidence was not tested");
  },
};

const budgetScenario: ScenarioSpec = {
  id: "scenario/delegator/budget-001",
  requirements: ["DLG-005", "DLG-006", "CAN-030"],
  operations: [DELEGATE],
  expectation: "with max_attempts 1 and the canary failer first: DELEGATION_FAILED, and only the failer contacted",
  script: async (s: Steps) => {
    s.step("play a registry with a canary failer (10 ms) and an honest provider (1000 ms)");
    const net = new Network(s);
    const failer = net.add("failer", "fails-canaries", 10);
    net.add("honest", "honest", 1000);
    const policy = clone(RiskPolicySchema, DEFAULT_RISK_POLICY);
    policy.rules.find((rule) => rule.risk === TaskRisk.HIGH)!.maxAttempts = 1;
    s.step("delegate a HIGH-risk task with max_attempts 1");
    const r = await delegate(s, net, toJson(RiskPolicySchema, policy) as JsonObject);
    s.expect(r.error === "DELEGATION_FAILED" && r.chosen === "", `the delegation ended with chosen ${r.chosen === "" ? '""' : net.name(r.chosen)} and error "${r.error}", not DELEGATION_FAILED with no provider (DLG-005)`, r.error || "output");
    const contacted = [...new Set([...net.sent("canary"), ...net.sent("task")])];
    s.expect(contacted.length === 1 && contacted[0] === failer.agent.peerId, `providers contacted: ${order(net, contacted)}, not only the failer (max_attempts 1, DLG-005, CAN-030)`);
  },
};

const attestationScenario: ScenarioSpec = {
  id: "scenario/delegator/attestation-001",
  requirements: ["DLG-007", "DLG-003", "DLG-006"],
  operations: [DELEGATE],
  expectation: "at risk CRITICAL, an honest provider's result without a platform attestation rejected with ATTESTATION_REQUIRED, and no provider chosen",
  script: async (s: Steps) => {
    s.step("play a registry with one honest provider, whose evidence carries no platform attestation");
    const net = new Network(s);
    const honest = net.add("honest", "honest", 10);
    // A newcomer's prior (333,333 ppm) is below the default CRITICAL floor: without this, no task would be sent at all.
    const policy = clone(RiskPolicySchema, DEFAULT_RISK_POLICY);
    const critical = policy.rules.find((rule) => rule.risk === TaskRisk.CRITICAL)!;
    critical.minReputationPpm = 0;
    critical.requireAttestation = true;
    s.step("delegate a CRITICAL-risk task, with no attestation format the delegator can appraise");
    const r = await delegate(s, net, toJson(RiskPolicySchema, policy) as JsonObject, "TASK_RISK_CRITICAL");
    s.expect(net.sent("task").includes(honest.agent.peerId), "the honest provider was never sent the task, so its result was not judged");
    s.expect(r.chosen === "", `the delegation accepted ${net.name(r.chosen)}'s result, which carries no platform attestation (DLG-007)`, "valid");
    const judged = r.attempts.filter((a) => a.peer_id === honest.agent.peerId).map((a) => a.error);
    s.expect(judged.includes("ATTESTATION_REQUIRED"), `the honest provider's attempts ended with [${judged.map((e) => e || '""').join(", ")}], not ATTESTATION_REQUIRED (DLG-007)`, judged.find((e) => e !== "") ?? "output");
    s.expect(r.error === "DELEGATION_FAILED", `the delegation ended with error "${r.error}", not DELEGATION_FAILED`, r.error || "output");
  },
};

/** The delegator scenarios. */
export const DELEGATOR_SCENARIOS: readonly ScenarioSpec[] = [fallbackScenario, forgedScenario, budgetScenario, attestationScenario];
