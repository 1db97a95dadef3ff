// A provider's whole answer to a verified request (spec/09-tasks-and-evidence.md
// §9.4–§9.6): run the tools, chain their receipts, attach the trace and any
// attestation when the request asks for evidence, and sign the result. The
// networked agent and the simulator use this, so that every provider builds
// evidence the same way.
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { PlatformAttestation } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskStatus, type TaskRequest } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { Ap2pError, misuse } from "../errors.js";
import { buildEvidencePackage } from "../evidence/package.js";
import { runToolChain, type Tool } from "../evidence/runner.js";
import { buildTaskResult, type SignedTaskResult } from "./build-result.js";
import { checkTaskPolicy, DEFAULT_TASK_POLICY, type TaskPolicy } from "./policy.js";

/** What a provider needs besides its key, the request and its tools. */
export interface ExecuteOptions {
  /** The provider's clock, read at each step (milliseconds since the Unix epoch; must not run backwards). */
  readonly clock: () => bigint;
  /**
   * Produces a platform attestation bound to the request (EVD-015), given the
   * formats the delegator accepts; undefined when the platform cannot.
   * Called only when the request requires evidence.
   */
  readonly attest?: (binding: {
    readonly nonce: Uint8Array;
    readonly provider: string;
    readonly requestHash: Uint8Array;
    readonly formats: readonly string[];
  }) => PlatformAttestation | undefined | Promise<PlatformAttestation | undefined>;
  /** Carry the output inline; defaults to true when it fits. */
  readonly inlineOutput?: boolean;
  /** The skew allowance used to decide that the deadline has passed; defaults to DEFAULT_TASK_POLICY. */
  readonly policy?: TaskPolicy;
}

/**
 * Runs a verified request through the tools and signs the result, with
 * evidence at Tier 3. Rejects with an Ap2pError TASK_EXPIRED, without
 * running anything, when the deadline plus skew has already passed (TASK-010).
 */
export async function executeTask(
  secretKey: Uint8Array,
  request: { readonly message: TaskRequest; readonly hash: Uint8Array; readonly input: Uint8Array | undefined },
  tools: readonly Tool[],
  options: ExecuteOptions,
): Promise<SignedTaskResult> {
  const input = request.input;
  if (input === undefined) misuse("the request's input is detached and has not been supplied (TASK-005)");
  const r = request.message;
  const skew = checkTaskPolicy(options.policy ?? DEFAULT_TASK_POLICY).clockSkewMs;
  if (options.clock() >= r.deadline + skew) throw new Ap2pError("TASK_EXPIRED", "the deadline has passed; the task is not started", { path: "deadline" });
  const run = await runToolChain(secretKey, { requestHash: request.hash, input }, tools, options.clock);
  const evidenceRequired = r.requiredTier === VerificationTier.EVIDENCE;
  let attestation: PlatformAttestation | undefined;
  if (evidenceRequired && options.attest !== undefined) {
    attestation = await options.attest({ nonce: r.nonce, provider: r.provider, requestHash: request.hash, formats: r.attestationFormats });
  }
  const evidence = evidenceRequired
    ? buildEvidencePackage({ hash: request.hash, nonce: r.nonce }, { receipts: run.receipts, trace: run.trace, ...(attestation ? { attestation } : {}) })
    : undefined;
  const completedAt = options.clock();
  const common = { completedAt, ...(evidence ? { evidence } : {}) };
  if (run.ok) {
    return buildTaskResult(secretKey, r, {
      status: TaskStatus.COMPLETED,
      output: run.output,
      ...(options.inlineOutput === undefined ? {} : { inline: options.inlineOutput }),
      ...common,
    });
  }
  // The reason names the step, not the error: error text can leak the provider's internals.
  return buildTaskResult(secretKey, r, { status: TaskStatus.FAILED, reason: `tool ${run.failedTool} failed`, ...common });
}
