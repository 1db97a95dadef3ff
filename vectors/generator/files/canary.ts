// canary.json: Tier 2 canaries and fallback selection (spec/08-canaries.md):
// the provider's checks of a challenge, the verifier's checks of a response
// against its challenge, its clock and its oracle, the verifier's memory
// (replay, nonce reuse, forgetting, its bound), the test oracles, the signing
// side of both messages, the canary rate and the fallback order.
//
// Challenges and responses are written here with the generator's own CBOR
// writer and COSE assembly; expected verdicts are stated from the spec's
// requirements and its verification tables (§8.7). Only the produce outputs
// (the exact bytes of a signed challenge or response, the canary rate) come
// from the reference, and each is cross-checked: against the generator's own
// encoding, the worked example of spec §8.11.2 and the numbers of §8.9.4.
import { CanaryChallengeSchema, CanaryResponseSchema } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { issueChallenge } from "../../../reference/src/canary/challenge.js";
import { exampleCanary } from "../../../reference/src/canary/example.js";
import { minimumCanaryRatePpm } from "../../../reference/src/canary/rate.js";
import { answerCanary } from "../../../reference/src/canary/response.js";
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { contentTypeOf } from "../../../reference/src/signed/signed-message.js";
import { cat, filled, flipBit, hex, sha256Of, utf8 } from "../bytes.js";
import { enc, type W } from "../cbor-writer.js";
import { CANARY_DECISION_LIMIT_MS, CANARY_SIGNING_LIMIT_MS, DAY, DEFAULT_SKEW, HOUR, MINUTE, T0 } from "../constants.js";
import { ALICE, assemble, BOB, CAROL, DAVE, DESCRIPTOR_CT, ERIN, honestParts, signCose, sigStructure, type Peer } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, withBudget, type Json, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";

const CHALLENGE_CT = contentTypeOf(CanaryChallengeSchema);
const RESPONSE_CT = contentTypeOf(CanaryResponseSchema);
const dec = (n: bigint) => n.toString();

// The parties: the verifier (RFC 8032 TEST 1), the provider it challenges
// (TEST 2) and a third peer (TEST 3), as in the example of §8.11.2.
const VERIFIER = ALICE;
const PROVIDER = BOB;
const OTHER = CAROL;

const OCTETS = "application/octet-stream";
const TEXT = "text/plain";
const SHA256 = { namespace: "ap2p.test", id: "sha256", version: "1.0.0" };
const REVERSE = { namespace: "ap2p.test", id: "reverse", version: "1.0.0" };
const FACTOR = { namespace: "ap2p.test", id: "factor", version: "1.0.0" };
const OFFERED: Json = [SHA256, REVERSE, FACTOR];
const ORACLE_SHA256: JsonObject = { test_capability: "ap2p.test/sha256@1.0.0" };
const ORACLE_REVERSE: JsonObject = { test_capability: "ap2p.test/reverse@1.0.0" };
const ORACLE_FACTOR: JsonObject = { test_capability: "ap2p.test/factor@1.0.0" };
const expected = (output: Uint8Array, mediaType: string): JsonObject => ({ expected: { output: hex(output), media_type: mediaType } });

const WINDOW = 5_000n;
const DEADLINE = T0 + WINDOW;
const SKEW = DEFAULT_SKEW;
const MAX_WINDOW = 600_000n;
const ANSWERED = T0 + 850n;

/** n bytes first, first + 1, …: a fixed nonce (a real one is random, CAN-002). */
const nonceFrom = (first: number, n = 16) => Uint8Array.from({ length: n }, (_, i) => (first + i) & 0xff);
const NONCE = nonceFrom(0x00);
const ABC = utf8("abc");

type Body = { [field: string]: W | undefined };

/** A challenge body: the example of §8.11.2 unless overridden; undefined drops a field. */
function challengeBody(o: Body = {}): Body {
  return { verifier: VERIFIER.did, provider: PROVIDER.did, nonce: NONCE, capability: SHA256, input: ABC, input_media_type: OCTETS, issued_at: T0, deadline: DEADLINE, ...o };
}

/** A response body answering the challenge with this hash: the example of §8.11.2 unless overridden. */
function responseBody(challengeHash: Uint8Array, o: Body = {}): Body {
  return { challenge_hash: challengeHash, responder: PROVIDER.did, output: sha256Of(ABC), output_media_type: OCTETS, responded_at: ANSWERED, ...o };
}

/** The message hash (ENC-020) of a body: SHA-256 of its canonical encoding, which the writer produces. */
const hashOf = (body: Body) => sha256Of(enc(body));

/** An honest COSE_Sign1 of a body. */
const signed = (body: Body, signer: Peer, ct: string) => signCose(signer, ct, enc(body));
const challengeOf = (body: Body, signer: Peer = VERIFIER) => signed(body, signer, CHALLENGE_CT);
const responseOf = (body: Body, signer: Peer = PROVIDER) => signed(body, signer, RESPONSE_CT);

/** A COSE_Sign1 whose kid names `kid` but whose signature is `forger`'s. */
function forged(body: Body, kid: Peer, forger: Peer, ct: string): Uint8Array {
  const parts = honestParts(kid, ct, enc(body));
  return assemble({ ...parts, signature: signEd25519(forger.seed, sigStructure(parts.protectedBytes, parts.payload)) });
}

/** A COSE_Sign1 signed over `body`, whose payload was then replaced by `altered`. */
function altered(body: Body, replacement: Body, signer: Peer, ct: string): Uint8Array {
  const parts = honestParts(signer, ct, enc(body));
  return assemble({ ...parts, payload: enc(replacement) });
}

// ---------------------------------------------------------------------------

function build() {
  // The example of §8.11.2, written here and checked against the reference's
  // example and the hash printed in the spec.
  const C1 = challengeBody();
  const H1 = hashOf(C1);
  const C1_COSE = challengeOf(C1);
  const R1 = responseBody(H1);
  const R1_COSE = responseOf(R1);
  const example = exampleCanary();
  if (hex(H1) !== "c875ffaf25d858ec587711ed50baa9eb3123e779c4039d3b27ca46bfa2107683") throw new Error("the example challenge's hash differs from spec §8.11.2");
  if (hex(C1_COSE) !== hex(example.challenge.bytes)) throw new Error("the example challenge differs from the reference's example");
  if (hex(R1_COSE) !== hex(example.response.bytes)) throw new Error("the example response differs from the reference's example");

  // ---------------------------------------------------------------- provider side
  const cv = (id: string, requirements: string[], comment: string, challenge: Uint8Array, now: bigint, hash: Uint8Array, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { challenge: hex(challenge), now: dec(now) }, output: { challenge_hash: hex(hash) } });
  const cx = (id: string, error: string, requirements: string[], comment: string, challenge: Uint8Array, now: bigint, flags: FlagName[] = []): TestVector =>
    invalid(id, error, { requirements, comment, flags, inputs: { challenge: hex(challenge), now: dec(now) } });
  const NOW = T0 + 100n;
  const at = (o: Body) => {
    const body = challengeBody(o);
    return { cose: challengeOf(body), hash: hashOf(body) };
  };
  const rev = at({ capability: REVERSE, nonce: nonceFrom(0x40, 64), input: utf8("hello, canary") });
  const fac = at({ capability: FACTOR, nonce: nonceFrom(0x50), input: utf8("3000"), input_media_type: TEXT });
  const bigInput = at({ nonce: nonceFrom(0x60), input: filled(16384, 0x61) });
  const maxWindow = at({ deadline: T0 + MAX_WINDOW });
  const oneMs = at({ deadline: T0 + 1n });
  const providerShared = { provider: PROVIDER.did, offered: OFFERED, clock_skew_ms: dec(SKEW) };

  const challengeValid = group(
    "canary-challenge.verify",
    "A provider (shared.provider, the RFC 8032 TEST 2 key, offering the three test capabilities, skew 5 s) checks challenges from the TEST 1 key that it may answer (§8.4, §8.7). The output is the challenge's message hash, which its response must carry (CAN-010).",
    providerShared,
    [
      cv("canary/challenge/valid/example-001", ["CAN-001", "CAN-006", "CAN-010"], "the challenge of spec §8.11.2, 100 ms after issue", C1_COSE, NOW, H1),
      cv("canary/challenge/valid/reverse-64-byte-nonce-001", ["CAN-002", "CAN-006"], "ap2p.test/reverse with a 64-byte nonce, the longest allowed", rev.cose, NOW, rev.hash, ["SchemaRule"]),
      cv("canary/challenge/valid/factor-001", ["CAN-006", "CAN-008"], "ap2p.test/factor on the text 3000", fac.cose, NOW, fac.hash),
      cv("canary/challenge/valid/input-at-max-001", ["CAN-006"], "an input of 16,384 bytes, the longest allowed", bigInput.cose, NOW, bigInput.hash, ["SchemaRule"]),
      cv("canary/challenge/window/at-max-001", ["CAN-004"], "a window of exactly 600,000 ms", maxWindow.cose, NOW, maxWindow.hash, ["WindowLimit"]),
      cv("canary/challenge/window/one-ms-001", ["CAN-003"], "deadline = issued_at + 1: the shortest window", oneMs.cose, T0, oneMs.hash, ["WindowLimit"]),
      cv("canary/challenge/expiry/at-skew-edge-001", ["CAN-009"], "now = deadline + skew: not yet past the allowance", C1_COSE, DEADLINE + SKEW, H1, ["ClockSkewEdge"]),
      cv("canary/challenge/expiry/within-skew-001", ["CAN-009"], "now = deadline + 1: past the deadline on the provider's clock, inside the allowance", C1_COSE, DEADLINE + 1n, H1, ["ClockSkewEdge"]),
    ],
  );

  const notOffered = (cap: Body) => challengeOf(challengeBody({ capability: cap }));
  const challengeInvalid = group(
    "canary-challenge.verify",
    "Challenges the provider must reject, each with one defect: the codes of §8.7's first table.",
    providerShared,
    [
      cx("canary/challenge/provider/other-peer-001", "CANARY_WRONG_PROVIDER", ["CAN-007", "CAN-005"], "addressed to the TEST 3 key but sent to this provider", challengeOf(challengeBody({ provider: OTHER.did })), NOW, ["Misdirected"]),
      cx("canary/challenge/provider/verifier-itself-001", "CANARY_WRONG_PROVIDER", ["CAN-007"], "addressed to the verifier itself", challengeOf(challengeBody({ provider: VERIFIER.did })), NOW, ["Misdirected"]),
      cx("canary/challenge/capability/other-version-001", "CAPABILITY_NOT_OFFERED", ["CAN-008"], "ap2p.test/sha256@2.0.0: the offered id at another version", notOffered({ ...SHA256, version: "2.0.0" }), NOW),
      cx("canary/challenge/capability/other-id-001", "CAPABILITY_NOT_OFFERED", ["CAN-008"], "ap2p.test/sha512@1.0.0", notOffered({ ...SHA256, id: "sha512" }), NOW),
      cx("canary/challenge/capability/other-namespace-001", "CAPABILITY_NOT_OFFERED", ["CAN-008"], "ap2p.other/sha256@1.0.0: the offered id and version in another namespace", notOffered({ ...SHA256, namespace: "ap2p.other" }), NOW),
      cx("canary/challenge/expiry/past-skew-001", "CANARY_EXPIRED", ["CAN-009"], "now = deadline + skew + 1", C1_COSE, DEADLINE + SKEW + 1n, ["ClockSkewEdge"]),
      cx("canary/challenge/expiry/long-ago-001", "CANARY_EXPIRED", ["CAN-009"], "now = deadline + 1 h", C1_COSE, DEADLINE + HOUR),
      cx("canary/challenge/deadline/equal-001", "CANARY_DEADLINE_INVALID", ["CAN-003"], "deadline = issued_at", challengeOf(challengeBody({ deadline: T0 })), T0, ["WindowLimit"]),
      cx("canary/challenge/deadline/before-001", "CANARY_DEADLINE_INVALID", ["CAN-003"], "deadline = issued_at − 1", challengeOf(challengeBody({ deadline: T0 - 1n })), T0, ["WindowLimit"]),
      cx("canary/challenge/window/max-plus-1-001", "CANARY_DEADLINE_TOO_FAR", ["CAN-004"], "a window of 600,001 ms", challengeOf(challengeBody({ deadline: T0 + MAX_WINDOW + 1n })), NOW, ["WindowLimit"]),
      cx("canary/challenge/window/day-001", "CANARY_DEADLINE_TOO_FAR", ["CAN-004"], "a window of one day", challengeOf(challengeBody({ deadline: T0 + DAY })), NOW, ["WindowLimit"]),
      cx("canary/challenge/kid/verifier-not-kid-001", "COSE_KID_MISMATCH", ["CAN-001"], "verifier names the TEST 3 key; the TEST 1 key signed it and is the kid", challengeOf(challengeBody({ verifier: OTHER.did })), NOW, ["KidConfusion"]),
      cx("canary/challenge/signature/wrong-key-001", "SIG_INVALID", ["CAN-006"], "verifier and kid name the TEST 1 key; the TEST 3 key signed", forged(C1, VERIFIER, OTHER, CHALLENGE_CT), NOW, ["WrongSignature"]),
      cx("canary/challenge/signature/input-altered-001", "SIG_INVALID", ["CAN-006"], "signed with input abc, then the input changed to abd", altered(C1, challengeBody({ input: utf8("abd") }), VERIFIER, CHALLENGE_CT), NOW, ["WrongSignature"]),
      cx("canary/challenge/envelope/unsigned-001", "COSE_TAG_MISSING", ["CAN-001", "CAN-006"], "the challenge's payload alone", enc(C1), NOW, ["Unsigned"]),
      cx("canary/challenge/envelope/response-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["CAN-001", "SIG-006"], "a challenge payload signed under the canary-response content type", signed(C1, VERIFIER, RESPONSE_CT), NOW, ["CrossKindReplay"]),
      cx("canary/challenge/envelope/descriptor-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["CAN-001", "SIG-006"], "a challenge payload signed under the descriptor content type", signed(C1, VERIFIER, DESCRIPTOR_CT), NOW, ["CrossKindReplay"]),
      cx("canary/challenge/envelope/response-as-challenge-001", "COSE_CONTENT_TYPE_MISMATCH", ["CAN-006", "SIG-006"], "the example's response presented as a challenge", R1_COSE, NOW, ["CrossKindReplay"]),
      cx("canary/challenge/schema/nonce-15-bytes-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["CAN-002", "CAN-006", "ENC-018"], "a 15-byte nonce: below 128 bits", challengeOf(challengeBody({ nonce: nonceFrom(0, 15) })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/nonce-65-bytes-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["CAN-006", "ENC-018"], "a 65-byte nonce", challengeOf(challengeBody({ nonce: nonceFrom(0, 65) })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/nonce-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-002", "CAN-006", "ENC-018"], "no nonce", challengeOf(challengeBody({ nonce: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/verifier-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-001", "CAN-006"], "no verifier", challengeOf(challengeBody({ verifier: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/provider-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-006", "ENC-018"], "no provider", challengeOf(challengeBody({ provider: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/provider-not-did-key-001", "SCHEMA_PATTERN_MISMATCH", ["CAN-006", "ENC-018"], "provider did:web:example.com", challengeOf(challengeBody({ provider: "did:web:example.com" })), NOW, ["SchemaRule", "DidSyntax"]),
      cx("canary/challenge/schema/capability-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-006", "ENC-018"], "no capability", challengeOf(challengeBody({ capability: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/input-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-006", "ENC-018"], "no input (an empty input is absent)", challengeOf(challengeBody({ input: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/input-too-long-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["CAN-006", "ENC-018"], "an input of 16,385 bytes", challengeOf(challengeBody({ nonce: nonceFrom(0x60), input: filled(16385, 0x61) })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/input-media-type-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-006", "ENC-018"], "no input_media_type", challengeOf(challengeBody({ input_media_type: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/issued-at-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-006", "ENC-018"], "no issued_at", challengeOf(challengeBody({ issued_at: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/deadline-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-006", "ENC-018"], "no deadline", challengeOf(challengeBody({ deadline: undefined })), NOW, ["SchemaRule"]),
      cx("canary/challenge/schema/expected-output-field-001", "SCHEMA_UNKNOWN_FIELD", ["CAN-006", "ENC-015"], 'an extra field "expected_output" (a challenge never carries its answer)', challengeOf({ ...C1, expected_output: sha256Of(ABC) }), NOW, ["UnknownField"]),
      cx("canary/challenge/order/deadline-before-signature-001", "CANARY_DEADLINE_INVALID", ["CAN-003", "SEC-003", "SIG-013", "CAN-021"], "deadline = issued_at and a signature by the wrong key: the structural defect (§8.7 step 4b) is reported", forged(challengeBody({ deadline: T0 }), VERIFIER, OTHER, CHALLENGE_CT), T0, ["DefectOrder"]),
      cx("canary/challenge/order/kid-before-signature-001", "COSE_KID_MISMATCH", ["CAN-001", "SEC-003", "SIG-013", "CAN-021"], "verifier ≠ kid and a signature by a third key: the mismatch (§8.7 step 4a) is reported", forged(challengeBody({ verifier: OTHER.did }), VERIFIER, DAVE, CHALLENGE_CT), NOW, ["DefectOrder", "KidConfusion"]),
    ],
  );

  const lowMax = at({ deadline: T0 + MINUTE });
  const challengePolicy = group(
    "canary-challenge.verify",
    "A provider with a maximum window of its own, 60 s (shared.max_window_ms), lower than the protocol's (CAN-004).",
    { ...providerShared, max_window_ms: dec(MINUTE) },
    [
      cv("canary/challenge-policy/at-own-max-001", ["CAN-004"], "a window of exactly 60,000 ms", lowMax.cose, NOW, lowMax.hash, ["WindowLimit"]),
      cx("canary/challenge-policy/own-max-plus-1-001", "CANARY_DEADLINE_TOO_FAR", ["CAN-004"], "a window of 60,001 ms, within the protocol's maximum", challengeOf(challengeBody({ deadline: T0 + MINUTE + 1n })), NOW, ["WindowLimit"]),
    ],
  );

  // ---------------------------------------------------------------- signing a challenge
  const issues = (id: string, requirements: string[], comment: string, body: Body, windowMs: bigint): TestVector => {
    const nonce = body["nonce"] as Uint8Array;
    const input = body["input"] as Uint8Array;
    const cap = body["capability"] as { namespace: string; id: string; version: string };
    const issued = issueChallenge(VERIFIER.seed, {
      provider: body["provider"] as string,
      capability: cap,
      input: { bytes: input, mediaType: body["input_media_type"] as string },
      now: body["issued_at"] as bigint,
      windowMs,
      nonceBytes: nonce.length,
      random: () => nonce.slice(),
    });
    // Cross-check the reference signer against the generator's own encoding.
    if (hex(issued.bytes) !== hex(challengeOf(body)) || hex(issued.hash) !== hex(hashOf(body))) throw new Error(`${id}: the reference's challenge differs from the generator's`);
    return valid(id, {
      requirements,
      comment,
      inputs: { provider: body["provider"] as string, capability: cap, input: hex(input), input_media_type: body["input_media_type"] as string, nonce: hex(nonce), now: dec(body["issued_at"] as bigint), window_ms: dec(windowMs) },
      output: { payload: hex(enc(body)), cose: hex(issued.bytes), challenge_hash: hex(issued.hash) },
    });
  };
  const challengeSign = group(
    "canary-challenge.sign",
    "Issuing a challenge with shared.secret_key (the verifier, RFC 8032 TEST 1) and a given nonce: the exact payload, COSE_Sign1 and message hash (CAN-001, CAN-005, SIG-012). issued_at is inputs.now and deadline is now + window_ms.",
    { secret_key: hex(VERIFIER.seed) },
    [
      issues("canary/challenge-sign/example-001", ["CAN-001", "CAN-005", "SIG-012"], "the challenge of spec §8.11.2, byte for byte", C1, WINDOW),
      issues("canary/challenge-sign/reverse-001", ["CAN-001", "CAN-005", "SIG-012"], "ap2p.test/reverse with a 64-byte nonce", challengeBody({ capability: REVERSE, nonce: nonceFrom(0x40, 64), input: utf8("hello, canary") }), WINDOW),
      issues("canary/challenge-sign/factor-max-window-001", ["CAN-004", "CAN-005", "SIG-012"], "ap2p.test/factor on 3000, window 600,000 ms", challengeBody({ capability: FACTOR, nonce: nonceFrom(0x50), input: utf8("3000"), input_media_type: TEXT, deadline: T0 + MAX_WINDOW }), MAX_WINDOW),
      issues("canary/challenge-sign/other-provider-001", ["CAN-005", "SIG-012"], "a challenge for the TEST 3 key, issued one hour after T0", challengeBody({ provider: OTHER.did, nonce: nonceFrom(0x70), issued_at: T0 + HOUR, deadline: T0 + HOUR + WINDOW }), WINDOW),
    ],
  );

  // ---------------------------------------------------------------- verifier side, one challenge
  type RespIn = { challenge?: Uint8Array; oracle?: JsonObject };
  const rin = (response: Uint8Array, now: bigint, o: RespIn): JsonObject => ({ challenge: hex(o.challenge ?? C1_COSE), oracle: o.oracle ?? ORACLE_SHA256, response: hex(response), now: dec(now) });
  const rv = (id: string, requirements: string[], comment: string, response: Uint8Array, now: bigint, flags: FlagName[] = [], o: RespIn = {}): TestVector =>
    valid(id, { requirements, comment, flags, inputs: rin(response, now, o) });
  const rx = (id: string, error: string, requirements: string[], comment: string, response: Uint8Array, now: bigint, flags: FlagName[] = [], o: RespIn = {}): TestVector =>
    invalid(id, error, { requirements, comment, flags, inputs: rin(response, now, o) });
  const answer = (o: Body, signer: Peer = PROVIDER) => responseOf(responseBody(H1, o), signer);

  const C_REV = challengeBody({ capability: REVERSE, nonce: nonceFrom(0x40, 64), input: utf8("hello, canary") });
  const C_REV_COSE = challengeOf(C_REV);
  const C_FAC = challengeBody({ capability: FACTOR, nonce: nonceFrom(0x50), input: utf8("3000"), input_media_type: TEXT });
  const C_FAC_COSE = challengeOf(C_FAC);
  const C_PRIME = challengeBody({ capability: FACTOR, nonce: nonceFrom(0x58), input: utf8("65537"), input_media_type: TEXT });
  const C_PRIME_COSE = challengeOf(C_PRIME);
  const facAnswer = (text: string) => responseOf(responseBody(hashOf(C_FAC), { output: utf8(text), output_media_type: TEXT }));
  const revAnswer = (output: Uint8Array, mediaType = OCTETS) => responseOf(responseBody(hashOf(C_REV), { output, output_media_type: mediaType }));
  const REV = { challenge: C_REV_COSE, oracle: ORACLE_REVERSE };
  const FAC = { challenge: C_FAC_COSE, oracle: ORACLE_FACTOR };
  // Another challenge to the same provider: only the nonce differs.
  const C2 = challengeBody({ nonce: nonceFrom(0x10) });

  const responseValid = group(
    "canary-response.verify",
    "The verifier (RFC 8032 TEST 1) checks a response to the challenge it issued (inputs.challenge), with its oracle (inputs.oracle), at the time the response arrived on its own clock (inputs.now): responses it must accept (§8.5, §8.7, without memory: every step but 6c).",
    {},
    [
      rv("canary/response/valid/example-001", ["CAN-010", "CAN-012", "CAN-013", "CAN-014", "CAN-015", "CAN-017"], "the response of spec §8.11.2, arriving 850 ms after issue; the oracle is ap2p.test/sha256's", R1_COSE, ANSWERED),
      rv("canary/response/valid/expected-oracle-001", ["CAN-017"], "the same, judged by an expected output", R1_COSE, ANSWERED, [], { oracle: expected(sha256Of(ABC), OCTETS) }),
      rv("canary/response/deadline/at-deadline-001", ["CAN-015"], "now = deadline: on time", R1_COSE, DEADLINE, ["DeadlineEdge"]),
      rv("canary/response/deadline/responded-after-deadline-001", ["CAN-016"], "responded_at = deadline + 10 min (the provider's clock runs fast); arrival 850 ms after issue decides", answer({ responded_at: DEADLINE + 10n * MINUTE }), ANSWERED, ["ProviderClock"]),
      rv("canary/response/deadline/responded-before-issue-001", ["CAN-016"], "responded_at a day before issued_at (the provider's clock runs slow): not a reason to reject", answer({ responded_at: T0 - DAY }), ANSWERED, ["ProviderClock"]),
      rv("canary/response/valid/reverse-001", ["CAN-017"], "ap2p.test/reverse: the input bytes in reverse order", revAnswer(utf8("yranac ,olleh")), ANSWERED, [], REV),
      rv("canary/response/valid/factor-001", ["CAN-017", "CAN-022"], 'ap2p.test/factor on 3000: "2 1500"', facAnswer("2 1500"), ANSWERED, ["CheckFunction"], FAC),
      rv("canary/response/valid/factor-other-factorisation-001", ["CAN-017", "CAN-022"], 'ap2p.test/factor on 3000: "50 60", another correct answer to the same challenge', facAnswer("50 60"), ANSWERED, ["CheckFunction"], FAC),
      rv("canary/response/valid/empty-output-001", ["CAN-017"], "an expected output that is empty; the response has no output field (absent means empty)", answer({ output: undefined }), ANSWERED, [], { oracle: expected(new Uint8Array(0), OCTETS) }),
    ],
  );

  const C1_COSE_HASH = sha256Of(C1_COSE);
  const responseInvalid = group(
    "canary-response.verify",
    "Responses the verifier must reject, each with one defect: the codes of §8.7's second table.",
    {},
    [
      rx("canary/response/deadline/one-ms-late-001", "CANARY_RESPONSE_LATE", ["CAN-015"], "now = deadline + 1", R1_COSE, DEADLINE + 1n, ["DeadlineEdge"]),
      rx("canary/response/deadline/late-by-skew-001", "CANARY_RESPONSE_LATE", ["CAN-015"], "now = deadline + 5 s: the verifier's clock decides alone, with no skew allowance", R1_COSE, DEADLINE + SKEW, ["DeadlineEdge"]),
      rx("canary/response/deadline/late-responded-in-time-001", "CANARY_RESPONSE_LATE", ["CAN-015", "CAN-016"], "responded_at = 850 ms after issue, but the response arrives 1 s after the deadline", R1_COSE, DEADLINE + 1_000n, ["ProviderClock"]),
      rx("canary/response/deadline/backdated-001", "CANARY_RESPONSE_LATE", ["CAN-016"], "a response arriving a minute late that claims responded_at = issued_at", answer({ responded_at: T0 }), DEADLINE + MINUTE, ["ProviderClock"]),
      rx("canary/response/binding/other-challenge-001", "CANARY_CHALLENGE_HASH_MISMATCH", ["CAN-013"], "a correct answer to another challenge to the same provider (another nonce)", responseOf(responseBody(hashOf(C2))), ANSWERED, ["ChallengeBinding"]),
      rx("canary/response/binding/cose-hash-001", "CANARY_CHALLENGE_HASH_MISMATCH", ["CAN-010", "CAN-013"], "challenge_hash = SHA-256 of the challenge's COSE_Sign1 instead of its payload", answer({ challenge_hash: C1_COSE_HASH }), ANSWERED, ["ChallengeBinding"]),
      rx("canary/response/binding/bit-flipped-001", "CANARY_CHALLENGE_HASH_MISMATCH", ["CAN-013"], "challenge_hash with its last bit flipped", answer({ challenge_hash: flipBit(H1, 255) }), ANSWERED, ["ChallengeBinding"]),
      rx("canary/response/provider/other-peer-001", "CANARY_WRONG_PROVIDER", ["CAN-014"], "a correct, correctly bound answer signed by the TEST 3 key (responder = kid = TEST 3), to a challenge sent to TEST 2", answer({ responder: OTHER.did }, OTHER), ANSWERED, ["Misdirected"]),
      rx("canary/response/provider/verifier-itself-001", "CANARY_WRONG_PROVIDER", ["CAN-014"], "the verifier answering its own challenge", answer({ responder: VERIFIER.did }, VERIFIER), ANSWERED, ["Misdirected"]),
      rx("canary/response/signer/wrong-key-001", "SIG_INVALID", ["CAN-012"], "responder and kid name the provider; the TEST 3 key signed", forged(R1, PROVIDER, OTHER, RESPONSE_CT), ANSWERED, ["WrongSignature"]),
      rx("canary/response/signer/output-altered-001", "SIG_INVALID", ["CAN-012"], "the provider signed a wrong output; the correct one was put in afterwards", altered(responseBody(H1, { output: sha256Of(utf8("abd")) }), R1, PROVIDER, RESPONSE_CT), ANSWERED, ["WrongSignature"]),
      rx("canary/response/signer/responder-not-kid-001", "COSE_KID_MISMATCH", ["CAN-012"], "responder names the provider; the TEST 3 key signed and is the kid", answer({}, OTHER), ANSWERED, ["KidConfusion"]),
      rx("canary/response/output/wrong-bytes-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "SHA-256 of abd instead of abc", answer({ output: sha256Of(utf8("abd")) }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/output/empty-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "no output", answer({ output: undefined }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/output/input-echoed-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "the input echoed back", answer({ output: ABC }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/output/truncated-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "the first 31 bytes of the correct digest", answer({ output: sha256Of(ABC).subarray(0, 31) }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/output/expected-oracle-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "a correct SHA-256, but the verifier's expected output is another", R1_COSE, ANSWERED, ["WrongOutput"], { oracle: expected(sha256Of(utf8("abd")), OCTETS) }),
      rx("canary/response/media-type/text-plain-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "the correct bytes as text/plain", answer({ output_media_type: TEXT }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/media-type/case-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "the correct bytes as Application/Octet-Stream: media types compare as exact strings", answer({ output_media_type: "Application/Octet-Stream" }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/media-type/parameter-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "the correct bytes as application/octet-stream; charset=binary", answer({ output_media_type: "application/octet-stream; charset=binary" }), ANSWERED, ["WrongOutput"]),
      rx("canary/response/media-type/expected-oracle-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "the expected bytes, but the expected media type is application/x-sha256", R1_COSE, ANSWERED, ["WrongOutput"], { oracle: expected(sha256Of(ABC), "application/x-sha256") }),
      rx("canary/response/output/reverse-not-reversed-001", "CANARY_WRONG_OUTPUT", ["CAN-017"], "ap2p.test/reverse answered with the input unchanged", revAnswer(utf8("hello, canary")), ANSWERED, ["WrongOutput"], REV),
      rx("canary/response/output/factor-trivial-001", "CANARY_WRONG_OUTPUT", ["CAN-017", "CAN-022"], 'ap2p.test/factor on 3000 answered "1 3000": p must exceed 1', facAnswer("1 3000"), ANSWERED, ["WrongOutput", "CheckFunction"], FAC),
      rx("canary/response/output/factor-unordered-001", "CANARY_WRONG_OUTPUT", ["CAN-017", "CAN-022"], 'answered "60 50": p must not exceed q', facAnswer("60 50"), ANSWERED, ["WrongOutput", "CheckFunction"], FAC),
      rx("canary/response/output/factor-wrong-product-001", "CANARY_WRONG_OUTPUT", ["CAN-017", "CAN-022"], 'answered "2 1501"', facAnswer("2 1501"), ANSWERED, ["WrongOutput", "CheckFunction"], FAC),
      rx("canary/response/output/factor-prime-001", "CANARY_WRONG_OUTPUT", ["CAN-017", "CAN-022"], 'ap2p.test/factor on the prime 65537, answered "1 65537": a prime has no correct answer', responseOf(responseBody(hashOf(C_PRIME), { output: utf8("1 65537"), output_media_type: TEXT })), ANSWERED, ["WrongOutput", "CheckFunction"], { challenge: C_PRIME_COSE, oracle: ORACLE_FACTOR }),
      rx("canary/response/malformed/unsigned-001", "COSE_TAG_MISSING", ["CAN-012"], "the response's payload alone", enc(R1), ANSWERED, ["Unsigned"]),
      rx("canary/response/malformed/truncated-001", "CBOR_MALFORMED", ["CAN-012"], "the response without its last byte", R1_COSE.subarray(0, R1_COSE.length - 1), ANSWERED, ["Truncated"]),
      rx("canary/response/malformed/unknown-field-001", "SCHEMA_UNKNOWN_FIELD", ["CAN-012", "ENC-015"], 'an extra field "score"', responseOf({ ...R1, score: 100 }), ANSWERED, ["UnknownField"]),
      rx("canary/response/malformed/hash-31-bytes-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["CAN-012", "ENC-018"], "a 31-byte challenge_hash", answer({ challenge_hash: H1.subarray(0, 31) }), ANSWERED, ["SchemaRule"]),
      rx("canary/response/malformed/hash-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-012", "ENC-018"], "no challenge_hash", answer({ challenge_hash: undefined }), ANSWERED, ["SchemaRule"]),
      rx("canary/response/malformed/responder-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-012", "ENC-018"], "no responder", answer({ responder: undefined }), ANSWERED, ["SchemaRule"]),
      rx("canary/response/malformed/output-media-type-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-012", "ENC-018"], "no output_media_type", answer({ output_media_type: undefined }), ANSWERED, ["SchemaRule"]),
      rx("canary/response/malformed/responded-at-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["CAN-012", "ENC-018"], "no responded_at", answer({ responded_at: undefined }), ANSWERED, ["SchemaRule"]),
      rx("canary/response/malformed/output-too-long-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["CAN-012", "ENC-018"], "an output of 16,385 bytes", answer({ output: filled(16385, 0x61) }), ANSWERED, ["SchemaRule"]),
      rx("canary/response/envelope/challenge-content-type-001", "COSE_CONTENT_TYPE_MISMATCH", ["CAN-010", "SIG-006"], "a response payload signed under the canary-challenge content type", signed(R1, PROVIDER, CHALLENGE_CT), ANSWERED, ["CrossKindReplay"]),
      rx("canary/response/envelope/challenge-as-response-001", "COSE_CONTENT_TYPE_MISMATCH", ["CAN-012", "SIG-006"], "the challenge itself sent back as the response", C1_COSE, ANSWERED, ["CrossKindReplay"]),
      rx("canary/response/order/kid-before-signature-001", "COSE_KID_MISMATCH", ["CAN-012", "SEC-003", "SIG-013", "CAN-021"], "responder ≠ kid and a signature by a third key: the mismatch (§8.7 step 4) is reported", forged(R1, OTHER, DAVE, RESPONSE_CT), ANSWERED, ["DefectOrder", "KidConfusion"]),
    ],
  );

  // ---------------------------------------------------------------- signing a response
  const answers = (id: string, requirements: string[], comment: string, challenge: Uint8Array, body: Body, now: bigint, flags: FlagName[] = []): TestVector => {
    const output = (body["output"] as Uint8Array | undefined) ?? new Uint8Array(0);
    const mediaType = body["output_media_type"] as string;
    const answered = answerCanary(PROVIDER.seed, challenge, { bytes: output, mediaType }, now, { offered: [SHA256, REVERSE, FACTOR], clockSkewMs: SKEW });
    if (!answered.ok) throw new Error(`${id}: the reference refuses: ${answered.error.code}`);
    // Cross-check the reference signer against the generator's own encoding.
    if (hex(answered.value.bytes) !== hex(responseOf(body))) throw new Error(`${id}: the reference's response differs from the generator's`);
    return valid(id, { requirements, comment, flags, inputs: { challenge: hex(challenge), output: hex(output), output_media_type: mediaType, now: dec(now) }, output: { payload: hex(enc(body)), cose: hex(answered.value.bytes) } });
  };
  const refuses = (id: string, error: string, requirements: string[], comment: string, challenge: Uint8Array, now: bigint, flags: FlagName[] = []): TestVector =>
    invalid(id, error, { requirements, comment, flags: ["ProducerRefuses", ...flags], inputs: { challenge: hex(challenge), output: hex(sha256Of(ABC)), output_media_type: OCTETS, now: dec(now) } });
  const signingProviderShared = { secret_key: hex(PROVIDER.seed), offered: OFFERED, clock_skew_ms: dec(SKEW) };
  const responseSign = group(
    "canary-response.sign",
    "The provider (shared.secret_key, RFC 8032 TEST 2; offering the three test capabilities; skew 5 s) answers a challenge with a given output at its clock inputs.now: it checks the challenge as canary-challenge.verify does, then signs the response (CAN-010): the exact payload and COSE_Sign1. A provider refuses a challenge it must reject, with the same code.",
    signingProviderShared,
    [
      answers("canary/response-sign/example-001", ["CAN-010", "SIG-012"], "the response of spec §8.11.2, byte for byte", C1_COSE, R1, ANSWERED),
      answers("canary/response-sign/reverse-001", ["CAN-010", "SIG-012"], "ap2p.test/reverse", C_REV_COSE, responseBody(hashOf(C_REV), { output: utf8("yranac ,olleh") }), ANSWERED),
      answers("canary/response-sign/factor-001", ["CAN-010", "SIG-012"], 'ap2p.test/factor on 3000, answered "2 1500" as text/plain', C_FAC_COSE, responseBody(hashOf(C_FAC), { output: utf8("2 1500"), output_media_type: TEXT }), ANSWERED),
      answers("canary/response-sign/empty-output-001", ["CAN-010", "ENC-016"], "ap2p.test/factor on the prime 65537, answered with the empty output: the output field is absent", C_PRIME_COSE, responseBody(hashOf(C_PRIME), { output: undefined, output_media_type: TEXT }), ANSWERED),
      answers("canary/response-sign/at-skew-edge-001", ["CAN-009", "CAN-010"], "now = deadline + skew: still answered; responded_at is the provider's clock", C1_COSE, responseBody(H1, { responded_at: DEADLINE + SKEW }), DEADLINE + SKEW, ["ClockSkewEdge"]),
      refuses("canary/response-sign/other-provider-001", "CANARY_WRONG_PROVIDER", ["CAN-007"], "a challenge addressed to the TEST 3 key", challengeOf(challengeBody({ provider: OTHER.did })), ANSWERED, ["Misdirected"]),
      refuses("canary/response-sign/expired-001", "CANARY_EXPIRED", ["CAN-009"], "now = deadline + skew + 1", C1_COSE, DEADLINE + SKEW + 1n, ["ClockSkewEdge"]),
      refuses("canary/response-sign/not-offered-001", "CAPABILITY_NOT_OFFERED", ["CAN-008"], "ap2p.test/sha256@2.0.0", notOffered({ ...SHA256, version: "2.0.0" }), ANSWERED),
      refuses("canary/response-sign/bad-signature-001", "SIG_INVALID", ["CAN-006"], "a challenge whose signature is the TEST 3 key's", forged(C1, VERIFIER, OTHER, CHALLENGE_CT), ANSWERED, ["WrongSignature"]),
      refuses("canary/response-sign/window-too-far-001", "CANARY_DEADLINE_TOO_FAR", ["CAN-004"], "a window of 600,001 ms", challengeOf(challengeBody({ deadline: T0 + MAX_WINDOW + 1n })), ANSWERED, ["WindowLimit"]),
    ],
  );

  // ---------------------------------------------------------------- timing (CAN-033, CAN-034)
  const timedComment = (what: string, ms: number) =>
    `Timed (spec §13.8): ${what} within ${ms} ms (the p95 of at least 5 samples). Shared inputs as in the untimed group of the same operation.`;
  const challengeBudget = group("canary-challenge.verify", timedComment("the provider decides on a challenge it may answer (CAN-033)", CANARY_DECISION_LIMIT_MS), providerShared, [
    withBudget(cv("canary/budget/challenge-example-001", [], "the challenge of canary/challenge/valid/example-001", C1_COSE, NOW, H1), ["CAN-033"], CANARY_DECISION_LIMIT_MS),
    withBudget(cv("canary/budget/challenge-input-at-max-001", [], "the 16,384-byte input of canary/challenge/valid/input-at-max-001", bigInput.cose, NOW, bigInput.hash, ["SchemaRule"]), ["CAN-033"], CANARY_DECISION_LIMIT_MS),
  ]);
  // The operation decides on the challenge, then signs: both limits apply, one after the other.
  const signingBudget = CANARY_DECISION_LIMIT_MS + CANARY_SIGNING_LIMIT_MS;
  const responseBudget = group("canary-response.sign", timedComment("the provider decides on a challenge (CAN-033), then signs its response (CAN-034)", signingBudget), signingProviderShared, [
    withBudget(answers("canary/budget/response-example-001", [], "the response of canary/response-sign/example-001", C1_COSE, R1, ANSWERED), ["CAN-033", "CAN-034"], signingBudget),
  ]);

  // ---------------------------------------------------------------- the verifier's memory
  // Challenges: C1 (the example, to the provider), C2 (to the provider, another
  // nonce, ap2p.test/reverse), C3 (to the TEST 3 key), and challenges reusing C1's nonce.
  const S_C2 = challengeBody({ nonce: nonceFrom(0x10), capability: REVERSE, input: utf8("hello") });
  const S_C3 = challengeBody({ provider: OTHER.did, nonce: nonceFrom(0x20), input: utf8("xyz") });
  const S_C1_OTHER_INPUT = challengeBody({ input: utf8("abd") });
  const S_C1_TO_OTHER = challengeBody({ provider: OTHER.did });
  const S_C1_LATER = challengeBody({ issued_at: T0 + 6_000n, deadline: T0 + 11_000n });
  const S_R2 = responseOf(responseBody(hashOf(S_C2), { output: utf8("olleh"), responded_at: T0 + 900n }));
  const S_R1_AGAIN = answer({ responded_at: T0 + 900n });
  const S_R1_WRONG = answer({ output: sha256Of(utf8("abd")) });
  const S_R1_FORGED = forged(R1, PROVIDER, OTHER, RESPONSE_CT);
  const S_R1_OTHER = answer({ responder: OTHER.did }, OTHER);
  const S_R1_LATER = responseOf(responseBody(hashOf(S_C1_LATER), { responded_at: T0 + 6_500n }));

  const issue = (body: Body, oracle: JsonObject, expect = "valid"): JsonObject => ({ action: "issue", challenge: hex(challengeOf(body)), oracle, expect });
  const respond = (response: Uint8Array, now: bigint, expect = "valid"): JsonObject => ({ action: "respond", response: hex(response), now: dec(now), expect });
  const expire = (now: bigint): JsonObject => ({ action: "expire", now: dec(now), expect: "valid" });
  const final = (s: JsonObject): JsonObject => {
    const { expect: _, ...rest } = s;
    return rest;
  };
  const sv = (id: string, requirements: string[], comment: string, history: JsonObject[], step: JsonObject, flags: FlagName[] = [], output?: Json): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { history, step: final(step) }, ...(output === undefined ? {} : { output }) });
  const sx = (id: string, error: string, requirements: string[], comment: string, history: JsonObject[], step: JsonObject, flags: FlagName[] = []): TestVector =>
    invalid(id, error, { requirements, comment, flags, inputs: { history, step: final(step) } });
  const timedOut = (...bodies: Body[]) => ({ timed_out: bodies.map((b) => ({ challenge_hash: hex(hashOf(b)), provider: b["provider"] as string, error: "CANARY_RESPONSE_LATE" })) });
  const ORACLE_C3 = expected(sha256Of(utf8("xyz")), OCTETS);
  const I1 = issue(C1, ORACLE_SHA256);
  const I2 = issue(S_C2, ORACLE_REVERSE);
  const I3 = issue(S_C3, ORACLE_C3);
  const A1 = respond(R1_COSE, ANSWERED);

  const scenario = group(
    "canary-verifier.scenario",
    "A verifier with memory (§8.6) that remembers at most 2 challenges (shared.max_outstanding) starts empty, performs inputs.history in order (each step must give its expect), then inputs.step, whose verdict is the test's result. Steps: issue (remember a challenge the verifier issued, with its oracle), respond (verify a response arriving at now, §8.7 all steps), expire (forget every challenge whose deadline is before now, as CAN-018 permits; the output lists those never answered, each a failed canary).",
    { max_outstanding: 2 },
    [
      sv("canary/scenario/answer-once-001", ["CAN-018", "CAN-019"], "issue C1; its response is accepted", [I1], A1),
      sx("canary/scenario/replay/same-response-001", "CANARY_REPLAYED", ["CAN-019"], "issue C1; the response is accepted; the same bytes again 50 ms later", [I1, A1], respond(R1_COSE, T0 + 900n), ["CanaryReplay"]),
      sx("canary/scenario/replay/second-answer-001", "CANARY_REPLAYED", ["CAN-019"], "issue C1; the response is accepted; a second correct response (another responded_at) to the same challenge", [I1, A1], respond(S_R1_AGAIN, T0 + 900n), ["CanaryReplay"]),
      sx("canary/scenario/replay/after-wrong-output-001", "CANARY_REPLAYED", ["CAN-019"], "issue C1; a wrong output uses the challenge up; the correct answer afterwards is a replay, so an oracle cannot be searched", [I1, respond(S_R1_WRONG, ANSWERED, "CANARY_WRONG_OUTPUT")], respond(R1_COSE, T0 + 900n), ["CanaryReplay"]),
      sx("canary/scenario/replay/after-late-001", "CANARY_REPLAYED", ["CAN-019"], "issue C1; a late answer uses the challenge up; the same answer again", [I1, respond(R1_COSE, DEADLINE + 1n, "CANARY_RESPONSE_LATE")], respond(R1_COSE, DEADLINE + 2n), ["CanaryReplay"]),
      sv("canary/scenario/replay/forged-does-not-use-up-001", ["CAN-019"], "issue C1; a forged response (bad signature) is rejected and does not use the challenge up; the provider's answer is then accepted", [I1, respond(S_R1_FORGED, ANSWERED, "SIG_INVALID")], respond(R1_COSE, T0 + 900n), ["CanaryReplay"]),
      sv("canary/scenario/replay/misdirected-does-not-use-up-001", ["CAN-014", "CAN-019"], "issue C1; the TEST 3 key's answer is rejected and does not use the challenge up; the provider's answer is then accepted", [I1, respond(S_R1_OTHER, ANSWERED, "CANARY_WRONG_PROVIDER")], respond(R1_COSE, T0 + 900n), ["CanaryReplay", "Misdirected"]),
      sv("canary/scenario/replay/other-challenge-unaffected-001", ["CAN-019"], "issue C1 and C2; C1 is answered; C2's answer is still accepted", [I1, I2, A1], respond(S_R2, T0 + 900n)),
      sx("canary/scenario/nonce/reused-001", "CANARY_NONCE_REUSED", ["CAN-002"], "issue C1; then a challenge with C1's nonce and another input", [I1], issue(S_C1_OTHER_INPUT, ORACLE_SHA256), ["NonceReuse"]),
      sx("canary/scenario/nonce/same-challenge-twice-001", "CANARY_NONCE_REUSED", ["CAN-002"], "issue C1 twice", [I1], I1, ["NonceReuse"]),
      sx("canary/scenario/nonce/other-provider-001", "CANARY_NONCE_REUSED", ["CAN-002"], "issue C1; then a challenge to the TEST 3 key with C1's nonce", [I1], issue(S_C1_TO_OTHER, ORACLE_SHA256), ["NonceReuse"]),
      sx("canary/scenario/nonce/reused-after-answer-001", "CANARY_NONCE_REUSED", ["CAN-002", "CAN-018"], "issue C1; it is answered, but remembered until its deadline; then C1's nonce again", [I1, A1], issue(S_C1_OTHER_INPUT, ORACLE_SHA256), ["NonceReuse"]),
      sv("canary/scenario/nonce/reused-after-forget-001", ["CAN-002", "CAN-018"], "issue C1; forget it after its deadline; a challenge with C1's nonce issued 6 s after T0 is accepted (a later issued_at, another hash)", [I1, expire(DEADLINE + 1n)], issue(S_C1_LATER, ORACLE_SHA256), ["NonceReuse"]),
      sv("canary/scenario/nonce/reused-after-forget-answered-001", ["CAN-002", "CAN-013"], "the same, then the answer to the new challenge is accepted", [I1, expire(DEADLINE + 1n), issue(S_C1_LATER, ORACLE_SHA256)], respond(S_R1_LATER, T0 + 6_500n), ["NonceReuse"]),
      sx("canary/scenario/forgotten/after-expire-001", "CANARY_CHALLENGE_HASH_MISMATCH", ["CAN-018"], "issue C1; forget it 1 ms after its deadline; its response then names no remembered challenge", [I1, expire(DEADLINE + 1n)], respond(R1_COSE, DEADLINE + 2n), ["MemoryBound"]),
      sx("canary/scenario/forgotten/never-issued-001", "CANARY_CHALLENGE_HASH_MISMATCH", ["CAN-018"], "an empty memory; the response to C1 arrives", [], A1, ["MemoryBound"]),
      sx("canary/scenario/forgotten/other-outstanding-001", "CANARY_CHALLENGE_HASH_MISMATCH", ["CAN-013", "CAN-018"], "issue C2 only; the response to C1 arrives", [I2], A1, ["ChallengeBinding"]),
      sv("canary/scenario/expire/at-deadline-kept-001", ["CAN-018"], "issue C1; expire at its deadline forgets nothing (the deadline has not passed); the answer arriving then is accepted", [I1, expire(DEADLINE)], respond(R1_COSE, DEADLINE), ["DeadlineEdge"]),
      sv("canary/scenario/expire/timed-out-001", ["CAN-015", "CAN-018"], "issue C1 and C2; C1 is answered; 1 ms after both deadlines, C2 is forgotten as a failed canary with CANARY_RESPONSE_LATE", [I1, I2, A1], expire(DEADLINE + 1n), ["DeadlineEdge"], timedOut(S_C2)),
      sv("canary/scenario/expire/none-timed-out-001", ["CAN-015", "CAN-018"], "issue C1; it is answered; after its deadline it is forgotten, and nobody failed", [I1, A1], expire(DEADLINE + 1n), [], timedOut()),
      sv("canary/scenario/expire/before-deadline-001", ["CAN-018"], "issue C1; at its deadline nothing has timed out yet", [I1], expire(DEADLINE), ["DeadlineEdge"], timedOut()),
      sv("canary/scenario/expire/both-timed-out-001", ["CAN-015"], "issue C1 and C3; neither is answered; both time out, in issue order", [I1, I3], expire(DEADLINE + MINUTE), [], timedOut(C1, S_C3)),
      sx("canary/scenario/memory/full-001", "CANARY_TOO_MANY_OUTSTANDING", ["CAN-020"], "issue C1 and C2; a third challenge finds the memory full", [I1, I2], I3, ["MemoryBound"]),
      sx("canary/scenario/memory/full-answered-001", "CANARY_TOO_MANY_OUTSTANDING", ["CAN-020", "CAN-018"], "issue C1 and C2; C1 is answered but remembered until its deadline; a third challenge finds the memory full", [I1, I2, A1], I3, ["MemoryBound"]),
      sx("canary/scenario/memory/full-at-deadline-001", "CANARY_TOO_MANY_OUTSTANDING", ["CAN-020"], "issue C1 and C2; expire at their deadline frees nothing; a third challenge finds the memory full", [I1, I2, expire(DEADLINE)], I3, ["MemoryBound", "DeadlineEdge"]),
      sv("canary/scenario/memory/room-after-expire-001", ["CAN-020", "CAN-018"], "issue C1 and C2; forget both after their deadlines; a third challenge is accepted", [I1, I2, expire(DEADLINE + 1n)], I3, ["MemoryBound"]),
    ],
  );

  // ---------------------------------------------------------------- the test oracles
  const jv = (id: string, requirements: string[], comment: string, oracle: JsonObject, input: Uint8Array, output: Uint8Array, mediaType: string, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { oracle, input: hex(input), output: hex(output), output_media_type: mediaType } });
  const jx = (id: string, requirements: string[], comment: string, oracle: JsonObject, input: Uint8Array, output: Uint8Array, mediaType: string, flags: FlagName[] = []): TestVector =>
    invalid(id, "CANARY_WRONG_OUTPUT", { requirements, comment, flags: ["WrongOutput", ...flags], inputs: { oracle, input: hex(input), output: hex(output), output_media_type: mediaType } });
  const J = ["CAN-017", "CAN-026"];
  const JC = ["CAN-017", "CAN-022", "CAN-026"];
  const N3000 = utf8("3000");
  const NMAX = utf8("4294967295");
  const judge = group(
    "canary.judge",
    "An oracle (§8.8) judges an output: the oracle of a test capability for inputs.input, or an expected output. The same judgement serves explicit challenges and covert canaries sent as task requests (CAN-017, CAN-026). vectors/README.md defines the three test capabilities.",
    {},
    [
      jv("canary/judge/sha256/abc-001", J, "SHA-256 of abc", ORACLE_SHA256, ABC, sha256Of(ABC), OCTETS),
      jv("canary/judge/sha256/one-byte-001", J, "SHA-256 of the byte 00", ORACLE_SHA256, Uint8Array.of(0), sha256Of(Uint8Array.of(0)), OCTETS),
      jx("canary/judge/sha256/other-digest-001", J, "SHA-256 of abd for the input abc", ORACLE_SHA256, ABC, sha256Of(utf8("abd")), OCTETS),
      jx("canary/judge/sha256/hex-text-001", J, "the digest as lower-case hex text", ORACLE_SHA256, ABC, utf8(hex(sha256Of(ABC))), OCTETS),
      jx("canary/judge/sha256/media-type-001", J, "the right digest as text/plain", ORACLE_SHA256, ABC, sha256Of(ABC), TEXT),
      jx("canary/judge/sha256/trailing-byte-001", J, "the right digest and a zero byte", ORACLE_SHA256, ABC, cat(sha256Of(ABC), Uint8Array.of(0)), OCTETS),
      jv("canary/judge/reverse/text-001", J, "hello reversed", ORACLE_REVERSE, utf8("hello"), utf8("olleh"), OCTETS),
      jv("canary/judge/reverse/palindrome-001", J, "a palindrome is its own reverse", ORACLE_REVERSE, utf8("abba"), utf8("abba"), OCTETS),
      jv("canary/judge/reverse/one-byte-001", J, "one byte", ORACLE_REVERSE, Uint8Array.of(0xff), Uint8Array.of(0xff), OCTETS),
      jv("canary/judge/reverse/bytes-not-characters-001", J, "bytes are reversed, not characters: é (c3 a9) becomes a9 c3", ORACLE_REVERSE, utf8("é"), Uint8Array.of(0xa9, 0xc3), OCTETS),
      jx("canary/judge/reverse/characters-reversed-001", J, "é reversed as a character (c3 a9) instead of as bytes", ORACLE_REVERSE, utf8("aé"), utf8("éa"), OCTETS),
      jx("canary/judge/reverse/unchanged-001", J, "the input unchanged", ORACLE_REVERSE, utf8("hello"), utf8("hello"), OCTETS),
      jx("canary/judge/reverse/media-type-001", J, "the right bytes as text/plain", ORACLE_REVERSE, utf8("hello"), utf8("olleh"), TEXT),
      jv("canary/judge/factor/smallest-001", JC, '"2 1500" for 3000', ORACLE_FACTOR, N3000, utf8("2 1500"), TEXT, ["CheckFunction"]),
      jv("canary/judge/factor/middle-001", JC, '"40 75" for 3000', ORACLE_FACTOR, N3000, utf8("40 75"), TEXT, ["CheckFunction"]),
      jv("canary/judge/factor/square-001", JC, '"2 2" for 4: p = q', ORACLE_FACTOR, utf8("4"), utf8("2 2"), TEXT, ["CheckFunction"]),
      jv("canary/judge/factor/max-input-001", JC, '"65535 65537" for 4294967295 = 2^32 − 1, the largest input', ORACLE_FACTOR, NMAX, utf8("65535 65537"), TEXT, ["CheckFunction"]),
      jv("canary/judge/factor/max-input-smallest-001", JC, '"3 1431655765" for 4294967295', ORACLE_FACTOR, NMAX, utf8("3 1431655765"), TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/one-001", JC, '"1 3000": p must exceed 1', ORACLE_FACTOR, N3000, utf8("1 3000"), TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/swapped-001", JC, '"1500 2": p must not exceed q', ORACLE_FACTOR, N3000, utf8("1500 2"), TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/wrong-product-001", JC, '"2 1501"', ORACLE_FACTOR, N3000, utf8("2 1501"), TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/one-number-001", JC, '"3000" alone', ORACLE_FACTOR, N3000, N3000, TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/empty-001", JC, "the empty output", ORACLE_FACTOR, N3000, new Uint8Array(0), TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/prime-001", JC, '"1 65537" for the prime 65537, which has no correct answer', ORACLE_FACTOR, utf8("65537"), utf8("1 65537"), TEXT, ["CheckFunction"]),
      jx("canary/judge/factor/prime-empty-001", JC, "the empty output for the prime 65537", ORACLE_FACTOR, utf8("65537"), new Uint8Array(0), TEXT, ["CheckFunction"]),
      jv("canary/judge/expected/match-001", J, "an expected output: the same bytes and media type", expected(utf8("42"), TEXT), utf8("6 * 7"), utf8("42"), TEXT),
      jv("canary/judge/expected/empty-001", J, "an expected empty output", expected(new Uint8Array(0), OCTETS), ABC, new Uint8Array(0), OCTETS),
      jx("canary/judge/expected/bytes-001", J, "other bytes", expected(utf8("42"), TEXT), utf8("6 * 7"), utf8("42.0"), TEXT),
      jx("canary/judge/expected/media-type-001", J, "the same bytes, another media type", expected(utf8("42"), TEXT), utf8("6 * 7"), utf8("42"), "text/plain; charset=utf-8"),
    ],
  );

  // ---------------------------------------------------------------- the canary rate
  const rate = (id: string, comment: string, f: bigint, n: bigint, eps: bigint, check?: bigint): TestVector => {
    const q = minimumCanaryRatePpm({ cheaterFractionPpm: f, tasksPerProvider: n, targetErrorPpm: eps });
    if (check !== undefined && q !== check) throw new Error(`${id}: ${q} ppm, expected ${check}`);
    return valid(id, { requirements: ["CAN-027"], comment, inputs: { cheater_fraction_ppm: dec(f), tasks_per_provider: dec(n), target_error_ppm: dec(eps) }, output: { rate_ppm: dec(q) } });
  };
  const rates = group(
    "canary.rate",
    "The smallest covert canary rate of §8.9.4, q ≥ f / ((1 − f) · n · e · ε), in parts per million rounded up and at most 1,000,000, with e truncated to 24 decimal places (which can only round q up). Inputs in ppm where they are fractions.",
    {},
    [
      rate("canary/rate/spec-example-001", "the example of §8.9.4: f = 20 %, n = 100, ε = 1 %: 91,970 ppm", 200_000n, 100n, 10_000n, 91_970n),
      rate("canary/rate/no-cheaters-001", "f = 0: no canaries needed", 0n, 100n, 10_000n, 0n),
      rate("canary/rate/capped-001", "f = 50 %, n = 1, ε = 1 ppm: the bound exceeds 1, so every task is a canary", 500_000n, 1n, 1n, 1_000_000n),
      rate("canary/rate/few-cheaters-001", "f = 1 %, n = 50, ε = 0.1 %", 10_000n, 50n, 1_000n),
      rate("canary/rate/many-tasks-001", "f = 10 %, n = 1,000,000, ε = 1 ppm", 100_000n, 1_000_000n, 1n),
      rate("canary/rate/tiny-001", "f = 1 ppm, n = 1,000, ε = 100 %: a tiny rate rounds up to 1 ppm", 1n, 1_000n, 1_000_000n, 1n),
      rate("canary/rate/almost-all-cheat-001", "f = 999,999 ppm, n = 10^9, ε = 100 %", 999_999n, 1_000_000_000n, 1_000_000n),
    ],
  );

  // ---------------------------------------------------------------- fallback
  const [P1, P2, P3, P4, P5] = [ALICE.did, BOB.did, CAROL.did, DAVE.did, ERIN.did] as [string, string, string, string, string];
  type Attempt = [string, string];
  const fin = (candidates: string[], budget: number, excluded: string[], outcomes: Record<string, string>): JsonObject => ({ candidates, budget, excluded, outcomes });
  const attemptsOf = (attempts: Attempt[]): Json => attempts.map(([peer, outcome]) => ({ peer, outcome }));
  const failedOf = (excluded: string[], attempts: Attempt[]): Json => [...new Set([...excluded, ...attempts.filter(([, o]) => o !== "pass").map(([p]) => p)])].sort();
  const chooses = (id: string, requirements: string[], comment: string, i: JsonObject, attempts: Attempt[], chosen: string): TestVector =>
    valid(id, { requirements, comment, flags: ["FallbackOrder"], inputs: i, output: { chosen, attempts: attemptsOf(attempts), failed: failedOf(i["excluded"] as string[], attempts) } });
  const stops = (id: string, error: string, requirements: string[], comment: string, i: JsonObject): TestVector => invalid(id, error, { requirements, comment, flags: ["FallbackOrder"], inputs: i });
  const records = (id: string, requirements: string[], comment: string, i: JsonObject, attempts: Attempt[]): TestVector =>
    valid(id, { requirements, comment, flags: ["FallbackOrder"], inputs: i, output: { attempts: attemptsOf(attempts), failed: failedOf(i["excluded"] as string[], attempts) } });
  const WO = "CANARY_WRONG_OUTPUT";
  const LATE = "CANARY_RESPONSE_LATE";
  const SIG = "SIG_INVALID";
  const NOT_OFFERED = "CAPABILITY_NOT_OFFERED";
  // The example of §8.11.1: candidates [P1, P2, P1, P3, P4], failure memory {P3}.
  const ex = (budget: number, p4: string) => fin([P1, P2, P1, P3, P4], budget, [P3], { [P1]: WO, [P2]: LATE, [P3]: "pass", [P4]: p4 });
  const EX2 = ex(2, "pass");
  const EX5 = ex(5, WO);
  const all = (o: string) => ({ [P1]: o, [P2]: o, [P3]: o, [P4]: o, [P5]: o });
  const NO_CANDIDATES_LAST = fin([P1, P2], 2, [], { [P1]: WO, [P2]: LATE });
  const EMPTY = fin([], 3, [], {});
  const ALL_EXCLUDED = fin([P1, P2], 3, [P1, P2], { [P1]: "pass", [P2]: "pass" });
  const BUDGET_1 = fin([P1, P2], 1, [], { [P1]: SIG, [P2]: "pass" });
  const REPEATS_BUDGET_1 = fin([P1, P1, P2], 1, [], { [P1]: WO, [P2]: "pass" });
  const ONLY_REPEATS = fin([P1, P1, P1], 3, [], { [P1]: LATE });
  const fallbackPlan = group(
    "fallback.plan",
    "Fallback selection (§8.10): candidates in rank order (repeats allowed), a budget of attempts, the failure memory (excluded) and the outcome each peer's attempt gives (pass or a code). Valid: a peer is chosen; the output is the chosen peer, every attempt in order and the failure memory afterwards (sorted). Invalid: no peer is chosen, with FALLBACK_NO_CANDIDATES or FALLBACK_EXHAUSTED. P1 to P5 are the RFC 8032 TEST 1 to 3 keys and two derived keys.",
    {},
    [
      chooses("canary/fallback/example-budget-3-001", ["CAN-028", "CAN-029", "CAN-030", "CAN-032"], "§8.11.1, budget 3: P1 fails, P2 fails, P1 again is a repeat, P3 failed earlier (it would pass), P4 passes", ex(3, "pass"), [[P1, WO], [P2, LATE], [P4, "pass"]], P4),
      stops("canary/fallback/example-budget-2-001", "FALLBACK_EXHAUSTED", ["CAN-030", "CAN-031"], "§8.11.1, budget 2: P1 and P2 fail; P4 remains untried", EX2),
      stops("canary/fallback/example-budget-5-001", "FALLBACK_NO_CANDIDATES", ["CAN-028", "CAN-029", "CAN-031"], "§8.11.1, budget 5: P1, P2 and P4 fail; no candidate remains", EX5),
      chooses("canary/fallback/first-passes-001", ["CAN-030"], "the first candidate passes: one attempt, the rest untried", fin([P1, P2, P3], 3, [], all("pass")), [[P1, "pass"]], P1),
      chooses("canary/fallback/repeat-skipped-001", ["CAN-028"], "[P1, P1, P2] with budget 2: the repeat of P1 is skipped and uses no budget", fin([P1, P1, P2], 2, [], { [P1]: WO, [P2]: "pass" }), [[P1, WO], [P2, "pass"]], P2),
      chooses("canary/fallback/excluded-would-pass-001", ["CAN-029"], "P1 failed earlier in the delegation and is never tried again, although it would pass now", fin([P1, P2], 2, [P1], { [P1]: "pass", [P2]: "pass" }), [[P2, "pass"]], P2),
      chooses("canary/fallback/pass-on-last-attempt-001", ["CAN-030"], "budget 3: the third attempt passes", fin([P1, P2, P3, P4], 3, [], { [P1]: WO, [P2]: NOT_OFFERED, [P3]: "pass", [P4]: "pass" }), [[P1, WO], [P2, NOT_OFFERED], [P3, "pass"]], P3),
      chooses("canary/fallback/reverse-rank-001", ["CAN-028"], "[P5, P4, P3, P2, P1]: rank order, not peer-id order", fin([P5, P4, P3, P2, P1], 5, [], { ...all("pass"), [P5]: LATE, [P4]: SIG }), [[P5, LATE], [P4, SIG], [P3, "pass"]], P3),
      chooses("canary/fallback/interleaved-repeats-001", ["CAN-028", "CAN-030"], "[P2, P3, P2, P3, P1] with budget 3: both repeats skipped, P1 chosen on the third attempt", fin([P2, P3, P2, P3, P1], 3, [], { [P1]: "pass", [P2]: WO, [P3]: WO }), [[P2, WO], [P3, WO], [P1, "pass"]], P1),
      chooses("canary/fallback/repeats-and-excluded-001", ["CAN-028", "CAN-029"], "[P3, P1, P3, P4, P1, P5] with P3 and P4 excluded: P1 fails, P5 passes", fin([P3, P1, P3, P4, P1, P5], 2, [P3, P4], { ...all("pass"), [P1]: LATE }), [[P1, LATE], [P5, "pass"]], P5),
      chooses("canary/fallback/large-budget-001", ["CAN-030"], "a budget of 10 for two candidates", fin([P1, P2], 10, [], { [P1]: WO, [P2]: "pass" }), [[P1, WO], [P2, "pass"]], P2),
      stops("canary/fallback/no-candidates/empty-001", "FALLBACK_NO_CANDIDATES", ["CAN-031"], "no candidates at all", EMPTY),
      stops("canary/fallback/no-candidates/all-excluded-001", "FALLBACK_NO_CANDIDATES", ["CAN-029", "CAN-031"], "every candidate failed earlier (they would pass now): nothing is attempted", ALL_EXCLUDED),
      stops("canary/fallback/no-candidates/before-exhausted-001", "FALLBACK_NO_CANDIDATES", ["CAN-031"], "[P1, P2] with budget 2, both fail: the budget is spent and no candidate remains; no candidate left is reported", NO_CANDIDATES_LAST),
      stops("canary/fallback/no-candidates/only-repeats-001", "FALLBACK_NO_CANDIDATES", ["CAN-028", "CAN-031"], "[P1, P1, P1] with budget 3: one attempt, then only repeats", ONLY_REPEATS),
      stops("canary/fallback/exhausted/budget-1-001", "FALLBACK_EXHAUSTED", ["CAN-030", "CAN-031"], "[P1, P2] with budget 1: P1 fails; P2 (which would pass) is not tried", BUDGET_1),
      stops("canary/fallback/exhausted/repeat-not-counted-001", "FALLBACK_EXHAUSTED", ["CAN-028", "CAN-030", "CAN-031"], "[P1, P1, P2] with budget 1: P1 fails; the repeat is skipped, P2 remains", REPEATS_BUDGET_1),
    ],
  );
  const fallbackAttempts = group(
    "fallback.attempts",
    "The attempt record (CAN-032) and the failure memory after fallback (CAN-029), whatever the verdict: for the plans of fallback.plan that choose no peer, whose verdict alone does not show the order of the attempts. The output is every attempt in order and the failure memory (sorted).",
    {},
    [
      records("canary/fallback-attempts/example-budget-2-001", ["CAN-028", "CAN-030", "CAN-032"], "§8.11.1, budget 2", EX2, [[P1, WO], [P2, LATE]]),
      records("canary/fallback-attempts/example-budget-5-001", ["CAN-028", "CAN-029", "CAN-032"], "§8.11.1, budget 5; afterwards the failure memory is {P1, P2, P3, P4}", EX5, [[P1, WO], [P2, LATE], [P4, WO]]),
      records("canary/fallback-attempts/empty-001", ["CAN-032"], "no candidates: no attempts", EMPTY, []),
      records("canary/fallback-attempts/all-excluded-001", ["CAN-029", "CAN-032"], "every candidate excluded: no attempts", ALL_EXCLUDED, []),
      records("canary/fallback-attempts/before-exhausted-001", ["CAN-032"], "[P1, P2] with budget 2, both fail", NO_CANDIDATES_LAST, [[P1, WO], [P2, LATE]]),
      records("canary/fallback-attempts/only-repeats-001", ["CAN-028", "CAN-032"], "[P1, P1, P1]: one attempt", ONLY_REPEATS, [[P1, LATE]]),
      records("canary/fallback-attempts/budget-1-001", ["CAN-030", "CAN-032"], "[P1, P2] with budget 1", BUDGET_1, [[P1, SIG]]),
      records("canary/fallback-attempts/repeat-not-counted-001", ["CAN-028", "CAN-032"], "[P1, P1, P2] with budget 1", REPEATS_BUDGET_1, [[P1, WO]]),
    ],
  );

  return {
    name: "canary",
    description:
      "Tier 2 canaries and fallback selection (spec/08-canaries.md): the provider's checks of a challenge, the verifier's checks of a response (binding, provider, deadline, oracle), the verifier's memory (replay, nonce reuse, forgetting, its bound), the test oracles ap2p.test/sha256, reverse and factor, signing challenges and responses, the covert canary rate, and the fallback order. Operations canary-challenge.verify, canary-challenge.sign, canary-response.verify, canary-response.sign, canary-verifier.scenario, canary.judge, canary.rate, fallback.plan and fallback.attempts. The verifier is the RFC 8032 TEST 1 key, the provider TEST 2, another peer TEST 3. T0 = 2026-01-01T00:00:00Z = 1767225600000 ms.",
    groups: [challengeValid, challengeInvalid, challengePolicy, challengeSign, responseValid, responseInvalid, responseSign, scenario, judge, rates, fallbackPlan, fallbackAttempts, challengeBudget, responseBudget],
  };
}

export const canaryFile: VectorFileModule = { name: "canary", build };
