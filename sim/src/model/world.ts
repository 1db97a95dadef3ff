// The simulated world: agents, their capabilities, their true quality over
// time and the Sybil identities among them. Everything here is a pure function
// of the seed and indices (common random numbers): every policy run on the
// same configuration meets exactly the same world.
import { expDraw, lognormalDraw, u01 } from "../engine/hash.js";
import type { SimConfig } from "./config.js";
import { GENERATE, PUBLISH } from "./messages.js";
import { S } from "./streams.js";

export const US_PER_MS = 1000;

export class World {
  readonly n: number;
  readonly seed: number;
  readonly sybil: Uint8Array;
  readonly sybilCount: number;
  /** Capabilities offered: bit 0 generate, bit 1 publish. */
  readonly offers: Uint8Array;
  /** Promised latency (max_latency_ms) per agent and capability, index 2i + c. */
  readonly promisedMs: Uint32Array;
  readonly healthyPpm: Int32Array;
  readonly degradedPpm: Int32Array;
  /** Network origin of each agent (DISC-017). */
  readonly origin: Int32Array;
  readonly origins: number;
  private readonly cycleUs: number;
  private readonly degradedMeanUs: number;

  constructor(readonly config: SimConfig) {
    const n = config.agents;
    const seed = config.seed;
    this.n = n;
    this.seed = seed;
    this.cycleUs = config.drift.cycleS * 1e6;
    this.degradedMeanUs = config.drift.degradedMeanS * 1e6;
    // Sybil placement: the round(αN) agents with the smallest hash.
    const sybilCount = Math.round(config.sybilFraction * n);
    this.sybilCount = sybilCount;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => u01(seed, S.SYBIL, a, 0, 0) - u01(seed, S.SYBIL, b, 0, 0) || a - b);
    this.sybil = new Uint8Array(n);
    this.origin = new Int32Array(n);
    for (let i = 0; i < n; i++) this.origin[i] = i;
    for (let r = 0; r < sybilCount; r++) {
      const i = order[r]!;
      this.sybil[i] = 1;
      this.origin[i] = n + Math.floor(r / config.sybilsPerOrigin);
    }
    this.origins = n + Math.ceil(sybilCount / config.sybilsPerOrigin);
    this.offers = new Uint8Array(n);
    this.promisedMs = new Uint32Array(2 * n);
    this.healthyPpm = new Int32Array(2 * n);
    this.degradedPpm = new Int32Array(2 * n);
    const [h0, h1] = config.healthyPpm;
    const [d0, d1] = config.degradedPpm;
    for (let i = 0; i < n; i++) {
      if (this.sybil[i]) {
        this.offers[i] = 3; // a Sybil advertises everything the workflow needs
        this.promisedMs[2 * i + GENERATE] = config.sybilPromiseMs;
        this.promisedMs[2 * i + PUBLISH] = config.sybilPromiseMs;
        continue;
      }
      const ug = u01(seed, S.OFFER, i, GENERATE, 0);
      const up = u01(seed, S.OFFER, i, PUBLISH, 0);
      let mask = (ug * 1e6 < config.offerPpm ? 1 : 0) | (up * 1e6 < config.offerPpm ? 2 : 0);
      if (mask === 0) mask = ug < up ? 1 : 2;
      this.offers[i] = mask;
      for (const c of [GENERATE, PUBLISH]) {
        const k = 2 * i + c;
        const promised = lognormalDraw(config.promisedMedianMs[c]!, config.promisedSigma, u01(seed, S.PROMISE, i, c, 0), u01(seed, S.PROMISE, i, c, 1));
        this.promisedMs[k] = Math.max(config.sybilPromiseMs + 1, Math.round(promised));
        this.healthyPpm[k] = Math.round(h0 + (h1 - h0) * u01(seed, S.QUALITY, i, c, 0));
        this.degradedPpm[k] = Math.round(d0 + (d1 - d0) * u01(seed, S.QUALITY, i, c, 1));
      }
    }
  }

  /** True if honest agent i's capability c is degraded at time t (µs ≥ 0). O(1): the cycle containing t holds one outage. */
  degraded(i: number, c: number, t: number): boolean {
    const k = Math.floor(t / this.cycleUs);
    const key = 2 * i + c;
    const g = Math.min(this.cycleUs, expDraw(this.degradedMeanUs, u01(this.seed, S.DRIFT, key, k, 0)));
    const start = k * this.cycleUs + u01(this.seed, S.DRIFT, key, k, 1) * (this.cycleUs - g);
    return t >= start && t < start + g;
  }

  /** The capabilities honest agent i can deliver at time t, as a mask (what a self-test at refresh lists). */
  workingMask(i: number, t: number): number {
    if (this.sybil[i]) return 3;
    let mask = 0;
    const offers = this.offers[i]!;
    if (offers & 1 && !this.degraded(i, GENERATE, t)) mask |= 1;
    if (offers & 2 && !this.degraded(i, PUBLISH, t)) mask |= 2;
    return mask;
  }

  /** The true success probability, ppm, of honest agent i's capability c at time t. */
  qualityPpm(i: number, c: number, t: number): number {
    const k = 2 * i + c;
    return this.degraded(i, c, t) ? this.degradedPpm[k]! : this.healthyPpm[k]!;
  }
}
