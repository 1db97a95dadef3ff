// A provider's memory of the task requests it has accepted
// (spec/09-tasks-and-evidence.md §9.3, TASK-011). A signed request is a
// bearer instruction: without this memory, anyone who saw one could make the
// provider run it (and perform its side effects) again.
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { checkTaskPolicy, DEFAULT_TASK_POLICY, type TaskPolicy } from "./policy.js";
import { verifyTaskRequest, type TaskRequestContext, type VerifiedTaskRequest } from "./verify-request.js";

/** Verifies task requests and refuses a second request with the same delegator and nonce. */
export class TaskReplayGuard {
  /** (delegator, nonce) → the time until which the pair must be remembered. */
  private readonly seen = new Map<string, bigint>();
  private readonly policy: TaskPolicy;

  constructor(policy: TaskPolicy = DEFAULT_TASK_POLICY) {
    this.policy = checkTaskPolicy(policy);
  }

  /** Verifies a request (§9.3) and, if it is new, remembers it. Never throws on bad input. */
  accept(bytes: Uint8Array, context: Omit<TaskRequestContext, "policy">): Verdict<VerifiedTaskRequest> {
    const verdict = verifyTaskRequest(bytes, { ...context, policy: this.policy });
    if (!verdict.ok) return verdict;
    return toVerdict(() => {
      const r = verdict.value.message;
      const key = `${r.delegator}\u0000${Buffer.from(r.nonce).toString("hex")}`;
      const until = this.seen.get(key);
      if (until !== undefined && context.now < until) {
        throw new Ap2pError("TASK_REPLAYED", "a request with this delegator and nonce was already accepted", { path: "nonce" });
      }
      // TASK-011: after deadline + skew every copy is refused as expired (TASK-010), so the pair can be forgotten.
      this.seen.set(key, r.deadline + this.policy.clockSkewMs);
      return verdict.value;
    });
  }

  /** Forgets pairs whose requests have expired at time now; returns how many. */
  purge(now: bigint): number {
    let n = 0;
    for (const [key, until] of this.seen) {
      if (now >= until) {
        this.seen.delete(key);
        n++;
      }
    }
    return n;
  }

  /** How many (delegator, nonce) pairs are remembered. */
  get size(): number {
    return this.seen.size;
  }
}
