// Signed registry answers (spec/06-discovery.md §6.6 and §6.7): the registry
// signs what it returned for one query at one time; the client checks the
// signer, the query, the times and every result, in the order of §6.7.
import { create } from "@bufbuild/protobuf";
import { RegistryAnswerSchema, type Query, type RegistryAnswer } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import type { Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { Ap2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { compareBytes } from "../cbor/encode.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { verifyDescriptor, type VerifiedDescriptor } from "../descriptor/verify.js";
import { parseSignedMessageOrThrow, signMessage } from "../signed/signed-message.js";
import { capabilityFacts, matchCapability } from "./match.js";
import { checkAnswerPolicy, DEFAULT_ANSWER_POLICY, type AnswerPolicy } from "./policy.js";
import { compileQuery } from "./query.js";
import { compareKeys, sortKey, type SortKey } from "./rank.js";

/** One result to put in an answer: descriptor bytes as accepted, and the capability that matched. */
export interface AnswerResult {
  readonly descriptor: Uint8Array;
  readonly capabilityIndex: number;
}

/** Everything in an answer except the registry's identity, which the key gives. */
export interface AnswerContent {
  readonly queryHash: Uint8Array;
  readonly asOf: bigint;
  readonly freshUntil: bigint;
  readonly results: readonly AnswerResult[];
  readonly totalMatches: number;
}

/** Signs a registry answer with the registry's key (DISC-012). Throws Ap2pError if the content is ill-formed. */
export function signRegistryAnswer(content: AnswerContent, secretKey: Uint8Array): Uint8Array {
  const answer = create(RegistryAnswerSchema, {
    registryId: didFromPublicKey(publicKeyFromSecret(secretKey)),
    queryHash: content.queryHash,
    asOf: content.asOf,
    freshUntil: content.freshUntil,
    results: content.results.map((r) => ({ descriptor: { coseSign1: r.descriptor }, capabilityIndex: r.capabilityIndex })),
    totalMatches: content.totalMatches,
  });
  return signMessage(RegistryAnswerSchema, answer, secretKey);
}

/** What a client knows when it checks an answer. */
export interface AnswerContext {
  /** The query the client sent, nonce included. */
  readonly query: Query;
  /** The did:key of the registry the client asked. */
  readonly expectedRegistry: string;
  /** The client's current time, ms since the Unix epoch. */
  readonly now: bigint;
  /** Descriptor and freshness limits; defaults to DEFAULT_ANSWER_POLICY. */
  readonly policy?: AnswerPolicy;
  /** The highest seq the client has accepted from a peer, if it remembers one (DISC-016). */
  readonly knownSeq?: (peerId: string) => bigint | undefined;
}

/** A result that passed every check of §6.7. */
export interface VerifiedResult {
  readonly descriptor: VerifiedDescriptor;
  readonly capabilityIndex: number;
  readonly capability: Capability;
  /** The sort key the client recomputed (DISC-011). */
  readonly key: SortKey;
}

/** An answer that passed every check of §6.7. */
export interface VerifiedAnswer {
  readonly answer: RegistryAnswer;
  readonly registryId: string;
  /** The results in the answer's order, which is rank order, without the superseded ones. */
  readonly results: readonly VerifiedResult[];
  /** Results whose descriptor has a lower seq than the client already knows for the peer (DISC-016). */
  readonly superseded: readonly VerifiedResult[];
}

function fail(code: ErrorCodeName, message: string, path?: string, cause?: unknown): never {
  throw new Ap2pError(code, message, { ...(path === undefined ? {} : { path }), ...(cause === undefined ? {} : { cause }) });
}

/**
 * Verifies a registry answer to the client's query at the client's time
 * (DISC-015), in the order of §6.7. Never throws on bad input; throws
 * INVALID_ARGUMENT if the client's own query or policy is invalid.
 *
 * @example
 * ```ts
 * import { verifyRegistryAnswer } from "ap2p";
 *
 * const verdict = verifyRegistryAnswer(answerBytes, { query, expectedRegistry: registryDid, now });
 * if (verdict.ok) for (const r of verdict.value.results) console.log(r.descriptor.peerId, r.capability.id);
 * ```
 * @see spec/06-discovery.md §6.7 (verifying an answer)
 */
export function verifyRegistryAnswer(bytes: Uint8Array, context: AnswerContext): Verdict<VerifiedAnswer> {
  const policy = context.policy ?? DEFAULT_ANSWER_POLICY;
  checkAnswerPolicy(policy);
  const compiled = compileQuery(context.query);
  if (!compiled.ok) misuse(`the query is not valid: ${compiled.error.code}: ${compiled.error.message}`);
  const q = compiled.value;
  const { now } = context;
  const skew = policy.descriptor.clockSkewMs;
  return toVerdict(() => {
    // Steps 1-3: envelope, protected header, payload (§4.5).
    const { message: a, envelope } = parseSignedMessageOrThrow<RegistryAnswer>(RegistryAnswerSchema, bytes);
    // Step 4: the answer names its signer, and the signer is the registry asked.
    if (a.registryId !== envelope.kid) fail("COSE_KID_MISMATCH", `registry_id ${a.registryId} is not the signer ${envelope.kid}`, "registry_id");
    if (envelope.kid !== context.expectedRegistry) fail("DISC_REGISTRY_UNEXPECTED", `signed by ${envelope.kid}, not by ${context.expectedRegistry}`, "registry_id");
    // Step 5: the signature.
    checkSignatureOrThrow(envelope);
    // Step 6: this answer is for this query, nonce included.
    if (compareBytes(a.queryHash, q.hash) !== 0) fail("DISC_ANSWER_QUERY_MISMATCH", "query_hash is not the hash of this query", "query_hash");
    // Steps 7-9: the answer's own times.
    if (a.freshUntil <= a.asOf || a.freshUntil - a.asOf > policy.maxFreshnessMs) {
      fail("DISC_ANSWER_WINDOW_INVALID", `fresh_until must be after as_of by at most ${policy.maxFreshnessMs} ms`, "fresh_until");
    }
    if (a.asOf > now + skew) fail("DISC_ANSWER_FROM_FUTURE", `as_of is ${a.asOf - now} ms in the future, beyond the ${skew} ms allowance`, "as_of");
    if (now >= a.freshUntil + skew) fail("DISC_ANSWER_STALE", `fresh_until passed ${now - a.freshUntil} ms ago, beyond the ${skew} ms allowance`, "fresh_until");
    // Step 10: no more results than asked for or than the registry says matched.
    if (a.results.length > q.query.maxResults || a.results.length > a.totalMatches) {
      fail("DISC_ANSWER_TOO_MANY_RESULTS", `${a.results.length} results for max_results ${q.query.maxResults} and total_matches ${a.totalMatches}`, "results");
    }
    // Step 11: every result, in order.
    const results: VerifiedResult[] = [];
    const bytesOfPeer = new Map<string, Uint8Array>();
    const seen = new Set<string>();
    a.results.forEach((r, i) => {
      const at = `results[${i}]`;
      // 11a. ARCH-003: the client verifies every descriptor itself, at its own time ...
      const v = verifyDescriptor(r.descriptor!.coseSign1, { now, policy: policy.descriptor });
      if (!v.ok) fail("DISC_ANSWER_RESULT_INVALID", `descriptor does not verify: ${v.error.code}: ${v.error.message}`, at, v.error);
      const d = v.value;
      // ... and it must be valid throughout the answer's window (DISC-014).
      if (d.message.issuedAt > a.asOf || d.message.expiresAt < a.freshUntil) {
        fail("DISC_ANSWER_RESULT_INVALID", "descriptor is not valid from as_of to fresh_until", at);
      }
      // 11b. The named capability exists and matches the query.
      const c = d.message.capabilities[r.capabilityIndex];
      if (c === undefined) fail("DISC_ANSWER_RESULT_MISMATCH", `capability_index ${r.capabilityIndex} is out of range`, `${at}.capability_index`);
      const facts = capabilityFacts(c);
      const score = matchCapability(c, facts, q);
      if (score === undefined) fail("DISC_ANSWER_RESULT_MISMATCH", `${c.namespace}/${c.id}@${c.version} of ${d.peerId} does not match the query`, at);
      // 11c. One descriptor per peer, each capability once.
      const earlier = bytesOfPeer.get(d.peerId);
      if (earlier !== undefined && compareBytes(earlier, d.bytes) !== 0) fail("DISC_ANSWER_DUPLICATE_RESULT", `two different descriptors of ${d.peerId}`, at);
      const id = `${d.peerId}\u0000${r.capabilityIndex}`;
      if (seen.has(id)) fail("DISC_ANSWER_DUPLICATE_RESULT", `capability ${r.capabilityIndex} of ${d.peerId} is returned twice`, at);
      bytesOfPeer.set(d.peerId, d.bytes);
      seen.add(id);
      // 11d. Strictly after the previous result in rank order.
      const key = sortKey(d.peerId, c, facts, score, q);
      const prev = results[results.length - 1];
      if (prev !== undefined && compareKeys(prev.key, key) >= 0) fail("DISC_ANSWER_OUT_OF_ORDER", "result ranks before the one above it", at);
      results.push({ descriptor: d, capabilityIndex: r.capabilityIndex, capability: c, key });
    });
    // DISC-016: a registry may not yet have a newer descriptor that the client
    // has seen elsewhere; that result is dropped, not held against the answer.
    const isSuperseded = (r: VerifiedResult) => {
      const known = context.knownSeq?.(r.descriptor.peerId);
      return known !== undefined && r.descriptor.message.seq < known;
    };
    return { answer: a, registryId: envelope.kid, results: results.filter((r) => !isSuperseded(r)), superseded: results.filter(isSuperseded) };
  });
}
