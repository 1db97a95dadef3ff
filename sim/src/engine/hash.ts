// Counter-based randomness for common random numbers (Law & Kelton, §11.2):
// every draw of the simulated world is a pure function of the seed and the
// indices that name it — (stream, agent, workflow, step, ...) — so every
// policy in an experiment sees the same world, whatever order it consumes
// draws in. The hash is MurmurHash3 x86_32 (Appleby) over the 32-bit words.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixWord(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, words: number): number {
  h ^= words * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x86_32 of four 32-bit words (little-endian) under a 32-bit seed. */
export function hash4(seed: number, a: number, b: number, c: number, d: number): number {
  let h = seed | 0;
  h = mixWord(h, a | 0);
  h = mixWord(h, b | 0);
  h = mixWord(h, c | 0);
  h = mixWord(h, d | 0);
  return finish(h, 4);
}

/** A uniform double in (0, 1) named by the seed and four indices. */
export function u01(seed: number, a: number, b: number, c: number, d: number): number {
  return (hash4(seed, a, b, c, d) + 0.5) / 4294967296;
}

/** An exponential draw with the given mean. */
export function expDraw(mean: number, u: number): number {
  return -Math.log(u) * mean;
}

/** A standard normal draw from two uniforms (Box–Muller). */
export function normalDraw(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A lognormal draw: median · exp(σ·Z). */
export function lognormalDraw(median: number, sigma: number, u1: number, u2: number): number {
  return median * Math.exp(sigma * normalDraw(u1, u2));
}
