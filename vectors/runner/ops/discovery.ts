// The operations of the discovery vector files (vectors/README.md): the query
// language, a registry's publish and answer paths, and a client's check of a
// signed answer (spec/06-discovery.md), implemented with the reference.
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { PublishChange, QuerySchema, RegistryAnswerSchema, type Query, type RegistryAnswer } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { verifyRegistryAnswer } from "../../../reference/src/discovery/answer.js";
import { capabilityFacts, matchCapability } from "../../../reference/src/discovery/match.js";
import type { RegistryPolicy } from "../../../reference/src/discovery/policy.js";
import { compileQuery } from "../../../reference/src/discovery/query.js";
import { Registry } from "../../../reference/src/discovery/registry.js";
import { tokenize } from "../../../reference/src/discovery/tokens.js";
import { publishResponse } from "../../../reference/src/discovery/wire.js";
import { parseDescriptorOrThrow } from "../../../reference/src/descriptor/verify.js";
import { ErrorCode } from "../../../reference/src/errors.js";
import { parseSignedMessageOrThrow } from "../../../reference/src/signed/signed-message.js";
import type { Json, JsonObject, Operation, Outcome } from "../reference-operations.js";
import { bytes, count, hex, integer, object, objects, outcome, text } from "./util.js";

/** The registry policy stated in a group's shared inputs. */
function registryPolicyOf(shared: JsonObject): Partial<RegistryPolicy> {
  return {
    descriptor: { maxTtlMs: integer(shared, "max_ttl_ms"), clockSkewMs: integer(shared, "clock_skew_ms") },
    answerFreshnessMs: integer(shared, "answer_freshness_ms"),
    maxPeers: count(shared, "max_peers"),
    maxPeersPerOrigin: count(shared, "max_peers_per_origin"),
    maxDescriptorBytes: count(shared, "max_descriptor_bytes"),
    peerRate: { capacityMilli: integer(shared, "peer_bucket_capacity_milli"), refillMilliPerSecond: integer(shared, "peer_bucket_refill_milli_per_second") },
    originRate: { capacityMilli: integer(shared, "origin_bucket_capacity_milli"), refillMilliPerSecond: integer(shared, "origin_bucket_refill_milli_per_second") },
    maxResultsPerOrigin: count(shared, "max_results_per_origin"),
  };
}

const queryOf = (obj: JsonObject): Query => fromJson(QuerySchema, object(obj, "query") as JsonValue);

/** The PublishResponse fields of a publish, by name: the change or the error code (DISC-005). */
function publishOutcome(registry: Registry, step: JsonObject): { change?: string; error?: string } {
  const response = publishResponse(registry.publish(bytes(step, "descriptor"), integer(step, "now"), text(step, "origin")));
  return response.error === ErrorCode.UNSPECIFIED ? { change: `PUBLISH_CHANGE_${PublishChange[response.change]}` } : { error: ErrorCode[response.error] };
}

/**
 * A registry under the group's policy that has handled inputs.history in
 * order. Each step states the outcome it must have had; a registry that
 * disagrees fails the test's precondition, reported as an outcome.
 */
function replay(inputs: JsonObject, shared: JsonObject): { registry: Registry; failed?: Outcome } {
  const registry = new Registry(registryPolicyOf(shared));
  for (const [i, step] of objects(inputs, "history").entries()) {
    const got = publishOutcome(registry, step);
    const want = step["change"] !== undefined ? { change: text(step, "change") } : { error: text(step, "error") };
    if (got.change !== want.change || got.error !== want.error) {
      return { registry, failed: { result: "invalid", error: `PRECONDITION history[${i}]: expected ${want.change ?? want.error}, got ${got.change ?? got.error}` } };
    }
  }
  return { registry };
}

/** Every operation of the discovery files, by name. */
export const DISCOVERY_OPERATIONS: Readonly<Record<string, Operation>> = {
  "query.tokenize": (inputs) => ({ result: "valid", output: { tokens: tokenize(text(inputs, "text")) } }),

  "query.match": (inputs): Outcome => {
    const compiled = compileQuery(queryOf(inputs));
    if (!compiled.ok) return { result: "invalid", error: compiled.error.code };
    const capability = fromJson(CapabilitySchema, object(inputs, "capability") as JsonValue);
    const facts = capabilityFacts(capability);
    const score = matchCapability(capability, facts, compiled.value);
    const output: Json = score === undefined ? { matches: false } : { matches: true, score, breadth: facts.tokens.length };
    return { result: "valid", output };
  },

  "registry.publish": (inputs, shared) => {
    const { registry, failed } = replay(inputs, shared);
    if (failed) return failed;
    const got = publishOutcome(registry, inputs);
    return got.change !== undefined ? { result: "valid", output: { change: got.change } } : { result: "invalid", error: got.error! };
  },

  "registry.answer": (inputs, shared) => {
    const { registry, failed } = replay(inputs, shared);
    if (failed) return failed;
    const now = integer(inputs, "now");
    return outcome(registry.answer(queryOf(inputs), now, bytes(shared, "secret_key")), (signed) => {
      const answer = parseSignedMessageOrThrow<RegistryAnswer>(RegistryAnswerSchema, signed).message;
      return {
        results: answer.results.map((r) => ({ peer_id: parseDescriptorOrThrow(r.descriptor!.coseSign1).message.peerId, capability_index: r.capabilityIndex })),
        total_matches: answer.totalMatches,
        fresh_until: answer.freshUntil.toString(),
        answer: hex(signed),
      };
    });
  },

  // The client's own query must be valid; if it is not, the reference treats
  // that as caller misuse (INVALID_ARGUMENT), never as a verdict on the answer.
  "registry-answer.verify": (inputs, shared) =>
    outcome(
      verifyRegistryAnswer(bytes(inputs, "answer"), {
        query: queryOf(inputs),
        expectedRegistry: text(inputs, "registry"),
        now: integer(inputs, "now"),
        policy: {
          descriptor: { maxTtlMs: integer(shared, "max_ttl_ms"), clockSkewMs: integer(shared, "clock_skew_ms") },
          maxFreshnessMs: integer(shared, "max_freshness_ms"),
        },
      }),
      (a): Json => ({ results: a.results.map((r) => ({ peer_id: r.descriptor.peerId, capability_index: r.capabilityIndex })) }),
    ),
};
