// The messages the simulator counts, and their sizes in bytes. Nothing is
// signed per event: each kind of message is built once, with the reference
// implementation, exactly as a node would send it (COSE_Sign1 or canonical
// CBOR), and the simulator counts that many bytes each time one is sent.
import { create } from "@bufbuild/protobuf";
import { CapabilitySchema, Modality, VerificationTier, type Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, PublishChange, PublishRequestSchema, PublishResponseSchema, QueryRequestSchema, QueryResponseSchema, QuerySchema, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { TaskStatus } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { exampleCanary } from "../../../reference/src/canary/example.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { MAX_SIGN1_BYTES } from "../../../reference/src/cose/sign1.js";
import { messageHash } from "../../../reference/src/codec/hash.js";
import { issueDescriptor, withdrawDescriptor } from "../../../reference/src/descriptor/issue.js";
import { EXAMPLE_SECRET_KEY, EXAMPLE_TIME } from "../../../reference/src/descriptor/example.js";
import { signRegistryAnswer } from "../../../reference/src/discovery/answer.js";
import { exampleTask, EXAMPLE_DELEGATOR_SECRET_KEY, EXAMPLE_PROVIDER_SECRET_KEY } from "../../../reference/src/evidence/example.js";
import { buildTaskResult } from "../../../reference/src/task/build-result.js";
import { issueTaskRequest } from "../../../reference/src/task/issue-request.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";

/** The two capabilities of the paper's workflow. */
export const GENERATE = 0;
export const PUBLISH = 1;
export const CAPABILITY_NAMES = ["generate", "publish"] as const;

const ALL_TIERS = [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE];

/** The capability `c` as a descriptor lists it, promising `maxLatencyMs`. */
export function capabilityMessage(c: number, maxLatencyMs: number): Capability {
  return c === GENERATE
    ? create(CapabilitySchema, {
        namespace: "ai.image",
        id: "generate",
        version: "1.0.0",
        intents: ["create an image from a text prompt"],
        tags: ["image", "text-to-image"],
        inputs: [{ name: "prompt", modality: Modality.TEXT, mediaType: "text/plain" }],
        outputs: [{ name: "image", modality: Modality.IMAGE, mediaType: "image/png" }],
        constraints: { maxLatencyMs },
        supportedTiers: ALL_TIERS,
      })
    : create(CapabilitySchema, {
        namespace: "social.feed",
        id: "publish",
        version: "1.0.0",
        intents: ["publish an image to a feed"],
        tags: ["social", "post"],
        inputs: [{ name: "image", modality: Modality.IMAGE, mediaType: "image/png" }],
        // A post is a side effect in the world: the default risk class is HIGH (DLG-002).
        outputs: [{ name: "post", modality: Modality.ACTION }],
        constraints: { maxLatencyMs },
        supportedTiers: ALL_TIERS,
      });
}

/** The query a delegator sends for capability `c` (as delegate() builds it, §10.4 step 2). */
export function queryMessage(c: number, maxResults: number, level: number): Query {
  const cap = capabilityMessage(c, 0);
  return create(QuerySchema, {
    namespace: cap.namespace,
    id: cap.id,
    idMatch: MatchMode.EXACT,
    version: cap.version,
    versionMatch: MatchMode.EXACT,
    nonce: new Uint8Array(16),
    maxResults,
    ...(level >= 2 ? { minTier: VerificationTier.CANARY } : {}),
  });
}

/** Message kinds, each counted with its own size. */
export const MSG = {
  PUBLISH_REQUEST: 0,
  PUBLISH_RESPONSE: 1,
  QUERY_REQUEST: 2,
  QUERY_RESPONSE: 3,
  CANARY_CHALLENGE: 4,
  CANARY_RESPONSE: 5,
  TASK_REQUEST: 6,
  TASK_RESULT: 7,
  EVIDENCE: 8,
} as const;
export const MSG_KINDS = 9;
export const MSG_NAMES = ["publish request", "publish response", "query request", "query response", "canary challenge", "canary response", "task request", "task result", "evidence package"];

/** Traffic categories of the metrics. */
export const CAT = { REFRESH: 0, QUERY: 1, CANARY: 2, EVIDENCE: 3, TASK: 4 } as const;
export const CAT_NAMES = ["refresh", "query", "canary", "evidence", "task"] as const;
/** The category of each message kind. */
export const CATEGORY_OF: readonly number[] = [CAT.REFRESH, CAT.REFRESH, CAT.QUERY, CAT.QUERY, CAT.CANARY, CAT.CANARY, CAT.TASK, CAT.TASK, CAT.EVIDENCE];

/** Sizes in bytes of every message kind; the query response by number of results. */
export interface MessageSizes {
  /** Indexed by MSG; QUERY_RESPONSE holds the size of the largest answer. */
  readonly bytes: readonly number[];
  /** answerBytes[k]: a QueryResponse carrying k results, for k up to fittingResults. */
  readonly answerBytes: readonly number[];
  /** The most results a signed answer holds within SIG-001's size limit (DISC-014: a registry sends the longest prefix that fits). */
  readonly fittingResults: number;
  /** PublishRequest size by the capabilities listed: bit 0 generate, bit 1 publish. */
  readonly publishBytesByMask: readonly number[];
}

const cache = new Map<number, MessageSizes>();

/** Builds one message of each kind with the reference implementation and measures it. Cached per maxResults. */
export function messageSizes(maxResults: number): MessageSizes {
  const hit = cache.get(maxResults);
  if (hit) return hit;
  const t = EXAMPLE_TIME;
  const issue = (mask: number) =>
    issueDescriptor(
      EXAMPLE_SECRET_KEY,
      {
        displayName: "simulated agent",
        capabilities: [GENERATE, PUBLISH].filter((c) => (mask >> c) & 1).map((c) => capabilityMessage(c, 4_000)),
        endpoints: [{ transport: 1, uri: "wss://agent.example:7443/ap2p" }],
      },
      1n,
      { now: t, ttlMs: 60_000n },
    );
  // A live descriptor lists at least one capability (DESC_NO_CAPABILITIES): a
  // peer with none to offer publishes a tombstone instead (mask 0).
  const descriptorFor = (mask: number) => (mask === 0 ? withdrawDescriptor(EXAMPLE_SECRET_KEY, issue(3).descriptor, { now: t + 1n, ttlMs: 60_000n }).bytes : issue(mask).bytes);
  const publishBytesByMask = [0, 1, 2, 3].map((mask) => encodeMessage(PublishRequestSchema, create(PublishRequestSchema, { descriptor: { coseSign1: descriptorFor(mask) } })).length);
  const publishResponse = encodeMessage(PublishResponseSchema, create(PublishResponseSchema, { change: PublishChange.REFRESHED })).length;

  const query = queryMessage(GENERATE, maxResults, 2);
  const queryRequest = encodeMessage(QueryRequestSchema, create(QueryRequestSchema, { query })).length;
  const both = descriptorFor(3);
  const queryHash = messageHash(QuerySchema, query);
  const answerBytes: number[] = [];
  for (let k = 0; k <= maxResults; k++) {
    const answer = signRegistryAnswer(
      { queryHash, asOf: t, freshUntil: t + 30_000n, results: Array.from({ length: k }, () => ({ descriptor: both, capabilityIndex: 0 })), totalMatches: 1000 },
      EXAMPLE_SECRET_KEY,
    );
    if (answer.length > MAX_SIGN1_BYTES) break;
    answerBytes.push(encodeMessage(QueryResponseSchema, create(QueryResponseSchema, { answer: { coseSign1: answer } })).length);
  }

  const { challenge, response } = exampleCanary();

  // A task at Tier 1 or 2 (no evidence) and the worked Tier 3 example (evidence and attestation).
  const full = exampleTask();
  const plainRequest = issueTaskRequest(
    EXAMPLE_DELEGATOR_SECRET_KEY,
    { provider: didFromPublicKey(publicKeyFromSecret(EXAMPLE_PROVIDER_SECRET_KEY)), capability: { namespace: "ai.image", id: "generate", version: "1.2.0" }, input: full.input, requiredTier: VerificationTier.CANARY },
    { now: t, timeoutMs: 60_000n, random: (n) => new Uint8Array(n).map((_, i) => i) },
  );
  const plainResult = buildTaskResult(EXAMPLE_PROVIDER_SECRET_KEY, plainRequest.request, { status: TaskStatus.COMPLETED, output: full.output, completedAt: t + 4_200n });
  const taskRequest = plainRequest.bytes.length;
  const taskResult = plainResult.bytes.length;
  const evidence = full.request.bytes.length + full.result.bytes.length - taskRequest - taskResult;

  const fittingResults = answerBytes.length - 1;
  const bytes = [publishBytesByMask[3]!, publishResponse, queryRequest, answerBytes[fittingResults]!, challenge.bytes.length, response.bytes.length, taskRequest, taskResult, evidence];
  const sizes: MessageSizes = { bytes, answerBytes, publishBytesByMask, fittingResults };
  cache.set(maxResults, sizes);
  return sizes;
}
