// The registry's replies on the wire (spec/06-discovery.md §6.2, §6.6): a
// PublishResponse carries the change or the error, a QueryResponse the signed
// answer or the error, never both (DISC-005, DISC-012).
import { create } from "@bufbuild/protobuf";
import {
  PublishChange,
  PublishResponseSchema,
  QueryResponseSchema,
  type PublishRequest,
  type PublishResponse,
  type QueryRequest,
  type QueryResponse,
} from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode, reject, type Ap2pError, type Verdict } from "../errors.js";
import type { StoreChange } from "../descriptor/store.js";
import type { PublishOutcome, Registry } from "./registry.js";

const CHANGE: Record<StoreChange, PublishChange> = {
  published: PublishChange.PUBLISHED,
  refreshed: PublishChange.REFRESHED,
  withdrawn: PublishChange.WITHDRAWN,
};

/** The error fields of a response; the message is cut to the schema's 256 code points. */
function errorFields(e: Ap2pError): { error: ErrorCode; message: string } {
  return { error: ErrorCode[e.code], message: [...e.message].slice(0, 256).join("") };
}

/** The PublishResponse for the outcome of Registry.publish (DISC-005). */
export function publishResponse(v: Verdict<PublishOutcome>): PublishResponse {
  return create(PublishResponseSchema, v.ok ? { change: CHANGE[v.value.change] } : errorFields(v.error));
}

/** The QueryResponse for the outcome of Registry.answer (DISC-012). */
export function queryResponse(v: Verdict<Uint8Array>): QueryResponse {
  return create(QueryResponseSchema, v.ok ? { answer: { coseSign1: v.value } } : errorFields(v.error));
}

/** Handles a decoded PublishRequest from an origin. */
export function handlePublish(registry: Registry, request: PublishRequest, now: bigint, origin: string): PublishResponse {
  return publishResponse(registry.publish(request.descriptor?.coseSign1 ?? new Uint8Array(0), now, origin));
}

/** Handles a decoded QueryRequest, signing the answer with the registry's key. */
export function handleQuery(registry: Registry, request: QueryRequest, now: bigint, secretKey: Uint8Array): QueryResponse {
  // A decoded QueryRequest always has its required query (§3.5); this guards
  // requests built in memory.
  if (request.query === undefined) return queryResponse(reject("SCHEMA_REQUIRED_FIELD_MISSING", "query: required field is missing", { path: "query" }));
  return queryResponse(registry.answer(request.query, now, secretKey));
}
