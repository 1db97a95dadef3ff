import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PUBLISH_COST_MILLI, TokenBucket } from "./limits.js";
import { DEFAULT_REGISTRY_POLICY, registryPolicy } from "./policy.js";

const T0 = 1767225600000n;

describe("token buckets (spec §6.8.2)", () => {
  it("DISC-018: a new bucket is full; each publish takes one token; refill follows the injected clock", () => {
    const b = new TokenBucket({ capacityMilli: 3_000n, refillMilliPerSecond: 500n }, T0); // 3 tokens, one per 2 s
    expect([b.take(T0), b.take(T0), b.take(T0), b.take(T0)]).toEqual([true, true, true, false]);
    expect(b.take(T0 + 1_999n)).toBe(false);
    expect(b.take(T0 + 2_000n)).toBe(true);
    expect(b.levelAt(T0 + 2_000n)).toBe(0n);
    expect(b.levelAt(T0 + 1_000_000n)).toBe(3_000n);
    expect(b.isFull(T0 + 1_000_000n)).toBe(true);
  });
  it("DISC-018: refill is exact: fractions of a milli-token carry over", () => {
    const slow = new TokenBucket({ capacityMilli: 1_000n, refillMilliPerSecond: 1n }, T0);
    expect(slow.take(T0)).toBe(true);
    for (let t = 1n; t <= 999n; t++) expect(slow.levelAt(T0 + t)).toBe(0n);
    expect(slow.levelAt(T0 + 1_000n)).toBe(1n);
    fc.assert(
      fc.property(fc.array(fc.bigInt(0n, 5_000n), { maxLength: 40 }), fc.bigInt(1n, 3_000n), (steps, rate) => {
        const rule = { capacityMilli: 1_000_000_000n, refillMilliPerSecond: rate };
        const stepped = new TokenBucket(rule, T0);
        const once = new TokenBucket(rule, T0);
        stepped.take(T0);
        once.take(T0);
        let t = T0;
        for (const s of steps) {
          t += s;
          stepped.levelAt(t);
        }
        expect(stepped.levelAt(t)).toBe(once.levelAt(t));
        const expected = 1_000_000_000n - PUBLISH_COST_MILLI + ((t - T0) * rate) / 1000n;
        expect(once.levelAt(t)).toBe(expected < 1_000_000_000n ? expected : 1_000_000_000n);
      }),
    );
  });
  it("DISC-018: a clock that steps back credits nothing", () => {
    const b = new TokenBucket({ capacityMilli: 1_000n, refillMilliPerSecond: 1_000n }, T0);
    expect(b.take(T0)).toBe(true);
    expect(b.levelAt(T0 - 10_000n)).toBe(0n);
    expect(b.levelAt(T0 + 999n)).toBe(999n);
    expect(b.levelAt(T0 + 500n)).toBe(999n);
    expect(b.take(T0 + 1_000n)).toBe(true);
  });
});

describe("registry policy (spec §6.8.6)", () => {
  it("DISC-023: the defaults", () => {
    expect(DEFAULT_REGISTRY_POLICY).toMatchObject({
      answerFreshnessMs: 30_000n,
      maxPeers: 100_000,
      maxPeersPerOrigin: 16,
      maxDescriptorBytes: 16_384,
      maxResultsPerOrigin: 3,
      peerRate: { capacityMilli: 5_000n, refillMilliPerSecond: 100n },
      originRate: { capacityMilli: 64_000n, refillMilliPerSecond: 2_000n },
    });
    expect(DEFAULT_REGISTRY_POLICY.descriptor).toEqual({ maxTtlMs: 3_600_000n, clockSkewMs: 5_000n });
  });
  it("DISC-013, DISC-019: a policy outside the protocol's bounds is refused", () => {
    expect(() => registryPolicy({ answerFreshnessMs: 300_001n })).toThrow(/answerFreshnessMs/);
    expect(() => registryPolicy({ answerFreshnessMs: 0n })).toThrow(/answerFreshnessMs/);
    expect(() => registryPolicy({ maxDescriptorBytes: 32_769 })).toThrow(/maxDescriptorBytes/);
    expect(() => registryPolicy({ maxPeers: 0 })).toThrow(/maxPeers/);
    expect(() => registryPolicy({ peerRate: { capacityMilli: 999n, refillMilliPerSecond: 1n } })).toThrow(/capacityMilli/);
    expect(() => registryPolicy({ descriptor: { maxTtlMs: 86_400_001n, clockSkewMs: 5_000n } })).toThrow(/maximum TTL/);
    expect(registryPolicy({ answerFreshnessMs: 300_000n, maxDescriptorBytes: 32_768 }).maxDescriptorBytes).toBe(32_768);
  });
});

/** The bucket as first written, all in bigint: the model the optimised one must equal. */
class BigintBucket {
  private level: bigint;
  private carry = 0n;
  constructor(
    private readonly rule: { capacityMilli: bigint; refillMilliPerSecond: bigint },
    private updatedAt: bigint,
  ) {
    this.level = rule.capacityMilli;
  }
  levelAt(now: bigint): bigint {
    if (now > this.updatedAt) {
      const credit = (now - this.updatedAt) * this.rule.refillMilliPerSecond + this.carry;
      this.updatedAt = now;
      this.level += credit / 1000n;
      this.carry = credit % 1000n;
      if (this.level >= this.rule.capacityMilli) {
        this.level = this.rule.capacityMilli;
        this.carry = 0n;
      }
    }
    return this.level;
  }
  take(now: bigint): boolean {
    if (this.levelAt(now) < PUBLISH_COST_MILLI) return false;
    this.level -= PUBLISH_COST_MILLI;
    return true;
  }
}

describe("token bucket arithmetic", () => {
  it("DISC-018: the double-arithmetic path and the full-after-idle shortcut give the bigint levels exactly", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt(1_000n, 100_000n), fc.bigInt(1_000n, 2n ** 40n), fc.bigInt(2n ** 40n, 2n ** 60n)),
        fc.oneof(fc.bigInt(1n, 3_000n), fc.bigInt(1n, 2n ** 40n), fc.bigInt(2n ** 40n, 2n ** 50n)),
        fc.array(fc.record({ dt: fc.oneof(fc.bigInt(-50n, 5_000n), fc.bigInt(0n, 10n ** 9n)), take: fc.boolean() }), { maxLength: 60 }),
        (capacityMilli, refillMilliPerSecond, steps) => {
          const rule = { capacityMilli, refillMilliPerSecond };
          const fast = new TokenBucket(rule, T0);
          const model = new BigintBucket(rule, T0);
          let t = T0;
          for (const s of steps) {
            t += s.dt;
            if (s.take) expect(fast.take(t)).toBe(model.take(t));
            expect(fast.levelAt(t)).toBe(model.levelAt(t));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
