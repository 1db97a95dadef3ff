// Token buckets for publish rate limits (spec/06-discovery.md §6.8, DISC-018),
// in integer milli-tokens with the clock passed in. Refill is exact: the
// fraction of a milli-token that a refill cannot credit is carried to the
// next one, so a bucket refilled every millisecond gains what one refilled
// once a minute gains.
import { misuse } from "../errors.js";

/** A bucket's size and refill rate. */
export interface BucketRule {
  /** Most milli-tokens the bucket holds: the burst allowed after a quiet period. */
  readonly capacityMilli: bigint;
  /** Milli-tokens credited per second (1000 = one publish per second). */
  readonly refillMilliPerSecond: bigint;
}

/** What one publish costs: one token. */
export const PUBLISH_COST_MILLI = 1000n;

/** Throws INVALID_ARGUMENT unless the rule admits at least one publish and refills. */
export function checkBucketRule(rule: BucketRule, name: string): void {
  if (rule.capacityMilli < PUBLISH_COST_MILLI) misuse(`${name}.capacityMilli must be at least ${PUBLISH_COST_MILLI}`);
  if (rule.refillMilliPerSecond <= 0n) misuse(`${name}.refillMilliPerSecond must be positive`);
}

/**
 * Rules up to this many milli-tokens (capacity and refill per second) are run
 * in double arithmetic: a refill credits less than a full bucket's worth plus
 * one second's refill, so every intermediate value stays below 2^53 and the
 * arithmetic is exact. Larger rules use bigint; both give the same levels.
 */
const EXACT_IN_DOUBLES = 2 ** 40;

/** One token bucket. A new bucket is full. */
export class TokenBucket {
  private level: bigint;
  private updatedAt: bigint;
  /** Credit below one milli-token, in thousandths of a milli-token. */
  private carry = 0n;
  /** The same state in doubles, used when `small`: level and carry. */
  private levelD: number;
  private carryD = 0;
  private readonly small: boolean;
  private readonly capacityD: number;
  private readonly rateD: number;
  /** Time after which an idle bucket is full whatever it held, ms: ceil(capacity · 1000 / refill). */
  private readonly fillMs: bigint;

  constructor(
    private readonly rule: BucketRule,
    now: bigint,
  ) {
    this.level = rule.capacityMilli;
    this.updatedAt = now;
    this.small = rule.capacityMilli <= BigInt(EXACT_IN_DOUBLES) && rule.refillMilliPerSecond <= BigInt(EXACT_IN_DOUBLES);
    this.capacityD = Number(rule.capacityMilli);
    this.rateD = Number(rule.refillMilliPerSecond);
    this.levelD = this.capacityD;
    this.fillMs = (rule.capacityMilli * 1000n + rule.refillMilliPerSecond - 1n) / rule.refillMilliPerSecond;
  }

  /** The milli-tokens held at time now. */
  levelAt(now: bigint): bigint {
    this.refill(now);
    return this.small ? BigInt(this.levelD) : this.level;
  }

  /** True if a publish at time now would be admitted; takes nothing. */
  canTake(now: bigint): boolean {
    this.refill(now);
    return this.small ? this.levelD >= 1000 : this.level >= PUBLISH_COST_MILLI;
  }

  /** Takes one publish's cost if the bucket holds it; false if it does not. */
  take(now: bigint): boolean {
    if (!this.canTake(now)) return false;
    if (this.small) this.levelD -= 1000;
    else this.level -= PUBLISH_COST_MILLI;
    return true;
  }

  /** True if the bucket is full at time now, and so no different from a new one. */
  isFull(now: bigint): boolean {
    this.refill(now);
    return this.small ? this.levelD >= this.capacityD : this.level >= this.rule.capacityMilli;
  }

  private refill(now: bigint): void {
    // A clock that steps back credits nothing and does not move the bucket's
    // time back, so it cannot be used to earn tokens twice.
    if (now <= this.updatedAt) return;
    const elapsed = now - this.updatedAt;
    this.updatedAt = now;
    if (elapsed >= this.fillMs) {
      // Enough time to fill an empty bucket: full, whatever it held.
      this.level = this.rule.capacityMilli;
      this.carry = 0n;
      this.levelD = this.capacityD;
      this.carryD = 0;
      return;
    }
    if (this.small) {
      const credit = Number(elapsed) * this.rateD + this.carryD;
      const whole = Math.floor(credit / 1000);
      this.carryD = credit - whole * 1000;
      this.levelD += whole;
      if (this.levelD >= this.capacityD) {
        this.levelD = this.capacityD;
        this.carryD = 0;
      }
      return;
    }
    const credit = elapsed * this.rule.refillMilliPerSecond + this.carry;
    this.level += credit / 1000n;
    this.carry = credit % 1000n;
    if (this.level >= this.rule.capacityMilli) {
      this.level = this.rule.capacityMilli;
      this.carry = 0n;
    }
  }
}
