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
    "An input with two defects, one of which is found first: by the order of spec §4.5 (the key and header before the signature, the structure before the signature: SEC-003), or, for a point encoding, by RFC 8032 §5.1.3, which rejects a non-canonical y before anything is known about the point.",
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
} as const satisfies Record<string, FlagInfo>;

/** The name of a flag. */
export type FlagName = keyof typeof FLAGS;
