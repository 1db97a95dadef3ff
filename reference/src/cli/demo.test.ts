// A reduced demo: the network as child processes, the attacks, the table, and nothing left behind.
import { describe, expect, it } from "vitest";
import { runDemo, tableText } from "./demo.js";

/** True while a process (or, with a negative id, a process group) exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

describe("ap2p demo", () => {
  it("shows which tier caught which attack, and stops every process it started", async () => {
    const lines: string[] = [];
    const r = await runDemo({ workflows: 3, sybils: 40, seed: "demo test", progress: (l) => lines.push(l) });

    // The Sybil burst: one origin keeps at most 16 peers (DISC-020); the rest are refused with the limit's code.
    expect(r.sybil.accepted).toBe(16);
    expect(r.sybil.rejected).toEqual({ DISC_ORIGIN_PEER_LIMIT: 24 });

    const cell = (attack: string, level: number) => r.table[attack]![`level ${level}`]!;
    // Level 1 takes a provider's word: the agent that lacks its capability gets its made-up results accepted.
    expect(cell("lacks capability", 1).wrongAccepted).toBeGreaterThan(0);
    // Canaries catch it, and the agent that fails canaries.
    for (const level of [2, 3]) {
      expect(cell("lacks capability", level).codes["CANARY_WRONG_OUTPUT"]).toBeGreaterThan(0);
      expect(cell("lacks capability", level).wrongAccepted).toBe(0);
      expect(cell("fails canaries", level).codes["CANARY_WRONG_OUTPUT"]).toBeGreaterThan(0);
    }
    // The forger passes canaries; only evidence catches it.
    expect(cell("forges evidence", 2).wrongAccepted).toBeGreaterThan(0);
    expect(cell("forges evidence", 3).caught).toBe(true);
    expect(Object.keys(cell("forges evidence", 3).codes).some((c) => c.startsWith("EVD_"))).toBe(true);
    // Sybils never answer: every level refuses them, none of their results is ever used.
    expect(cell("Sybil descriptors", 1).codes["TASK_RESULT_LATE"]).toBeGreaterThan(0);
    expect(cell("Sybil descriptors", 2).codes["CANARY_RESPONSE_LATE"]).toBeGreaterThan(0);
    for (const level of [1, 2, 3]) expect(cell("Sybil descriptors", level).caught).toBe(true);

    // Only level 3 ends the workflow with the right result; its first workflow pays for the Sybils.
    expect(r.levels.map((l) => l.succeeded)).toEqual([0, 0, 2]);
    expect(r.levels[2]!.wrong).toBe(0);
    const table = tableText(r);
    expect(table).toMatch(/\| forges evidence +\| never tried +\| NOT CAUGHT: [0-9]+ wrong results accepted +\| caught: EVD_/);
    expect(table).toMatch(/\| end-to-end success +\| 0\/3 \(0%\) +\| 0\/3 \(0%\) +\| 2\/3 \(67%\) +\|/);
    expect(lines.some((l) => l.startsWith("  workflow  3/3"))).toBe(true);

    // Seven nodes were started, each stopped by SIGTERM and exiting 0; no process or process group remains.
    expect(r.pids).toHaveLength(7);
    expect(r.exits).toEqual(r.pids.map(() => ({ code: 0, signal: null })));
    for (const pid of r.pids) {
      expect(alive(pid), `process ${pid}`).toBe(false);
      expect(alive(-pid), `process group ${pid}`).toBe(false);
    }
  }, 120_000);
});
