// The delegation procedure (spec/10-delegation.md §10.4): discover → rank →
// verify by tier → fall back → execute → check evidence → attest outcome, as
// one readable function built from the pieces of §6 to §9. Everything the
// procedure cannot decide by itself — the network, the clock, randomness, the
// canary oracle, the attestations it holds — is passed in.
import { create } from "@bufbuild/protobuf";
import { VerificationTier, type Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import {
  DelegationAttemptSchema,
  DelegationReportSchema,
  DelegationStage,
  TaskRisk,
  type DelegationAttempt,
  type DelegationReport,
  type RiskPolicy,
  type RiskRule,
} from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { MatchMode, QuerySchema, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { Outcome, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { TaskStatus, type TaskRequest } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { Ap2pError, type ErrorCodeName, type Verdict } from "../errors.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { issueChallenge, type CapabilityKey } from "../canary/challenge.js";
import type { CanaryContent, CanaryOracle } from "../canary/oracle.js";
import type { TestCapability } from "../canary/oracles.js";
import { verifyCanaryResponse } from "../canary/response.js";
import { runFallbackAsync } from "../canary/fallback.js";
import { verifyRegistryAnswer, type VerifiedResult } from "../discovery/answer.js";
import type { VerifiedDescriptor } from "../descriptor/verify.js";
import { attestCanaryFailure, attestTask, type SignedAttestation } from "../reputation/attestation.js";
import { DEFAULT_REPUTATION_PARAMS, type ReputationParams } from "../reputation/params.js";
import { computeReputation, priorScore } from "../reputation/score.js";
import type { AttestationRegistry } from "../evidence/attestation/verifier.js";
import { issueTaskRequest } from "../task/issue-request.js";
import { verifyTaskResult, type VerifiedTaskResult } from "../task/verify-result.js";
import { checkRiskPolicy, DEFAULT_RISK_POLICY, levelOf, tiersRequiredFor } from "./policy.js";
import { rankCandidates, type RankCandidate } from "./rank.js";

/** One task to delegate. */
export interface DelegationTask {
  readonly capability: CapabilityKey;
  /** The input bytes. */
  readonly input: Uint8Array;
  /** The delegator's risk class for the task (§10.3). */
  readonly risk: TaskRisk;
  /** Extra query constraints (latency, price, regions, ...); the capability fields are set from `capability`. */
  readonly constraints?: Partial<Pick<Query, "intent" | "requiredTags" | "maxLatencyMs" | "maxPrice" | "allowedRegions" | "onDeviceOnly" | "inputModalities" | "outputModalities">>;
}

/** How the delegator reaches registries and providers. Each call resolves to undefined when no answer came in time. */
export interface DelegatorTransport {
  /** Sends a query to the registry; resolves with its signed answer. */
  query(query: Query): Promise<Uint8Array | undefined>;
  /** Sends a canary challenge to a provider; resolves with its signed response. */
  canary(provider: VerifiedDescriptor, challenge: Uint8Array): Promise<Uint8Array | undefined>;
  /** Sends a task request, with its input when the request carries it detached; resolves with the signed result and, if the output is detached, the output bytes. */
  task(provider: VerifiedDescriptor, request: Uint8Array, detachedInput: Uint8Array | undefined): Promise<{ readonly result: Uint8Array; readonly output?: Uint8Array } | undefined>;
}

/** A canary for a capability: a fresh input and the oracle that judges the output (§8.8). */
export interface CanarySource {
  (capability: CapabilityKey, random: (n: number) => Uint8Array): { readonly input: CanaryContent; readonly oracle: CanaryOracle } | undefined;
}

/**
 * A canary source over capabilities with deterministic oracles (spec/08
 * §8.8): for each capability `find` knows, a fresh input drawn from the
 * random source and the oracle that judges the output.
 */
export function canariesOf(find: (capability: CapabilityKey) => TestCapability | undefined): CanarySource {
  return (capability, random) => {
    const t = find(capability);
    if (t === undefined) return undefined;
    const input = t.sampleInput(random);
    return { input: { bytes: input, mediaType: t.inputMediaType }, oracle: t.oracle(input) };
  };
}

/** Everything the procedure needs besides the task. */
export interface Delegator {
  /** The delegator's Ed25519 secret key: signs challenges, requests and attestations. */
  readonly secretKey: Uint8Array;
  /** The registry's did:key: answers signed by anyone else are rejected (§6.7). */
  readonly registry: string;
  /** The delegator's clock, milliseconds since the Unix epoch. */
  readonly clock: () => bigint;
  /** A cryptographically secure random source. */
  readonly random: (n: number) => Uint8Array;
  readonly transport: DelegatorTransport;
  /** Canaries for the capabilities the delegator delegates at level 2 or 3. */
  readonly canaries: CanarySource;
  /** Verified outcome attestations the delegator holds, its own and others' (REP-012). */
  readonly attestations: readonly OutcomeAttestation[];
  readonly policy?: RiskPolicy;
  readonly reputation?: ReputationParams;
  /** Platform attestation formats the delegator can appraise (EVD-020: none by default). */
  readonly attestationVerifiers?: AttestationRegistry;
  /** Milliseconds a provider has to answer a canary, and to complete a task. */
  readonly canaryWindowMs?: bigint;
  readonly taskTimeoutMs?: bigint;
}

/** What a delegation produced. */
export interface DelegationOutcome {
  /** The record of every decision (a DelegationReport message). */
  readonly report: DelegationReport;
  /** The accepted result, its output checked; undefined when the delegation failed. */
  readonly result?: VerifiedTaskResult;
  /** The attestations signed during the delegation (DLG-006), also in the report. */
  readonly attestations: readonly SignedAttestation[];
}

interface Candidate extends RankCandidate {
  readonly descriptor: VerifiedDescriptor;
  readonly capability: Capability;
}

/**
 * Delegates one task under the delegator's risk policy. Never throws on anything a peer sends.
 *
 * @example
 * ```ts
 * import { delegate, TaskRisk } from "ap2p";
 *
 * const outcome = await delegate(
 *   { secretKey, registry: registryDid, clock: () => BigInt(Date.now()), random, transport, canaries, attestations: [] },
 *   { capability: { namespace: "example", id: "translate", version: "1.0.0" }, input, risk: TaskRisk.LOW },
 * );
 * if (outcome.result) console.log(outcome.result.output);
 * console.log(outcome.report.attempts.length); // every decision, as a DelegationReport
 * ```
 * @see spec/10-delegation.md §10.3 (risk policy)
 * @see spec/10-delegation.md §10.4 (the delegation procedure)
 */
export async function delegate(d: Delegator, task: DelegationTask): Promise<DelegationOutcome> {
  const self = didFromPublicKey(publicKeyFromSecret(d.secretKey));
  const attempts: DelegationAttempt[] = [];
  const signed: SignedAttestation[] = [];
  const note = (peerId: string, stage: DelegationStage, error: ErrorCodeName | undefined, detail: string, reputation?: bigint) => {
    attempts.push(
      create(DelegationAttemptSchema, {
        peerId,
        stage,
        error: error === undefined ? ErrorCode.UNSPECIFIED : ErrorCode[error],
        detail: detail.slice(0, 512),
        ...(reputation === undefined ? {} : { reputationPpm: Number(reputation) }),
        at: d.clock(),
      }),
    );
  };

  // Step 1: the rule for the task's risk class (§10.3, DLG-001).
  const rules = checkRiskPolicy(d.policy ?? DEFAULT_RISK_POLICY);
  if (!rules.ok) throw rules.error; // the delegator's own configuration: a caller error, not a peer's
  const rule = rules.value.get(task.risk);
  if (rule === undefined) throw new Ap2pError("INVALID_ARGUMENT", `no risk rule for ${TaskRisk[task.risk]}`);
  const level = levelOf(rule.level);
  const finish = (error: ErrorCodeName | undefined, chosen?: string, result?: VerifiedTaskResult): DelegationOutcome => ({
    report: create(DelegationReportSchema, {
      risk: task.risk,
      level: rule.level,
      chosen: chosen ?? "",
      attempts,
      error: error === undefined ? ErrorCode.UNSPECIFIED : ErrorCode[error],
      attestations: signed.map((s) => ({ coseSign1: s.bytes })),
    }),
    ...(result ? { result } : {}),
    attestations: signed,
  });

  // Step 2: discover, and verify the answer and every descriptor in it (§6.7, ARCH-003).
  const query = create(QuerySchema, {
    namespace: task.capability.namespace,
    id: task.capability.id,
    idMatch: MatchMode.EXACT,
    version: task.capability.version,
    versionMatch: MatchMode.EXACT,
    nonce: d.random(16),
    maxResults: 20,
    ...(level >= 2 ? { minTier: VerificationTier.CANARY } : {}),
    ...task.constraints,
  });
  const answerBytes = await d.transport.query(query);
  if (answerBytes === undefined) return finish("DELEGATION_FAILED");
  const answer = verifyRegistryAnswer(answerBytes, { query, expectedRegistry: d.registry, now: d.clock() });
  if (!answer.ok) {
    note(d.registry, DelegationStage.NEGOTIATE, answer.error.code, `registry answer rejected: ${answer.error.message}`);
    return finish(answer.error.code);
  }

  // Steps 3 and 4: negotiate tiers (TIER-001), then rank by the delegator's own
  // reputation for each candidate, skipping those below the floor (§7, DLG-004).
  const params = d.reputation ?? DEFAULT_REPUTATION_PARAMS;
  const scores = computeReputation(self, d.attestations, d.clock(), params);
  const prior = priorScore(params);
  const candidates: Candidate[] = answer.value.results.map((r: VerifiedResult, position) => ({
    peerId: r.descriptor.peerId,
    position,
    supportedTiers: r.capability.supportedTiers,
    reputation: r.descriptor.peerId === self ? 0n : (scores.get(r.descriptor.peerId) ?? prior),
    descriptor: r.descriptor,
    capability: r.capability,
  }));
  const { ranked, skipped } = rankCandidates(rule, candidates);
  for (const { candidate: c, error } of skipped) {
    if (error === "TIER_NOT_SUPPORTED") {
      const missing = tiersRequiredFor(rule.level).filter((t) => !c.supportedTiers.includes(t));
      note(c.peerId, DelegationStage.NEGOTIATE, error, `does not support ${missing.map((t) => VerificationTier[t]).join(", ")}`);
    } else {
      note(c.peerId, DelegationStage.REPUTATION, error, `reputation ${c.reputation} ppm is below ${rule.minReputationPpm}`, c.reputation);
    }
  }
  const byPeer = new Map(ranked.map((c) => [c.peerId, c]));

  // Step 5: verify by tier, with fallback (§8.10, DLG-005).
  const run = await runFallbackAsync(
    ranked.map((c) => c.peerId),
    rule.maxAttempts,
    (peerId) => tryCandidate(d, task, rule, level, byPeer.get(peerId)!, note, signed),
    { now: d.clock },
  );
  if (!run.verdict.ok) return finish("DELEGATION_FAILED");
  return finish(undefined, run.verdict.value.peerId, run.verdict.value.value);
}

type Note = (peerId: string, stage: DelegationStage, error: ErrorCodeName | undefined, detail: string, reputation?: bigint) => void;

/** One candidate, through every tier the level requires; the first failure ends its turn. */
async function tryCandidate(d: Delegator, task: DelegationTask, rule: RiskRule, level: number, c: Candidate, note: Note, signed: SignedAttestation[]): Promise<Verdict<VerifiedTaskResult>> {
  const peerId = c.descriptor.peerId;
  const failWith = (stage: DelegationStage, error: Ap2pError): Verdict<VerifiedTaskResult> => {
    note(peerId, stage, error.code, error.message, c.reputation);
    return { ok: false, error };
  };

  // Tier 2: a canary, when the level asks for one (§8).
  if (level >= 2) {
    const canary = d.canaries(task.capability, d.random);
    if (canary === undefined) return failWith(DelegationStage.CANARY, new Ap2pError("DELEGATION_FAILED", "no canary is available for this capability"));
    const issued = issueChallenge(d.secretKey, { provider: peerId, capability: task.capability, input: canary.input, now: d.clock(), windowMs: d.canaryWindowMs ?? 5_000n, random: d.random });
    const response = await d.transport.canary(c.descriptor, issued.bytes);
    const verdict =
      response === undefined
        ? { ok: false as const, error: new Ap2pError("CANARY_RESPONSE_LATE", "no response before the deadline") }
        : verifyCanaryResponse(response, { challenge: issued, oracle: canary.oracle, now: d.clock() });
    if (!verdict.ok) {
      const now = d.clock();
      signed.push(attestCanaryFailure(d.secretKey, issued.challenge, rule.level, Number(now - issued.challenge.issuedAt), now));
      return failWith(DelegationStage.CANARY, verdict.error);
    }
    note(peerId, DelegationStage.CANARY, undefined, "canary answered correctly and on time", c.reputation);
  }

  // Execute: the signed task request, at the level the policy fixed (TIER-004).
  const formats = rule.requireAttestation ? [...(d.attestationVerifiers?.keys() ?? [])] : [];
  const sent = issueTaskRequest(
    d.secretKey,
    { provider: peerId, capability: task.capability, input: task.input, requiredTier: rule.level, attestationFormats: formats },
    { now: d.clock(), timeoutMs: d.taskTimeoutMs ?? 30_000n, random: d.random },
  );
  const reply = await d.transport.task(c.descriptor, sent.bytes, sent.request.input === undefined ? task.input : undefined);
  const attest = (request: TaskRequest, outcome: Outcome) => {
    const now = d.clock();
    signed.push(attestTask(d.secretKey, request, { outcome, latencyMs: Number(now - request.issuedAt) }, now));
  };
  if (reply === undefined) {
    attest(sent.request, Outcome.TIMEOUT);
    return failWith(DelegationStage.TASK, new Ap2pError("TASK_RESULT_LATE", "no result before the deadline"));
  }

  // Check the result, and its evidence at level 3 (§9.10, DLG-003: nothing is used before this passes).
  const checked = verifyTaskResult(reply.result, {
    request: sent.request,
    now: d.clock(),
    ...(reply.output ? { output: reply.output } : {}),
    ...(d.attestationVerifiers ? { attestationVerifiers: d.attestationVerifiers } : {}),
  });
  if (!checked.ok) {
    const evidence = checked.error.code.startsWith("EVD_");
    // EVIDENCE_REJECTED is an outcome of level 3 only (REP-008); below it, bad evidence is a failed task.
    attest(sent.request, evidence && level === 3 ? Outcome.EVIDENCE_REJECTED : checked.error.code === "TASK_RESULT_LATE" ? Outcome.TIMEOUT : Outcome.FAILURE);
    return failWith(evidence ? DelegationStage.EVIDENCE : DelegationStage.TASK, checked.error);
  }
  const result = checked.value;
  if (result.message.status !== TaskStatus.COMPLETED) {
    attest(sent.request, Outcome.FAILURE);
    return failWith(DelegationStage.TASK, new Ap2pError("TASK_NOT_COMPLETED", `the provider reports ${TaskStatus[result.message.status]}: ${result.message.reason}`));
  }
  // DLG-007: a critical task needs an attestation that a registered verifier accepted.
  if (rule.requireAttestation && result.evidence?.attestation?.appraisal === undefined) {
    attest(sent.request, Outcome.EVIDENCE_REJECTED);
    return failWith(DelegationStage.EVIDENCE, new Ap2pError("ATTESTATION_REQUIRED", "the result carries no platform attestation that verifies"));
  }
  if (level === 3) note(peerId, DelegationStage.EVIDENCE, undefined, `evidence verified: ${result.evidence?.receipts.length ?? 0} receipts`, c.reputation);
  note(peerId, DelegationStage.TASK, undefined, "result accepted", c.reputation);
  attest(sent.request, Outcome.SUCCESS);
  return { ok: true, value: result };
}

