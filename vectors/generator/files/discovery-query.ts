// discovery-query.json: the query language of spec/06-discovery.md §6.3 and
// §6.4: intent tokens (DISC-009), the rules across a query's fields
// (DISC-006), and matching one capability against a query with its intent
// score (DISC-008, DISC-010). Every expected output here is written out by
// hand from the specification's text.
import { T0 } from "../constants.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";
import type { Body } from "../proto-json.js";
import {
  AUDIO,
  CALL,
  CANARY,
  CAP_ALL,
  CAP_BARE,
  capabilityJson,
  EVIDENCE,
  EXACT,
  IMAGE,
  nonce,
  PREFIX,
  queryBody,
  queryJson,
  REPUTATION,
  SECOND,
  TEXT,
  withConstraints,
} from "./discovery-common.js";

function tokens(id: string, comment: string, text: string, expected: string[], flags: FlagName[] = []): TestVector {
  return valid(id, { requirements: ["DISC-009"], comment, flags, inputs: { text }, output: { tokens: expected } });
}

const inputsOf = (capability: Body, query: Body): JsonObject => ({ capability: capabilityJson(capability), query: queryJson(queryBody(query)) });

/** A capability that matches the query, with its intent score and breadth. */
function hit(id: string, requirements: string[], comment: string, capability: Body, query: Body, score: number, breadth: number, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: inputsOf(capability, query), output: { matches: true, score, breadth } });
}
/** A capability that does not match the query. */
function miss(id: string, requirements: string[], comment: string, capability: Body, query: Body, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: inputsOf(capability, query), output: { matches: false } });
}
/** A query a registry rejects. */
function refused(id: string, error: string, requirements: string[], comment: string, query: Body, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { capability: capabilityJson(CAP_ALL), query: queryJson(queryBody(query)) } });
}

function build() {
  const tokenGroup = group(
    "query.tokenize",
    "The token set of a text (DISC-009): A-Z mapped to a-z and nothing else; a token is a maximal run of a-z, 0-9 and code points from U+0080 up. Output: the distinct tokens in order of first occurrence.",
    {},
    [
      tokens("discovery-query/tokens/ascii-case-001", "the first example of §6.4.1: ASCII upper case is mapped, punctuation separates", "Create an IMAGE!", ["create", "an", "image"]),
      tokens("discovery-query/tokens/hyphen-001", "hyphens separate, so a tag text-to-image gives three tokens", "text-to-image", ["text", "to", "image"]),
      tokens("discovery-query/tokens/digits-001", "digits belong to tokens; the dot separates", "3D model v2.1", ["3d", "model", "v2", "1"]),
      tokens("discovery-query/tokens/duplicates-001", "one token, however often and in whatever ASCII case it appears", "image Image IMAGE", ["image"]),
      tokens("discovery-query/tokens/empty-001", "no text, no tokens", "", []),
      tokens("discovery-query/tokens/separators-only-001", "only separators: no tokens", " -- !! ", []),
      tokens("discovery-query/tokens/ascii-boundaries-001", "the code points just outside the ranges separate: / (U+002F), : (U+003A), @ (U+0040), [ (U+005B), ` (U+0060), { (U+007B)", "a/0:9@B[c`d{e", ["a", "0", "9", "b", "c", "d", "e"]),
      tokens("discovery-query/tokens/underscore-001", "the underscore and other ASCII punctuation separate", "snake_case file.png a+b", ["snake", "case", "file", "png", "a", "b"]),
      tokens("discovery-query/tokens/controls-001", "tab, line feed and carriage return separate", "one\ttwo\nthree\r\nfour", ["one", "two", "three", "four"]),
      tokens("discovery-query/tokens/del-and-u0080-001", "U+007F (DEL) separates; U+0080, the first code point from U+0080 up, joins", "a\u007fb c\u0080d", ["a", "b", "c\u0080d"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/latin-diacritic-001", "ï is a token character; the hyphen separates", "naïve-bayes", ["naïve", "bayes"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/non-ascii-upper-kept-001", "É (U+00C9) is not mapped: Café gives café, CAFÉ gives cafÉ, two different tokens", "Café CAFÉ", ["café", "cafÉ"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/sharp-s-001", "ß is kept: no case folding maps it to ss", "Straße STRASSE", ["straße", "strasse"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/dotted-capital-i-001", "İ (U+0130) is kept as one code point; toLowerCase would turn it into two", "İstanbul ISTANBUL", ["İstanbul", "istanbul"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/kelvin-sign-001", "the Kelvin sign (U+212A) is not mapped to k", "\u212aelvin Kelvin", ["\u212aelvin", "kelvin"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/greek-upper-001", "Greek capitals are kept as they are", "ΜΕΤΆΦΡΑΣΗ μετάφραση", ["ΜΕΤΆΦΡΑΣΗ", "μετάφραση"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/fullwidth-001", "fullwidth Latin capitals (U+FF29 …) are not ASCII and are kept", "ＩＭＡＧＥ image", ["ＩＭＡＧＥ", "image"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/decomposed-001", "e followed by U+0301 is one token, different from the composed é: no normalisation", "cafe\u0301 café", ["cafe\u0301", "café"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/cjk-space-001", "CJK words separated by an ASCII space", "日本語 翻訳", ["日本語", "翻訳"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/cjk-ideographic-comma-001", "U+3001 (、) is from U+0080 up, so it joins the words into one token", "日本語、翻訳", ["日本語、翻訳"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/nbsp-001", "U+00A0 (no-break space) joins rather than separates", "image\u00a0generation", ["image\u00a0generation"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/zero-width-space-001", "U+200B (zero-width space) joins", "image\u200bgeneration", ["image\u200bgeneration"], ["NonAsciiText"]),
      tokens("discovery-query/tokens/supplementary-001", "a code point above U+FFFF (U+1F3A8) is one token character, in UTF-16 as in UTF-8", "🎨Art ART", ["🎨art", "art"], ["NonAsciiText"]),
    ],
  );

  // query.match: CAP_ALL states every attribute. Its tokens are create, an,
  // image, from, a, text, prompt, to (breadth 8).
  const M = ["DISC-008"];
  const Z = ["DISC-008", "DISC-010"];
  const match = group(
    "query.match",
    "One capability against one well-formed query (DISC-008, DISC-010): output { matches, score, breadth } for a match, { matches: false } otherwise. The capability CAP_ALL of these tests states every attribute a query can filter on; its intent and tags give the 8 tokens create, an, image, from, a, text, prompt, to.",
    {},
    [
      hit("discovery-query/match/namespace-only-001", Z, "a query that sets only the namespace: every capability of the namespace matches, with score 0 (no intent tokens)", CAP_ALL, {}, 0, 8, ["ZeroScore"]),
      miss("discovery-query/match/namespace-other-001", M, "another namespace", CAP_ALL, { namespace: "ai.audio" }),
      miss("discovery-query/match/namespace-not-prefix-001", M, "the namespace is compared exactly: ai is not ai.image", CAP_ALL, { namespace: "ai" }),

      hit("discovery-query/match/id-exact-001", M, "id generate, MATCH_MODE_EXACT", CAP_ALL, { id: "generate", id_match: EXACT }, 0, 8),
      miss("discovery-query/match/id-exact-prefix-only-001", M, "id gen, MATCH_MODE_EXACT: a prefix is not equal", CAP_ALL, { id: "gen", id_match: EXACT }),
      hit("discovery-query/match/id-prefix-001", M, "id gen, MATCH_MODE_PREFIX", CAP_ALL, { id: "gen", id_match: PREFIX }, 0, 8),
      hit("discovery-query/match/id-prefix-equal-001", M, "id generate, MATCH_MODE_PREFIX: equality is included", CAP_ALL, { id: "generate", id_match: PREFIX }, 0, 8),
      miss("discovery-query/match/id-prefix-longer-001", M, "id generated, MATCH_MODE_PREFIX: longer than the capability's id", CAP_ALL, { id: "generated", id_match: PREFIX }),
      miss("discovery-query/match/id-prefix-substring-001", M, "id enerate, MATCH_MODE_PREFIX: a prefix, not a substring", CAP_ALL, { id: "enerate", id_match: PREFIX }),

      hit("discovery-query/match/version-exact-001", M, "version 1.2.0, MATCH_MODE_EXACT", CAP_ALL, { version: "1.2.0", version_match: EXACT }, 0, 8),
      miss("discovery-query/match/version-exact-other-001", M, "version 1.2.1, MATCH_MODE_EXACT", CAP_ALL, { version: "1.2.1", version_match: EXACT }),
      hit("discovery-query/match/version-prefix-major-001", M, "version 1, MATCH_MODE_PREFIX, against 1.2.0", CAP_ALL, { version: "1", version_match: PREFIX }, 0, 8, ["VersionPrefix"]),
      hit("discovery-query/match/version-prefix-minor-001", M, "version 1.2, MATCH_MODE_PREFIX, against 1.2.0", CAP_ALL, { version: "1.2", version_match: PREFIX }, 0, 8, ["VersionPrefix"]),
      hit("discovery-query/match/version-prefix-full-001", M, "version 1.2.0, MATCH_MODE_PREFIX: all three components, so equality", CAP_ALL, { version: "1.2.0", version_match: PREFIX }, 0, 8, ["VersionPrefix"]),
      miss("discovery-query/match/version-prefix-10-001", M, 'version 1, MATCH_MODE_PREFIX, against 10.0.0: "1" is a text prefix of "10.0.0" but not a component prefix', { ...CAP_ALL, version: "10.0.0" }, { version: "1", version_match: PREFIX }, ["VersionPrefix"]),
      miss("discovery-query/match/version-prefix-1-20-001", M, "version 1.2, MATCH_MODE_PREFIX, against 1.20.0", { ...CAP_ALL, version: "1.20.0" }, { version: "1.2", version_match: PREFIX }, ["VersionPrefix"]),
      hit("discovery-query/match/version-prefix-1-2-10-001", M, "version 1.2, MATCH_MODE_PREFIX, against 1.2.10", { ...CAP_ALL, version: "1.2.10" }, { version: "1.2", version_match: PREFIX }, 0, 8, ["VersionPrefix"]),
      miss("discovery-query/match/version-prefix-other-major-001", M, "version 2, MATCH_MODE_PREFIX, against 1.2.0", CAP_ALL, { version: "2", version_match: PREFIX }, ["VersionPrefix"]),
      hit("discovery-query/match/version-prefix-zero-001", M, "version 0, MATCH_MODE_PREFIX, against 0.9.1", { ...CAP_ALL, version: "0.9.1" }, { version: "0", version_match: PREFIX }, 0, 8, ["VersionPrefix"]),

      hit("discovery-query/match/intent-score-001", Z, "intent 'Turn my sketch into an image!': its tokens an and image are among the capability's: score 2", CAP_ALL, { intent: "Turn my sketch into an image!" }, 2, 8),
      hit("discovery-query/match/intent-from-tag-001", Z, "intent 'Text-To-Image': text, to and image, found in the intent and in the tag text-to-image: score 3", CAP_ALL, { intent: "Text-To-Image" }, 3, 8),
      hit("discovery-query/match/intent-counts-once-001", Z, "intent 'image image IMAGE': one token, counted once", CAP_ALL, { intent: "image image IMAGE" }, 1, 8),
      miss("discovery-query/match/intent-zero-score-001", Z, "intent 'video editing': no token in common, score 0: no match", CAP_ALL, { intent: "video editing" }, ["ZeroScore"]),
      miss("discovery-query/match/intent-whole-tokens-001", Z, "intent 'imag': tokens compare whole, imag is not image", CAP_ALL, { intent: "imag" }, ["ZeroScore"]),
      hit("discovery-query/match/intent-no-tokens-001", Z, "intent ' -- !! ' has no tokens, so it is not a filter: match with score 0", CAP_ALL, { intent: " -- !! " }, 0, 8, ["ZeroScore"]),
      miss("discovery-query/match/intent-omitted-001", Z, "a capability without intents and tags against intent 'image'", CAP_BARE, { intent: "image" }, ["OmittedAttribute"]),
      hit("discovery-query/match/intent-tags-only-001", Z, "a capability with the tag image and no intents, against intent 'IMAGE'", { ...CAP_BARE, tags: ["image"] }, { intent: "IMAGE" }, 1, 1),
      hit("discovery-query/match/intent-non-ascii-001", ["DISC-008", "DISC-009", "DISC-010"], "intent 'café' against the intent 'Café au lait' (tokens café, au, lait)", { ...CAP_BARE, intents: ["Café au lait"] }, { intent: "café" }, 1, 3, ["NonAsciiText"]),
      miss("discovery-query/match/intent-non-ascii-case-001", ["DISC-008", "DISC-009", "DISC-010"], "intent 'CAFÉ' (token cafÉ) against 'Café au lait' (token café): not the same token; Unicode lower-casing would make it match", { ...CAP_BARE, intents: ["Café au lait"] }, { intent: "CAFÉ" }, ["NonAsciiText", "ZeroScore"]),
      miss("discovery-query/match/intent-sharp-s-001", ["DISC-008", "DISC-009", "DISC-010"], "intent 'STRASSE' (token strasse) against the intent 'straße'; case folding would make it match", { ...CAP_BARE, intents: ["straße"] }, { intent: "STRASSE" }, ["NonAsciiText", "ZeroScore"]),
      miss("discovery-query/match/intent-kelvin-001", ["DISC-008", "DISC-009", "DISC-010"], "intent 'kelvin' against the intent '\u212aelvin scale' (Kelvin sign U+212A); toLowerCase would make it match", { ...CAP_BARE, intents: ["\u212aelvin scale"] }, { intent: "kelvin" }, ["NonAsciiText", "ZeroScore"]),
      miss("discovery-query/match/intent-decomposed-001", ["DISC-008", "DISC-009", "DISC-010"], "intent 'cafe\u0301' (decomposed) against 'Café au lait' (composed): no normalisation", { ...CAP_BARE, intents: ["Café au lait"] }, { intent: "cafe\u0301" }, ["NonAsciiText", "ZeroScore"]),
      miss("discovery-query/match/intent-cjk-joined-001", ["DISC-008", "DISC-009", "DISC-010"], "intent '日本語、翻訳' (one token) against the intent '日本語 翻訳' (two tokens)", { ...CAP_BARE, intents: ["日本語 翻訳"] }, { intent: "日本語、翻訳" }, ["NonAsciiText", "ZeroScore"]),
      hit("discovery-query/match/intent-cjk-001", ["DISC-008", "DISC-009", "DISC-010"], "intent '翻訳' against the intent '日本語 翻訳'", { ...CAP_BARE, intents: ["日本語 翻訳"] }, { intent: "翻訳" }, 1, 2, ["NonAsciiText"]),

      hit("discovery-query/match/tags-001", M, "required_tags [image]", CAP_ALL, { required_tags: ["image"] }, 0, 8),
      hit("discovery-query/match/tags-all-001", M, "required_tags [image, text-to-image]: every one listed", CAP_ALL, { required_tags: ["image", "text-to-image"] }, 0, 8),
      miss("discovery-query/match/tags-one-missing-001", M, "required_tags [image, video]: video is not listed", CAP_ALL, { required_tags: ["image", "video"] }),
      miss("discovery-query/match/tags-whole-001", M, "required_tags [text]: tags are compared whole, not by their tokens", CAP_ALL, { required_tags: ["text"] }),
      miss("discovery-query/match/tags-omitted-001", M, "required_tags [image] against a capability without tags", CAP_BARE, { required_tags: ["image"] }, ["OmittedAttribute"]),

      hit("discovery-query/match/latency-equal-001", M, "max_latency_ms 8000 against 8000: at most", CAP_ALL, { max_latency_ms: 8000 }, 0, 8),
      miss("discovery-query/match/latency-over-001", M, "max_latency_ms 7999 against 8000", CAP_ALL, { max_latency_ms: 7999 }),
      miss("discovery-query/match/latency-omitted-001", M, "max_latency_ms 60000 against a capability that promises no latency", withConstraints(CAP_ALL, { max_latency_ms: undefined }), { max_latency_ms: 60000 }, ["OmittedAttribute"]),
      miss("discovery-query/match/latency-no-constraints-001", M, "max_latency_ms 60000 against a capability without constraints", CAP_BARE, { max_latency_ms: 60000 }, ["OmittedAttribute"]),
      hit("discovery-query/match/latency-zero-001", M, "max_latency_ms present with 0 against a capability promising 0", withConstraints(CAP_ALL, { max_latency_ms: 0 }), { max_latency_ms: 0 }, 0, 8, ["ExplicitPresence"]),
      miss("discovery-query/match/latency-zero-over-001", M, "max_latency_ms present with 0 is a filter, not an absent one: 8000 does not match", CAP_ALL, { max_latency_ms: 0 }, ["ExplicitPresence"]),

      hit("discovery-query/match/price-equal-001", M, "max_price 20000 micros EUR per call against the same price", CAP_ALL, { max_price: { currency: "EUR", amount_micros: 20000n, unit: CALL } }, 0, 8),
      miss("discovery-query/match/price-over-001", M, "max_price 19999 micros EUR per call against 20000", CAP_ALL, { max_price: { currency: "EUR", amount_micros: 19999n, unit: CALL } }),
      miss("discovery-query/match/price-currency-001", M, "max_price in USD against a price in EUR, however large", CAP_ALL, { max_price: { currency: "USD", amount_micros: 1_000_000_000n, unit: CALL } }),
      miss("discovery-query/match/price-unit-001", M, "max_price per second against a price per call", CAP_ALL, { max_price: { currency: "EUR", amount_micros: 1_000_000_000n, unit: SECOND } }),
      miss("discovery-query/match/price-omitted-001", M, "max_price against a capability that states no price", withConstraints(CAP_ALL, { price: undefined }), { max_price: { currency: "EUR", amount_micros: 1_000_000_000n, unit: CALL } }, ["OmittedAttribute"]),
      hit("discovery-query/match/price-zero-001", M, "max_price of 0 micros (amount_micros left out) against a free capability", withConstraints(CAP_ALL, { price: { currency: "EUR", unit: CALL } }), { max_price: { currency: "EUR", unit: CALL } }, 0, 8, ["ExplicitPresence"]),

      hit("discovery-query/match/regions-001", M, "allowed_regions [DE] against regions [DE]", CAP_ALL, { allowed_regions: ["DE"] }, 0, 8),
      hit("discovery-query/match/regions-superset-001", M, "allowed_regions [FR, DE] against regions [DE]", CAP_ALL, { allowed_regions: ["FR", "DE"] }, 0, 8),
      miss("discovery-query/match/regions-other-001", M, "allowed_regions [FR] against regions [DE]", CAP_ALL, { allowed_regions: ["FR"] }),
      miss("discovery-query/match/regions-not-all-001", M, "allowed_regions [DE] against regions [DE, US]: every region of the capability must be allowed", withConstraints(CAP_ALL, { regions: ["DE", "US"] }), { allowed_regions: ["DE"] }),
      miss("discovery-query/match/regions-omitted-001", M, "allowed_regions [DE] against a capability that states no regions", withConstraints(CAP_ALL, { regions: undefined }), { allowed_regions: ["DE"] }, ["OmittedAttribute"]),

      hit("discovery-query/match/on-device-001", M, "on_device_only against on_device true", CAP_ALL, { on_device_only: true }, 0, 8),
      miss("discovery-query/match/on-device-omitted-001", M, "on_device_only against a capability that does not declare on_device", withConstraints(CAP_ALL, { on_device: undefined }), { on_device_only: true }, ["OmittedAttribute"]),
      hit("discovery-query/match/on-device-not-asked-001", M, "on_device_only false (left out) is not a filter", withConstraints(CAP_ALL, { on_device: undefined }), {}, 0, 8),

      hit("discovery-query/match/available-in-window-001", M, "available_at 2026-01-01T08:00:00Z, a Thursday, minute 480: in the window Monday to Friday 08:00 to 18:00 (§6.4)", CAP_ALL, { available_at: T0 + 8n * 3_600_000n }, 0, 8),
      hit("discovery-query/match/available-last-minute-001", M, "available_at 17:59:59.999 on that Thursday: minute 1079, inside", CAP_ALL, { available_at: T0 + 18n * 3_600_000n - 1n }, 0, 8, ["TimeEdge"]),
      miss("discovery-query/match/available-window-end-001", M, "available_at 18:00:00.000 on that Thursday: minute 1080, the window's end is exclusive", CAP_ALL, { available_at: T0 + 18n * 3_600_000n }, ["TimeEdge"]),
      miss("discovery-query/match/available-before-start-001", M, "available_at 07:59:59.999 on that Thursday: minute 479", CAP_ALL, { available_at: T0 + 8n * 3_600_000n - 1n }, ["TimeEdge"]),
      miss("discovery-query/match/available-weekend-001", M, "available_at Saturday 2026-01-03T12:00:00Z: weekday 5, not in the set 31", CAP_ALL, { available_at: T0 + 2n * 86_400_000n + 12n * 3_600_000n }),
      hit("discovery-query/match/available-omitted-001", M, "available_at against a capability without windows: always available", withConstraints(CAP_ALL, { availability: undefined }), { available_at: T0 + 2n * 86_400_000n + 12n * 3_600_000n }, 0, 8, ["OmittedAttribute"]),
      hit("discovery-query/match/available-no-constraints-001", M, "available_at against a capability without constraints: always available", CAP_BARE, { available_at: T0 }, 0, 0, ["OmittedAttribute"]),
      hit("discovery-query/match/available-sunday-001", M, "available_at Sunday 2026-01-04T23:59:59.999Z against the window {weekdays 64 (Sunday), 0 to 1440}", withConstraints(CAP_ALL, { availability: [{ weekdays: 64, end_minute: 1440 }] }), { available_at: T0 + 4n * 86_400_000n - 1n }, 0, 8),
      miss("discovery-query/match/available-monday-001", M, "available_at Monday 2026-01-05T00:00:00Z against the Sunday window", withConstraints(CAP_ALL, { availability: [{ weekdays: 64, end_minute: 1440 }] }), { available_at: T0 + 4n * 86_400_000n }),
      hit("discovery-query/match/available-epoch-001", M, "available_at 0 (present): 1970-01-01, a Thursday (weekday 3), minute 0, in the window {weekdays 8, 0 to 1}", withConstraints(CAP_ALL, { availability: [{ weekdays: 8, end_minute: 1 }] }), { available_at: 0n }, 0, 8, ["ExplicitPresence"]),
      miss("discovery-query/match/available-epoch-other-day-001", M, "available_at 0 (present) against the window {weekdays 4 (Wednesday), 0 to 1}", withConstraints(CAP_ALL, { availability: [{ weekdays: 4, end_minute: 1 }] }), { available_at: 0n }, ["ExplicitPresence"]),
      hit("discovery-query/match/available-second-window-001", M, "available_at Saturday 12:00 against two windows, the second of which is Saturday and Sunday 10:00 to 14:00", withConstraints(CAP_ALL, { availability: [{ weekdays: 31, start_minute: 480, end_minute: 1080 }, { weekdays: 96, start_minute: 600, end_minute: 840 }] }), { available_at: T0 + 2n * 86_400_000n + 12n * 3_600_000n }, 0, 8),

      hit("discovery-query/match/input-modality-001", M, "input_modalities [TEXT] against an input of TEXT", CAP_ALL, { input_modalities: [TEXT] }, 0, 8),
      miss("discovery-query/match/input-modality-other-001", M, "input_modalities [IMAGE] against an input of TEXT", CAP_ALL, { input_modalities: [IMAGE] }),
      hit("discovery-query/match/input-modality-optional-001", M, "input_modalities [TEXT, IMAGE] against a TEXT input and an optional IMAGE input: optional inputs count", { ...CAP_ALL, inputs: [{ name: "prompt", modality: TEXT }, { name: "reference", modality: IMAGE, optional: true }] }, { input_modalities: [TEXT, IMAGE] }, 0, 8),
      miss("discovery-query/match/input-modality-not-all-001", M, "input_modalities [TEXT, AUDIO] against a TEXT input only", CAP_ALL, { input_modalities: [TEXT, AUDIO] }),
      miss("discovery-query/match/input-modality-omitted-001", M, "input_modalities [TEXT] against a capability without inputs", CAP_BARE, { input_modalities: [TEXT] }, ["OmittedAttribute"]),
      hit("discovery-query/match/output-modality-001", M, "output_modalities [IMAGE] against an output of IMAGE", CAP_ALL, { output_modalities: [IMAGE] }, 0, 8),
      miss("discovery-query/match/output-modality-other-001", M, "output_modalities [TEXT]: the capability's TEXT is an input, not an output", CAP_ALL, { output_modalities: [TEXT] }),
      miss("discovery-query/match/output-modality-omitted-001", M, "output_modalities [IMAGE] against a capability without outputs", CAP_BARE, { output_modalities: [IMAGE] }, ["OmittedAttribute"]),

      hit("discovery-query/match/tier-001", M, "min_tier CANARY against tiers REPUTATION, CANARY, EVIDENCE", CAP_ALL, { min_tier: CANARY }, 0, 8),
      miss("discovery-query/match/tier-too-low-001", M, "min_tier EVIDENCE against tiers REPUTATION and CANARY", { ...CAP_ALL, supported_tiers: [REPUTATION, CANARY] }, { min_tier: EVIDENCE }),
      hit("discovery-query/match/tier-higher-only-001", M, "min_tier REPUTATION against the tier EVIDENCE alone: a tier at least as high", { ...CAP_ALL, supported_tiers: [EVIDENCE] }, { min_tier: REPUTATION }, 0, 8),
      miss("discovery-query/match/tier-omitted-001", M, "min_tier REPUTATION against a capability that lists no tiers", CAP_BARE, { min_tier: REPUTATION }, ["OmittedAttribute"]),

      hit(
        "discovery-query/match/every-filter-001",
        Z,
        "every filter set at once, each satisfied",
        CAP_ALL,
        {
          id: "gen",
          id_match: PREFIX,
          version: "1.2",
          version_match: PREFIX,
          intent: "an image, from a prompt",
          required_tags: ["text-to-image"],
          max_latency_ms: 10000,
          max_price: { currency: "EUR", amount_micros: 50000n, unit: CALL },
          allowed_regions: ["DE", "AT", "CH"],
          on_device_only: true,
          available_at: T0 + 9n * 3_600_000n,
          input_modalities: [TEXT],
          output_modalities: [IMAGE],
          min_tier: EVIDENCE,
        },
        5,
        8,
      ),
      miss("discovery-query/match/every-filter-one-fails-001", M, "every filter set, each satisfied but the tier: one unsatisfied filter is enough", { ...CAP_ALL, supported_tiers: [REPUTATION] }, {
        id: "gen",
        id_match: PREFIX,
        version: "1.2",
        version_match: PREFIX,
        intent: "an image, from a prompt",
        required_tags: ["text-to-image"],
        max_latency_ms: 10000,
        max_price: { currency: "EUR", amount_micros: 50000n, unit: CALL },
        allowed_regions: ["DE", "AT", "CH"],
        on_device_only: true,
        available_at: T0 + 9n * 3_600_000n,
        input_modalities: [TEXT],
        output_modalities: [IMAGE],
        min_tier: EVIDENCE,
      }),
    ],
  );

  const Q6 = ["DISC-006"];
  const queries = group(
    "query.match",
    "Queries a registry rejects (DISC-006): schema rules of §3.5 with their codes, then the rules across fields with DISC_QUERY_INVALID. The capability is CAP_ALL; it plays no part.",
    {},
    [
      refused("discovery-query/query/id-without-mode-001", "DISC_QUERY_INVALID", Q6, "id set, id_match left unset: an empty mode does not mean prefix", { id: "generate" }, ["QueryRule"]),
      refused("discovery-query/query/mode-without-id-001", "DISC_QUERY_INVALID", Q6, "id_match MATCH_MODE_PREFIX without an id: it would select everything", { id_match: PREFIX }, ["QueryRule"]),
      refused("discovery-query/query/version-without-mode-001", "DISC_QUERY_INVALID", Q6, "version set, version_match unset", { version: "1.2.0" }, ["QueryRule"]),
      refused("discovery-query/query/mode-without-version-001", "DISC_QUERY_INVALID", Q6, "version_match MATCH_MODE_EXACT without a version", { version_match: EXACT }, ["QueryRule"]),
      refused("discovery-query/query/exact-version-two-components-001", "DISC_QUERY_INVALID", Q6, "version 1.2 with MATCH_MODE_EXACT: an exact version has three components", { version: "1.2", version_match: EXACT }, ["QueryRule", "VersionPrefix"]),
      refused("discovery-query/query/exact-version-one-component-001", "DISC_QUERY_INVALID", Q6, "version 1 with MATCH_MODE_EXACT", { version: "1", version_match: EXACT }, ["QueryRule", "VersionPrefix"]),
      refused("discovery-query/query/namespace-upper-001", "SCHEMA_PATTERN_MISMATCH", Q6, "namespace AI.Image: not lower case", { namespace: "AI.Image" }, ["SchemaRule"]),
      refused("discovery-query/query/namespace-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", Q6, "no namespace", { namespace: undefined }, ["SchemaRule"]),
      refused("discovery-query/query/version-leading-zero-001", "SCHEMA_PATTERN_MISMATCH", Q6, "version 01 with MATCH_MODE_PREFIX: a leading zero", { version: "01", version_match: PREFIX }, ["SchemaRule", "VersionPrefix"]),
      refused("discovery-query/query/version-four-components-001", "SCHEMA_PATTERN_MISMATCH", Q6, "version 1.2.3.4", { version: "1.2.3.4", version_match: PREFIX }, ["SchemaRule", "VersionPrefix"]),
      refused("discovery-query/query/version-trailing-dot-001", "SCHEMA_PATTERN_MISMATCH", Q6, "version '1.' with MATCH_MODE_PREFIX", { version: "1.", version_match: PREFIX }, ["SchemaRule", "VersionPrefix"]),
      refused("discovery-query/query/nonce-short-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["DISC-006", "DISC-007"], "a nonce of 15 bytes", { nonce: nonce("short").subarray(0, 15) }, ["SchemaRule"]),
      refused("discovery-query/query/nonce-missing-001", "SCHEMA_REQUIRED_FIELD_MISSING", ["DISC-006", "DISC-007"], "no nonce", { nonce: undefined }, ["SchemaRule"]),
      refused("discovery-query/query/max-results-zero-001", "SCHEMA_REQUIRED_FIELD_MISSING", Q6, "max_results 0 (left out): required", { max_results: undefined }, ["SchemaRule"]),
      refused("discovery-query/query/max-results-101-001", "SCHEMA_INTEGER_OUT_OF_RANGE", Q6, "max_results 101", { max_results: 101 }, ["SchemaRule", "IntegerRange"]),
      refused("discovery-query/query/duplicate-tag-001", "SCHEMA_DUPLICATE_ITEM", Q6, "required_tags [image, image]", { required_tags: ["image", "image"] }, ["SchemaRule"]),
      refused("discovery-query/query/region-lower-001", "SCHEMA_PATTERN_MISMATCH", Q6, "allowed_regions [de]", { allowed_regions: ["de"] }, ["SchemaRule"]),
      refused("discovery-query/query/schema-before-rule-001", "SCHEMA_PATTERN_MISMATCH", Q6, "id Gen (not lower case) and no id_match: the schema is checked first", { id: "Gen" }, ["SchemaRule", "DefectOrder"]),
      valid("discovery-query/query/max-results-100-001", { requirements: Q6, comment: "max_results 100, the largest allowed", flags: ["IntegerRange"], inputs: { capability: capabilityJson(CAP_ALL), query: queryJson(queryBody({ max_results: 100 })) }, output: { matches: true, score: 0, breadth: 8 } }),
      valid("discovery-query/query/nonce-64-001", { requirements: ["DISC-006", "DISC-007"], comment: "a nonce of 64 bytes, the longest allowed", inputs: { capability: capabilityJson(CAP_ALL), query: queryJson(queryBody({ nonce: new Uint8Array(64).fill(0xa5) })) }, output: { matches: true, score: 0, breadth: 8 } }),
    ],
  );

  return {
    name: "discovery-query",
    description:
      "The query language of spec/06-discovery.md: intent tokens (§6.4.1), well-formed queries (§6.3) and matching a capability against a query (§6.4). Operations query.tokenize (inputs: text; output: tokens) and query.match (inputs: capability and query in proto3 JSON form; output: matches, and for a match its intent score and breadth). T0 = 2026-01-01T00:00:00Z = 1767225600000 ms, a Thursday.",
    groups: [tokenGroup, match, queries],
  };
}

export const discoveryQueryFile: VectorFileModule = { name: "discovery-query", build };
