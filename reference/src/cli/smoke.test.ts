import { describe, expect, it } from "vitest";
import { runSmoke } from "./smoke.js";

describe("ap2p smoke", () => {
  it("runs the descriptor round trip with an injected clock and randomness, deterministically", () => {
    const run = () => {
      const lines: string[] = [];
      const code = runSmoke({ now: () => 1767225600000n, random: (n) => new Uint8Array(n).fill(7), print: (l) => lines.push(l) });
      return { code, out: lines.join("\n") };
    };
    const a = run();
    expect(a.code).toBe(0);
    expect(a.out).toContain("smoke: OK");
    for (const code of ["SIG_INVALID", "DESC_EXPIRED", "DESC_NOT_YET_VALID", "DESC_SEQ_ROLLBACK"]) expect(a.out).toContain(code);
    expect(a.out).toContain('"issued_at": 1767225600000');
    expect(run().out).toBe(a.out);
  });
});
