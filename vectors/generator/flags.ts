// The flag glossary. A test carries flags naming what is notable about it; a
// file's header lists the flags its tests use, with these descriptions. Flag
// names are stable: consumers filter on them (for example to report every
// MixedOrderR test separately).

/** Kinds of defect, as in Project Wycheproof (vectors/schema/vector-file.schema.json). */
export type BugType =
  | "BASIC"
  | "CAN_OF_WORMS"
  | "CONFUSION"
  | "EDGE_CASE"
  | "ENCODING"
  | "LEGACY"
  | "MALLEABILITY"
  | "REPLAY"
  | "TIMING"
  | "WRONG_PRIMITIVE"
  | "FUNCTIONALITY"
  | "SYBIL"
  | "INTEROP";

/** One glossary entry. */
export interface FlagInfo {
  readonly bug_type: BugType;
  readonly description: string;
  readonly effect: string;
}

const flag = (bug_type: BugType, description: string, effect: string): FlagInfo => ({ bug_type, description, effect });

/** Every flag the corpus uses. */
export const FLAGS = {
  Rfc8032: flag("BASIC", "A known answer from RFC 8032 §7.1.", "An implementation that fails it does not implement Ed25519."),
  NonShortestHead: flag(
    "ENCODING",
    "An integer, length or count written with more bytes than its value needs (RFC 8949 §4.2.1).",
    "A second encoding of the same value: two verifiers could hash or sign different bytes for one message.",
  ),
  IndefiniteLength: flag("ENCODING", "An indefinite-length string, array or map.", "A second encoding of the same value."),
  UnsortedKeys: flag("ENCODING", "Map keys not in bytewise order of their encodings.", "A second encoding of the same map."),
  DuplicateKey: flag(
    "CONFUSION",
    "The same map key twice.",
    "Two parsers may keep different values (first or last), so two verifiers would see two messages under one signature.",
  ),
  MapKeyType: flag("ENCODING", "A map key that is not a text string.", "Not a message of the data model."),
  Float: flag("ENCODING", "A floating-point value of some width.", "Floats have several encodings of one value and are not in the data model."),
  Tag: flag("ENCODING", "A CBOR tag inside a message.", "Tags change the meaning of the item they wrap; the data model has none."),
  SimpleValue: flag("ENCODING", "null, undefined or another simple value besides false and true.", "Not in the data model."),
  InvalidUtf8: flag("ENCODING", "A text string whose bytes are not valid UTF-8.", "Decoders repair or reject it differently."),
  DepthLimit: flag("EDGE_CASE", "Nesting exactly at or one beyond the limit of 16.", "Unbounded nesting exhausts a recursive decoder's stack."),
  SizeLimit: flag(
    "EDGE_CASE",
    "An input exactly at or one byte beyond the 65,536-byte limit. Such inputs are large (about 128 KiB of hex each).",
    "Unbounded input exhausts memory before any check runs.",
  ),
  TrailingBytes: flag("ENCODING", "Bytes after the single top-level item.", "Data outside what is signed or hashed rides along unnoticed."),
  Truncated: flag("BASIC", "The input ends inside an item.", "A decoder that reads past the end reads memory it does not own."),
  ReservedEncoding: flag("ENCODING", "A reserved additional-information value or a misplaced break code.", "Not well-formed CBOR."),
  IntegerRange: flag("EDGE_CASE", "An integer at or beyond the range of its type or the bound of its field.", "Silent truncation or wrap-around."),
  DefaultValueEncoded: flag(
    "ENCODING",
    "A field without explicit presence encoded with its default value, or an empty repeated field.",
    "A second encoding of the same message.",
  ),
  ExplicitPresence: flag(
    "EDGE_CASE",
    "A field with explicit presence set to its default value: present, so encoded.",
    "An encoder that drops it changes the message's meaning and its bytes.",
  ),
  OneofConflict: flag(
    "CONFUSION",
    "Two or more members of one oneof present in a message, including members set to the empty message.",
    "Two receivers that keep the first or the last member read two different messages from one encoding.",
  ),
  UnknownField: flag(
    "CONFUSION",
    "A map key that is not a field of the message, including a field name in the JSON (camelCase) spelling.",
    "A field one verifier ignores and another reads lets them see different messages under one signature.",
  ),
  SchemaRule: flag("BASIC", "A value that breaks one of the schema's field rules (§3.5).", "Ill-formed data accepted downstream."),
  CodePoints: flag(
    "EDGE_CASE",
    "A string whose length in code points differs from its length in bytes or UTF-16 units.",
    "An implementation that counts bytes or UTF-16 units enforces a different limit.",
  ),
  NonCanonicalKey: flag(
    "ENCODING",
    "A public key whose encoding is not canonical: y ≥ p, or x = 0 with the sign bit set (RFC 8032 §5.1.3).",
    "One key with several spellings, hence several peer ids.",
  ),
  SmallOrderKey: flag(
    "WRONG_PRIMITIVE",
    "A public key that is one of the eight points of small order.",
    "Under a permissive verifier, R = identity and S = 0 is a valid signature by such a key on every message.",
  ),
  KeyNotOnCurve: flag("WRONG_PRIMITIVE", "A canonical key encoding that decodes to no curve point.", "Undefined arithmetic in the verifier."),
  SignatureMalleability: flag(
    "MALLEABILITY",
    "S is not below the group order L (for example S + L of a valid signature).",
    "A second valid-looking signature on the same message, made without the key.",
  ),
  NonCanonicalR: flag("ENCODING", "R is not a canonical point encoding.", "Signature malleability through a second spelling of R."),
  SmallOrderR: flag("WRONG_PRIMITIVE", "R is one of the eight points of small order.", "Degenerate signatures that libraries treat differently."),
  MixedOrderR: flag(
    "CAN_OF_WORMS",
    "R = [r]B + T with T a nonzero point of small order, made by the key holder: the signature satisfies the cofactored equation [8][S]B = [8]R + [8][k]A but not the cofactorless one [S]B = R + [k]A. RFC 8032 §5.1.7 permits either equation, so cofactored verifiers (ZIP-215, @noble/ed25519's default) accept it and cofactorless verifiers (libsodium, OpenSSL, the AP2P reference) reject it. SIG-011 allows both verdicts; SIG-014 recommends rejection. Either verdict conforms.",
    "Only the key holder can make one, so it forges nothing, but it can make two conforming verifiers disagree about one signature.",
  ),
  MixedOrderKey: flag(
    "CAN_OF_WORMS",
    "A public key A = [a]B + T with T a nonzero point of small order. It is canonical, on the curve and not of small order, so it passes ID-003. When 8 does not divide k, its honest-looking signatures satisfy only the cofactored equation: cofactored verifiers accept, cofactorless ones (libsodium, OpenSSL, the AP2P reference) reject. SIG-011 allows both verdicts; SIG-014 recommends rejection. Either verdict conforms.",
    "A key holder can make signatures that conforming verifiers disagree on.",
  ),
  WrongSignature: flag("BASIC", "A signature made over other bytes, by another key, or altered after signing.", "A forgery accepted."),
  SigStructure: flag(
    "WRONG_PRIMITIVE",
    "A signature made by the right key over bytes other than the RFC 9052 §4.4 Sig_structure AP2P defines.",
    "Signatures that do not bind the protected header, or that bind it differently, can be moved between contexts.",
  ),
  EnvelopeShape: flag("BASIC", "A COSE_Sign1 structure of the wrong shape or types.", "Parser confusion."),
  HeaderParameter: flag(
    "CONFUSION",
    "A header parameter AP2P does not define, a missing one, or one in the unprotected header.",
    "A parameter outside the signature, or one that one verifier honours and another ignores, changes what is verified.",
  ),
  WrongAlgorithm: flag("CONFUSION", "An algorithm other than EdDSA (-8).", "Algorithm substitution."),
  CrossKindReplay: flag(
    "CONFUSION",
    "A valid signature made for one message kind, presented as another kind (the content type does not match).",
    "A statement signed for one purpose accepted for another.",
  ),
  KidConfusion: flag(
    "CONFUSION",
    "The kid names another key than the one that signed, or the message names another signer than the kid.",
    "A message attributed to a peer that did not sign it.",
  ),
  DidSyntax: flag("BASIC", "An identifier that is not the one did:key form AP2P accepts.", "Two spellings of one peer, or a peer id that names no usable key."),
  Unsigned: flag("BASIC", "A message presented without a signature.", "An unauthenticated claim relied upon."),
  DefectOrder: flag(
    "EDGE_CASE",
    "An input with two defects, one of which is found first: by the order of spec §4.5 (the key and header before the signature, the structure before the signature: SEC-003), by the order of the delegation procedure (tier negotiation before the reputation floor: §10.4, DLG-003), by the order of a registry's checks of a publish (§6.2) or a client's checks of an answer (§6.7), or, for a point encoding, by RFC 8032 §5.1.3, which rejects a non-canonical y before anything is known about the point.",
    "A verifier that checks the signature before the structure does expensive work on junk, or reports a different code.",
  ),
  ClockSkewEdge: flag(
    "TIMING",
    "A time exactly at an edge of the validity window widened by the clock-skew allowance, or one millisecond beyond it.",
    "Off-by-one errors at the edges accept stale descriptors or reject fresh ones.",
  ),
  TtlLimit: flag("EDGE_CASE", "A lifetime exactly at or one millisecond beyond the verifier's maximum TTL.", "Long-lived descriptors outlive the peer's real state."),
  SeqRollback: flag("REPLAY", "A descriptor whose seq is not greater than one already accepted from the same peer.", "Replay of a withdrawn or superseded descriptor."),
  Tombstone: flag("FUNCTIONALITY", "A withdrawal tombstone.", "A withdrawn peer stays discoverable."),
  ProducerRefuses: flag(
    "BASIC",
    "A produce operation whose input breaks a rule: a conforming signer or encoder refuses it with the code a verifier would report.",
    "Ill-formed messages signed and sent.",
  ),
  SpecExample: flag("BASIC", "The worked example of the specification, reproduced exactly.", "An implementation that fails it does not compute what the specification prints."),
  SelfAttestation: flag(
    "CONFUSION",
    "A peer's statement about itself: an attestation whose attester is its provider, or a provider's own attestations and the trust it passes on, which must never reach its own score.",
    "Self-promotion: a provider raises its own reputation.",
  ),
  OutcomeTier: flag(
    "CONFUSION",
    "An outcome that the named verification tier cannot produce (a canary failure at Tier 1, rejected evidence below Tier 3).",
    "Negative evidence claimed for checks that were never applied.",
  ),
  DecayEdge: flag(
    "EDGE_CASE",
    "An age at an exact number of half-lives, between two (the straight-line interpolation, floored once), one millisecond from either, or at the cut-off of 20 half-lives.",
    "An implementation that uses floating point, rounds instead of flooring, or floors in two places gets another weight, so peers disagree on scores.",
  ),
  DuplicateAttestation: flag(
    "REPLAY",
    "Several attestations of one delegation (the same attester, provider and task_hash): repeated, corrected later, or tied on issued_at.",
    "Counting each lets one delegation vote many times; choosing the survivor differently makes the score depend on arrival order.",
  ),
  SybilCluster: flag(
    "SYBIL",
    "Identities that nobody the evaluator trusts has good experience with (no attack edge), praising each other and rating others.",
    "A function that counts votes lets free identities set any score.",
  ),
  AttackEdge: flag(
    "SYBIL",
    "Trust that reaches attacker identities along a real good experience, damped per hop and normalised by the floor L.",
    "An implementation that does not damp, normalise or cut trust off at the depth gives attacker identities more weight than the bound of spec §7.8.",
  ),
  TrustPath: flag(
    "FUNCTIONALITY",
    "Trust in a rater that flows from the evaluator through other raters, one or more hops away, up to or beyond the depth D.",
    "An implementation that walks further or less far than D, or splits trust differently, weighs raters differently.",
  ),
  RaterCap: flag(
    "EDGE_CASE",
    "Evidence of one rater about one provider below, at or above the cap C, or a rater weight that reaches one unit.",
    "Without the cap one trusted rater outweighs the evaluator by signing many attestations.",
  ),
  Newcomer: flag(
    "FUNCTIONALITY",
    "A provider with no counted evidence: it scores exactly the prior.",
    "A prior at or above one half makes whitewashing (starting over under a new identity) pay.",
  ),
  OrderIndependence: flag("FUNCTIONALITY", "The same attestations as another test, in another order.", "Scores that depend on the order of arrival differ between peers."),
  TieBreak: flag(
    "EDGE_CASE",
    "Two items equal on the first key of an ordering, decided by the next (position, then peer_id in bytewise order, which differs from a case-insensitive or locale order).",
    "Two implementations order candidates differently and contact different providers.",
  ),
  TierDowngrade: flag(
    "CONFUSION",
    "A candidate that does not list every tier the task's verification level requires.",
    "A task delegated to a provider that never agreed to the checks its level needs, so they do not happen.",
  ),
  ReputationFloor: flag("EDGE_CASE", "A reputation exactly at, or one below, the rule's minimum.", "Off-by-one errors admit or drop a candidate."),
  SideEffect: flag(
    "FUNCTIONALITY",
    "A capability with an output of modality ACTION (a side effect in the world: sending, posting, paying), alone or among other outputs.",
    "A task that acts in the world is delegated at a verification level meant for tasks whose failures are cheap to discard.",
  ),
  RiskPolicyShape: flag(
    "BASIC",
    "A risk policy that misses a risk class, repeats one, or lowers the verification level as risk rises.",
    "A riskier task delegated with less verification than a safer one.",
  ),
  WindowLimit: flag(
    "EDGE_CASE",
    "A canary window (deadline − issued_at) that is empty, one millisecond long, exactly at the maximum, or one millisecond beyond it.",
    "A provider tied up for an unbounded time, or challenges that must be remembered too long.",
  ),
  Misdirected: flag(
    "CONFUSION",
    "A challenge addressed to another peer than the one checking it, or a response from another peer than the one challenged.",
    "A provider does another peer's canary for it, or one peer's answer counts for another.",
  ),
  DeadlineEdge: flag(
    "TIMING",
    "A response arriving exactly at the challenge's deadline, or one millisecond or a skew allowance after it, on the verifier's clock.",
    "Off-by-one errors, or a skew allowance where none applies, fail honest providers or accept late answers.",
  ),
  ProviderClock: flag(
    "TIMING",
    "A response whose responded_at, the provider's own claim, disagrees with when it arrived on the verifier's clock.",
    "A verifier that trusts responded_at accepts a late answer by backdating, or fails an honest provider whose clock is off.",
  ),
  ChallengeBinding: flag(
    "CONFUSION",
    "A response whose challenge_hash names another challenge, the COSE_Sign1 bytes instead of the payload, or altered bytes.",
    "An answer made for one challenge, or copied from one, is accepted for another.",
  ),
  WrongOutput: flag("FUNCTIONALITY", "An output, or an output media type, the verifier's oracle does not accept.", "A provider that cannot do the task passes its canary."),
  CheckFunction: flag(
    "FUNCTIONALITY",
    "An oracle that is a check function (ap2p.test/factor): several outputs are correct, and a check decides.",
    "A verifier that compares bytes fails honest providers; one with a weak check accepts crafted outputs.",
  ),
  CanaryReplay: flag(
    "REPLAY",
    "A second response to a challenge already answered (the same bytes again, or another answer), or a rejected response that must not use the challenge up.",
    "A provider retries until the oracle accepts, an answer counts twice, or a forger spoils a challenge for the real provider.",
  ),
  NonceReuse: flag("REPLAY", "A challenge whose nonce is the nonce of a challenge the verifier still remembers, or reuses one after forgetting it.", "Two remembered challenges could have one hash, so one answer could count for both."),
  MemoryBound: flag(
    "EDGE_CASE",
    "The verifier's memory of challenges at its bound, or a challenge it has forgotten or never issued.",
    "Unbounded memory exhausts a verifier; forgetting a challenge too early reopens it to replay.",
  ),
  FallbackOrder: flag(
    "EDGE_CASE",
    "Fallback over candidates with repeats, peers that failed earlier, and budgets at the edge.",
    "Delegators disagree on the peer chosen, retry a peer that failed, or exceed their budget.",
  ),
  DetachedPayload: flag(
    "EDGE_CASE",
    "Input or output bytes that travel beside the signed message, named in it only by their SHA-256.",
    "Bytes substituted by a transport or a storage location are used as if they had been signed.",
  ),
  CapabilityOffer: flag(
    "FUNCTIONALITY",
    "A request for a capability, or at a verification tier, that the provider's current descriptor does or does not offer (Tier 1 needs no listing).",
    "A provider runs work it never offered or at a level of verification it cannot meet, or refuses a Tier 1 request it must accept.",
  ),
  DurationLimit: flag(
    "EDGE_CASE",
    "A task duration (deadline − issued_at) exactly at, or one millisecond beyond, the provider's maximum.",
    "A provider is bound to a task, and to remembering its nonce, for longer than it allows.",
  ),
  Replay: flag(
    "REPLAY",
    "A signed request delivered again, or a result, receipt chain or attestation made for another task of the same parties presented for this one.",
    "A task with side effects runs twice, or the answer to another request is accepted for this one.",
  ),
  EvidenceChain: flag(
    "FUNCTIONALITY",
    "A receipt chain with a step dropped or renumbered, a prev_hash that does not link (to the request, to the previous payload, or computed over COSE_Sign1 bytes), or data that does not flow from the request's input to the result's output.",
    "An account of work that is not the work done is accepted as evidence.",
  ),
  TimeOrder: flag(
    "TIMING",
    "Evidence times at or beyond the order rules: a step that ends before it starts, starts before the previous one ended, starts the millisecond it ended or takes no time; trace events out of order or at equal times.",
    "Evidence whose times contradict themselves is accepted, or honest back-to-back steps are rejected.",
  ),
  EvidenceWindow: flag(
    "TIMING",
    "An evidence or attestation time exactly at, or one millisecond outside, its window: [issued_at − skew, completed_at] for receipts and trace (no allowance at the end), [issued_at − skew, deadline + skew] for an attestation.",
    "Evidence claimed for before the task existed, or made after the result, is accepted; or honest evidence at the edge is rejected.",
  ),
  AttestationBinding: flag(
    "REPLAY",
    "A platform attestation made for another nonce, provider, request or time than the task's, including a valid attestation recorded from another task.",
    "A recorded quote is accepted as fresh evidence: the bug of attestation verifiers that check the signature chain but not the challenge.",
  ),
  TestAttestation: flag(
    "FUNCTIONALITY",
    "Uses the test-only attestation format ap2p-test-v1, whose root secret key is public (vectors/README.md).",
    "A verifier that registers the test format outside tests accepts attestations anyone can make.",
  ),
  AttestationPolicy: flag(
    "CONFUSION",
    "The verdict depends on the delegator's attestation policy: the formats it registers, the formats the request lists, and whether it ignores or rejects an optional attestation of a format it cannot verify.",
    "An attestation the delegator cannot verify counts as verified, or a failing one is ignored.",
  ),
  NonAsciiText: flag(
    "INTEROP",
    "Text with code points from U+0080 up, which the intent token rule keeps exactly as they are: no Unicode case mapping, case folding or normalisation (DISC-009).",
    "An implementation that lower-cases with toLowerCase or str.lower, case-folds or normalises finds matches that others do not, so registries and clients disagree and honest answers are rejected.",
  ),
  ZeroScore: flag(
    "EDGE_CASE",
    "An intent score of 0: a query intent with tokens that a capability does not share (no match), or a query intent without tokens (no intent filter).",
    "Capabilities returned for an intent they do not serve, or an empty-looking intent that filters everything out.",
  ),
  VersionPrefix: flag(
    "EDGE_CASE",
    'A version prefix that is a text prefix but not a component prefix ("1" against 10.0.0), or a version with the wrong number of components.',
    "A delegator asking for major version 1 is sent a provider of version 10.",
  ),
  OmittedAttribute: flag(
    "FUNCTIONALITY",
    "A capability that does not state the attribute a filter or a ranking component asks about (latency, price, regions, on_device, tiers, modalities, tags, intents, availability).",
    "An implementation that treats an unstated promise as satisfied returns providers that promised nothing.",
  ),
  QueryRule: flag("BASIC", "A query that breaks a rule across its fields (DISC-006): a value without its match mode, a mode without a value, an exact version without three components.", "Queries that mean different things at different registries."),
  TimeEdge: flag(
    "TIMING",
    "A time exactly at the edge of an interval, or one millisecond beside it: an availability window's start or end, the instant a token is refilled.",
    "Off-by-one errors at the edges.",
  ),
  RankOrder: flag(
    "FUNCTIONALITY",
    "Matches that the ranking key of DISC-011 orders by one of its later components: score, then breadth, latency, price, peer_id, id and version.",
    "Two registries with the same descriptors return different orders, and clients reject honest answers as out of order.",
  ),
  BytewiseOrder: flag(
    "INTEROP",
    "Strings that sort differently bytewise and by a locale-aware, case-insensitive or numeric comparison (peer ids differing first in a letter's case, 1.10.0 and 1.9.0, image-gen and image_gen).",
    "An implementation that compares with localeCompare, case folding or numeric versions orders results differently.",
  ),
  RateLimit: flag(
    "FUNCTIONALITY",
    "A publish at or beyond the limit of a token bucket (per origin or per peer), or a request that must, or must not, take a token.",
    "One source floods a registry, or a forger uses up an honest peer's tokens.",
  ),
  RemainderCarry: flag(
    "TIMING",
    "A refill whose amount depends on the remainder kept from the previous refill, or on a clock that stepped back.",
    "An implementation that drops the remainder refills too slowly; one that moves the bucket's time back credits tokens twice.",
  ),
  DescriptorSize: flag("EDGE_CASE", "A descriptor exactly at, or one byte beyond, the registry's maximum descriptor size.", "Memory per peer unbounded, or a registry that parses what it should refuse unread."),
  IdentityLimit: flag(
    "SYBIL",
    "The limit on peers per origin or on peers remembered, at or beyond its bound, with peers that are expired, withdrawn or moving between origins.",
    "Free identities fill a registry, evict honest peers, or reopen replays by being forgotten early.",
  ),
  ResultDiversity: flag("SYBIL", "Matches of one origin beyond the per-origin result limit of an answer.", "One source fills every place in an answer."),
  AnswerReplay: flag("REPLAY", "A registry answer presented for another query (another nonce) or after it went stale.", "A recorded answer passed off as the answer to a later query."),
  AnswerFreshness: flag(
    "TIMING",
    "An answer's freshness window: fresh_until not after as_of, beyond the maximum freshness, or not covered by a result's validity.",
    "Answers that outlive their results, or that a client accepts for longer than it means to.",
  ),
  IncompleteAnswer: flag("FUNCTIONALITY", "An answer that leaves out matches: no check can detect it, so a client accepts it.", "A client that expects completeness from one registry is misled; query several (DISC-025)."),
  DuplicateResult: flag("CONFUSION", "A result repeated in an answer, or two different descriptors of one peer in one answer.", "One provider counted twice, or a superseded descriptor served beside its replacement."),
} as const satisfies Record<string, FlagInfo>;

/** The name of a flag. */
export type FlagName = keyof typeof FLAGS;
