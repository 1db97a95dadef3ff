import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentile } from "./timing.js";

describe("percentiles (DRV-025)", () => {
  it("DRV-025: the p-th percentile of n samples is the ⌈p × n / 100⌉-th smallest", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 100 }), (xs, p) => {
        const sorted = [...xs].sort((a, b) => a - b);
        expect(percentile(xs, p)).toBe(sorted[Math.ceil((p * xs.length) / 100) - 1]);
      }),
    );
  });

  it("with fewer than 20 samples, p95 is the largest sample", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 19 }), (xs) => {
        expect(percentile(xs, 95)).toBe(Math.max(...xs));
      }),
    );
  });
});
