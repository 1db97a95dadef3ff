// Fallback selection (spec/08-canaries.md §8.10): try ranked candidates in
// order until one passes, skipping repeated peer ids and peers that already
// failed in the same delegation, within a budget of attempts. The rule is a
// pure step function, so that test vectors can pin the peer chosen and every
// attempt; one loop drives it, and runFallback and runFallbackAsync only feed
// that loop the outcome of each try.
import { Ap2pError, misuse, type ErrorCodeName, type Verdict } from "../errors.js";

/** What one delegation's fallback works through. */
export interface FallbackPlan {
  /** Peer ids in rank order, best first, as ranking produced them (repeats allowed; they are skipped). */
  readonly candidates: readonly string[];
  /** The most candidates tried: a positive integer (CAN-030). */
  readonly budget: number;
  /** Peers that failed earlier in the same delegation: never tried again (CAN-029). */
  readonly excluded?: readonly string[] | ReadonlySet<string>;
}

/** An attempt's outcome: "pass", or the code of the first check the candidate failed. */
export type AttemptOutcome = "pass" | ErrorCodeName;

/** The record of one attempt (CAN-032). */
export interface FallbackAttempt {
  /** The candidate tried. */
  readonly peerId: string;
  /** Its outcome. */
  readonly outcome: AttemptOutcome;
  /** When the outcome was decided, on the delegator's clock, milliseconds since the Unix epoch. */
  readonly at: bigint;
}

/** What to do next: try a candidate, or stop with the chosen peer or the reason none was chosen. */
export type FallbackStep =
  | { readonly kind: "try"; readonly peerId: string; /** Its position in plan.candidates. */ readonly index: number }
  | { readonly kind: "done"; readonly verdict: Verdict<string> };

/** The outcome of a whole fallback run. */
export interface FallbackResult<T> {
  /** The chosen peer and what its try returned, or FALLBACK_EXHAUSTED / FALLBACK_NO_CANDIDATES (CAN-031). */
  readonly verdict: Verdict<{ readonly peerId: string; readonly value: T }>;
  /** Every attempt, in order (CAN-032). */
  readonly attempts: readonly FallbackAttempt[];
  /** The failure memory after this run: plan.excluded plus every peer that failed now (CAN-029). */
  readonly failed: ReadonlySet<string>;
}

/** Options of runFallback and runFallbackAsync. */
export interface FallbackOptions {
  /** The delegator's clock, read once after each attempt to date it. */
  readonly now: () => bigint;
  /** Peers that failed earlier in the same delegation (CAN-029). */
  readonly excluded?: readonly string[] | ReadonlySet<string>;
}

function checkPlan(plan: FallbackPlan): ReadonlySet<string> {
  if (!Array.isArray(plan?.candidates) || !plan.candidates.every((c) => typeof c === "string")) misuse("candidates must be an array of peer ids");
  if (!Number.isSafeInteger(plan.budget) || plan.budget < 1) misuse("budget must be a positive integer");
  const excluded = new Set<string>(plan.excluded ?? []);
  for (const e of excluded) if (typeof e !== "string") misuse("excluded must hold peer ids");
  return excluded;
}

/**
 * The next step of fallback selection (CAN-028 to CAN-031): stop at the first
 * pass; otherwise the first candidate in rank order that is neither excluded,
 * nor tried already, nor a repeat of an earlier entry; FALLBACK_NO_CANDIDATES
 * if there is none; FALLBACK_EXHAUSTED if there is one but the budget is spent.
 */
export function nextCandidate(plan: FallbackPlan, attempts: readonly FallbackAttempt[]): FallbackStep {
  const excluded = checkPlan(plan);
  const tried = new Set<string>();
  for (const a of attempts) {
    if (a.outcome === "pass") return { kind: "done", verdict: { ok: true, value: a.peerId } };
    tried.add(a.peerId);
  }
  const seen = new Set<string>();
  let next: { peerId: string; index: number } | undefined;
  for (let i = 0; i < plan.candidates.length && next === undefined; i++) {
    const peerId = plan.candidates[i]!;
    if (!seen.has(peerId) && !excluded.has(peerId) && !tried.has(peerId)) next = { peerId, index: i };
    seen.add(peerId);
  }
  // "No candidate left" is checked first: it says a larger budget would not
  // have helped, which is the more useful of the two reasons.
  if (next === undefined) {
    return { kind: "done", verdict: { ok: false, error: new Ap2pError("FALLBACK_NO_CANDIDATES", `no untried candidate left after ${attempts.length} attempts`) } };
  }
  if (attempts.length >= plan.budget) {
    return { kind: "done", verdict: { ok: false, error: new Ap2pError("FALLBACK_EXHAUSTED", `budget of ${plan.budget} attempts spent; ${next.peerId} and any after it untried`) } };
  }
  return { kind: "try", ...next };
}

/**
 * Appends the outcome of trying peerId at time at. Throws INVALID_ARGUMENT
 * unless nextCandidate(plan, attempts) says to try exactly that peer, so that a
 * caller cannot try a peer twice or exceed the budget (CAN-029, CAN-030), or
 * if at is earlier than the previous attempt.
 */
export function recordAttempt(plan: FallbackPlan, attempts: readonly FallbackAttempt[], peerId: string, outcome: AttemptOutcome, at: bigint): readonly FallbackAttempt[] {
  const step = nextCandidate(plan, attempts);
  if (step.kind !== "try" || step.peerId !== peerId) misuse(`fallback selection does not try ${peerId} now`);
  if (typeof at !== "bigint") misuse("at must be a bigint");
  const last = attempts[attempts.length - 1];
  if (last !== undefined && at < last.at) misuse("attempts must be recorded in time order");
  return Object.freeze([...attempts, Object.freeze({ peerId, outcome, at })]);
}

/** The failure memory after some attempts: plan.excluded plus every peer that failed (CAN-029). */
export function failureMemory(plan: FallbackPlan, attempts: readonly FallbackAttempt[]): ReadonlySet<string> {
  const failed = new Set<string>(checkPlan(plan));
  for (const a of attempts) if (a.outcome !== "pass") failed.add(a.peerId);
  return failed;
}

function outcomeOf<T>(verdict: Verdict<T>): AttemptOutcome {
  if (verdict === null || typeof verdict !== "object" || typeof verdict.ok !== "boolean") misuse("tryCandidate must return a Verdict");
  return verdict.ok ? "pass" : verdict.error.code;
}

function finish<T>(plan: FallbackPlan, attempts: readonly FallbackAttempt[], step: FallbackStep & { kind: "done" }, value: T | undefined): FallbackResult<T> {
  const failed = failureMemory(plan, attempts);
  if (!step.verdict.ok) return { verdict: step.verdict, attempts, failed };
  return { verdict: { ok: true, value: { peerId: step.verdict.value, value: value as T } }, attempts, failed };
}

/**
 * The one fallback loop, for both drivers: yields each peer to try, is
 * resumed with the verdict of that try, and returns the result. runFallback
 * and runFallbackAsync differ only in how they obtain a verdict.
 */
function* fallbackLoop<T>(candidates: readonly string[], budget: number, options: FallbackOptions): Generator<string, FallbackResult<T>, Verdict<T>> {
  if (typeof options?.now !== "function") misuse("options.now must be a clock function");
  const plan: FallbackPlan = options.excluded === undefined ? { candidates, budget } : { candidates, budget, excluded: new Set(options.excluded) };
  let attempts: readonly FallbackAttempt[] = [];
  let value: T | undefined;
  for (;;) {
    const step = nextCandidate(plan, attempts);
    if (step.kind === "done") return finish(plan, attempts, step, value);
    const verdict = yield step.peerId;
    const outcome = outcomeOf(verdict);
    if (verdict.ok) value = verdict.value;
    attempts = recordAttempt(plan, attempts, step.peerId, outcome, options.now());
  }
}

/** Fallback selection with a synchronous try (a canary answered in process, a simulator). */
export function runFallback<T>(candidates: readonly string[], budget: number, tryCandidate: (peerId: string) => Verdict<T>, options: FallbackOptions): FallbackResult<T> {
  const loop = fallbackLoop<T>(candidates, budget, options);
  let step = loop.next();
  while (!step.done) step = loop.next(tryCandidate(step.value));
  return step.value;
}

/** Fallback selection with an asynchronous try (a canary over the network). Candidates are tried one at a time. */
export async function runFallbackAsync<T>(
  candidates: readonly string[],
  budget: number,
  tryCandidate: (peerId: string) => Promise<Verdict<T>>,
  options: FallbackOptions,
): Promise<FallbackResult<T>> {
  const loop = fallbackLoop<T>(candidates, budget, options);
  let step = loop.next();
  while (!step.done) step = loop.next(await tryCandidate(step.value));
  return step.value;
}
