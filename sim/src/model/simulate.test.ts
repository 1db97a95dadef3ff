import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { RiskPolicySchema, TaskRisk } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { DEFAULT_RISK_POLICY } from "../../../reference/src/delegation/policy.js";
import { replicate, seedsFor } from "../experiments/runner.js";
import { toCsv } from "../output/csv.js";
import { config, HIGH_DRIFT, POLICIES, type SimConfig } from "./config.js";
import { messageSizes, MSG, MSG_KINDS } from "./messages.js";
import { EVENT_NAMES, simulate, type SimResult } from "./simulate.js";
import { World } from "./world.js";

// Small worlds: every test here runs in well under a second.
const small = (over: Partial<SimConfig> = {}) => config({ agents: 40, workflows: 300, workflowRatePerS: 20, ...over });
const ev = (name: string) => EVENT_NAMES.indexOf(name);

describe("determinism", () => {
  it("the same configuration and seed give identical results, and CSV bytes", () => {
    const c = small({ sybilFraction: 0.1, drift: HIGH_DRIFT, ttlMs: 10_000 });
    expect(simulate(c)).toEqual(simulate(c));
    const points = [{ params: { policy: "tier12" }, config: c }];
    const seeds = seedsFor(7, 3);
    expect(toCsv(replicate(points, seeds))).toBe(toCsv(replicate(points, seeds)));
  });

  it("a different seed gives a different run", () => {
    const a = simulate(small({ seed: 1 }));
    const b = simulate(small({ seed: 2 }));
    expect(a.events === b.events && a.discoveryMeanMs === b.discoveryMeanMs).toBe(false);
  });
});

describe("conservation", () => {
  for (const policy of POLICIES) {
    it(`every workflow ends exactly once, and every message is counted (${policy})`, () => {
      const c = small({ policy, sybilFraction: 0.15, drift: HIGH_DRIFT, ttlMs: 6_000 });
      const r = simulate(c);
      checkConservation(c, r);
    });
  }

  it("holds with refreshes refused by the registry's rate limits (TTL 2 s, DISC-018 defaults)", () => {
    const c = small({ policy: "tier123", ttlMs: 2_000 });
    const r = simulate(c);
    expect(r.publishRejected).toBeGreaterThan(0);
    checkConservation(c, r);
  });
});

function checkConservation(c: SimConfig, r: SimResult): void {
  const a = r.audit;
  const sizes = messageSizes(c.maxResults);
  // Every workflow ends exactly once.
  expect(a.endedOnce).toBe(true);
  expect(a.ended).toBe(c.workflows);
  expect(a.eventsByKind[ev("arrive")]).toBe(c.workflows);
  expect(a.eventsByKind[ev("feedback")]).toBe(c.workflows);
  // Messages counted equal the messages each kind of event sends.
  expect(a.messages[MSG.PUBLISH_REQUEST]).toBe(a.refreshes);
  expect(a.refreshes).toBe(a.eventsByKind[ev("refresh")]);
  expect(a.messages[MSG.PUBLISH_RESPONSE]).toBe(a.eventsByKind[ev("publish at registry")]);
  expect(a.eventsByKind[ev("publish at registry")]).toBe(a.refreshes);
  expect(a.messages[MSG.QUERY_REQUEST]).toBe(a.queries);
  expect(a.queries).toBe(a.eventsByKind[ev("query at registry")]);
  expect(a.messages[MSG.QUERY_RESPONSE]).toBe(a.eventsByKind[ev("answer")]);
  expect(a.eventsByKind[ev("registry done")]).toBe(a.queries + a.refreshes);
  expect(a.eventsByKind[ev("step done")]).toBe(a.eventsByKind[ev("answer")]);
  expect(a.messages[MSG.CANARY_CHALLENGE]).toBe(a.canaries);
  expect(a.messages[MSG.CANARY_RESPONSE]).toBe(a.canaries);
  expect(a.messages[MSG.TASK_REQUEST]).toBe(a.tasks);
  expect(a.messages[MSG.TASK_RESULT]).toBe(a.tasks);
  expect(a.messages[MSG.EVIDENCE]).toBe(a.evidencePackages);
  // Bytes are counts times sizes.
  for (const k of [MSG.PUBLISH_RESPONSE, MSG.QUERY_REQUEST, MSG.CANARY_CHALLENGE, MSG.CANARY_RESPONSE, MSG.TASK_REQUEST, MSG.TASK_RESULT, MSG.EVIDENCE]) {
    expect(a.bytes[k]).toBe(a.messages[k]! * sizes.bytes[k]!);
  }
  expect(a.bytes[MSG.QUERY_RESPONSE]).toBe(a.answersBySize.reduce((s, n, k) => s + n * sizes.answerBytes[k]!, 0));
  expect(a.bytes[MSG.PUBLISH_REQUEST]).toBe(a.publishesByMask.reduce((s, n, m) => s + n * sizes.publishBytesByMask[m]!, 0));
  expect(a.answersBySize.reduce((s, n) => s + n, 0)).toBe(a.messages[MSG.QUERY_RESPONSE]);
  expect(a.messages.length).toBe(MSG_KINDS);
  expect(r.events).toBe(a.eventsByKind.reduce((s, n) => s + n, 0));
}

describe("common random numbers", () => {
  it("two policies see the same world: agents, drift paths and arrivals", () => {
    const a = small({ policy: "optimistic", sybilFraction: 0.2, drift: HIGH_DRIFT });
    const b = small({ policy: "tier123", sybilFraction: 0.2, drift: HIGH_DRIFT });
    const wa = new World(a);
    const wb = new World(b);
    expect([wa.sybil, wa.offers, wa.promisedMs, wa.healthyPpm, wa.degradedPpm, wa.origin]).toEqual([wb.sybil, wb.offers, wb.promisedMs, wb.healthyPpm, wb.degradedPpm, wb.origin]);
    for (let i = 0; i < wa.n; i++) for (let t = 0; t < 600e6; t += 7_777_777) expect(wa.workingMask(i, t)).toBe(wb.workingMask(i, t));
    expect(simulate(a, { trace: true }).arrivalsUs).toEqual(simulate(b, { trace: true }).arrivalsUs);
  });

  it("the drift path does not depend on the order it is looked at", () => {
    const w = new World(small({ drift: HIGH_DRIFT }));
    const times = Array.from({ length: 200 }, (_, k) => k * 3_000_000);
    const forward = times.map((t) => w.workingMask(3, t));
    const backward = [...times].reverse().map((t) => w.workingMask(3, t)).reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward).size).toBeGreaterThan(1); // it does drift
  });
});

describe("the policies apply the reference rules", () => {
  it("max_attempts comes from the risk policy: one attempt means no fallback (CAN-030)", () => {
    const base = small({ policy: "tier12", sybilFraction: 0.2 });
    const one = create(RiskPolicySchema, { rules: DEFAULT_RISK_POLICY.rules.map((r) => ({ ...r, maxAttempts: 1 })) });
    const withDefault = simulate(base);
    const withOne = simulate({ ...base, riskPolicy: one });
    expect(withDefault.audit.fallbackAttempts).toBeGreaterThan(0);
    expect(withOne.audit.fallbackAttempts).toBe(0);
    expect(withOne.successRate).toBeLessThan(withDefault.successRate);
  });

  it("the level comes from the risk policy: MEDIUM at level EVIDENCE makes Tiers 1+2 send evidence", () => {
    const base = small({ policy: "tier12" });
    const evidence = create(RiskPolicySchema, {
      rules: DEFAULT_RISK_POLICY.rules.map((r) => (r.risk === TaskRisk.MEDIUM ? { ...r, level: VerificationTier.EVIDENCE } : { ...r })),
    });
    expect(simulate(base).audit.evidencePackages).toBe(0);
    expect(simulate({ ...base, riskPolicy: evidence }).audit.evidencePackages).toBeGreaterThan(0);
  });

  it("an ill-formed risk policy is refused by checkRiskPolicy (DLG-001)", () => {
    const bad = create(RiskPolicySchema, { rules: DEFAULT_RISK_POLICY.rules.slice(1).map((r) => ({ ...r })) });
    expect(() => simulate({ ...small(), riskPolicy: bad })).toThrow(/RISK|rule/);
  });

  it("the reputation floor screens candidates (DLG-004): Sybils that failed are skipped, not tried again", () => {
    const r = simulate(small({ policy: "tier12", sybilFraction: 0.1, workflows: 600 }));
    // Ten delegators learn each Sybil once or twice; after that Sybils are ranked below honest agents.
    expect(r.sybilFirstShare).toBeLessThan(0.2);
    expect(r.successRate).toBeGreaterThan(0.8);
  });
});
