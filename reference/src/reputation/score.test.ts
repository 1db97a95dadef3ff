import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { create, toJson } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { OutcomeAttestationSchema, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { compareBytes } from "../cbor/encode.js";
import { messageHash } from "../codec/hash.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { isAp2pError } from "../errors.js";
import { Outcome, verifyAttestation } from "./attestation.js";
import { capEvidence, dedupeAttestations, evidenceTable, type PairEvidence } from "./evidence.js";
import { EXAMPLE_NOW, EXAMPLE_PEERS, exampleAttestations } from "./example.js";
import { DEFAULT_REPUTATION_PARAMS, PPM, type ReputationParams } from "./params.js";
import { betaScore, computeReputation, priorScore, reputationOf } from "./score.js";
import { raterWeights, trustLevels } from "./trust.js";

// A pool of peers: deterministic keys, never used outside tests.
const PEERS = Array.from({ length: 24 }, (_, i) => didFromPublicKey(publicKeyFromSecret(new Uint8Array(32).fill(i + 1))));
const E = PEERS[0]!;
const HONEST = PEERS.slice(0, 8); // E and seven others
const SYBILS = PEERS.slice(8, 24);
const NOW = 1_800_000_000_000n;
const H = DEFAULT_REPUTATION_PARAMS.halfLifeMs;
const P = DEFAULT_REPUTATION_PARAMS;
const CAP = { namespace: "ai.text", id: "summarise", version: "1.0.0" };

let serial = 0;
/** An attestation as it stands after verification; no signature is needed to score. */
function att(attester: string, provider: string, outcome: Outcome, ageMs = 0n, task?: number, capability = CAP): OutcomeAttestation {
  const n = task ?? ++serial;
  const taskHash = new Uint8Array(32);
  new DataView(taskHash.buffer).setUint32(0, n);
  return create(OutcomeAttestationSchema, { attester, provider, capability, taskHash, outcome, tier: VerificationTier.CANARY, issuedAt: NOW - ageMs });
}
const ok = (a: string, p: string, age = 0n) => att(a, p, Outcome.SUCCESS, age);
const bad = (a: string, p: string, age = 0n) => att(a, p, Outcome.FAILURE, age);
const score = (atts: OutcomeAttestation[], provider: string, params: ReputationParams = P, evaluator = E) => reputationOf(evaluator, atts, provider, NOW, params).score;
const thrownCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isAp2pError(e) ? e.code : String(e);
  }
  return "no error";
};

// fast-check generators over the peer pool.
const outcomeArb = fc.constantFrom(Outcome.SUCCESS, Outcome.SUCCESS, Outcome.FAILURE, Outcome.TIMEOUT, Outcome.CANARY_FAILED);
function attArb(attesters: readonly string[], providers: readonly string[]) {
  return fc
    .record({
      a: fc.constantFrom(...attesters),
      p: fc.constantFrom(...providers),
      outcome: outcomeArb,
      age: fc.bigInt({ min: -4_000n, max: 6n * H }),
      task: fc.integer({ min: 1, max: 40 }), // small range: duplicates happen
    })
    .filter((r) => r.a !== r.p)
    .map((r) => att(r.a, r.p, r.outcome, r.age, r.task));
}
const honestSet = fc.array(attArb(HONEST, HONEST), { maxLength: 40 });
const paramsArb = fc.record({
  halfLifeMs: fc.constantFrom(3_600_000n, H),
  priorPositive: fc.bigInt({ min: 1n, max: 5_000_000n }),
  priorNegative: fc.bigInt({ min: 1n, max: 5_000_000n }),
  raterCap: fc.bigInt({ min: 1_000_000n, max: 20_000_000n }),
  trustFloor: fc.bigInt({ min: 1_000_000n, max: 20_000_000n }),
  dampingPpm: fc.bigInt({ min: 0n, max: 1_000_000n }),
  depth: fc.integer({ min: 0, max: 4 }),
  trustedRaters: fc.subarray(HONEST.slice(1, 4)),
});

describe("worked example (spec §7.9)", () => {
  const signed = exampleAttestations();
  const atts = signed.map((s) => s.attestation);
  it("every example attestation verifies at the evaluation time", () => {
    for (const s of signed) expect(verifyAttestation(s.bytes, { now: EXAMPLE_NOW }).ok).toBe(true);
  });
  it("REP-014: the example weights are 1,000,000, 500,000 and 750,000", () => {
    const table = evidenceTable(dedupeAttestations(atts), EXAMPLE_NOW, P.halfLifeMs);
    expect(table.get(EXAMPLE_PEERS.E)?.get(EXAMPLE_PEERS.Q)).toEqual({ positive: 1_500_000n, negative: 0n });
    expect(table.get(EXAMPLE_PEERS.E)?.get(EXAMPLE_PEERS.P)).toEqual({ positive: 750_000n, negative: 0n });
    expect(table.get(EXAMPLE_PEERS.Q)?.get(EXAMPLE_PEERS.P)).toEqual({ positive: 0n, negative: 1_000_000n });
  });
  it("REP-016: scoring P, E weighs 1,000,000, Q weighs 75,000 and X nothing", () => {
    const table = evidenceTable(dedupeAttestations(atts), EXAMPLE_NOW, P.halfLifeMs);
    const levels = trustLevels(EXAMPLE_PEERS.E, table, P, EXAMPLE_PEERS.P);
    expect(levels.map((l) => Object.fromEntries(l))).toEqual([{ [EXAMPLE_PEERS.E]: 1_000_000n }, { [EXAMPLE_PEERS.Q]: 75_000n }, {}]);
    expect(Object.fromEntries(raterWeights(EXAMPLE_PEERS.E, table, P, EXAMPLE_PEERS.P))).toEqual({ [EXAMPLE_PEERS.E]: 1_000_000n, [EXAMPLE_PEERS.Q]: 75_000n });
  });
  it("REP-017: P scores 457,516 and Q 555,555; anyone else 333,333", () => {
    expect(reputationOf(EXAMPLE_PEERS.E, atts, EXAMPLE_PEERS.P, EXAMPLE_NOW)).toEqual({ positive: 750_000n, negative: 75_000n, score: 457_516n });
    expect([...computeReputation(EXAMPLE_PEERS.E, atts, EXAMPLE_NOW)]).toEqual([
      [EXAMPLE_PEERS.P, 457_516n],
      [EXAMPLE_PEERS.Q, 555_555n],
    ]);
    expect(reputationOf(EXAMPLE_PEERS.E, atts, EXAMPLE_PEERS.X, EXAMPLE_NOW).score).toBe(333_333n);
    // Without Q's report (#4), and without X's (#5), which changes nothing.
    expect(reputationOf(EXAMPLE_PEERS.E, atts.filter((_, i) => i !== 3), EXAMPLE_PEERS.P, EXAMPLE_NOW).score).toBe(466_666n);
    expect(reputationOf(EXAMPLE_PEERS.E, atts.filter((_, i) => i !== 4), EXAMPLE_PEERS.P, EXAMPLE_NOW).score).toBe(457_516n);
  });
  it("REP-001: the spec prints attestation #3 exactly as the reference signs it", () => {
    const md = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../spec/07-reputation.md"), "utf8");
    const section = md.slice(md.indexOf("## 7.9 Example"));
    const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)\n```/g)].map((m) => [m[1]!, m[2]!] as const);
    const json = blocks.find(([lang]) => lang === "json")![1];
    const hex = blocks.at(-1)![1].replace(/\s+/g, "");
    const third = signed[2]!;
    expect(JSON.parse(json)).toEqual(toJson(OutcomeAttestationSchema, third.attestation));
    expect(hex).toBe(Buffer.from(third.bytes).toString("hex"));
    expect(section).toContain(`Its COSE_Sign1 (${third.bytes.length} bytes)`);
  });
  it("the example's peers are the ones the spec prints", () => {
    expect(EXAMPLE_PEERS).toEqual({
      E: "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw",
      P: "did:key:z6MkiaMbhXHNA4eJVCCj8dbzKzTgYDKf6crKgHVHid1F1WCT",
      Q: "did:key:z6MkwSD8dBdqcXQzKJZQFPy2hh2izzxskndKCjdmC2dBpfME",
      X: "did:key:z6Mkh7U7jBwoMro3UeHmXes4tKtFbZhMRWejbtunbU4hhvjP",
    });
  });
});

describe("the reputation function (spec §7.5)", () => {
  const [, A, B, C, D] = HONEST as [string, string, string, string, string];

  it("REP-012: the function refuses input that cannot have passed verification", () => {
    expect(thrownCode(() => computeReputation(E, [att(A, A, Outcome.SUCCESS)], NOW))).toBe("INVALID_ARGUMENT");
    expect(thrownCode(() => reputationOf(E, [], E, NOW))).toBe("INVALID_ARGUMENT");
  });

  it("REP-013: one attestation per (attester, provider, task_hash): the latest wins", () => {
    const early = att(E, A, Outcome.FAILURE, 1000n, 1);
    const late = att(E, A, Outcome.SUCCESS, 0n, 1);
    expect(dedupeAttestations([early, late])).toEqual([late]);
    expect(dedupeAttestations([late, early])).toEqual([late]);
    expect(score([early, late], A)).toBe(score([late], A));
    // The same task hash from another attester is another delegation.
    expect(dedupeAttestations([late, att(B, A, Outcome.FAILURE, 0n, 1)])).toHaveLength(2);
    // So is the same task hash about another provider: it cannot displace this one.
    expect(dedupeAttestations([late, att(E, B, Outcome.FAILURE, -10n, 1)])).toHaveLength(2);
  });

  it("REP-013: on equal issued_at, the attestation with the smaller message hash wins", () => {
    const x = att(E, A, Outcome.FAILURE, 0n, 2);
    const y = att(E, A, Outcome.SUCCESS, 0n, 2);
    const winner = compareBytes(messageHash(OutcomeAttestationSchema, x), messageHash(OutcomeAttestationSchema, y)) < 0 ? x : y;
    expect(dedupeAttestations([x, y])).toEqual([winner]);
    expect(dedupeAttestations([y, x])).toEqual([winner]);
    expect(dedupeAttestations([x, x, x])).toEqual([x]);
  });

  it("REP-014: evidence counts by its decayed weight", () => {
    // One positive attestation by E, one half-life old: r = 500,000.
    expect(reputationOf(E, [ok(E, A, H)], A, NOW)).toMatchObject({ positive: 500_000n, negative: 0n });
    // An attestation 20 half-lives old weighs nothing: the prior.
    expect(score([ok(E, A, 20n * H)], A)).toBe(priorScore());
  });

  it("REP-015: a rater other than the evaluator counts for at most the cap about one provider; the evaluator is not capped", () => {
    expect(capEvidence({ positive: 30_000_000n, negative: 10_000_000n }, 10_000_000n)).toEqual({ positive: 7_500_000n, negative: 2_500_000n });
    expect(capEvidence({ positive: 1n, negative: 2n }, 10_000_000n)).toEqual({ positive: 1n, negative: 2n });
    expect(capEvidence({ positive: 3n, negative: 3n }, 4n)).toEqual({ positive: 2n, negative: 2n });
    // B is trusted (full weight) and reports 30 successes of A: counted as 10 units.
    const params = { ...P, trustedRaters: [B] };
    const many = Array.from({ length: 30 }, () => ok(B, A));
    expect(reputationOf(E, many, A, NOW, params)).toMatchObject({ positive: 10_000_000n, negative: 0n });
    // E's own 30 successes count in full.
    expect(reputationOf(E, Array.from({ length: 30 }, () => ok(E, A)), A, NOW)).toMatchObject({ positive: 30_000_000n });
  });

  it("REP-016: weights: the evaluator and trusted raters in full, others by damped, normalised net experience, within the depth", () => {
    const atts = [ok(E, A), ok(E, A), ok(E, B), bad(E, C), ok(A, D), ok(A, D), ok(D, B)];
    const table = evidenceTable(dedupeAttestations(atts), NOW, H);
    // E's net experience: A 2 units, B 1, C −1 (nothing passes). Normaliser max(3, 10) = 10 units.
    const w = raterWeights(E, table, P);
    expect(w.get(E)).toBe(PPM);
    expect(w.get(A)).toBe(100_000n); // 10^6 · 0.5 · 2/10
    expect(w.get(B)).toBe(50_000n); // 10^6 · 0.5 · 1/10; D's flow to B would be hop 3
    expect(w.has(C)).toBe(false);
    // Hop 2: A passes 100,000 · 0.5 · 2/10 = 10,000 to D.
    expect(w.get(D)).toBe(10_000n);
    expect(raterWeights(E, table, { ...P, depth: 1 }).has(D)).toBe(false);
    expect([...raterWeights(E, table, { ...P, depth: 0 })]).toEqual([[E, PPM]]);
    // A trusted rater weighs as much as the evaluator.
    expect(raterWeights(E, table, { ...P, trustedRaters: [C] }).get(C)).toBe(PPM);
    // Scoring B leaves out B and everything by or about it.
    expect(raterWeights(E, table, P, B).has(B)).toBe(false);
  });

  it("REP-016: a provider's own attestations, and trust it passes on, never reach its own score", () => {
    // A vouches for its accomplice D, which praises A.
    const base = [ok(E, A), ok(E, A), ok(E, B), ok(B, A)];
    const withAccomplice = [...base, ok(A, D), ok(A, D), ok(A, D), ...Array.from({ length: 10 }, () => ok(D, A))];
    expect(score(withAccomplice, A)).toBe(score(base, A));
  });

  it("REP-016: weights never exceed the evaluator's own", () => {
    const params = { ...P, trustedRaters: [A, B, C], dampingPpm: 1_000_000n, trustFloor: 1_000_000n };
    const atts = [ok(E, D), ok(A, D), ok(B, D), ok(C, D)];
    expect(raterWeights(E, evidenceTable(dedupeAttestations(atts), NOW, H), params).get(D)).toBe(PPM);
  });

  it("REP-017: score = floor((r + a) · 10^6 / (r + s + a + b))", () => {
    expect(betaScore(0n, 0n, P)).toBe(333_333n);
    expect(betaScore(1_000_000n, 0n, P)).toBe(500_000n);
    expect(betaScore(0n, 1_000_000n, P)).toBe(250_000n);
    expect(betaScore(9_000_000n, 0n, P)).toBe(833_333n);
    expect(priorScore({ ...P, priorPositive: 1n, priorNegative: 1n })).toBe(500_000n);
    expect(score([ok(E, A), bad(E, A)], A)).toBe(400_000n);
  });

  it("REP-003: every negative outcome weighs the same", () => {
    const scores = [Outcome.FAILURE, Outcome.TIMEOUT, Outcome.CANARY_FAILED, Outcome.EVIDENCE_REJECTED].map((o) => score([att(E, A, o)], A));
    expect(new Set(scores)).toEqual(new Set([250_000n]));
  });

  it("REP-018: parameters out of bounds are refused", () => {
    const bad: Partial<ReputationParams>[] = [
      { halfLifeMs: 3_599_999n },
      { halfLifeMs: 31_536_000_001n },
      { priorPositive: 0n },
      { priorNegative: 1_000_000_001n },
      { raterCap: 999_999n },
      { trustFloor: 0n },
      { dampingPpm: 1_000_001n },
      { depth: 5 },
      { depth: 1.5 },
      { trustedRaters: [E] },
      { trustedRaters: [A, A] },
      { trustedRaters: ["did:key:z6Mk"] },
      { trustedRaters: PEERS.slice(1).concat(Array.from({ length: 50 }, (_, i) => didFromPublicKey(publicKeyFromSecret(new Uint8Array(32).fill(100 + i))))) },
    ];
    for (const b of bad) expect([b, thrownCode(() => computeReputation(E, [], NOW, { ...P, ...b }))]).toEqual([b, "INVALID_ARGUMENT"]);
    expect(thrownCode(() => computeReputation("did:key:z6Mk", [], NOW))).toBe("INVALID_ARGUMENT");
    expect(computeReputation(E, [], NOW, { ...P, halfLifeMs: 3_600_000n, depth: 4, dampingPpm: 0n })).toEqual(new Map());
  });

  it("REP-019: the defaults", () => {
    expect(DEFAULT_REPUTATION_PARAMS).toEqual({
      halfLifeMs: 1_209_600_000n,
      priorPositive: 1_000_000n,
      priorNegative: 2_000_000n,
      raterCap: 10_000_000n,
      trustFloor: 10_000_000n,
      dampingPpm: 500_000n,
      depth: 2,
      trustedRaters: [],
    });
  });

  it("scope restricts the evidence about the provider, not the trust in raters", () => {
    const other = { namespace: "ai.image", id: "generate", version: "1.0.0" };
    const atts = [ok(E, B), ok(E, B), att(B, A, Outcome.SUCCESS, 0n, undefined, other), att(E, A, Outcome.FAILURE, 0n, undefined, CAP)];
    expect([...computeReputation(E, atts, NOW, P, other)]).toEqual([[A, reputationOf(E, atts, A, NOW, P, other).score]]);
    expect(reputationOf(E, atts, A, NOW, P, other)).toMatchObject({ positive: 100_000n, negative: 0n }); // B weighs 0.1, its 1 unit
    expect(reputationOf(E, atts, A, NOW, P, CAP)).toMatchObject({ positive: 0n, negative: 1_000_000n });
  });
});

describe("properties of the reputation function (spec §7.6)", () => {
  it("REP-020: the scores do not depend on the order of the attestations", () => {
    fc.assert(
      fc.property(honestSet, paramsArb, fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (atts, params, keys) => {
        const shuffled = atts.map((a, i) => [keys[i]!, a] as const).sort((x, y) => x[0] - y[0]).map(([, a]) => a);
        const base = computeReputation(E, atts, NOW, params);
        expect(computeReputation(E, shuffled, NOW, params)).toEqual(base);
        expect(computeReputation(E, [...atts].reverse(), NOW, params)).toEqual(base);
      }),
      { numRuns: 150 },
    );
  });

  it("adding a positive attestation about a provider never lowers its score", () => {
    fc.assert(
      fc.property(honestSet, paramsArb, attArb(HONEST, HONEST.slice(1)), (atts, params, extra) => {
        const positive = create(OutcomeAttestationSchema, { ...extra, outcome: Outcome.SUCCESS });
        const before = score(atts, positive.provider, params);
        const after = score([...atts, positive], positive.provider, params);
        expect(after >= before).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a Sybil cluster of any size that nobody outside it has attested changes no score", () => {
    fc.assert(
      fc.property(
        honestSet,
        paramsArb,
        fc.integer({ min: 1, max: SYBILS.length }),
        fc.array(fc.record({ a: fc.nat(), p: fc.nat(), outcome: outcomeArb, age: fc.bigInt({ min: 0n, max: 2n * H }) }), { maxLength: 80 }),
        (atts, params, size, raw) => {
          const cluster = SYBILS.slice(0, size);
          const targets = [...cluster, ...HONEST.slice(1)];
          const sybil = raw
            .map((r) => ({ a: cluster[r.a % cluster.length]!, p: targets[r.p % targets.length]!, outcome: r.outcome, age: r.age }))
            .filter((r) => r.a !== r.p)
            .map((r) => att(r.a, r.p, r.outcome, r.age));
          const before = computeReputation(E, atts, NOW, params);
          const after = computeReputation(E, [...atts, ...sybil], NOW, params);
          for (const [peer, s] of before) expect(after.get(peer)).toBe(s);
          for (const [peer, s] of after) if (!before.has(peer)) expect(s).toBe(priorScore(params));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("older evidence weighs less: ageing a positive attestation never raises the score, ageing a negative one never lowers it", () => {
    fc.assert(
      fc.property(honestSet, paramsArb, fc.constantFrom(...HONEST.slice(1)), fc.constantFrom(...HONEST), fc.boolean(), fc.bigInt({ min: 0n, max: 4n * H }), fc.bigInt({ min: 1n, max: 4n * H }), (atts, params, provider, attester, positive, age, more) => {
        fc.pre(attester !== provider);
        const at = (a: bigint) => att(attester, provider, positive ? Outcome.SUCCESS : Outcome.FAILURE, a, 1_000_000);
        const young = score([...atts, at(age)], provider, params);
        const old = score([...atts, at(age + more)], provider, params);
        if (positive) expect(old <= young).toBe(true);
        else expect(old >= young).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("scores stay within 0..1,000,000, and a peer nobody has attested gets exactly the prior", () => {
    fc.assert(
      fc.property(honestSet, paramsArb, (atts, params) => {
        for (const s of computeReputation(E, atts, NOW, params).values()) expect(s >= 0n && s <= 1_000_000n).toBe(true);
        const stranger = SYBILS[0]!;
        expect(score(atts, stranger, params)).toBe(priorScore(params));
        expect(priorScore(params)).toBe((params.priorPositive * PPM) / (params.priorPositive + params.priorNegative));
      }),
      { numRuns: 200 },
    );
    // Extremes: a mountain of the evaluator's own evidence, one way or the other.
    const many = (o: Outcome) => Array.from({ length: 500 }, () => att(E, HONEST[1]!, o));
    expect(score(many(Outcome.SUCCESS), HONEST[1]!)).toBe(996_023n); // 501/503
    expect(score(many(Outcome.FAILURE), HONEST[1]!)).toBe(1_988n); // 1/503
  });

  it("what attestations by a provider say never changes its own score", () => {
    fc.assert(
      fc.property(honestSet, paramsArb, fc.constantFrom(...HONEST.slice(1)), fc.array(attArb(HONEST, HONEST), { maxLength: 15 }), (atts, params, provider, more) => {
        const own = more.map((a) => create(OutcomeAttestationSchema, { ...a, attester: provider })).filter((a) => a.provider !== provider);
        expect(score([...atts, ...own], provider, params)).toBe(score(atts, provider, params));
      }),
      { numRuns: 200 },
    );
  });
});

describe("attacker influence through attack edges (spec §7.8)", () => {
  const [, A, B, T] = HONEST as [string, string, string, string];
  const gammaPpm = P.dampingPpm;

  /** The trust that honest peers pass into the Sybil set at each hop (F_k of §7.8). */
  function attackFlows(atts: OutcomeAttestation[], excluded: string): bigint[] {
    const table = evidenceTable(dedupeAttestations(atts), NOW, H);
    const levels = trustLevels(E, table, P, excluded);
    const isSybil = (p: string) => SYBILS.includes(p);
    return levels.slice(1).map((_, k) => {
      let f = 0n;
      for (const [j, tj] of levels[k]!) {
        if (isSybil(j)) continue;
        const row = [...(table.get(j) ?? new Map<string, PairEvidence>())].filter(([x]) => x !== excluded);
        const local = row.map(([x, e]) => {
          const c = j === E ? e : capEvidence(e, P.raterCap);
          return [x, c.positive > c.negative ? c.positive - c.negative : 0n] as const;
        });
        const sum = local.reduce((s, [, l]) => s + l, 0n);
        const norm = sum > P.trustFloor ? sum : P.trustFloor;
        for (const [x, l] of local) if (isSybil(x)) f += (tj * gammaPpm * l) / (PPM * norm);
      }
      return f;
    });
  }

  it("the Sybils' total weight is bounded by the flow across the attack edges, whatever their number", () => {
    const honest = [ok(E, A), ok(E, A), ok(E, B), ok(A, B), ok(E, T), ok(B, T)];
    // One attack edge: E had two good experiences with Sybil S0, and A one with S1.
    const edges = [ok(E, SYBILS[0]!), ok(E, SYBILS[0]!), ok(A, SYBILS[1]!)];
    const bounds: bigint[] = [];
    for (const n of [1, 2, 4, 8, 16]) {
      const cluster = SYBILS.slice(0, n);
      // Every Sybil vouches for every other, many times over, and bad-mouths T.
      const sybil = cluster.flatMap((s) => [...cluster.filter((x) => x !== s).flatMap((x) => [ok(s, x), ok(s, x), ok(s, x)]), ...Array.from({ length: 20 }, () => bad(s, T))]);
      const atts = [...honest, ...edges, ...sybil];
      const w = raterWeights(E, evidenceTable(dedupeAttestations(atts), NOW, H), P, T);
      const ws = cluster.reduce((s, x) => s + (w.get(x) ?? 0n), 0n);
      const [f1, f2] = attackFlows(atts, T) as [bigint, bigint];
      // Depth 2: W_S ≤ F_1 + F_2 + γ·F_1.
      const bound = f1 + f2 + (gammaPpm * f1) / PPM;
      expect(ws <= bound).toBe(true);
      expect(ws > 0n).toBe(true);
      bounds.push(bound);
      // And the Sybils' negative evidence about T is at most cap · W_S.
      const rep = reputationOf(E, atts, T, NOW);
      const honestOnly = reputationOf(E, [...honest, ...edges], T, NOW);
      expect(rep.negative - honestOnly.negative <= (P.raterCap * ws) / PPM).toBe(true);
    }
    // The bound itself does not grow with the number of Sybils.
    expect(new Set(bounds).size).toBe(1);
  });
});
