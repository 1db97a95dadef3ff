import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accept, reject, type ErrorCodeName, type Verdict } from "../errors.js";
import {
  failureMemory,
  nextCandidate,
  recordAttempt,
  runFallback,
  runFallbackAsync,
  type FallbackAttempt,
  type FallbackResult,
} from "./fallback.js";

const T0 = 1767225600000n;

/** A clock that advances 10 ms per reading, from T0 + 10. */
function ticking(): () => bigint {
  let t = T0;
  return () => (t += 10n);
}

/** A try function from a table of outcomes; peers not in the table pass. */
function outcomes(table: Record<string, ErrorCodeName | "pass">, calls: string[] = []): (peer: string) => Verdict<string> {
  return (peer) => {
    calls.push(peer);
    const o = table[peer] ?? "pass";
    return o === "pass" ? accept(`result of ${peer}`) : reject(o, `${peer} failed`);
  };
}

const summary = (r: FallbackResult<unknown>) => ({
  result: r.verdict.ok ? r.verdict.value.peerId : r.verdict.error.code,
  attempts: r.attempts.map((a) => `${a.peerId}:${a.outcome}@${a.at - T0}`),
});

// The worked example of spec §8.11.1.
const LIST = ["P1", "P2", "P1", "P3", "P4"];
const FAILS = { P1: "CANARY_WRONG_OUTPUT", P2: "CANARY_RESPONSE_LATE", P3: "CANARY_WRONG_OUTPUT" } as const;

describe("fallback selection (spec §8.10)", () => {
  it("CAN-028: tries candidates in rank order, skipping repeats and the failure memory (spec §8.11.1, budget 3)", () => {
    const calls: string[] = [];
    const r = runFallback(LIST, 3, outcomes(FAILS, calls), { now: ticking(), excluded: ["P3"] });
    expect(summary(r)).toEqual({
      result: "P4",
      attempts: ["P1:CANARY_WRONG_OUTPUT@10", "P2:CANARY_RESPONSE_LATE@20", "P4:pass@30"],
    });
    expect(calls).toEqual(["P1", "P2", "P4"]);
    expect(r.verdict.ok && r.verdict.value.value).toBe("result of P4");
  });
  it("CAN-028: exact choices for several lists and budgets", () => {
    const cases: [string[], number, Record<string, ErrorCodeName>, string[], string, string[]][] = [
      // candidates, budget, failures, excluded, result, attempted
      [["A"], 1, {}, [], "A", ["A"]],
      [["A", "B", "C"], 3, { A: "CANARY_WRONG_OUTPUT" }, [], "B", ["A", "B"]],
      [["A", "A", "A", "B"], 2, { A: "SIG_INVALID" }, [], "B", ["A", "B"]],
      [["A", "B", "C"], 1, { A: "CANARY_RESPONSE_LATE" }, [], "FALLBACK_EXHAUSTED", ["A"]],
      [["A", "B", "C"], 5, {}, ["A", "B"], "C", ["C"]],
      [["A", "B", "C"], 5, {}, ["A", "B", "C"], "FALLBACK_NO_CANDIDATES", []],
      [["B", "A", "B", "C", "A"], 4, { B: "CANARY_WRONG_OUTPUT", A: "CANARY_WRONG_OUTPUT", C: "TASK_RESULT_LATE" }, [], "FALLBACK_NO_CANDIDATES", ["B", "A", "C"]],
      [["B", "A", "B", "C", "A"], 2, { B: "CANARY_WRONG_OUTPUT", A: "CANARY_WRONG_OUTPUT", C: "TASK_RESULT_LATE" }, [], "FALLBACK_EXHAUSTED", ["B", "A"]],
    ];
    for (const [candidates, budget, fails, excluded, result, attempted] of cases) {
      const r = runFallback(candidates, budget, outcomes(fails), { now: ticking(), excluded });
      expect({ candidates, budget, excluded, ...summary(r) }).toMatchObject({ result, attempts: attempted.map((p, i) => `${p}:${fails[p] ?? "pass"}@${10 * (i + 1)}`) });
    }
  });
  it("CAN-029: a failed candidate is never tried again in the same delegation", () => {
    const first = runFallback(["A", "B", "C"], 1, outcomes({ A: "CANARY_WRONG_OUTPUT" }), { now: ticking() });
    expect(!first.verdict.ok && first.verdict.error.code).toBe("FALLBACK_EXHAUSTED");
    expect([...first.failed]).toEqual(["A"]);
    // A second round of the same delegation, over a list that ranks A first again.
    const calls: string[] = [];
    const second = runFallback(["A", "C", "B"], 2, outcomes({}, calls), { now: ticking(), excluded: first.failed });
    expect(calls).toEqual(["C"]);
    expect(second.verdict.ok && second.verdict.value.peerId).toBe("C");
    expect([...second.failed]).toEqual(["A"]);
    // The step function refuses to record an attempt on an excluded, tried or out-of-turn peer.
    const plan = { candidates: ["A", "B", "C"], budget: 3, excluded: ["B"] };
    const one = recordAttempt(plan, [], "A", "CANARY_WRONG_OUTPUT", T0);
    expect(() => recordAttempt(plan, one, "A", "pass", T0 + 1n)).toThrow(/does not try A/);
    expect(() => recordAttempt(plan, one, "B", "pass", T0 + 1n)).toThrow(/does not try B/);
    expect([...failureMemory(plan, one)].sort()).toEqual(["A", "B"]);
  });
  it("CAN-030: stops at the first pass and never exceeds the budget", () => {
    const calls: string[] = [];
    const r = runFallback(["A", "B", "C", "D"], 4, outcomes({ A: "CANARY_WRONG_OUTPUT" }, calls), { now: ticking() });
    expect(calls).toEqual(["A", "B"]);
    expect(r.verdict.ok && r.verdict.value.peerId).toBe("B");
    const plan = { candidates: ["A", "B", "C"], budget: 2 };
    let attempts: readonly FallbackAttempt[] = [];
    attempts = recordAttempt(plan, attempts, "A", "CANARY_WRONG_OUTPUT", T0);
    attempts = recordAttempt(plan, attempts, "B", "CANARY_WRONG_OUTPUT", T0);
    expect(() => recordAttempt(plan, attempts, "C", "pass", T0)).toThrow(/does not try C/);
    const passed = recordAttempt({ candidates: ["A", "B"], budget: 2 }, [], "A", "pass", T0);
    expect(nextCandidate({ candidates: ["A", "B"], budget: 2 }, passed)).toEqual({ kind: "done", verdict: { ok: true, value: "A" } });
    expect(() => recordAttempt({ candidates: ["A", "B"], budget: 2 }, passed, "B", "pass", T0)).toThrow(/does not try B/);
  });
  it("CAN-031: no candidate left is FALLBACK_NO_CANDIDATES; a candidate left but no budget is FALLBACK_EXHAUSTED", () => {
    const none = runFallback([], 3, outcomes({}), { now: ticking() });
    expect(summary(none)).toEqual({ result: "FALLBACK_NO_CANDIDATES", attempts: [] });
    const allFail = { A: "CANARY_WRONG_OUTPUT", B: "CANARY_WRONG_OUTPUT" } as const;
    // Budget and candidates run out together: nothing is left, so the budget is not the reason.
    expect(summary(runFallback(["A", "B"], 2, outcomes(allFail), { now: ticking() })).result).toBe("FALLBACK_NO_CANDIDATES");
    expect(summary(runFallback(["A", "B", "C"], 2, outcomes(allFail), { now: ticking() })).result).toBe("FALLBACK_EXHAUSTED");
    expect(summary(runFallback(LIST, 2, outcomes(FAILS), { now: ticking(), excluded: ["P3"] }))).toEqual({
      result: "FALLBACK_EXHAUSTED",
      attempts: ["P1:CANARY_WRONG_OUTPUT@10", "P2:CANARY_RESPONSE_LATE@20"],
    });
    const five = runFallback(LIST, 5, outcomes({ ...FAILS, P4: "CANARY_WRONG_OUTPUT" }), { now: ticking(), excluded: ["P3"] });
    expect(summary(five)).toEqual({
      result: "FALLBACK_NO_CANDIDATES",
      attempts: ["P1:CANARY_WRONG_OUTPUT@10", "P2:CANARY_RESPONSE_LATE@20", "P4:CANARY_WRONG_OUTPUT@30"],
    });
    expect([...five.failed].sort()).toEqual(["P1", "P2", "P3", "P4"]);
  });
  it("CAN-032: each attempt records the peer, the outcome and the time, in order", () => {
    const r = runFallback(["A", "B"], 2, outcomes({ A: "CANARY_REPLAYED" }), { now: ticking() });
    expect(r.attempts).toEqual([
      { peerId: "A", outcome: "CANARY_REPLAYED", at: T0 + 10n },
      { peerId: "B", outcome: "pass", at: T0 + 20n },
    ]);
    expect(() => recordAttempt({ candidates: ["A", "B"], budget: 2 }, r.attempts.slice(0, 1), "B", "pass", T0)).toThrow(/time order/);
  });
  it("the asynchronous variant makes the same choices, one candidate at a time", async () => {
    let inFlight = 0;
    const tryAsync = async (peer: string): Promise<Verdict<string>> => {
      inFlight++;
      expect(inFlight).toBe(1);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return outcomes(FAILS)(peer);
    };
    for (const budget of [1, 2, 3, 4, 5]) {
      const a = await runFallbackAsync(LIST, budget, tryAsync, { now: ticking(), excluded: ["P3"] });
      const s = runFallback(LIST, budget, outcomes(FAILS), { now: ticking(), excluded: ["P3"] });
      expect(summary(a)).toEqual(summary(s));
    }
  });
  it("refuses a budget that is not a positive integer and a missing clock", () => {
    expect(() => runFallback(["A"], 0, outcomes({}), { now: ticking() })).toThrow(/budget/);
    expect(() => runFallback(["A"], 1.5, outcomes({}), { now: ticking() })).toThrow(/budget/);
    expect(() => runFallback(["A"], 1, outcomes({}), {} as never)).toThrow(/clock/);
  });
});

describe("fallback properties", () => {
  const peer = fc.constantFrom<string>("A", "B", "C", "D", "E", "F");
  const scenario = fc.record({
    candidates: fc.array(peer, { maxLength: 12 }),
    budget: fc.integer({ min: 1, max: 8 }),
    excluded: fc.uniqueArray(peer, { maxLength: 4 }),
    passes: fc.uniqueArray(peer, { maxLength: 6 }),
  });

  it("CAN-029, CAN-030: never tries a peer twice, never an excluded one, never more than the budget", () => {
    fc.assert(
      fc.property(scenario, ({ candidates, budget, excluded, passes }) => {
        const calls: string[] = [];
        const table = Object.fromEntries(["A", "B", "C", "D", "E", "F"].map((p) => [p, passes.includes(p) ? "pass" : "CANARY_WRONG_OUTPUT"])) as Record<string, ErrorCodeName | "pass">;
        const r = runFallback(candidates, budget, outcomes(table, calls), { now: ticking(), excluded });
        expect(new Set(calls).size).toBe(calls.length);
        expect(calls.length).toBeLessThanOrEqual(budget);
        expect(calls.some((c) => excluded.includes(c))).toBe(false);
        // Tried in rank order of first appearance, with nothing eligible skipped over.
        const eligible = [...new Set(candidates)].filter((c) => !excluded.includes(c));
        expect(calls).toEqual(eligible.slice(0, calls.length));
        // Stops exactly at the first pass, or for the reason CAN-031 gives.
        const firstPass = eligible.findIndex((c) => passes.includes(c));
        if (firstPass >= 0 && firstPass < budget) {
          expect(r.verdict.ok && r.verdict.value.peerId).toBe(eligible[firstPass]);
          expect(calls.length).toBe(firstPass + 1);
        } else {
          expect(r.verdict.ok).toBe(false);
          const expected = eligible.length > budget ? "FALLBACK_EXHAUSTED" : "FALLBACK_NO_CANDIDATES";
          expect(!r.verdict.ok && r.verdict.error.code).toBe(expected);
        }
        expect(r.attempts.map((a) => a.peerId)).toEqual(calls);
      }),
      { numRuns: 500 },
    );
  });
});
