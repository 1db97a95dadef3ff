// xoshiro128** 1.1 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro128starstar.c):
// 128 bits of state, 32-bit outputs. Seeded through SplitMix32 so that any
// 32-bit seed gives a well-mixed, non-zero state.

/** One step of SplitMix32: returns the next output and advances the state held in `s[0]`. */
function splitMix32(s: Uint32Array): number {
  s[0] = (s[0]! + 0x9e3779b9) >>> 0;
  let z = s[0]!;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The xoshiro128** generator. */
export class Xoshiro128 {
  private readonly s: Uint32Array;

  /** A generator with the state words given (not all zero), or derived from one 32-bit seed. */
  constructor(seed: number | readonly [number, number, number, number]) {
    if (typeof seed === "number") {
      const sm = new Uint32Array([seed >>> 0]);
      this.s = new Uint32Array([splitMix32(sm), splitMix32(sm), splitMix32(sm), splitMix32(sm)]);
    } else {
      this.s = new Uint32Array(seed);
    }
    if (this.s.every((w) => w === 0)) throw new RangeError("xoshiro128** state must not be all zero");
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    let s0 = s[0]!;
    let s1 = s[1]!;
    let s2 = s[2]!;
    let s3 = s[3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  /** A uniform double in the open interval (0, 1), 32 bits of resolution. */
  nextOpen01(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }
}
