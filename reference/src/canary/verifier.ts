// A verifier's memory of the challenges it has issued (spec/08-canaries.md
// §8.6): which are outstanding, which have been answered, and which nonces are
// in use. Bounded: it holds at most maxOutstanding challenges, never forgets
// one before its deadline to make room (CAN-020), and forgets each once its
// deadline has passed and expire() is called. The rules themselves are the
// pure functions of challenge.ts and response.ts.
import { Ap2pError, accept, misuse, reject, toVerdict, type Verdict } from "../errors.js";
import { issueChallenge, type ChallengeParams, type IssuedChallenge } from "./challenge.js";
import type { CanaryOracle } from "./oracle.js";
import { DEFAULT_MAX_OUTSTANDING } from "./policy.js";
import {
  authenticateCanaryResponseOrThrow,
  checkBindingOrThrow,
  checkTimeAndOutputOrThrow,
  type VerifiedCanaryResponse,
} from "./response.js";

interface Entry {
  readonly issued: IssuedChallenge;
  readonly oracle: CanaryOracle;
  answered: boolean;
}

/** A challenge whose deadline passed without an accepted answer: the provider failed it (CAN-015). */
export interface TimedOutChallenge {
  /** The challenge. */
  readonly issued: IssuedChallenge;
  /** The provider it was sent to. */
  readonly provider: string;
  /** Always CANARY_RESPONSE_LATE: no response arrived by the deadline. */
  readonly code: "CANARY_RESPONSE_LATE";
}

/** Options of a CanaryVerifier. */
export interface CanaryVerifierOptions {
  /** The most challenges remembered at once; defaults to DEFAULT_MAX_OUTSTANDING. */
  readonly maxOutstanding?: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The stateful verifier side of Tier 2: issue, track, verify once, expire. */
export class CanaryVerifier {
  private readonly entries = new Map<string, Entry>();
  private readonly nonces = new Set<string>();
  private readonly maxOutstanding: number;

  constructor(options: CanaryVerifierOptions = {}) {
    const max = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING;
    if (!Number.isSafeInteger(max) || max < 1) misuse("maxOutstanding must be a positive integer");
    this.maxOutstanding = max;
  }

  /** Issues a challenge and remembers it with its oracle (CAN-002, CAN-018, CAN-020). */
  issue(secretKey: Uint8Array, params: ChallengeParams & { readonly oracle: CanaryOracle }): Verdict<IssuedChallenge> {
    // Refuse before signing when full, so a full verifier does no work.
    if (this.entries.size >= this.maxOutstanding) return this.full();
    const { oracle, ...challengeParams } = params;
    return this.track(issueChallenge(secretKey, challengeParams), oracle);
  }

  /**
   * Remembers a challenge issued elsewhere (by issueChallenge) with its oracle.
   * Rejects with CANARY_TOO_MANY_OUTSTANDING when full (CAN-020) and with
   * CANARY_NONCE_REUSED when a remembered challenge has the same nonce (CAN-002);
   * the challenge must then not be sent.
   */
  track(issued: IssuedChallenge, oracle: CanaryOracle): Verdict<IssuedChallenge> {
    if (!(issued?.hash instanceof Uint8Array) || issued.challenge === undefined) misuse("issued must be an IssuedChallenge");
    if (oracle === undefined || (oracle.kind !== "expected" && oracle.kind !== "check")) misuse("oracle must be a CanaryOracle");
    if (this.entries.size >= this.maxOutstanding) return this.full();
    const nonce = hex(issued.challenge.nonce);
    // CAN-002: with distinct nonces, distinct challenges have distinct hashes,
    // which is what makes a hash-keyed replay memory sound.
    if (this.nonces.has(nonce)) return reject("CANARY_NONCE_REUSED", "a remembered challenge already uses this nonce", { path: "nonce" });
    this.nonces.add(nonce);
    this.entries.set(hex(issued.hash), { issued, oracle, answered: false });
    return accept(issued);
  }

  /**
   * Verifies a response received at time now (§8.7, all steps). If awaiting is
   * given (the hash of the challenge the connection is waiting on), a response
   * to any other challenge is rejected with CANARY_CHALLENGE_HASH_MISMATCH.
   * An authentic response from the right provider consumes its challenge,
   * whether it then passes, is late or is wrong (CAN-019). Never throws on bad input.
   */
  verify(bytes: Uint8Array, now: bigint, options: { readonly awaiting?: Uint8Array } = {}): Verdict<VerifiedCanaryResponse> {
    if (typeof now !== "bigint") misuse("now must be a bigint");
    return toVerdict(() => {
      const signed = authenticateCanaryResponseOrThrow(bytes);
      const r = signed.message;
      const key = hex(r.challengeHash);
      // CAN-013, CAN-018: the response must name a challenge this verifier
      // issued and still remembers (and the one awaited, if given).
      const entry = options.awaiting !== undefined && hex(options.awaiting) !== key ? undefined : this.entries.get(key);
      if (entry === undefined) {
        throw new Ap2pError("CANARY_CHALLENGE_HASH_MISMATCH", "challenge_hash names no challenge awaited from this verifier", { path: "challenge_hash" });
      }
      const { challenge, hash } = entry.issued;
      checkBindingOrThrow(r, hash, challenge);
      // CAN-019: one answer per challenge. Checked only after the signer is
      // known to be the addressee, so nobody else can use up a challenge.
      if (entry.answered) throw new Ap2pError("CANARY_REPLAYED", "the challenge has already been answered", { path: "challenge_hash" });
      entry.answered = true;
      const output = checkTimeAndOutputOrThrow(r, challenge, entry.oracle, now);
      return { ...signed, provider: r.responder, challengeHash: hash, output, bytes };
    });
  }

  /**
   * Forgets every challenge whose deadline has passed (now > deadline), in
   * issue order, and returns those that were never answered: each is a failed
   * canary with CANARY_RESPONSE_LATE (CAN-015, CAN-018).
   */
  expire(now: bigint): TimedOutChallenge[] {
    if (typeof now !== "bigint") misuse("now must be a bigint");
    const timedOut: TimedOutChallenge[] = [];
    for (const [key, entry] of this.entries) {
      const c = entry.issued.challenge;
      if (now <= c.deadline) continue;
      this.entries.delete(key);
      this.nonces.delete(hex(c.nonce));
      if (!entry.answered) timedOut.push({ issued: entry.issued, provider: c.provider, code: "CANARY_RESPONSE_LATE" });
    }
    return timedOut;
  }

  /** True if the challenge with this hash is remembered and not yet answered. */
  isOutstanding(challengeHash: Uint8Array): boolean {
    const e = this.entries.get(hex(challengeHash));
    return e !== undefined && !e.answered;
  }

  /** Number of challenges remembered, answered or not. */
  get size(): number {
    return this.entries.size;
  }

  private full(): Verdict<never> {
    return reject("CANARY_TOO_MANY_OUTSTANDING", `${this.maxOutstanding} challenges are remembered; call expire(now) once deadlines pass`);
  }
}
