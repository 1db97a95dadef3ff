import { describe, expect, it } from "vitest";
import { hash4, u01 } from "./hash.js";
import { Xoshiro128 } from "./prng.js";

describe("xoshiro128**", () => {
  it("reproduces the reference C code's outputs from the state (1, 2, 3, 4)", () => {
    // The same ten outputs are the known answers of the rand_xoshiro crate's
    // reference_starstar test, taken from the authors' C code.
    const g = new Xoshiro128([1, 2, 3, 4]);
    const out = Array.from({ length: 10 }, () => g.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it("is deterministic per seed, and different seeds give different streams", () => {
    const take = (seed: number) => {
      const g = new Xoshiro128(seed);
      return Array.from({ length: 8 }, () => g.nextUint32());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it("gives uniforms in (0, 1) with the right mean", () => {
    const g = new Xoshiro128(42);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = g.nextOpen01();
      expect(u > 0 && u < 1).toBe(true);
      sum += u;
    }
    // Standard error of the mean of 10^5 uniforms: 0.289 / 316 ≈ 0.0009.
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.004);
  });
});

describe("counter-based hash", () => {
  it("is MurmurHash3 x86_32 (known answer)", () => {
    // MurmurHash3_x86_32 of the 16 bytes 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00, seed 0.
    const bytes = Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
    expect(hash4(0, 1, 2, 3, 4)).toBe(murmurReference(bytes, 0));
    expect(hash4(0x9747b28c, 5, 6, 7, 8)).toBe(murmurReference(Buffer.from([5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0]), 0x9747b28c));
  });

  it("spreads consecutive counters evenly over 16 bins (chi-square)", () => {
    const bins = new Array<number>(16).fill(0);
    const n = 64_000;
    for (let i = 0; i < n; i++) bins[Math.floor(u01(1, 2, i, 0, 0) * 16)]!++;
    const e = n / 16;
    const chi2 = bins.reduce((s, o) => s + ((o - e) * (o - e)) / e, 0);
    // 15 degrees of freedom: P(chi2 > 37.7) = 0.001.
    expect(chi2).toBeLessThan(37.7);
  });
});

/** A byte-oriented MurmurHash3_x86_32, written from the published algorithm, for lengths that are multiples of 4. */
function murmurReference(data: Buffer, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < data.length; i += 4) {
    let k = data.readUInt32LE(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = ((k << 15) | (k >>> 17)) >>> 0;
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = ((h << 13) | (h >>> 19)) >>> 0;
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
