// discovery-answer.json: a client's check of a signed registry answer
// (spec/06-discovery.md §6.7, DISC-015), every step of its table with the
// code the table gives, the edges of its time checks, and inputs with two
// defects where the table's order decides the code. The answers are the
// example of §6.10 and variations of it, assembled and signed with the
// generator's own CBOR writer; each invalid one has exactly one defect unless
// it is flagged DefectOrder.
import { QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { flipBit, hex, sha256Of } from "../bytes.js";
import { enc, Ordered, type W } from "../cbor-writer.js";
import { DAY, T0 } from "../constants.js";
import { L, scalarOf, withS } from "../ed25519-craft.js";
import { ALICE, assemble, BOB, CAROL, DAVE, DESCRIPTOR_CT, honestParts, signCose, sigStructure, type Peer } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";
import type { Body } from "../proto-json.js";
import {
  ANSWER_CT,
  answerBody,
  CALL,
  CAP_BARE,
  dec,
  emptyAnswer,
  EX_TEST1_CAPS,
  EX_TEST2_CAPS,
  EX_TEST3_CAPS,
  exSketch,
  live,
  liveBody,
  OTHER_REGISTRY,
  PEER_LOWER,
  PEER_UPPER,
  PREFIX,
  queryBody,
  queryHash,
  queryJson,
  REGISTRY,
  resultsJson,
  sd,
  signAnswer,
  tomb,
  type AnswerSpec,
} from "./discovery-common.js";

/** The client's policy: maximum TTL and skew for descriptors (§5.5), and its maximum freshness (§6.7). */
function client(maxTtl = 3_600_000n, skew = 5_000n, maxFreshness = 300_000n): JsonObject {
  return { max_ttl_ms: dec(maxTtl), clock_skew_ms: dec(skew), max_freshness_ms: dec(maxFreshness) };
}

interface Ask {
  readonly query: Body;
  readonly now: bigint;
  readonly registry?: string;
}
const inputsOf = (answer: Uint8Array, ask: Ask): JsonObject => ({ answer: hex(answer), query: queryJson(ask.query), registry: ask.registry ?? REGISTRY.did, now: dec(ask.now) });

function accepts(id: string, requirements: string[], comment: string, answer: Uint8Array, ask: Ask, results: { peer: Peer; index: number }[], flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: inputsOf(answer, ask), output: { results: resultsJson(results) } });
}
function rejects(id: string, error: string, requirements: string[], comment: string, answer: Uint8Array, ask: Ask, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: inputsOf(answer, ask) });
}

function build() {
  // The example of §6.10: three descriptors issued at T0 for 600,000 ms, asked at AS_OF.
  const TTL = 600_000n;
  const AS_OF = T0 + 60_000n;
  const FRESH = AS_OF + 30_000n;
  const NOW = AS_OF + 1_000n;
  const ex1 = live(ALICE, EX_TEST1_CAPS, { ttl: TTL });
  const ex2 = live(BOB, EX_TEST2_CAPS, { ttl: TTL });
  const ex3 = live(CAROL, EX_TEST3_CAPS, { ttl: TTL });
  const exQuery = (over: Body = {}, label = "example") =>
    queryBody({ version: "1", version_match: PREFIX, intent: "Turn my sketch into an image!", max_latency_ms: 10000, allowed_regions: ["DE", "FR", "NL"], ...over }, label);
  const Q = exQuery();
  const ask: Ask = { query: Q, now: NOW };
  const r = (d: Uint8Array, index = 0) => ({ descriptor: d, index });
  const RANKED = [r(ex2), r(ex3), r(ex1)];
  const spec = (over: Partial<AnswerSpec> = {}, query: Body = Q): AnswerSpec => ({
    registryId: REGISTRY.did,
    queryHash: queryHash(query),
    asOf: AS_OF,
    freshUntil: FRESH,
    results: RANKED,
    totalMatches: 3,
    ...over,
  });
  const answer = (over: Partial<AnswerSpec> = {}, query: Body = Q) => signAnswer(spec(over, query));
  const honest = answer();
  const ranked = [{ peer: BOB, index: 0 }, { peer: CAROL, index: 0 }, { peer: ALICE, index: 0 }];
  const V = ["DISC-015"];

  // A fourth provider with the same sketch capability as TEST 2, in region DE.
  const dave = (o: { issued?: bigint; ttl?: bigint } = {}) => live(DAVE, [exSketch("sketch-to-image", "1.1.0", 9000, ["DE"])], { ttl: TTL, ...o });

  // Other queries and their descriptors.
  const sketchNl = queryBody({ intent: "sketch", max_latency_ms: 10000, allowed_regions: ["NL"] }, "nl");
  const all = queryBody({}, "all");
  const stuffed = live(BOB, [{ ...CAP_BARE, intents: ["image picture photo art drawing painting render"], tags: ["image"], constraints: { max_latency_ms: 1000 } }]);
  const focused = live(CAROL, [{ ...CAP_BARE, intents: ["generate an image"], tags: ["image"], constraints: { max_latency_ms: 5000 } }]);
  const imageQuery = queryBody({ intent: "image" }, "image");
  const priced = (p: Peer, amount: bigint) =>
    live(p, [{ ...CAP_BARE, constraints: { max_latency_ms: 1000, price: amount === 0n ? { currency: "EUR", unit: CALL } : { currency: "EUR", amount_micros: amount, unit: CALL } } }]);
  const aP = priced(ALICE, 500n);
  const bP = priced(BOB, 20_000n);
  const cP = priced(CAROL, 0n);
  const priceQuery = queryBody({ max_price: { currency: "EUR", amount_micros: 1_000_000n, unit: CALL } }, "price");
  const upper = live(PEER_UPPER, [CAP_BARE]);
  const lower = live(PEER_LOWER, [CAP_BARE]);
  const versions = live(ALICE, [{ ...CAP_BARE, version: "1.2.0" }, { ...CAP_BARE, version: "1.10.0" }, { ...CAP_BARE, version: "1.9.0" }]);
  const withLatency = live(ALICE, [{ ...CAP_BARE, constraints: { max_latency_ms: 60000 } }]);
  const noLatency = live(BOB, [CAP_BARE]);
  const allAnswer = (results: { descriptor: Uint8Array; index: number }[], query: Body = all) => answer({ results, totalMatches: results.length }, query);

  const valids = group("registry-answer.verify", "Answers a client accepts (DISC-015), with the default client policy: maximum TTL 3,600,000 ms, skew 5,000 ms, maximum freshness 300,000 ms. The answers are signed by the registry the client asked (inputs.registry). Output: the results, in order.", client(), [
    accepts("discovery-answer/valid/example-001", ["DISC-015", "DISC-011", "DISC-012"], "the answer of §6.10 (as_of 1767225660000, fresh_until 1767225690000), checked 1 s after as_of", honest, ask, ranked, ["SpecExample"]),
    accepts("discovery-answer/valid/as-of-skew-edge-001", V, "now = as_of − skew: the registry's clock is ahead, within the allowance", honest, { query: Q, now: AS_OF - 5_000n }, ranked, ["ClockSkewEdge"]),
    accepts("discovery-answer/valid/stale-edge-001", V, "now = fresh_until + skew − 1: the last millisecond the answer is accepted", honest, { query: Q, now: FRESH + 4_999n }, ranked, ["ClockSkewEdge"]),
    accepts("discovery-answer/valid/empty-001", V, "no results and total_matches 0", answer({ results: [], totalMatches: 0 }), ask, []),
    accepts("discovery-answer/valid/omission-001", V, "TEST 3's match left out, total_matches still 3: a client cannot see an omission (§6.7), so it accepts", answer({ results: [r(ex2), r(ex1)] }), ask, [{ peer: BOB, index: 0 }, { peer: ALICE, index: 0 }], ["IncompleteAnswer"]),
    accepts("discovery-answer/valid/total-larger-001", V, "total_matches 1,000, more than the results: unverifiable beyond step 9", answer({ totalMatches: 1000 }), ask, ranked),
    accepts("discovery-answer/valid/two-capabilities-one-descriptor-001", ["DISC-015", "DISC-011"], "TEST 3's versions 1.1.0 and 2.0.0 both match (intent sketch, region NL): one descriptor, two results, the same bytes", answer({ results: [r(ex3, 0), r(ex3, 1)], totalMatches: 2 }, sketchNl), { query: sketchNl, now: NOW }, [{ peer: CAROL, index: 0 }, { peer: CAROL, index: 1 }]),
    accepts("discovery-answer/valid/max-freshness-001", ["DISC-013", "DISC-015"], "fresh_until = as_of + 300,000, the longest window allowed", answer({ freshUntil: AS_OF + 300_000n }), ask, ranked, ["AnswerFreshness"]),
    accepts("discovery-answer/valid/result-ends-at-fresh-until-001", ["DISC-013", "DISC-015"], "as_of 30 s before the results expire and fresh_until equal to their expires_at", answer({ asOf: T0 + TTL - 30_000n, freshUntil: T0 + TTL }), { query: Q, now: T0 + TTL - 29_000n }, ranked, ["AnswerFreshness"]),
    accepts("discovery-answer/valid/issued-at-as-of-001", ["DISC-014", "DISC-015"], "a result issued exactly at as_of", answer({ results: [r(dave({ issued: AS_OF }))], totalMatches: 1 }), ask, [{ peer: DAVE, index: 0 }]),
    accepts("discovery-answer/valid/price-not-compared-001", ["DISC-011", "DISC-015"], "priced capabilities, but the query sets no max_price: they rank by peer_id, not by price", allAnswer([r(bP), r(aP), r(cP)]), { query: all, now: NOW }, [{ peer: BOB, index: 0 }, { peer: ALICE, index: 0 }, { peer: CAROL, index: 0 }], ["RankOrder"]),
    accepts("discovery-answer/valid/other-registry-asked-001", ["DISC-015"], "an answer of another registry, which is the registry this client asked", signAnswer(spec({ registryId: OTHER_REGISTRY.did }), OTHER_REGISTRY), { query: Q, now: NOW, registry: OTHER_REGISTRY.did }, ranked),
  ]);

  // Step 1: envelope, header and payload (§4.5 steps 1 to 3).
  const body = answerBody(spec());
  const signedBody = (b: Body | Record<string, W>, signer: Peer = REGISTRY) => signCose(signer, ANSWER_CT, enc(b as W));
  const E = ["DISC-015", "DISC-012"];
  const parts = honestParts(REGISTRY, ANSWER_CT, enc(body));
  const envelope = group("registry-answer.verify", "Step 1 of §6.7: the envelope, the protected header with the answer's content type, and the payload as a well-formed RegistryAnswer, with the codes of §4.5.", client(), [
    rejects("discovery-answer/envelope/descriptor-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", E, "the answer's payload signed by the registry under the descriptor content type", signCose(REGISTRY, DESCRIPTOR_CT, enc(body)), ask, ["CrossKindReplay"]),
    rejects("discovery-answer/envelope/descriptor-as-answer-001", "COSE_CONTENT_TYPE_MISMATCH", E, "a provider's descriptor presented as an answer", ex2, ask, ["CrossKindReplay"]),
    rejects("discovery-answer/envelope/unsigned-001", "COSE_TAG_MISSING", E, "the answer's payload without an envelope", enc(body), ask, ["Unsigned"]),
    rejects("discovery-answer/envelope/unknown-field-001", "SCHEMA_UNKNOWN_FIELD", E, 'an extra field "registry_url" in the signed payload', signedBody({ ...body, registry_url: "https://registry.example/ap2p" }), ask, ["UnknownField"]),
    rejects("discovery-answer/envelope/query-hash-short-001", "SCHEMA_LENGTH_OUT_OF_RANGE", E, "a query_hash of 31 bytes", signedBody({ ...body, query_hash: queryHash(Q).subarray(0, 31) }), ask, ["SchemaRule"]),
    rejects("discovery-answer/envelope/as-of-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", E, "no as_of", signedBody({ ...body, as_of: undefined }), ask, ["SchemaRule"]),
    rejects("discovery-answer/envelope/capability-index-64-001", "SCHEMA_INTEGER_OUT_OF_RANGE", E, "a capability_index of 64 (at most 63)", signedBody({ ...body, results: [{ descriptor: { cose_sign1: ex2 }, capability_index: 64 }] }), ask, ["SchemaRule", "IntegerRange"]),
    rejects("discovery-answer/envelope/total-zero-encoded-001", "SCHEMA_DEFAULT_VALUE_ENCODED", E, "an empty answer with total_matches 0 written out", signedBody({ ...answerBody(spec({ results: [], totalMatches: 0 })), total_matches: 0 }), ask, ["DefaultValueEncoded"]),
    rejects("discovery-answer/envelope/result-without-descriptor-001", "SCHEMA_REQUIRED_FIELD_MISSING", E, "a result with a capability_index and no descriptor", signedBody({ ...body, results: [{ capability_index: 1 }] }), ask, ["SchemaRule"]),
    rejects("discovery-answer/envelope/too-many-results-001", "SCHEMA_TOO_MANY_ITEMS", E, "101 results (at most 100), each a one-byte placeholder", signedBody({ ...body, results: Array.from({ length: 101 }, () => ({ descriptor: { cose_sign1: Uint8Array.of(0) } })), total_matches: 101 }), ask, ["SchemaRule"]),
    rejects("discovery-answer/envelope/signature-63-001", "SIG_MALFORMED", ["DISC-015"], "a 63-byte signature", assemble({ ...parts, signature: parts.signature.subarray(0, 63) }), ask, ["EnvelopeShape"]),
  ]);

  // Steps 2 to 4: who signed.
  const otherParts = honestParts(REGISTRY, ANSWER_CT, enc(answerBody(spec({ totalMatches: 4 }))));
  const signer = group("registry-answer.verify", "Steps 2 to 4 of §6.7: registry_id is the signer, the signer is the registry asked, then the signature.", client(), [
    rejects("discovery-answer/signer/registry-id-not-kid-001", "COSE_KID_MISMATCH", ["DISC-012", "DISC-015"], "registry_id names the other registry; the registry asked signed it and is the kid", signAnswer(spec({ registryId: OTHER_REGISTRY.did })), ask, ["KidConfusion"]),
    rejects("discovery-answer/signer/claims-registry-001", "COSE_KID_MISMATCH", ["DISC-012", "DISC-015"], "registry_id names the registry asked, but the other registry signed it and is the kid", signAnswer(spec(), OTHER_REGISTRY), ask, ["KidConfusion"]),
    rejects("discovery-answer/signer/other-registry-001", "DISC_REGISTRY_UNEXPECTED", ["DISC-015"], "a consistent answer of the other registry, which the client did not ask", signAnswer(spec({ registryId: OTHER_REGISTRY.did }), OTHER_REGISTRY), ask, ["KidConfusion"]),
    rejects("discovery-answer/signature/altered-001", "SIG_INVALID", ["DISC-015", "DISC-012"], "signed with total_matches 4, then changed to 3 in transit", assemble({ ...otherParts, payload: enc(body) }), ask, ["WrongSignature"]),
    rejects("discovery-answer/signature/forged-001", "SIG_INVALID", ["DISC-015"], "registry_id and kid name the registry asked; the other registry's key made the signature", assemble({ ...parts, signature: signEd25519(OTHER_REGISTRY.seed, sigStructure(parts.protectedBytes, parts.payload)) }), ask, ["WrongSignature", "KidConfusion"]),
    rejects("discovery-answer/signature/s-plus-l-001", "SIG_S_NOT_CANONICAL", ["DISC-015"], "S + L of the registry's signature", assemble({ ...parts, signature: withS(parts.signature, scalarOf(parts.signature) + L) }), ask, ["SignatureMalleability"]),
  ]);

  // Step 5: the query. A hash over the query's fields in field-number order
  // is the hash of a non-canonical encoding of the same query.
  const byNumber = new Ordered(QuerySchema.fields.filter((f) => Q[f.name] !== undefined).map((f) => [f.name, Q[f.name] as W] as const));
  const query = group("registry-answer.verify", "Step 5 of §6.7: query_hash is the message hash (ENC-020) of the client's query, nonce included.", client(), [
    rejects("discovery-answer/query/other-nonce-001", "DISC_ANSWER_QUERY_MISMATCH", ["DISC-007", "DISC-012", "DISC-015"], "the answer to an earlier query with the same filters and another nonce, replayed", honest, { query: exQuery({}, "example-again"), now: NOW }, ["AnswerReplay"]),
    rejects("discovery-answer/query/other-max-results-001", "DISC_ANSWER_QUERY_MISMATCH", ["DISC-012", "DISC-015"], "the client's query differs in max_results only (5, not 10)", honest, { query: exQuery({ max_results: 5 }), now: NOW }),
    rejects("discovery-answer/query/non-canonical-hash-001", "DISC_ANSWER_QUERY_MISMATCH", ["DISC-012", "DISC-015", "ENC-020"], "query_hash is SHA-256 of the query encoded with its keys in field-number order, not of its canonical encoding", answer({ queryHash: sha256Of(enc(byNumber)) }), ask, ["UnsortedKeys"]),
  ]);

  const W = ["DISC-013", "DISC-015"];
  const times = group("registry-answer.verify", "Steps 6 to 8 of §6.7 with the default client policy: the freshness window, an answer from the future, a stale answer.", client(), [
    rejects("discovery-answer/window/empty-001", "DISC_ANSWER_WINDOW_INVALID", W, "fresh_until = as_of", answer({ freshUntil: AS_OF }), ask, ["AnswerFreshness"]),
    rejects("discovery-answer/window/reversed-001", "DISC_ANSWER_WINDOW_INVALID", W, "fresh_until = as_of − 1", answer({ freshUntil: AS_OF - 1n }), ask, ["AnswerFreshness"]),
    rejects("discovery-answer/window/too-long-001", "DISC_ANSWER_WINDOW_INVALID", W, "fresh_until = as_of + 300,001: longer than the protocol allows", answer({ freshUntil: AS_OF + 300_001n }), ask, ["AnswerFreshness"]),
    rejects("discovery-answer/time/from-future-001", "DISC_ANSWER_FROM_FUTURE", ["DISC-012", "DISC-015"], "now = as_of − skew − 1", honest, { query: Q, now: AS_OF - 5_001n }, ["ClockSkewEdge"]),
    rejects("discovery-answer/time/stale-001", "DISC_ANSWER_STALE", V, "now = fresh_until + skew", honest, { query: Q, now: FRESH + 5_000n }, ["ClockSkewEdge", "AnswerReplay"]),
    rejects("discovery-answer/time/stale-next-day-001", "DISC_ANSWER_STALE", ["DISC-016"], "the answer replayed a day later; its results have expired too, but step 8 comes first", honest, { query: Q, now: AS_OF + DAY }, ["AnswerReplay", "DefectOrder"]),
  ]);

  const noSkew = group("registry-answer.verify", "A client without clock-skew allowance (skew 0): the window as_of ≤ now < fresh_until, half open.", client(3_600_000n, 0n), [
    accepts("discovery-answer/time/no-skew-at-as-of-001", V, "now = as_of", honest, { query: Q, now: AS_OF }, ranked, ["ClockSkewEdge"]),
    rejects("discovery-answer/time/no-skew-future-001", "DISC_ANSWER_FROM_FUTURE", V, "now = as_of − 1", honest, { query: Q, now: AS_OF - 1n }, ["ClockSkewEdge"]),
    accepts("discovery-answer/time/no-skew-last-001", V, "now = fresh_until − 1", honest, { query: Q, now: FRESH - 1n }, ranked, ["ClockSkewEdge"]),
    rejects("discovery-answer/time/no-skew-stale-001", "DISC_ANSWER_STALE", V, "now = fresh_until", honest, { query: Q, now: FRESH }, ["ClockSkewEdge"]),
  ]);

  const shortClient = group("registry-answer.verify", "A client whose maximum freshness is 60,000 ms and whose maximum TTL is 300,000 ms, lower than the registry's.", client(300_000n, 5_000n, 60_000n), [
    rejects("discovery-answer/window/client-max-001", "DISC_ANSWER_WINDOW_INVALID", W, "fresh_until = as_of + 60,001: within the protocol's bound, beyond this client's", answer({ results: [], totalMatches: 0, freshUntil: AS_OF + 60_001n }), ask, ["AnswerFreshness"]),
    accepts("discovery-answer/window/client-max-edge-001", W, "fresh_until = as_of + 60,000", answer({ results: [], totalMatches: 0, freshUntil: AS_OF + 60_000n }), ask, [], ["AnswerFreshness"]),
    rejects("discovery-answer/result/ttl-over-client-max-001", "DISC_ANSWER_RESULT_INVALID", ["DISC-015", "DISC-001"], "the honest answer of §6.10: its descriptors live 600,000 ms, longer than this client's maximum TTL; a client uses registries whose maximum TTL is no higher than its own", honest, ask, ["TtlLimit"]),
  ]);

  const count = group("registry-answer.verify", "Step 9 of §6.7: no more results than max_results and than total_matches.", client(), [
    rejects("discovery-answer/count/over-max-results-001", "DISC_ANSWER_TOO_MANY_RESULTS", ["DISC-014", "DISC-015"], "the client asked for 2 results (the answer names that query); it holds 3", answer({}, exQuery({ max_results: 2 }, "example-2")), { query: exQuery({ max_results: 2 }, "example-2"), now: NOW }),
    rejects("discovery-answer/count/over-total-001", "DISC_ANSWER_TOO_MANY_RESULTS", ["DISC-014", "DISC-015"], "3 results, total_matches 2", answer({ totalMatches: 2 }), ask),
  ]);

  // Results: each checked in turn (10a to 10d).
  const tampered = flipBit(ex3, (ex3.length - 1) * 8);
  const carol2 = live(CAROL, [exSketch("sketch-to-image", "1.1.0", 9000, ["NL"]), exSketch("sketch-to-image", "1.2.0", 9000, ["NL"])], { seq: 2n, ttl: TTL });
  const daveWith = (c: Body) => live(DAVE, [c]);
  const one = (d: Uint8Array, query: Body, index = 0) => answer({ results: [r(d, index)], totalMatches: 1 }, query);
  const I = ["DISC-015", "DISC-014"];
  const MM = ["DISC-008", "DISC-015"];
  const results = group("registry-answer.verify", "Step 10 of §6.7, for each result in order: (a) its descriptor verifies at the client's time and is valid from as_of to fresh_until; (b) the capability exists and matches the query; (c) no repeated result, no second descriptor of a peer; (d) each ranks after the one before it.", client(), [
    rejects("discovery-answer/result/bad-signature-001", "DISC_ANSWER_RESULT_INVALID", ["DISC-015", "ARCH-003"], "TEST 3's descriptor with the last bit of its signature flipped", answer({ results: [r(ex2), r(tampered), r(ex1)] }), ask, ["WrongSignature"]),
    rejects("discovery-answer/result/not-a-descriptor-001", "DISC_ANSWER_RESULT_INVALID", V, "a result whose bytes are a registry answer, not a descriptor", answer({ results: [r(ex2), r(emptyAnswer()), r(ex1)] }), ask, ["CrossKindReplay"]),
    rejects("discovery-answer/result/kid-mismatch-001", "DISC_ANSWER_RESULT_INVALID", V, "a result whose descriptor names TEST 2 as peer_id but is signed by another key", answer({ results: [r(sd(liveBody(BOB, EX_TEST2_CAPS, { ttl: TTL }), DAVE)), r(ex3), r(ex1)] }), ask, ["KidConfusion"]),
    rejects("discovery-answer/result/expired-001", "DISC_ANSWER_RESULT_INVALID", ["DISC-003", "DISC-013", "DISC-015"], "a fourth result expired at the client's time (it expires 10,000 ms after as_of; now is 20,000 ms after as_of), while the answer is fresh", answer({ results: [r(dave({ ttl: 70_000n })), r(ex2), r(ex3), r(ex1)], totalMatches: 4 }), { query: Q, now: AS_OF + 20_000n }),
    rejects("discovery-answer/result/ends-before-fresh-until-001", "DISC_ANSWER_RESULT_INVALID", ["DISC-013", "DISC-015"], "a result valid at the client's time, but expiring 1 ms before fresh_until", answer({ results: [r(dave({ ttl: 89_999n })), r(ex2), r(ex3), r(ex1)], totalMatches: 4 }), ask, ["AnswerFreshness"]),
    rejects("discovery-answer/result/issued-after-as-of-001", "DISC_ANSWER_RESULT_INVALID", I, "a result issued 1 ms after as_of (valid at the client's time)", answer({ results: [r(dave({ issued: AS_OF + 1n })), r(ex2), r(ex3), r(ex1)], totalMatches: 4 }), ask),
    rejects("discovery-answer/result/index-out-of-range-001", "DISC_ANSWER_RESULT_MISMATCH", V, "capability_index 2 of TEST 1's descriptor, which has two capabilities", answer({ results: [r(ex2), r(ex3), r(ex1, 2)] }), ask),
    rejects("discovery-answer/result/tombstone-001", "DISC_ANSWER_RESULT_MISMATCH", V, "a valid withdrawal tombstone as a result: it has no capability 0", answer({ results: [r(tomb(DAVE, 2n, T0, TTL))], totalMatches: 1 }), ask, ["Tombstone"]),
    rejects("discovery-answer/result/version-2-001", "DISC_ANSWER_RESULT_MISMATCH", MM, "TEST 3's sketch-to-image 2.0.0: not under the version prefix 1", answer({ results: [r(ex2), r(ex3, 1)] }), ask, ["VersionPrefix"]),
    rejects("discovery-answer/result/no-regions-001", "DISC_ANSWER_RESULT_MISMATCH", MM, "TEST 3's sketch-to-image-fast states no regions, and the query filters on regions", answer({ results: [r(ex2), r(ex3, 2)] }), ask, ["OmittedAttribute"]),
    rejects("discovery-answer/result/latency-over-001", "DISC_ANSWER_RESULT_MISMATCH", MM, "TEST 1's sketch-to-image promises 12,000 ms; the query allows 10,000", answer({ results: [r(ex2), r(ex3), r(ex1, 1)] }), ask),
    rejects("discovery-answer/result/other-namespace-001", "DISC_ANSWER_RESULT_MISMATCH", MM, "a capability of namespace ai.audio for a query in ai.image", one(daveWith({ ...CAP_BARE, namespace: "ai.audio" }), all), { query: all, now: NOW }),
    rejects("discovery-answer/result/zero-score-001", "DISC_ANSWER_RESULT_MISMATCH", ["DISC-010", "DISC-015"], "intent sketch; TEST 1's generate shares no token with it: score 0", one(ex1, queryBody({ intent: "sketch" }, "sketch")), { query: queryBody({ intent: "sketch" }, "sketch"), now: NOW }, ["ZeroScore"]),
    rejects("discovery-answer/result/sharp-s-001", "DISC_ANSWER_RESULT_MISMATCH", ["DISC-009", "DISC-010", "DISC-015"], "intent STRASSE (token strasse) against the intent 'Straße reinigen': a registry that case-folds returned it", one(daveWith({ ...CAP_BARE, intents: ["Straße reinigen"] }), queryBody({ intent: "STRASSE" }, "strasse")), { query: queryBody({ intent: "STRASSE" }, "strasse"), now: NOW }, ["NonAsciiText", "ZeroScore"]),
    rejects("discovery-answer/result/kelvin-001", "DISC_ANSWER_RESULT_MISMATCH", ["DISC-009", "DISC-010", "DISC-015"], "intent kelvin against the intent '\u212aelvin scale' (Kelvin sign): a registry that used toLowerCase returned it", one(daveWith({ ...CAP_BARE, intents: ["\u212aelvin scale"] }), queryBody({ intent: "kelvin" }, "kelvin")), { query: queryBody({ intent: "kelvin" }, "kelvin"), now: NOW }, ["NonAsciiText", "ZeroScore"]),
    rejects("discovery-answer/result/duplicate-001", "DISC_ANSWER_DUPLICATE_RESULT", V, "TEST 2's result twice in a row", answer({ results: [r(ex2), r(ex2)] }), ask, ["DuplicateResult"]),
    rejects("discovery-answer/result/duplicate-later-001", "DISC_ANSWER_DUPLICATE_RESULT", ["DISC-016"], "TEST 2's result first and third: the repeat is reported (10c) before its order (10d)", answer({ results: [r(ex2), r(ex3), r(ex2)] }), ask, ["DuplicateResult", "DefectOrder"]),
    rejects("discovery-answer/result/two-descriptors-001", "DISC_ANSWER_DUPLICATE_RESULT", ["DISC-002", "DISC-015"], "TEST 3's seq 1 (capability 0, 1.1.0) and its seq 2 (capability 1, 1.2.0): two descriptors of one peer, each valid and matching, in order", answer({ results: [r(ex2), r(ex3), r(carol2, 1)] }), ask, ["DuplicateResult"]),
  ]);

  const O = ["DISC-011", "DISC-015"];
  const order = group("registry-answer.verify", "Step 10d of §6.7: each result's key (DISC-011) is greater than the previous result's.", client(), [
    rejects("discovery-answer/order/score-001", "DISC_ANSWER_OUT_OF_ORDER", O, "the example's results with TEST 1 (score 2) first", answer({ results: [r(ex1), r(ex2), r(ex3)] }), ask, ["RankOrder"]),
    rejects("discovery-answer/order/peer-id-001", "DISC_ANSWER_OUT_OF_ORDER", O, "TEST 3 before TEST 2: equal up to peer_id, and z6Mkw… > z6Mki…", answer({ results: [r(ex3), r(ex2), r(ex1)] }), ask, ["RankOrder"]),
    rejects("discovery-answer/order/peer-id-case-001", "DISC_ANSWER_OUT_OF_ORDER", O, `${PEER_LOWER.did} before ${PEER_UPPER.did}: the order of a case-insensitive comparison, not the bytewise one`, allAnswer([r(lower), r(upper)]), { query: all, now: NOW }, ["RankOrder", "BytewiseOrder"]),
    rejects("discovery-answer/order/version-numeric-001", "DISC_ANSWER_OUT_OF_ORDER", O, "versions 1.2.0, 1.9.0, 1.10.0 in numeric order; the bytewise order puts 1.10.0 first", allAnswer([r(versions, 0), r(versions, 2), r(versions, 1)]), { query: all, now: NOW }, ["RankOrder", "BytewiseOrder"]),
    rejects("discovery-answer/order/latency-none-first-001", "DISC_ANSWER_OUT_OF_ORDER", O, "a capability promising no latency before one promising 60,000 ms", allAnswer([r(noLatency), r(withLatency)]), { query: all, now: NOW }, ["RankOrder", "OmittedAttribute"]),
    rejects("discovery-answer/order/breadth-001", "DISC_ANSWER_OUT_OF_ORDER", ["DISC-011", "DISC-010", "DISC-015"], "intent image: the stuffed capability (breadth 7) before the focused one (breadth 3)", allAnswer([r(stuffed), r(focused)], imageQuery), { query: imageQuery, now: NOW }, ["RankOrder"]),
    rejects("discovery-answer/order/price-001", "DISC_ANSWER_OUT_OF_ORDER", O, "max_price set: 500 micros before 0", allAnswer([r(aP), r(cP), r(bP)], priceQuery), { query: priceQuery, now: NOW }, ["RankOrder"]),
    accepts("discovery-answer/order/price-in-order-001", O, "the same results in price order: 0, 500, 20,000 micros", allAnswer([r(cP), r(aP), r(bP)], priceQuery), { query: priceQuery, now: NOW }, [{ peer: CAROL, index: 0 }, { peer: ALICE, index: 0 }, { peer: BOB, index: 0 }], ["RankOrder"]),
  ]);

  // Two defects: the table's order decides the code.
  const badSignature = (b: Body, kidSigner: Peer, realSigner: Peer) => {
    const p = honestParts(kidSigner, ANSWER_CT, enc(b));
    return assemble({ ...p, signature: signEd25519(realSigner.seed, sigStructure(p.protectedBytes, p.payload)) });
  };
  const D: FlagName[] = ["DefectOrder"];
  const defects = group("registry-answer.verify", "Answers with two defects, where the order of the table of §6.7 decides the code (DISC-016).", client(), [
    rejects("discovery-answer/order-of-checks/unexpected-before-signature-001", "DISC_REGISTRY_UNEXPECTED", ["DISC-016"], "the other registry as registry_id and kid, and a signature by the registry asked: step 3 comes before the signature", badSignature(answerBody(spec({ registryId: OTHER_REGISTRY.did })), OTHER_REGISTRY, REGISTRY), ask, [...D, "WrongSignature"]),
    rejects("discovery-answer/order-of-checks/signature-before-query-001", "SIG_INVALID", ["DISC-016"], "a query_hash of zeros and a signature over other bytes", badSignature(answerBody(spec({ queryHash: new Uint8Array(32) })), REGISTRY, OTHER_REGISTRY), ask, [...D, "WrongSignature"]),
    rejects("discovery-answer/order-of-checks/query-before-window-001", "DISC_ANSWER_QUERY_MISMATCH", ["DISC-016"], "the hash of another query and fresh_until = as_of", answer({ freshUntil: AS_OF }, exQuery({}, "example-again")), ask, D),
    rejects("discovery-answer/order-of-checks/window-before-stale-001", "DISC_ANSWER_WINDOW_INVALID", ["DISC-016"], "fresh_until = as_of, checked a day later", answer({ freshUntil: AS_OF }), { query: Q, now: AS_OF + DAY }, D),
    rejects("discovery-answer/order-of-checks/stale-before-count-001", "DISC_ANSWER_STALE", ["DISC-016"], "three results with total_matches 0, checked at fresh_until + skew", answer({ totalMatches: 0 }), { query: Q, now: FRESH + 5_000n }, D),
    rejects("discovery-answer/order-of-checks/count-before-results-001", "DISC_ANSWER_TOO_MANY_RESULTS", ["DISC-016"], "total_matches 2 and results out of order", answer({ results: [r(ex1), r(ex2), r(ex3)], totalMatches: 2 }), ask, D),
    rejects("discovery-answer/order-of-checks/results-in-turn-001", "DISC_ANSWER_RESULT_INVALID", ["DISC-016"], "the second result does not verify and the third names a capability that does not exist: results are checked in order", answer({ results: [r(ex2), r(tampered), r(ex1, 5)] }), ask, D),
  ]);

  return {
    name: "discovery-answer",
    description:
      "A client's check of a signed registry answer (spec/06-discovery.md §6.7). Operation registry-answer.verify (shared: the client's max_ttl_ms, clock_skew_ms and max_freshness_ms; inputs: answer, query in proto3 JSON form, registry (the did:key asked), now; output: the results). The answers follow the example of §6.10: descriptors issued at T0 = 2026-01-01T00:00:00Z = 1767225600000 ms for 600,000 ms, as_of T0 + 60,000, fresh_until T0 + 90,000.",
    groups: [valids, envelope, signer, query, times, noSkew, shortClient, count, results, order, defects],
  };
}

export const discoveryAnswerFile: VectorFileModule = { name: "discovery-answer", build };
