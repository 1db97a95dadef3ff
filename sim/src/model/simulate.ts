// One simulation run: workflows of two steps (generate, then publish) arrive
// as a Poisson process; each step queries the registry, screens and ranks the
// answer, verifies candidates by the policy's level with fallback, and runs
// the task. Agents refresh their descriptors every TTL/2 (jittered ±10 %),
// listing only the capabilities that work at that moment. The registry is one
// FIFO server. Time is integer microseconds; the run is deterministic.
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { rankCandidates, type RankCandidate } from "../../../reference/src/delegation/rank.js";
import { runFallback } from "../../../reference/src/canary/fallback.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { EXAMPLE_SECRET_KEY } from "../../../reference/src/descriptor/example.js";
import { Ap2pError, type Verdict } from "../../../reference/src/errors.js";
import { OwnReputationLedger } from "../../../reference/src/reputation/ledger.js";
import { EventQueue } from "../engine/queue.js";
import { expDraw, lognormalDraw, u01 } from "../engine/hash.js";
import { quantileInPlace } from "../engine/stats.js";
import { stepPolicy, type StepPolicy } from "../policies/policies.js";
import type { SimConfig } from "./config.js";
import { CATEGORY_OF, capabilityMessage, messageSizes, MSG, MSG_KINDS } from "./messages.js";
import { protocolMs, SimRegistry } from "./registry.js";
import { S } from "./streams.js";
import { World } from "./world.js";

// Event kinds.
const E_ARRIVE = 1;
const E_QUERY_AT_REGISTRY = 2;
const E_PUBLISH_AT_REGISTRY = 3;
const E_REGISTRY_DONE = 4;
const E_ANSWER = 5;
const E_STEP_DONE = 6;
const E_ATTEST = 7;
const E_FEEDBACK = 8;
const E_REFRESH = 9;
export const EVENT_NAMES = ["", "arrive", "query at registry", "publish at registry", "registry done", "answer", "step done", "attest", "feedback", "refresh"];

const STEPS = 2;
const TIERS: readonly VerificationTier[] = Object.freeze([VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE]);

// Verdicts of a failed attempt. runFallback reads only the code; one instance each.
const CANARY_WRONG = fail("CANARY_WRONG_OUTPUT", "the canary output is wrong");
const CANARY_LATE = fail("CANARY_RESPONSE_LATE", "no canary response before the deadline");
const TASK_FAILED = fail("TASK_NOT_COMPLETED", "the provider reports the task failed");
const EVIDENCE_BAD = fail("EVD_OUTPUT_HASH_MISMATCH", "the evidence does not bind the output");
function fail(code: ConstructorParameters<typeof Ap2pError>[0], message: string): Verdict<never> {
  return Object.freeze({ ok: false as const, error: new Ap2pError(code, message) });
}

/** What one run measured. Per-workflow figures cover the measured workflows (after warm-up). */
export interface SimResult {
  readonly workflows: number;
  readonly measured: number;
  readonly successRate: number;
  readonly discoveryMeanMs: number;
  readonly discoveryP95Ms: number;
  readonly workflowMeanMs: number;
  /** Messages and bytes per measured workflow, by category (refresh, query, canary, evidence, task). */
  readonly messagesPerWorkflow: readonly number[];
  readonly bytesPerWorkflow: readonly number[];
  /** Candidates tried per step (1 + fallbacks), over measured steps that ran. */
  readonly attemptsPerStep: number;
  /** Share of measured steps whose first candidate was a Sybil. */
  readonly sybilFirstShare: number;
  /** Offered load on the registry while workflows arrive: service time demanded per unit of time (above 1: the queue grows without bound). */
  readonly registryLoad: number;
  readonly publishRejected: number;
  readonly events: number;
  readonly endTimeMs: number;
  /** With RunOptions.trace: every workflow's arrival time, µs. */
  readonly arrivalsUs?: readonly number[];
  /** Conservation data: every message sent, by kind, and its bytes; every event, by kind. */
  readonly audit: {
    readonly messages: readonly number[];
    readonly bytes: readonly number[];
    readonly answersBySize: readonly number[];
    readonly publishesByMask: readonly number[];
    readonly eventsByKind: readonly number[];
    readonly endedOnce: boolean;
    readonly ended: number;
    readonly refreshes: number;
    readonly queries: number;
    readonly canaries: number;
    readonly tasks: number;
    readonly evidencePackages: number;
    readonly fallbackAttempts: number;
  };
}

/** Options of a run that do not change what it simulates. */
export interface RunOptions {
  /** Called now and then with the fraction of workflows ended. */
  readonly onProgress?: (fraction: number) => void;
  /** Also return the arrival time of every workflow (µs), to check common random numbers. */
  readonly trace?: boolean;
}

/** Runs one simulation. */
export function simulate(config: SimConfig, options: RunOptions = {}): SimResult {
  const onProgress = options.onProgress;
  const world = new World(config);
  const n = world.n;
  const seed = config.seed;
  const W = config.workflows;
  const K = config.maxResults;
  const warmup = Math.floor(W * config.warmupFraction);
  const sizes = messageSizes(K);
  const peerIds = Array.from({ length: n }, (_, i) => `agent-${String(i).padStart(6, "0")}`);
  const agentOf = new Map(peerIds.map((p, i) => [p, i]));
  const registry = new SimRegistry(world, config, peerIds);
  const capabilities = [0, 1].map((c) => capabilityMessage(c, 0));
  const steps: StepPolicy[] = capabilities.map((cap) => stepPolicy(config.policy, cap, config.riskPolicy));
  const ledgers = Array.from({ length: config.delegators }, () => new OwnReputationLedger(DELEGATOR_DID, config.reputation));
  const q = new EventQueue(4 * n + 1024);

  const ttlUs = config.ttlMs * 1000;
  const refreshUs = ttlUs / 2;
  const netMedianUs = config.networkMedianMs * 1000;
  const sigma = config.networkSigma;
  const net = (stream: number, a: number, b: number, leg: number) => Math.round(lognormalDraw(netMedianUs, sigma, u01(seed, stream, a, b, 2 * leg), u01(seed, stream, a, b, 2 * leg + 1)));

  // Accounting.
  const msgCount = new Float64Array(MSG_KINDS);
  const msgBytes = new Float64Array(MSG_KINDS);
  const measuredCount = new Float64Array(5);
  const measuredBytes = new Float64Array(5);
  const answersBySize = new Float64Array(sizes.fittingResults + 1);
  const publishesByMask = new Float64Array(4);
  const eventsByKind = new Float64Array(EVENT_NAMES.length);
  let refreshMsgsInWindow = 0;
  let refreshBytesInWindow = 0;
  let refreshes = 0;
  let queries = 0;
  let canaries = 0;
  let tasks = 0;
  let evidencePackages = 0;
  let fallbackAttempts = 0;
  const send = (kind: number, bytes: number, measured: boolean) => {
    msgCount[kind]++;
    msgBytes[kind] += bytes;
    if (measured) {
      measuredCount[CATEGORY_OF[kind]!]++;
      measuredBytes[CATEGORY_OF[kind]!] += bytes;
    }
  };

  // Workflow and step state; step index x = 2w + s.
  const arriveUs = new Float64Array(W);
  const ended = new Uint8Array(W);
  const querySentUs = new Float64Array(STEPS * W);
  const answerLen = new Int32Array(STEPS * W);
  const answers = new Int32Array(STEPS * W * K);
  const chosen = new Int32Array(STEPS * W).fill(-1);
  const correct = new Uint8Array(STEPS * W);
  const discovery = new Float64Array(STEPS * W);
  let discoveryCount = 0;
  let discoverySum = 0;
  let measuredSteps = 0;
  let measuredAttempts = 0;
  let sybilFirst = 0;
  let successes = 0;
  let measuredEnded = 0;
  let workflowTimeSum = 0;
  let endedTotal = 0;
  let inFlight = 0;
  let arrivals = 0;
  let lastArrivalUs = Number.POSITIVE_INFINITY;
  const delegatorOf = (w: number) => Math.floor(u01(seed, S.DELEGATOR, w, 0, 0) * config.delegators);

  // The registry: one FIFO server over a ring of jobs (kind 0 query, 1 publish).
  let ringCap = 1024;
  let jobKind = new Uint8Array(ringCap);
  let jobA = new Int32Array(ringCap);
  let jobB = new Int32Array(ringCap);
  let jobX = new Float64Array(ringCap);
  let jobS = new Float64Array(ringCap);
  let head = 0;
  let len = 0;
  let busyUs = 0;
  let demandInWindowUs = 0;
  const enqueue = (t: number, kind: number, a: number, b: number, x: number) => {
    if (len === ringCap) {
      const grow = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (m: number) => T): T => {
        const next = make(ringCap * 2);
        for (let i = 0; i < len; i++) next[i] = old[(head + i) % ringCap]!;
        return next;
      };
      jobKind = grow(jobKind, (m) => new Uint8Array(m));
      jobA = grow(jobA, (m) => new Int32Array(m));
      jobB = grow(jobB, (m) => new Int32Array(m));
      jobX = grow(jobX, (m) => new Float64Array(m));
      jobS = grow(jobS, (m) => new Float64Array(m));
      head = 0;
      ringCap *= 2;
    }
    const slot = (head + len) % ringCap;
    jobKind[slot] = kind;
    jobA[slot] = a;
    jobB[slot] = b;
    jobX[slot] = x;
    const service =
      kind === 0
        ? expDraw(config.registry.queryServiceMs * 1000, u01(seed, S.SERVICE_QUERY, a, b, 0))
        : expDraw(config.registry.publishServiceMs * 1000, u01(seed, S.SERVICE_PUBLISH, a, b >> 2, 0));
    jobS[slot] = Math.max(1, Math.round(service));
    if (t <= lastArrivalUs) demandInWindowUs += jobS[slot]!;
    len++;
    if (len === 1) startService(t);
  };
  const startService = (t: number) => {
    const d = jobS[head]!;
    busyUs += d;
    q.push(t + d, E_REGISTRY_DONE, 0, 0);
  };

  // The filled registry at time 0: every agent published at a random phase of its refresh period.
  for (let i = 0; i < n; i++) {
    const phase = u01(seed, S.PHASE, i, 0, 0) * refreshUs;
    registry.preload(i, -phase, world.workingMask(i, 0));
    q.push(Math.round(refreshUs - phase), E_REFRESH, i, 0);
  }
  q.push(Math.round(expDraw(1e6 / config.workflowRatePerS, u01(seed, S.ARRIVAL, 0, 0, 0))), E_ARRIVE, 0, 0);

  const sendQuery = (w: number, s: number, t: number) => {
    const x = STEPS * w + s;
    querySentUs[x] = t;
    queries++;
    send(MSG.QUERY_REQUEST, sizes.bytes[MSG.QUERY_REQUEST]!, w >= warmup);
    q.push(t + net(S.NET_QUERY, w, s, 0), E_QUERY_AT_REGISTRY, w, s);
  };

  const endWorkflow = (w: number, t: number, ok: boolean) => {
    ended[w]++;
    endedTotal++;
    inFlight--;
    if (w >= warmup) {
      measuredEnded++;
      if (ok) successes++;
      workflowTimeSum += t - arriveUs[w]!;
    }
    q.push(t + config.feedbackDelayMs * 1000, E_FEEDBACK, w, 0);
  };

  // One step's verification and fallback, run at the moment its answer
  // arrives. Attempts take simulated time: `clock` advances through them, and
  // what each attempt meets (network delays, the provider's quality at that
  // instant) is drawn from the world. Nothing else touches a step's
  // candidates meanwhile, so running the attempts ahead is exact; the
  // attestations they produce are scheduled at the instants they are made.
  let clock = 0;
  const now = () => protocolMs(clock);
  const runStep = (w: number, s: number, t: number) => {
    const x = STEPS * w + s;
    const policy = steps[s]!;
    const d = delegatorOf(w);
    const measured = w >= warmup;
    const count = answerLen[x]!;
    const base = x * K;
    let ids: string[];
    if (policy.rule === undefined) {
      ids = count > 0 ? [peerIds[answers[base]!]!] : [];
    } else {
      const ledger = ledgers[d]!;
      const at = protocolMs(t);
      const candidates: RankCandidate[] = [];
      for (let k = 0; k < count; k++) {
        const peerId = peerIds[answers[base + k]!]!;
        candidates.push({ peerId, position: k, supportedTiers: TIERS, reputation: ledger.score(peerId, at) });
      }
      ids = rankCandidates(policy.rule, candidates).ranked.map((c) => c.peerId);
    }
    if (measured && ids.length > 0 && world.sybil[agentOf.get(ids[0]!)!]) sybilFirst++;
    clock = t;
    const attest = (agent: number, positive: boolean) => q.push(clock, E_ATTEST, agent, 2 * d + (positive ? 1 : 0));
    const tryCandidate = (peerId: string): Verdict<number> => {
      const j = agentOf.get(peerId)!;
      const sybil = world.sybil[j] === 1;
      const forger = sybil && config.sybilBehaviour === "forges-evidence";
      if (policy.level >= 2) {
        // Tier 2: a canary is a sample of the capability (§8).
        canaries++;
        send(MSG.CANARY_CHALLENGE, sizes.bytes[MSG.CANARY_CHALLENGE]!, measured);
        const out = net(S.NET_ATTEMPT, x, j, 0);
        const compute = Math.round(lognormalDraw(config.canaryComputeMs * 1000, 0.5, u01(seed, S.CANARY_EXEC, x, j, 0), u01(seed, S.CANARY_EXEC, x, j, 1)));
        const back = net(S.NET_ATTEMPT, x, j, 1);
        send(MSG.CANARY_RESPONSE, sizes.bytes[MSG.CANARY_RESPONSE]!, measured);
        const u = u01(seed, S.CANARY_OUTCOME, x, j, 0) * 1e6;
        const passes = sybil ? forger && u < config.healthyPpm[1] : u < world.qualityPpm(j, s, clock + out);
        clock += out + compute + back;
        if (out + compute + back > config.canaryWindowMs * 1000) {
          attest(j, false);
          return CANARY_LATE;
        }
        if (!passes) {
          attest(j, false);
          return CANARY_WRONG;
        }
      }
      // The task itself.
      tasks++;
      send(MSG.TASK_REQUEST, sizes.bytes[MSG.TASK_REQUEST]!, measured);
      const out = net(S.NET_ATTEMPT, x, j, 2);
      const back = net(S.NET_ATTEMPT, x, j, 3);
      const u = u01(seed, S.TASK_OUTCOME, x, j, 0) * 1e6;
      let ok: boolean;
      let cheated = false;
      let execUs: number;
      if (sybil) {
        cheated = !forger || u01(seed, S.CHEAT, x, j, 0) * 1e6 < config.cheatPpm;
        ok = !cheated && u < config.healthyPpm[1];
        execUs = cheated ? 100_000 : world.promisedMs[2 * j + s]! * 500;
      } else {
        ok = u < world.qualityPpm(j, s, clock + out);
        execUs = Math.round(lognormalDraw(world.promisedMs[2 * j + s]! * 500, 0.3, u01(seed, S.EXEC, x, j, 0), u01(seed, S.EXEC, x, j, 1)));
      }
      send(MSG.TASK_RESULT, sizes.bytes[MSG.TASK_RESULT]!, measured);
      if (policy.level === 3) {
        evidencePackages++;
        send(MSG.EVIDENCE, sizes.bytes[MSG.EVIDENCE]!, measured);
      }
      clock += out + execUs + back;
      // An honest agent reports some of its failures (status FAILED): visible at once.
      if (!sybil && !ok && u01(seed, S.LOUD, x, j, 0) * 1e6 < config.loudFailurePpm) {
        attest(j, false);
        return TASK_FAILED;
      }
      if (policy.level === 3) {
        // Tier 3: an identity that did not do the work has no receipts that bind
        // its output (forged or copied evidence): rejected (§9).
        clock += config.evidenceCheckMs * 1000;
        if (cheated) {
          attest(j, false);
          return EVIDENCE_BAD;
        }
      }
      correct[x] = ok ? 1 : 0;
      return { ok: true, value: j };
    };
    const run = runFallback(ids, policy.budget, tryCandidate, { now });
    const tried = run.attempts.length;
    fallbackAttempts += Math.max(0, tried - 1);
    if (measured && tried > 0) {
      measuredSteps++;
      measuredAttempts += tried;
    }
    chosen[x] = run.verdict.ok ? run.verdict.value.value : -1;
    q.push(clock, E_STEP_DONE, w, s);
  };

  let events = 0;
  const progressEvery = 1 << 16;
  while (q.pop()) {
    const t = q.t;
    const a = q.a;
    const b = q.b;
    const kind = q.kind;
    events++;
    eventsByKind[kind]++;
    if (onProgress !== undefined && (events & (progressEvery - 1)) === 0) onProgress(endedTotal / W);
    switch (kind) {
      case E_ARRIVE: {
        const w = a;
        arriveUs[w] = t;
        arrivals++;
        inFlight++;
        sendQuery(w, 0, t);
        if (w + 1 < W) q.push(t + Math.max(1, Math.round(expDraw(1e6 / config.workflowRatePerS, u01(seed, S.ARRIVAL, w + 1, 0, 0)))), E_ARRIVE, w + 1, 0);
        else lastArrivalUs = t;
        break;
      }
      case E_QUERY_AT_REGISTRY:
        enqueue(t, 0, a, b, 0);
        break;
      case E_PUBLISH_AT_REGISTRY:
        enqueue(t, 1, a, b, q.x);
        break;
      case E_REGISTRY_DONE: {
        const ja = jobA[head]!;
        const jb = jobB[head]!;
        if (jobKind[head] === 0) {
          const x = STEPS * ja + jb;
          // DISC-014: the longest prefix of the ranked results whose signed answer fits SIG-001's limit.
          const k = Math.min(registry.answer(jb, t, answers, x * K), sizes.fittingResults);
          answerLen[x] = k;
          answersBySize[k]++;
          send(MSG.QUERY_RESPONSE, sizes.answerBytes[k]!, ja >= warmup);
          q.push(t + net(S.NET_QUERY, ja, jb, 1), E_ANSWER, ja, jb);
        } else {
          registry.publish(ja, jobX[head]!, jb & 3, t);
          send(MSG.PUBLISH_RESPONSE, sizes.bytes[MSG.PUBLISH_RESPONSE]!, false);
          if (jobX[head]! <= lastArrivalUs) refreshBytesInWindow += sizes.bytes[MSG.PUBLISH_RESPONSE]!;
          if (jobX[head]! <= lastArrivalUs) refreshMsgsInWindow++;
        }
        head = (head + 1) % ringCap;
        len--;
        if (len > 0) startService(t);
        break;
      }
      case E_ANSWER: {
        const x = STEPS * a + b;
        const latency = t - querySentUs[x]!;
        if (a >= warmup) {
          discovery[discoveryCount++] = latency;
          discoverySum += latency;
        }
        runStep(a, b, t);
        break;
      }
      case E_STEP_DONE: {
        const x = STEPS * a + b;
        if (chosen[x]! < 0) endWorkflow(a, t, false);
        else if (b + 1 < STEPS) sendQuery(a, b + 1, t);
        else {
          let ok = true;
          for (let s = 0; s < STEPS; s++) ok &&= correct[STEPS * a + s] === 1;
          endWorkflow(a, t, ok);
        }
        break;
      }
      case E_ATTEST:
        ledgers[b >> 1]!.record(peerIds[a]!, protocolMs(t), (b & 1) === 1);
        break;
      case E_FEEDBACK: {
        // The delegator learns whether each accepted output was right, and attests it.
        const ledger = ledgers[delegatorOf(a)]!;
        for (let s = 0; s < STEPS; s++) {
          const x = STEPS * a + s;
          if (chosen[x]! >= 0) ledger.record(peerIds[chosen[x]!]!, protocolMs(t), correct[x] === 1);
        }
        break;
      }
      case E_REFRESH: {
        // A self-test, then a descriptor listing what works now (a tombstone if nothing does).
        const mask = world.workingMask(a, t);
        refreshes++;
        publishesByMask[mask]++;
        const bytes = sizes.publishBytesByMask[mask]!;
        send(MSG.PUBLISH_REQUEST, bytes, false);
        if (t <= lastArrivalUs) {
          refreshMsgsInWindow++;
          refreshBytesInWindow += bytes;
        }
        q.push(t + net(S.NET_PUBLISH, a, b, 0), E_PUBLISH_AT_REGISTRY, a, 4 * b + mask, t);
        if (arrivals < W || inFlight > 0) {
          const jitter = 0.9 + 0.2 * u01(seed, S.JITTER, a, b + 1, 0);
          q.push(t + Math.max(1, Math.round(refreshUs * jitter)), E_REFRESH, a, b + 1);
        }
        break;
      }
      default:
        throw new Error(`unknown event kind ${kind}`);
    }
  }

  let endedOnce = true;
  for (let w = 0; w < W; w++) if (ended[w] !== 1) endedOnce = false;
  const measuredW = Math.max(1, W - warmup);
  const endUs = q.t;
  // Refresh traffic is not tied to workflows: it is charged per workflow as
  // the refresh traffic sent while workflows were arriving, over all of them.
  const messagesPerWorkflow = [refreshMsgsInWindow / W, ...[1, 2, 3, 4].map((c) => measuredCount[c]! / measuredW)];
  const bytesPerWorkflow = [refreshBytesInWindow / W, ...[1, 2, 3, 4].map((c) => measuredBytes[c]! / measuredW)];
  return {
    workflows: W,
    measured: measuredEnded,
    successRate: successes / Math.max(1, measuredEnded),
    discoveryMeanMs: discoveryCount > 0 ? discoverySum / discoveryCount / 1000 : Number.NaN,
    discoveryP95Ms: quantileInPlace(discovery, discoveryCount, 0.95) / 1000,
    workflowMeanMs: workflowTimeSum / Math.max(1, measuredEnded) / 1000,
    messagesPerWorkflow,
    bytesPerWorkflow,
    attemptsPerStep: measuredAttempts / Math.max(1, measuredSteps),
    sybilFirstShare: sybilFirst / Math.max(1, discoveryCount),
    registryLoad: demandInWindowUs / Math.max(1, Number.isFinite(lastArrivalUs) ? lastArrivalUs : endUs),
    publishRejected: registry.rejectedRate + registry.rejectedStale,
    events,
    endTimeMs: endUs / 1000,
    ...(options.trace ? { arrivalsUs: [...arriveUs] } : {}),
    audit: {
      messages: [...msgCount],
      bytes: [...msgBytes],
      answersBySize: [...answersBySize],
      publishesByMask: [...publishesByMask],
      eventsByKind: [...eventsByKind],
      endedOnce,
      ended: endedTotal,
      refreshes,
      queries,
      canaries,
      tasks,
      evidencePackages,
      fallbackAttempts,
    },
  };
}

/** The did:key the ledgers are checked against (REP-018): the worked examples' key; delegators sign nothing here. */
const DELEGATOR_DID = didFromPublicKey(publicKeyFromSecret(EXAMPLE_SECRET_KEY));
