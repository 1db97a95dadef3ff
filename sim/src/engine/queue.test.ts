import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "./prng.js";
import { EventQueue } from "./queue.js";

describe("EventQueue", () => {
  it("pops events in time order, ties first in first out", () => {
    const q = new EventQueue(4); // small, so that it grows
    const g = new Xoshiro128(3);
    const pushed: { t: number; i: number }[] = [];
    for (let i = 0; i < 5_000; i++) {
      const t = g.nextUint32() % 50; // many ties
      pushed.push({ t, i });
      q.push(t, i % 256, i, -i, t / 2);
    }
    const want = [...pushed].sort((x, y) => x.t - y.t || x.i - y.i);
    const got: { t: number; i: number }[] = [];
    while (q.pop()) {
      expect(q.kind).toBe(q.a % 256);
      expect(q.b + q.a).toBe(0);
      expect(q.x).toBe(q.t / 2);
      got.push({ t: q.t, i: q.a });
    }
    expect(got).toEqual(want);
  });

  it("keeps FIFO ties when events are interleaved with pops (the hold pattern)", () => {
    const q = new EventQueue(2);
    let order = 0;
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) q.push(0, 0, order++, 0);
    while (q.pop()) {
      seen.push(q.a);
      if (q.a < 30) q.push(q.t, 0, order++, 0); // same time: must run after everything already waiting
    }
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i));
  });

  it("reuses slots: size returns to zero and scheduled counts every push", () => {
    const q = new EventQueue();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 100; i++) q.push(i, 1, i, 0);
      while (q.pop());
    }
    expect(q.size).toBe(0);
    expect(q.scheduled).toBe(300);
  });
});
