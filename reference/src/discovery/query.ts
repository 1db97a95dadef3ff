// Queries (spec/06-discovery.md §6.3): checking a query and preparing it for
// matching. A query is well-formed when it satisfies its schema (§3.5) and the
// rules across its fields of DISC-006.
import { MatchMode, QuerySchema, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { messageHash } from "../codec/hash.js";
import { decodeMessageOrThrow } from "../codec/message-codec.js";
import { tokenize } from "./tokens.js";

/** A well-formed query with what matching needs computed once. */
export interface CompiledQuery {
  readonly query: Query;
  /** The message hash of the query (ENC-020): what an answer's query_hash must equal. */
  readonly hash: Uint8Array;
  /** The distinct tokens of the intent (DISC-009); empty means no intent filter. */
  readonly tokens: readonly string[];
  /** Bit m set for each modality m the inputs must cover. */
  readonly inputMask: number;
  /** Bit m set for each modality m the outputs must cover. */
  readonly outputMask: number;
  /** The allowed regions as a set; empty means no region filter. */
  readonly allowedRegions: ReadonlySet<string>;
}

function invalid(message: string, path: string): never {
  throw new Ap2pError("DISC_QUERY_INVALID", message, { path });
}

/** Checks a query: its schema, then DISC-006. Never throws on bad input. */
export function compileQuery(query: Query): Verdict<CompiledQuery> {
  return toVerdict(() => compileQueryOrThrow(query));
}

/** Decodes and checks a query received as canonical CBOR. Never throws on bad input. */
export function parseQuery(bytes: Uint8Array): Verdict<CompiledQuery> {
  return toVerdict(() => compileQueryOrThrow(decodeMessageOrThrow<Query>(QuerySchema, bytes)));
}

/** As compileQuery, reporting a defect by throwing Ap2pError. */
export function compileQueryOrThrow(query: Query): CompiledQuery {
  // Encoding checks every schema rule (ENC-018) and yields the bytes that the
  // answer's query_hash covers, nonce included.
  const hash = messageHash(QuerySchema, query);
  // DISC-006: a value and its match mode come together, so that an empty id
  // never silently means "prefix of everything" and a mode never dangles.
  if ((query.id !== "") !== (query.idMatch !== MatchMode.UNSPECIFIED)) {
    invalid(query.id === "" ? "id_match is set without an id" : "id is set without id_match", query.id === "" ? "id_match" : "id");
  }
  if ((query.version !== "") !== (query.versionMatch !== MatchMode.UNSPECIFIED)) {
    invalid(query.version === "" ? "version_match is set without a version" : "version is set without version_match", query.version === "" ? "version_match" : "version");
  }
  if (query.versionMatch === MatchMode.EXACT && query.version.split(".").length !== 3) {
    invalid("an exact version needs all three components", "version");
  }
  let inputMask = 0;
  for (const m of query.inputModalities) inputMask |= 1 << m;
  let outputMask = 0;
  for (const m of query.outputModalities) outputMask |= 1 << m;
  return { query, hash, tokens: tokenize(query.intent), inputMask, outputMask, allowedRegions: new Set(query.allowedRegions) };
}
