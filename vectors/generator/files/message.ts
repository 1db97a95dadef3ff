// message.json: the mapping of every core message kind onto CBOR and its
// schema rules (spec/03-data-model.md §3.4–3.7): message.decode (receiver),
// message.encode (sender, produce) and message.hash (ENC-020). The driver
// messages (driver.proto) are the schema's messages with a oneof, so they
// carry the vectors of ENC-017.
import type { DescMessage } from "@bufbuild/protobuf";
import {
  AvailabilityWindowSchema,
  CapabilityDescriptorSchema,
  CapabilitySchema,
  ConstraintsSchema,
  EndpointSchema,
  IoSpecSchema,
  PriceSchema,
} from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { DriverRequestSchema, DriverResponseSchema } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { SignatureInfoSchema, SignedObjectSchema } from "../../../gen/ts/ap2p/v1/signing_pb.js";
import { VectorFileDigestSchema, VectorManifestSchema } from "../../../gen/ts/ap2p/v1/vectors_pb.js";
import { messageHash } from "../../../reference/src/codec/hash.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { filled, hex, sha256Of, unhex, utf8 } from "../bytes.js";
import { enc, headWidth, Ordered, Raw, Tagged, type W } from "../cbor-writer.js";
import { T0 } from "../constants.js";
import { ALICE, DESCRIPTOR_CT, signCose } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type Json, type JsonObject, type TestGroup, type TestVector, type VectorFileModule } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";
import { CAP_FULL, CAP_MIN, descriptorBody, fullDescriptorBody, tombstoneBody } from "./descriptor-bodies.js";

const R = "ENC-018";

/** The encoding of the AvailabilityWindow example printed in spec/03-data-model.md §3.8. */
const SPEC_3_8_WINDOW = "a3687765656b64617973181f6a656e645f6d696e7574651904386c73746172745f6d696e7574651901e0";

/** A decode group for one message kind, with helpers bound to it. */
function kind(desc: DescMessage) {
  const decodes = (id: string, requirements: string[], comment: string, body: Body, flags: FlagName[] = []): TestVector =>
    valid(id, { requirements, comment, flags, inputs: { encoded: hex(enc(body)) }, output: { json: bodyToJson(desc, body) } });
  const rejects = (id: string, error: string, requirements: string[], comment: string, value: W, flags: FlagName[] = []): TestVector =>
    invalid(id, error, { requirements, comment, flags, inputs: { encoded: hex(enc(value)) } });
  const decodeGroup = (comment: string, tests: TestVector[]): TestGroup => group("message.decode", comment, { type: desc.typeName }, tests);
  return { decodes, rejects, decodeGroup };
}

/** A JSON object without its undefined properties (the way to drop a field from a JSON form). */
function definedOnly(obj: { readonly [key: string]: Json | undefined }): JsonObject {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(obj)) if (v !== undefined) out[key] = v;
  return out;
}

const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const letters = (i: number) => String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));

function build() {
  // ---------------------------------------------------------------- CapabilityDescriptor
  const d = kind(CapabilityDescriptorSchema);
  const base = descriptorBody(ALICE);
  const withCap = (cap: Body, overrides: Body = {}) => descriptorBody(ALICE, { capabilities: [cap], ...overrides });
  const descriptor = d.decodeGroup("ap2p.v1.CapabilityDescriptor payloads: the mapping (§3.4) and the schema rules (§3.5). Descriptor rules that need the envelope (§5.4) are in descriptor.json.", [
    d.decodes("message/descriptor/minimal-001", ["ENC-013"], "the required fields and one minimal capability", base),
    d.decodes("message/descriptor/full-001", ["ENC-013", "ENC-014"], "every field of the descriptor and its capability set (the example of spec §5.8)", fullDescriptorBody(ALICE)),
    d.decodes("message/descriptor/tombstone-001", ["ENC-013"], "a withdrawal tombstone", tombstoneBody(ALICE), ["Tombstone"]),
    d.decodes("message/descriptor/seq-max-001", ["ENC-016"], "seq = 2^64 − 1, the largest uint64", descriptorBody(ALICE, { seq: 2n ** 64n - 1n }), ["IntegerRange"]),
    d.decodes("message/descriptor/display-name-64-001", [R], "display_name of 64 characters, the limit", descriptorBody(ALICE, { display_name: "x".repeat(64) })),
    d.decodes("message/descriptor/display-name-64-code-points-001", [R], "display_name of 64 code points of four UTF-8 bytes each (256 bytes, 128 UTF-16 units): lengths count code points", descriptorBody(ALICE, { display_name: "😀".repeat(64) }), ["CodePoints"]),
    d.decodes("message/descriptor/empty-constraints-001", ["ENC-013"], "constraints set to the empty message: a message-typed field has explicit presence, so it is present and encoded as {}", withCap({ ...CAP_MIN, constraints: {} }), ["ExplicitPresence"]),
    d.decodes("message/descriptor/latency-zero-001", ["ENC-013"], "max_latency_ms = 0: declared optional, so 0 is present and encoded", withCap({ ...CAP_MIN, constraints: { max_latency_ms: 0 } }), ["ExplicitPresence"]),
    d.decodes("message/descriptor/window-not-after-start-001", ["ENC-018"], "an availability window with end_minute = start_minute: well-formed as a message; DESC-013 is a descriptor rule (descriptor.json)", withCap({ ...CAP_MIN, constraints: { availability: [{ weekdays: 1, start_minute: 600, end_minute: 600 }] } })),

    d.rejects("message/descriptor/unknown-field-camel-case-001", "SCHEMA_UNKNOWN_FIELD", ["ENC-013", "ENC-015"], 'issued_at repeated under "issuedAt", its JSON name', { ...base, issuedAt: base["issued_at"] as bigint }, ["UnknownField"]),
    d.rejects("message/descriptor/unknown-field-001", "SCHEMA_UNKNOWN_FIELD", ["ENC-015"], 'an extra field "extensions"', { ...base, extensions: new Map() }, ["UnknownField"]),
    d.rejects("message/descriptor/unknown-field-nested-001", "SCHEMA_UNKNOWN_FIELD", ["ENC-015"], 'an extra field "description" in the capability', withCap({ ...CAP_MIN, description: "draws" }), ["UnknownField"]),
    d.rejects("message/descriptor/unknown-field-number-key-001", "SCHEMA_UNKNOWN_FIELD", ["ENC-013", "ENC-015"], 'seq repeated under the text key "2", its field number', { ...base, "2": 1n }, ["UnknownField"]),

    d.rejects("message/descriptor/default-withdrawn-false-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "withdrawn: false encoded", { ...base, withdrawn: false }, ["DefaultValueEncoded"]),
    d.rejects("message/descriptor/default-display-name-empty-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], 'display_name: "" encoded', { ...base, display_name: "" }, ["DefaultValueEncoded"]),
    d.rejects("message/descriptor/default-endpoints-empty-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "endpoints: [] encoded", { ...base, endpoints: [] }, ["DefaultValueEncoded"]),
    d.rejects("message/descriptor/default-capabilities-empty-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "capabilities: [] encoded (a tombstone otherwise)", { ...tombstoneBody(ALICE), capabilities: [] }, ["DefaultValueEncoded"]),
    d.rejects("message/descriptor/default-tags-empty-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "a capability with tags: []", withCap({ ...CAP_MIN, tags: [] }), ["DefaultValueEncoded"]),
    d.rejects("message/descriptor/default-on-device-false-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "constraints.on_device: false encoded", withCap({ ...CAP_MIN, constraints: { on_device: false } }), ["DefaultValueEncoded"]),
    d.rejects("message/descriptor/default-start-minute-zero-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "an availability window with start_minute: 0 encoded", withCap({ ...CAP_MIN, constraints: { availability: [{ weekdays: 1, start_minute: 0, end_minute: 60 }] } }), ["DefaultValueEncoded"]),

    d.rejects("message/descriptor/required-peer-id-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no peer_id", { ...base, peer_id: undefined }, ["SchemaRule"]),
    d.rejects("message/descriptor/required-seq-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R, "DESC-003"], "no seq (seq 0, the default, is omitted: a descriptor has seq 1 or greater)", { ...base, seq: undefined }, ["SchemaRule"]),
    d.rejects("message/descriptor/required-issued-at-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no issued_at", { ...base, issued_at: undefined }, ["SchemaRule"]),
    d.rejects("message/descriptor/required-expires-at-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no expires_at", { ...base, expires_at: undefined }, ["SchemaRule"]),
    d.rejects("message/descriptor/required-namespace-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "a capability without namespace", withCap({ ...CAP_MIN, namespace: undefined }), ["SchemaRule"]),
    d.rejects("message/descriptor/required-capability-id-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "a capability without id", withCap({ ...CAP_MIN, id: undefined }), ["SchemaRule"]),
    d.rejects("message/descriptor/required-version-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "a capability without version", withCap({ ...CAP_MIN, version: undefined }), ["SchemaRule"]),

    d.rejects("message/descriptor/wrong-type-seq-text-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], 'seq as the text "1"', { ...base, seq: "1" }),
    d.rejects("message/descriptor/wrong-type-peer-id-bytes-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "peer_id as a byte string", { ...base, peer_id: utf8(ALICE.did) }),
    d.rejects("message/descriptor/wrong-type-withdrawn-integer-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "withdrawn as the integer 1", { ...tombstoneBody(ALICE), withdrawn: 1 }),
    d.rejects("message/descriptor/wrong-type-capabilities-map-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "capabilities as a map instead of an array", { ...base, capabilities: CAP_MIN }),
    d.rejects("message/descriptor/wrong-type-capability-array-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "a capability as an array instead of a map", { ...base, capabilities: [["ai.image", "generate", "1.2.0"]] }),
    d.rejects("message/descriptor/wrong-type-regions-text-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "constraints.regions as a text string instead of an array", withCap({ ...CAP_MIN, constraints: { regions: "DE" } })),
    d.rejects("message/descriptor/wrong-type-top-level-array-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "an array where the message's map belongs", [ALICE.did, 1]),
    d.rejects("message/descriptor/wrong-type-top-level-integer-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "an integer where the message's map belongs", 1),

    d.rejects("message/descriptor/enum-modality-undefined-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["ENC-014"], "modality 8, which Modality does not define", withCap({ ...CAP_MIN, inputs: [{ name: "prompt", modality: 8 }] })),
    d.rejects("message/descriptor/enum-modality-negative-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["ENC-014"], "modality −1", withCap({ ...CAP_MIN, inputs: [{ name: "prompt", modality: -1 }] })),
    d.rejects("message/descriptor/enum-tier-zero-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["ENC-014"], "supported_tiers [0]: the zero value as an element of a repeated enum", withCap({ ...CAP_MIN, supported_tiers: [0] })),
    d.rejects("message/descriptor/enum-tier-undefined-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["ENC-014"], "supported_tiers [4]", withCap({ ...CAP_MIN, supported_tiers: [4] })),
    d.rejects("message/descriptor/enum-transport-undefined-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["ENC-014"], "an endpoint with transport 2", { ...base, endpoints: [{ transport: 2, uri: "ws://127.0.0.1:7443/ap2p" }] }),

    d.rejects("message/descriptor/length-display-name-65-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "display_name of 65 characters", { ...base, display_name: "x".repeat(65) }, ["SchemaRule"]),
    d.rejects("message/descriptor/length-display-name-65-code-points-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "display_name of 65 four-byte code points", { ...base, display_name: "😀".repeat(65) }, ["SchemaRule", "CodePoints"]),
    d.rejects("message/descriptor/length-namespace-129-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a namespace of 129 characters that matches its pattern", withCap({ ...CAP_MIN, namespace: `${"a".repeat(64)}.${"b".repeat(64)}` }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-capability-id-65-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a capability id of 65 characters", withCap({ ...CAP_MIN, id: "g".repeat(65) }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-version-33-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a version of 33 characters that matches its pattern", withCap({ ...CAP_MIN, version: `1.0.${"1".repeat(29)}` }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-intent-257-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "an intent of 257 characters", withCap({ ...CAP_MIN, intents: ["i".repeat(257)] }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-tag-65-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a tag of 65 characters", withCap({ ...CAP_MIN, tags: ["t".repeat(65)] }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-media-type-128-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a media_type of 128 characters", withCap({ ...CAP_MIN, inputs: [{ name: "prompt", modality: 1, media_type: `text/${"x".repeat(123)}` }] }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-schema-uri-513-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a schema_uri of 513 characters", withCap({ ...CAP_MIN, inputs: [{ name: "data", modality: 5, schema_uri: `https://example.com/${"s".repeat(493)}` }] }), ["SchemaRule"]),
    d.rejects("message/descriptor/length-uri-513-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "an endpoint uri of 513 characters", { ...base, endpoints: [{ transport: 1, uri: `ws://example.com/${"u".repeat(496)}` }] }, ["SchemaRule"]),
    d.rejects("message/descriptor/length-io-name-65-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "an input name of 65 characters", withCap({ ...CAP_MIN, inputs: [{ name: "n".repeat(65), modality: 1 }] }), ["SchemaRule"]),

    d.rejects("message/descriptor/pattern-peer-id-001", "SCHEMA_PATTERN_MISMATCH", [R], 'peer_id "did:key:zDn…" (a P-256 did:key): not an Ed25519 peer id', { ...base, peer_id: "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169" }, ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-peer-id-case-001", "SCHEMA_PATTERN_MISMATCH", [R], "peer_id with the prefix z6MK instead of z6Mk", { ...base, peer_id: ALICE.did.replace("z6Mk", "z6MK") }, ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-namespace-upper-001", "SCHEMA_PATTERN_MISMATCH", [R], 'namespace "AI.image"', withCap({ ...CAP_MIN, namespace: "AI.image" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-namespace-empty-label-001", "SCHEMA_PATTERN_MISMATCH", [R], 'namespace "ai..image"', withCap({ ...CAP_MIN, namespace: "ai..image" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-namespace-hyphen-001", "SCHEMA_PATTERN_MISMATCH", [R], 'namespace "-ai.image" (a label starting with a hyphen)', withCap({ ...CAP_MIN, namespace: "-ai.image" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-capability-id-001", "SCHEMA_PATTERN_MISMATCH", [R], 'capability id "Generate"', withCap({ ...CAP_MIN, id: "Generate" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-version-leading-zero-001", "SCHEMA_PATTERN_MISMATCH", [R], 'version "1.02.0"', withCap({ ...CAP_MIN, version: "1.02.0" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-version-two-parts-001", "SCHEMA_PATTERN_MISMATCH", [R], 'version "1.2"', withCap({ ...CAP_MIN, version: "1.2" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-version-prefix-001", "SCHEMA_PATTERN_MISMATCH", [R], 'version "v1.2.0"', withCap({ ...CAP_MIN, version: "v1.2.0" }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-tag-001", "SCHEMA_PATTERN_MISMATCH", [R], 'tag "Image"', withCap({ ...CAP_MIN, tags: ["Image"] }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-region-lower-001", "SCHEMA_PATTERN_MISMATCH", [R], 'region "de"', withCap({ ...CAP_MIN, constraints: { regions: ["de"] } }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-region-alpha-3-001", "SCHEMA_PATTERN_MISMATCH", [R], 'region "DEU" (alpha-3)', withCap({ ...CAP_MIN, constraints: { regions: ["DEU"] } }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-currency-001", "SCHEMA_PATTERN_MISMATCH", [R], 'currency "eur"', withCap({ ...CAP_MIN, constraints: { price: { currency: "eur", unit: 1 } } }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-io-name-001", "SCHEMA_PATTERN_MISMATCH", [R], 'input name "Prompt"', withCap({ ...CAP_MIN, inputs: [{ name: "Prompt", modality: 1 }] }), ["SchemaRule"]),
    d.rejects("message/descriptor/pattern-io-name-digit-001", "SCHEMA_PATTERN_MISMATCH", [R], 'input name "1prompt"', withCap({ ...CAP_MIN, inputs: [{ name: "1prompt", modality: 1 }] }), ["SchemaRule"]),

    d.rejects("message/descriptor/items-capabilities-65-001", "SCHEMA_TOO_MANY_ITEMS", [R], "65 capabilities (at most 64)", { ...base, capabilities: many(65, (i) => ({ ...CAP_MIN, id: `c${i}` })) }, ["SchemaRule"]),
    d.rejects("message/descriptor/items-endpoints-9-001", "SCHEMA_TOO_MANY_ITEMS", [R], "9 endpoints (at most 8)", { ...base, endpoints: many(9, (i) => ({ transport: 1, uri: `ws://127.0.0.1:${7000 + i}/ap2p` })) }, ["SchemaRule"]),
    d.rejects("message/descriptor/items-intents-17-001", "SCHEMA_TOO_MANY_ITEMS", [R], "17 intents (at most 16)", withCap({ ...CAP_MIN, intents: many(17, (i) => `intent ${i}`) }), ["SchemaRule"]),
    d.rejects("message/descriptor/items-tags-33-001", "SCHEMA_TOO_MANY_ITEMS", [R], "33 tags (at most 32)", withCap({ ...CAP_MIN, tags: many(33, (i) => `t${i}`) }), ["SchemaRule"]),
    d.rejects("message/descriptor/items-inputs-17-001", "SCHEMA_TOO_MANY_ITEMS", [R], "17 inputs (at most 16)", withCap({ ...CAP_MIN, inputs: many(17, (i) => ({ name: `in_${i}`, modality: 1 })) }), ["SchemaRule"]),
    d.rejects("message/descriptor/items-outputs-17-001", "SCHEMA_TOO_MANY_ITEMS", [R], "17 outputs (at most 16)", withCap({ ...CAP_MIN, outputs: many(17, (i) => ({ name: `out_${i}`, modality: 2 })) }), ["SchemaRule"]),
    d.rejects("message/descriptor/items-regions-33-001", "SCHEMA_TOO_MANY_ITEMS", [R], "33 distinct regions (at most 32)", withCap({ ...CAP_MIN, constraints: { regions: many(33, (i) => letters(i).toUpperCase()) } }), ["SchemaRule"]),
    d.rejects("message/descriptor/items-availability-15-001", "SCHEMA_TOO_MANY_ITEMS", [R], "15 availability windows (at most 14)", withCap({ ...CAP_MIN, constraints: { availability: many(15, (i) => ({ weekdays: 1, start_minute: 60 * i + 1, end_minute: 60 * i + 30 })) } }), ["SchemaRule"]),

    d.rejects("message/descriptor/unique-intents-001", "SCHEMA_DUPLICATE_ITEM", [R], "the same intent twice", withCap({ ...CAP_MIN, intents: ["draw", "draw"] }), ["SchemaRule"]),
    d.rejects("message/descriptor/unique-tags-001", "SCHEMA_DUPLICATE_ITEM", [R], "the same tag twice", withCap({ ...CAP_MIN, tags: ["image", "image"] }), ["SchemaRule"]),
    d.rejects("message/descriptor/unique-regions-001", "SCHEMA_DUPLICATE_ITEM", [R], "the same region twice", withCap({ ...CAP_MIN, constraints: { regions: ["DE", "FR", "DE"] } }), ["SchemaRule"]),
    d.rejects("message/descriptor/unique-tiers-001", "SCHEMA_DUPLICATE_ITEM", [R], "the same tier twice", withCap({ ...CAP_MIN, supported_tiers: [2, 2] }), ["SchemaRule"]),

    d.rejects("message/descriptor/range-weekdays-128-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016", R], "weekdays 128 (at most 127)", withCap({ ...CAP_MIN, constraints: { availability: [{ weekdays: 128, end_minute: 60 }] } }), ["IntegerRange"]),
    d.rejects("message/descriptor/range-start-minute-1440-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016", R], "start_minute 1440 (at most 1439)", withCap({ ...CAP_MIN, constraints: { availability: [{ weekdays: 1, start_minute: 1440, end_minute: 1440 }] } }), ["IntegerRange"]),
    d.rejects("message/descriptor/range-end-minute-1441-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016", R], "end_minute 1441 (at most 1440)", withCap({ ...CAP_MIN, constraints: { availability: [{ weekdays: 1, end_minute: 1441 }] } }), ["IntegerRange"]),
    d.rejects("message/descriptor/range-latency-uint32-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016"], "max_latency_ms 2^32, beyond uint32", withCap({ ...CAP_MIN, constraints: { max_latency_ms: 2n ** 32n } }), ["IntegerRange"]),

    d.rejects("message/descriptor/cbor-unsorted-001", "CBOR_MAP_KEYS_UNSORTED", ["ENC-004", "ENC-012"], "the descriptor's keys in field-number order instead of bytewise order", new Ordered(Object.entries(base).map(([k, v]) => [k, v as W])), ["UnsortedKeys"]),
    d.rejects("message/descriptor/cbor-non-shortest-seq-001", "CBOR_NON_SHORTEST_HEAD", ["ENC-002", "ENC-012"], "seq 1 written in a one-byte argument", { ...base, seq: new Raw(headWidth(0, 1, 1)) }, ["NonShortestHead"]),
    d.rejects("message/descriptor/cbor-float-time-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "issued_at as a double-precision float", { ...base, issued_at: new Raw(unhex("fb4279b76daa800000")) }, ["Float"]),
    d.rejects("message/descriptor/cbor-tag-time-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], "issued_at wrapped in tag 1 (epoch time)", { ...base, issued_at: new Tagged(1, base["issued_at"] as bigint) }, ["Tag"]),
    d.rejects("message/descriptor/cbor-null-display-name-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "display_name: null", { ...base, display_name: new Raw(unhex("f6")) }, ["SimpleValue"]),
    d.rejects("message/descriptor/cbor-integer-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], "seq repeated under the integer key 2 (its field number)", new Map<W, W>([...Object.entries(base).map(([k, v]) => [k, v as W] as [W, W]), [2, 1]]), ["MapKeyType"]),
  ]);

  // ---------------------------------------------------------------- Capability and its parts
  const c = kind(CapabilitySchema);
  const capability = c.decodeGroup("ap2p.v1.Capability.", [
    c.decodes("message/capability/minimal-001", ["ENC-013"], "namespace, id and version", CAP_MIN),
    c.decodes("message/capability/full-001", ["ENC-013"], "every field set", CAP_FULL),
    c.rejects("message/capability/required-namespace-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no namespace", { ...CAP_MIN, namespace: undefined }, ["SchemaRule"]),
    c.rejects("message/capability/unknown-field-001", "SCHEMA_UNKNOWN_FIELD", ["ENC-015"], 'an extra field "supportedTiers" (the JSON name)', { ...CAP_MIN, supportedTiers: [1] }, ["UnknownField"]),
  ]);
  const io = kind(IoSpecSchema);
  const ioSpec = io.decodeGroup("ap2p.v1.IoSpec.", [
    io.decodes("message/io-spec/minimal-001", ["ENC-013"], "name and modality", { name: "prompt", modality: 1 }),
    io.decodes("message/io-spec/full-001", ["ENC-013"], "every field set", { name: "data", modality: 5, media_type: "application/json", schema_uri: "https://example.com/schema.json", optional: true }),
    io.rejects("message/io-spec/required-modality-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no modality", { name: "prompt" }, ["SchemaRule"]),
    io.rejects("message/io-spec/required-name-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no name", { modality: 1 }, ["SchemaRule"]),
    io.rejects("message/io-spec/default-optional-false-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "optional: false encoded", { name: "prompt", modality: 1, optional: false }, ["DefaultValueEncoded"]),
  ]);
  const k = kind(ConstraintsSchema);
  const constraints = k.decodeGroup("ap2p.v1.Constraints.", [
    k.decodes("message/constraints/empty-001", ["ENC-013"], "no constraint stated: the empty map", {}),
    k.decodes("message/constraints/full-001", ["ENC-013"], "every field set", CAP_FULL["constraints"] as Body),
    k.decodes("message/constraints/latency-zero-001", ["ENC-013"], "max_latency_ms = 0, present because declared optional", { max_latency_ms: 0 }, ["ExplicitPresence"]),
    k.decodes("message/constraints/price-empty-amount-001", ["ENC-013"], "a price without amount_micros (0, omitted)", { price: { currency: "EUR", unit: 1 } }),
    k.rejects("message/constraints/wrong-type-on-device-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "on_device as the text \"true\"", { on_device: "true" }),
  ]);
  const pr = kind(PriceSchema);
  const price = pr.decodeGroup("ap2p.v1.Price.", [
    pr.decodes("message/price/full-001", ["ENC-013"], "currency, amount and unit", { currency: "EUR", amount_micros: 20000n, unit: 1 }),
    pr.decodes("message/price/large-amount-001", ["ENC-016"], "amount_micros = 2^53 + 1, beyond a double's exact integers", { currency: "USDC", amount_micros: 2n ** 53n + 1n, unit: 3 }, ["IntegerRange"]),
    pr.rejects("message/price/required-unit-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no unit", { currency: "EUR", amount_micros: 1n }, ["SchemaRule"]),
    pr.rejects("message/price/default-amount-zero-001", "SCHEMA_DEFAULT_VALUE_ENCODED", ["ENC-013"], "amount_micros: 0 encoded", { currency: "EUR", amount_micros: 0, unit: 1 }, ["DefaultValueEncoded"]),
    pr.rejects("message/price/enum-unit-undefined-001", "SCHEMA_UNKNOWN_ENUM_VALUE", ["ENC-014"], "unit 4", { currency: "EUR", unit: 4 }),
    pr.rejects("message/price/pattern-currency-long-001", "SCHEMA_PATTERN_MISMATCH", [R], 'currency "ABCDEFGHI" (9 characters)', { currency: "ABCDEFGHI", unit: 1 }, ["SchemaRule"]),
  ]);
  const w = kind(AvailabilityWindowSchema);
  const window = w.decodeGroup("ap2p.v1.AvailabilityWindow.", [
    w.decodes("message/availability-window/spec-example-001", ["ENC-001", "ENC-004"], "the example of spec §3.8: weekdays 31, 08:00 to 18:00 (bytes printed there)", { weekdays: 31, start_minute: 480, end_minute: 1080 }),
    w.decodes("message/availability-window/whole-week-001", [R], "weekdays 127 and end_minute 1440, the bounds; start_minute 0 omitted", { weekdays: 127, end_minute: 1440 }, ["IntegerRange"]),
    w.rejects("message/availability-window/required-weekdays-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no weekdays", { end_minute: 60 }, ["SchemaRule"]),
    w.rejects("message/availability-window/required-end-minute-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no end_minute", { weekdays: 1, start_minute: 60 }, ["SchemaRule"]),
  ]);
  const e = kind(EndpointSchema);
  const endpoint = e.decodeGroup("ap2p.v1.Endpoint.", [
    e.decodes("message/endpoint/websocket-001", ["ENC-013"], "a WebSocket endpoint", { transport: 1, uri: "wss://peer.example:7443/ap2p" }),
    e.rejects("message/endpoint/required-uri-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no uri", { transport: 1 }, ["SchemaRule"]),
    e.rejects("message/endpoint/required-transport-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no transport", { uri: "wss://peer.example:7443/ap2p" }, ["SchemaRule"]),
  ]);

  // ---------------------------------------------------------------- signing.proto
  const descriptorCose = signCose(ALICE, DESCRIPTOR_CT, enc(base));
  const so = kind(SignedObjectSchema);
  const signedObject = so.decodeGroup("ap2p.v1.SignedObject.", [
    so.decodes("message/signed-object/descriptor-001", ["ENC-013"], "a signed descriptor carried as bytes", { cose_sign1: descriptorCose }),
    so.rejects("message/signed-object/required-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no cose_sign1", {}, ["SchemaRule"]),
    so.rejects("message/signed-object/wrong-type-array-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "cose_sign1 as the decoded array instead of its bytes", { cose_sign1: [new Uint8Array(0), new Map(), new Uint8Array(0), new Uint8Array(0)] }),
  ]);
  const si = kind(SignatureInfoSchema);
  const sigInfo = { kid: ALICE.did, content_type: DESCRIPTOR_CT, alg: -8 };
  const signatureInfo = si.decodeGroup("ap2p.v1.SignatureInfo.", [
    si.decodes("message/signature-info/eddsa-001", ["ENC-013", "ENC-016"], "alg −8: a negative sint32", sigInfo),
    si.rejects("message/signature-info/range-alg-high-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016"], "alg 2^31, beyond sint32", { ...sigInfo, alg: 2n ** 31n }, ["IntegerRange"]),
    si.rejects("message/signature-info/range-alg-low-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016"], "alg −2^31 − 1, beyond sint32", { ...sigInfo, alg: -(2n ** 31n) - 1n }, ["IntegerRange"]),
    si.rejects("message/signature-info/length-content-type-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a content type of 129 characters", { ...sigInfo, content_type: "a".repeat(129) }, ["SchemaRule"]),
    si.rejects("message/signature-info/pattern-kid-001", "SCHEMA_PATTERN_MISMATCH", [R], 'kid "did:web:example.com"', { ...sigInfo, kid: "did:web:example.com" }, ["SchemaRule"]),
  ]);

  // ---------------------------------------------------------------- vectors.proto
  const digest = { name: "cbor.json", sha256: filled(32, 0x11) };
  const fd = kind(VectorFileDigestSchema);
  const fileDigest = fd.decodeGroup("ap2p.v1.VectorFileDigest.", [
    fd.decodes("message/vector-file-digest/valid-001", ["ENC-013"], "a file name and a 32-byte digest", digest),
    fd.rejects("message/vector-file-digest/length-31-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a 31-byte digest", { ...digest, sha256: filled(31, 0x11) }, ["SchemaRule"]),
    fd.rejects("message/vector-file-digest/length-33-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a 33-byte digest", { ...digest, sha256: filled(33, 0x11) }, ["SchemaRule"]),
    fd.rejects("message/vector-file-digest/pattern-path-001", "SCHEMA_PATTERN_MISMATCH", [R], 'the name "../cbor.json"', { ...digest, name: "../cbor.json" }, ["SchemaRule"]),
  ]);
  const manifestBody = { spec_version: "1.0.0-draft.1", files: [digest, { name: "cose.json", sha256: filled(32, 0x33) }], corpus_digest: filled(32, 0x22) };
  const mf = kind(VectorManifestSchema);
  const manifest = mf.decodeGroup("ap2p.v1.VectorManifest.", [
    mf.decodes("message/vector-manifest/valid-001", ["ENC-013"], "two files and a corpus digest", manifestBody),
    mf.rejects("message/vector-manifest/required-files-001", "SCHEMA_REQUIRED_FIELD_MISSING", [R], "no files", { ...manifestBody, files: undefined }, ["SchemaRule"]),
    mf.rejects("message/vector-manifest/length-corpus-digest-001", "SCHEMA_LENGTH_OUT_OF_RANGE", [R], "a 16-byte corpus digest", { ...manifestBody, corpus_digest: filled(16, 0x22) }, ["SchemaRule"]),
    mf.rejects("message/vector-manifest/wrong-type-digest-hex-001", "SCHEMA_WRONG_TYPE", ["ENC-016"], "the corpus digest as hex text instead of bytes", { ...manifestBody, corpus_digest: "22".repeat(32) }),
  ]);

  // ---------------------------------------------------------------- driver.proto: oneofs
  // Every member of both oneofs is message-typed, so a member set to its
  // default is the empty message, encoded as {} (ENC-013).
  const hello = { driver_protocol_version: 1 };
  const call = { operation: "cbor.decode", inputs_json: '{"encoded":"00"}' };
  const clock = { now_ms: T0 };
  const rq = kind(DriverRequestSchema);
  const driverRequest = rq.decodeGroup("ap2p.v1.DriverRequest: the oneof body (ENC-017). At most one member may be present; a member is present when it is set, even to the empty message (ENC-013).", [
    rq.decodes("message/driver-request/hello-001", ["ENC-017"], "id and one member of body, hello", { id: 1n, hello }),
    rq.decodes("message/driver-request/call-001", ["ENC-017"], "id and one member of body, call", { id: 2n, call }),
    rq.decodes("message/driver-request/clock-001", ["ENC-017", "ENC-016"], "id and one member of body, clock, with a uint64 time beyond 2^32", { id: 3n, clock }),
    rq.decodes("message/driver-request/shutdown-empty-001", ["ENC-013", "ENC-017"], "shutdown set to the empty message: a member of a oneof has explicit presence, so it is present and encoded as {}", { id: 4n, shutdown: {} }, ["ExplicitPresence"]),
    rq.decodes("message/driver-request/no-member-001", ["ENC-017"], "no member of body: at most one may be present, so none is well-formed as a message", { id: 5n }),
    rq.rejects("message/driver-request/hello-and-clock-001", "SCHEMA_ONEOF_CONFLICT", ["ENC-017"], "two members of body, hello and clock, each well-formed", { id: 1n, hello, clock }, ["OneofConflict"]),
    rq.rejects("message/driver-request/call-and-shutdown-001", "SCHEMA_ONEOF_CONFLICT", ["ENC-017", "ENC-013"], "call and shutdown set to the empty message: the empty member is present too", { id: 2n, call, shutdown: {} }, ["OneofConflict", "ExplicitPresence"]),
    rq.rejects("message/driver-request/all-members-001", "SCHEMA_ONEOF_CONFLICT", ["ENC-017"], "all four members of body", { id: 3n, hello, call, clock, shutdown: {} }, ["OneofConflict"]),
  ]);
  const rs = kind(DriverResponseSchema);
  const error = { code: "DESC_EXPIRED", message: "the descriptor expired" };
  const driverResponse = rs.decodeGroup("ap2p.v1.DriverResponse: the oneof result (ENC-017).", [
    rs.decodes("message/driver-response/ok-empty-001", ["ENC-013", "ENC-017"], "ok set to the empty message (no output): present, and encoded as {}", { id: 1n, ok: {} }, ["ExplicitPresence"]),
    rs.decodes("message/driver-response/error-001", ["ENC-017"], "id and one member of result, error", { id: 2n, error }),
    rs.rejects("message/driver-response/ok-and-error-001", "SCHEMA_ONEOF_CONFLICT", ["ENC-017"], "ok and error both present", { id: 1n, ok: { output_json: "{}" }, error }, ["OneofConflict"]),
    rs.rejects("message/driver-response/unsupported-and-skipped-empty-001", "SCHEMA_ONEOF_CONFLICT", ["ENC-017", "ENC-013"], "unsupported and skipped, both set to the empty message: both are present", { id: 2n, unsupported: {}, skipped: {} }, ["OneofConflict", "ExplicitPresence"]),
  ]);

  // ---------------------------------------------------------------- message.encode (produce)
  const encodes = (id: string, desc: DescMessage, requirements: string[], comment: string, body: Body): TestVector => {
    const json = bodyToJson(desc, body);
    const message = fromJson(desc, json as JsonValue);
    const encoded = encodeMessage(desc, message);
    // Self-check: the reference encoder and the generator's writer agree.
    if (hex(encoded) !== hex(enc(body))) throw new Error(`${id}: the reference encoding differs from the generator's`);
    return valid(id, { requirements, comment, inputs: { json }, output: { encoded: hex(encoded), sha256: hex(messageHash(desc, message)) } });
  };
  const refuses = (id: string, error: string, comment: string, json: { readonly [key: string]: Json | undefined }): TestVector =>
    invalid(id, error, { requirements: [R, "ENC-001"], comment, flags: ["ProducerRefuses", "SchemaRule"], inputs: { json: definedOnly(json) } });
  const descJson = bodyToJson(CapabilityDescriptorSchema, base);
  const encodeDescriptor = group("message.encode", "Encoding ap2p.v1.CapabilityDescriptor from its JSON form: the exact canonical bytes and their SHA-256 (ENC-001, ENC-020); a sender refuses a message that breaks a rule (ENC-018).", { type: CapabilityDescriptorSchema.typeName }, [
    encodes("message/encode/descriptor-minimal-001", CapabilityDescriptorSchema, ["ENC-001", "ENC-013", "ENC-020"], "the minimal descriptor", base),
    encodes("message/encode/descriptor-full-001", CapabilityDescriptorSchema, ["ENC-001", "ENC-004", "ENC-020"], "the full descriptor (spec §5.8)", fullDescriptorBody(ALICE)),
    encodes("message/encode/descriptor-tombstone-001", CapabilityDescriptorSchema, ["ENC-001", "ENC-020"], "a tombstone", tombstoneBody(ALICE)),
    encodes("message/encode/descriptor-explicit-presence-001", CapabilityDescriptorSchema, ["ENC-001", "ENC-013"], "max_latency_ms 0 and an empty price-less constraints map are present and encoded", withCap({ ...CAP_MIN, constraints: { max_latency_ms: 0 } })),
    refuses("message/encode/descriptor-pattern-version-001", "SCHEMA_PATTERN_MISMATCH", 'version "1.02.0": the sender refuses to encode it', { ...descJson, capabilities: [{ namespace: "ai.image", id: "generate", version: "1.02.0" }] }),
    refuses("message/encode/descriptor-required-peer-id-001", "SCHEMA_REQUIRED_FIELD_MISSING", "no peerId", { ...descJson, peerId: undefined }),
    refuses("message/encode/descriptor-length-display-name-001", "SCHEMA_LENGTH_OUT_OF_RANGE", "displayName of 65 characters", { ...descJson, displayName: "x".repeat(65) }),
    refuses("message/encode/descriptor-unique-tags-001", "SCHEMA_DUPLICATE_ITEM", "a repeated tag", { ...descJson, capabilities: [{ namespace: "ai.image", id: "generate", version: "1.2.0", tags: ["a", "a"] }] }),
  ]);
  const encodeOthers = [
    group("message.encode", "Encoding ap2p.v1.AvailabilityWindow.", { type: AvailabilityWindowSchema.typeName }, [
      encodes("message/encode/availability-window-spec-example-001", AvailabilityWindowSchema, ["ENC-001", "ENC-004"], "the example of spec §3.8", { weekdays: 31, start_minute: 480, end_minute: 1080 }),
      refuses("message/encode/availability-window-range-001", "SCHEMA_INTEGER_OUT_OF_RANGE", "weekdays 128", { weekdays: 128, endMinute: 60 }),
    ]),
    group("message.encode", "Encoding ap2p.v1.SignatureInfo.", { type: SignatureInfoSchema.typeName }, [
      encodes("message/encode/signature-info-001", SignatureInfoSchema, ["ENC-001", "ENC-016"], "a negative sint32 as a CBOR negative integer", sigInfo),
    ]),
    group("message.encode", "Encoding ap2p.v1.DriverRequest: a oneof member set to the empty message is present and encoded (ENC-013, ENC-017).", { type: DriverRequestSchema.typeName }, [
      encodes("message/encode/driver-request-shutdown-001", DriverRequestSchema, ["ENC-001", "ENC-013", "ENC-017"], "id 4 and shutdown set to the empty message: {\"id\": 4, \"shutdown\": {}}", { id: 4n, shutdown: {} }),
    ]),
    group("message.encode", "Encoding ap2p.v1.VectorManifest.", { type: VectorManifestSchema.typeName }, [
      encodes("message/encode/vector-manifest-001", VectorManifestSchema, ["ENC-001", "ENC-020"], "a manifest of two files", manifestBody),
      refuses("message/encode/vector-manifest-digest-length-001", "SCHEMA_LENGTH_OUT_OF_RANGE", "a 31-byte corpus digest", { specVersion: "1.0.0-draft.1", files: [{ name: "cbor.json", sha256: Buffer.from(filled(32, 0x11)).toString("base64") }], corpusDigest: Buffer.from(filled(31, 0x22)).toString("base64") }),
    ]),
  ];

  // ---------------------------------------------------------------- message.hash
  const hashes = (id: string, requirements: string[], comment: string, body: Body): TestVector =>
    valid(id, { requirements, comment, inputs: { encoded: hex(enc(body)) }, output: { sha256: hex(sha256Of(enc(body))) } });
  const hash = group("message.hash", "The hash of a message (ENC-020): SHA-256 of its canonical encoding. Bytes that are not the canonical encoding of a well-formed message have no message hash; hashing them as received would give one message two names.", { type: CapabilityDescriptorSchema.typeName }, [
    hashes("message/hash/descriptor-minimal-001", ["ENC-020"], "the minimal descriptor", base),
    hashes("message/hash/descriptor-full-001", ["ENC-020"], "the full descriptor", fullDescriptorBody(ALICE)),
    invalid("message/hash/non-shortest-001", "CBOR_NON_SHORTEST_HEAD", { requirements: ["ENC-020", "ENC-002"], comment: "the minimal descriptor with seq in a one-byte argument: the same message, other bytes, no hash", flags: ["NonShortestHead"], inputs: { encoded: hex(enc({ ...base, seq: new Raw(headWidth(0, 1, 1)) })) } }),
    invalid("message/hash/unsorted-001", "CBOR_MAP_KEYS_UNSORTED", { requirements: ["ENC-020", "ENC-004"], comment: "the minimal descriptor with its keys in field-number order", flags: ["UnsortedKeys"], inputs: { encoded: hex(enc(new Ordered(Object.entries(base).map(([key, v]) => [key, v as W])))) } }),
    invalid("message/hash/default-value-001", "SCHEMA_DEFAULT_VALUE_ENCODED", { requirements: ["ENC-020", "ENC-013"], comment: "the minimal descriptor with withdrawn: false encoded", flags: ["DefaultValueEncoded"], inputs: { encoded: hex(enc({ ...base, withdrawn: false })) } }),
  ]);

  // Self-check: the writer reproduces the bytes printed in spec §3.8.
  if (hex(enc({ weekdays: 31, start_minute: 480, end_minute: 1080 })) !== SPEC_3_8_WINDOW) throw new Error("the §3.8 example bytes differ");

  return {
    name: "message",
    description:
      "Every core message kind (descriptor.proto, signing.proto, vectors.proto) and the driver messages with a oneof (driver.proto) under the mapping onto CBOR and the schema rules (spec/03-data-model.md §3.4–3.7). Operations message.decode, message.encode and message.hash; shared.type is the full message name.",
    groups: [descriptor, capability, ioSpec, constraints, price, window, endpoint, signedObject, signatureInfo, fileDigest, manifest, driverRequest, driverResponse, encodeDescriptor, ...encodeOthers, hash],
  };
}

export const messageFile: VectorFileModule = { name: "message", build };
