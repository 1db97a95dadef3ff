import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AvailabilityWindowSchema, CapabilitySchema, Modality, PriceUnit, VerificationTier, type Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, QuerySchema, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { encodeMessage } from "../codec/message-codec.js";
import { capabilityFacts, isAvailableAt, matchCapability } from "./match.js";
import { compileQuery, parseQuery } from "./query.js";
import { compareKeys, sortKey, type SortKey } from "./rank.js";

type CapInit = MessageInitShape<typeof CapabilitySchema>;
type QueryInit = MessageInitShape<typeof QuerySchema>;

const NONCE = new Uint8Array(16).fill(7);
const cap = (init: Partial<CapInit> = {}): Capability => create(CapabilitySchema, { namespace: "ai.image", id: "generate", version: "1.2.0", ...init } as CapInit);
const query = (init: Partial<QueryInit> = {}): Query => create(QuerySchema, { namespace: "ai.image", nonce: NONCE, maxResults: 10, ...init } as QueryInit);
const compiled = (q: Query) => {
  const v = compileQuery(q);
  if (!v.ok) throw v.error;
  return v.value;
};
/** The score if the capability matches, "no" if it does not. */
const m = (c: Capability, q: Query): number | "no" => matchCapability(c, capabilityFacts(c), compiled(q)) ?? "no";
const code = (q: Query) => {
  const v = compileQuery(q);
  return v.ok ? "ok" : v.error.code;
};

const T0 = 1767225600000n; // 2026-01-01T00:00:00Z, a Thursday
const HOUR = 3_600_000n;
const DAY = 24n * HOUR;

describe("well-formed queries (spec §6.3)", () => {
  const cases: [string, Partial<QueryInit>, string][] = [
    ["id without id_match", { id: "generate" }, "DISC_QUERY_INVALID"],
    ["id_match without id", { idMatch: MatchMode.EXACT }, "DISC_QUERY_INVALID"],
    ["version without version_match", { version: "1.2.0" }, "DISC_QUERY_INVALID"],
    ["version_match without version", { versionMatch: MatchMode.PREFIX }, "DISC_QUERY_INVALID"],
    ["an exact version of two components", { version: "1.2", versionMatch: MatchMode.EXACT }, "DISC_QUERY_INVALID"],
    ["an exact version of one component", { version: "1", versionMatch: MatchMode.EXACT }, "DISC_QUERY_INVALID"],
  ];
  for (const [what, init, expected] of cases) {
    it(`DISC-006: ${what} → ${expected}`, () => expect(code(query(init))).toBe(expected));
  }
  const schema: [string, Partial<QueryInit>, string][] = [
    ["no namespace", { namespace: "" }, "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["no nonce", { nonce: new Uint8Array(0) }, "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["a 15-byte nonce", { nonce: new Uint8Array(15).fill(1) }, "SCHEMA_LENGTH_OUT_OF_RANGE"],
    ["a 65-byte nonce", { nonce: new Uint8Array(65).fill(1) }, "SCHEMA_LENGTH_OUT_OF_RANGE"],
    ["max_results 0", { maxResults: 0 }, "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["max_results 101", { maxResults: 101 }, "SCHEMA_INTEGER_OUT_OF_RANGE"],
    ["a version with a leading zero", { version: "01", versionMatch: MatchMode.PREFIX }, "SCHEMA_PATTERN_MISMATCH"],
    ["a version of four components", { version: "1.2.3.4", versionMatch: MatchMode.PREFIX }, "SCHEMA_PATTERN_MISMATCH"],
    ["a version ending in a dot", { version: "1.", versionMatch: MatchMode.PREFIX }, "SCHEMA_PATTERN_MISMATCH"],
    ["an upper-case tag", { requiredTags: ["Image"] }, "SCHEMA_PATTERN_MISMATCH"],
    ["a repeated modality", { inputModalities: [Modality.TEXT, Modality.TEXT] }, "SCHEMA_DUPLICATE_ITEM"],
    ["an undefined match mode", { id: "x", idMatch: 9 as MatchMode }, "SCHEMA_UNKNOWN_ENUM_VALUE"],
  ];
  for (const [what, init, expected] of schema) {
    it(`DISC-006: ${what} → ${expected}`, () => expect(code(query(init))).toBe(expected));
  }
  it("DISC-006: each mode with its value is well-formed", () => {
    expect(code(query({ id: "gen", idMatch: MatchMode.PREFIX, version: "1", versionMatch: MatchMode.PREFIX }))).toBe("ok");
    expect(code(query({ id: "generate", idMatch: MatchMode.EXACT, version: "1.2.0", versionMatch: MatchMode.EXACT }))).toBe("ok");
    expect(code(query({ version: "1.2", versionMatch: MatchMode.PREFIX }))).toBe("ok");
  });
  it("DISC-006: parseQuery decodes canonical bytes and applies the same checks", () => {
    const good = parseQuery(encodeMessage(QuerySchema, query({ intent: "x" })));
    expect(good.ok).toBe(true);
    const bad = parseQuery(encodeMessage(QuerySchema, query({ id: "x" })));
    expect(!bad.ok && bad.error.code).toBe("DISC_QUERY_INVALID");
    const garbage = parseQuery(Uint8Array.of(0xa1, 0x61));
    expect(garbage.ok).toBe(false);
  });
  it("DISC-007: the nonce is part of the query hash, so each query is unique", () => {
    const a = compiled(query({ nonce: new Uint8Array(16).fill(1) }));
    const b = compiled(query({ nonce: new Uint8Array(16).fill(2) }));
    expect(Buffer.from(a.hash).equals(Buffer.from(b.hash))).toBe(false);
    expect(a.hash).toHaveLength(32);
  });
});

describe("matching (spec §6.4)", () => {
  it("DISC-008: the namespace is compared exactly", () => {
    expect(m(cap(), query())).toBe(0);
    expect(m(cap(), query({ namespace: "ai" }))).toBe("no");
    expect(m(cap(), query({ namespace: "ai.image.x" }))).toBe("no");
  });
  it("DISC-008: id, exact and prefix", () => {
    const exact = (id: string) => query({ id, idMatch: MatchMode.EXACT });
    const prefix = (id: string) => query({ id, idMatch: MatchMode.PREFIX });
    expect(m(cap(), exact("generate"))).toBe(0);
    expect(m(cap(), exact("gen"))).toBe("no");
    expect(m(cap({ id: "generate2" }), exact("generate"))).toBe("no");
    expect(m(cap(), prefix("gen"))).toBe(0);
    expect(m(cap(), prefix("generate"))).toBe(0);
    expect(m(cap(), prefix("generatex"))).toBe("no");
    expect(m(cap(), prefix("enerate"))).toBe("no");
  });
  it("DISC-008: version prefixes compare whole components", () => {
    const table: [string, MatchMode, string, boolean][] = [
      ["1", MatchMode.PREFIX, "1.0.0", true],
      ["1", MatchMode.PREFIX, "1.2.3", true],
      ["1", MatchMode.PREFIX, "10.0.0", false],
      ["1", MatchMode.PREFIX, "2.1.0", false],
      ["1", MatchMode.PREFIX, "0.1.0", false],
      ["0", MatchMode.PREFIX, "0.1.0", true],
      ["1.2", MatchMode.PREFIX, "1.2.0", true],
      ["1.2", MatchMode.PREFIX, "1.2.10", true],
      ["1.2", MatchMode.PREFIX, "1.20.0", false],
      ["1.2", MatchMode.PREFIX, "1.3.0", false],
      ["1.2", MatchMode.PREFIX, "11.2.0", false],
      ["1.2.3", MatchMode.PREFIX, "1.2.3", true],
      ["1.2.3", MatchMode.PREFIX, "1.2.30", false],
      ["1.2.3", MatchMode.EXACT, "1.2.3", true],
      ["1.2.3", MatchMode.EXACT, "1.2.4", false],
      ["1.2.3", MatchMode.EXACT, "1.2.30", false],
    ];
    for (const [wanted, mode, version, expected] of table) {
      expect([wanted, mode, version, m(cap({ version }), query({ version: wanted, versionMatch: mode })) !== "no"]).toEqual([wanted, mode, version, expected]);
    }
  });
  it("DISC-008: required_tags, all of them; none stated matches none", () => {
    const c = cap({ tags: ["image", "diffusion"] });
    expect(m(c, query({ requiredTags: ["image"] }))).toBe(0);
    expect(m(c, query({ requiredTags: ["diffusion", "image"] }))).toBe(0);
    expect(m(c, query({ requiredTags: ["image", "video"] }))).toBe("no");
    expect(m(cap(), query({ requiredTags: ["image"] }))).toBe("no");
  });
  it("DISC-008: max_latency_ms; a capability with no latency promise fails the filter", () => {
    const q = query({ maxLatencyMs: 5000 });
    expect(m(cap({ constraints: { maxLatencyMs: 4000 } }), q)).toBe(0);
    expect(m(cap({ constraints: { maxLatencyMs: 5000 } }), q)).toBe(0);
    expect(m(cap({ constraints: { maxLatencyMs: 5001 } }), q)).toBe("no");
    expect(m(cap({ constraints: {} }), q)).toBe("no");
    expect(m(cap(), q)).toBe("no");
    expect(m(cap({ constraints: { maxLatencyMs: 0 } }), query({ maxLatencyMs: 0 }))).toBe(0);
    expect(m(cap({ constraints: { maxLatencyMs: 1 } }), query({ maxLatencyMs: 0 }))).toBe("no");
    expect(m(cap(), query())).toBe(0);
  });
  it("DISC-008: max_price, same currency and unit only; no stated price fails the filter", () => {
    const q = query({ maxPrice: { currency: "EUR", unit: PriceUnit.CALL, amountMicros: 20_000n } });
    const priced = (currency: string, unit: PriceUnit, amountMicros: bigint) => cap({ constraints: { price: { currency, unit, amountMicros } } });
    expect(m(priced("EUR", PriceUnit.CALL, 20_000n), q)).toBe(0);
    expect(m(priced("EUR", PriceUnit.CALL, 0n), q)).toBe(0);
    expect(m(priced("EUR", PriceUnit.CALL, 20_001n), q)).toBe("no");
    expect(m(priced("USD", PriceUnit.CALL, 1n), q)).toBe("no");
    expect(m(priced("EUR", PriceUnit.SECOND, 1n), q)).toBe("no");
    expect(m(cap({ constraints: { maxLatencyMs: 1 } }), q)).toBe("no");
    expect(m(cap(), q)).toBe("no");
  });
  it("DISC-008: allowed_regions, a non-empty subset; no stated region fails the filter", () => {
    const q = query({ allowedRegions: ["DE", "FR"] });
    expect(m(cap({ constraints: { regions: ["DE"] } }), q)).toBe(0);
    expect(m(cap({ constraints: { regions: ["FR", "DE"] } }), q)).toBe(0);
    expect(m(cap({ constraints: { regions: ["DE", "US"] } }), q)).toBe("no");
    expect(m(cap({ constraints: { regions: [] } }), q)).toBe("no");
    expect(m(cap(), q)).toBe("no");
  });
  it("DISC-008: on_device_only; not declared fails the filter", () => {
    const q = query({ onDeviceOnly: true });
    expect(m(cap({ constraints: { onDevice: true } }), q)).toBe(0);
    expect(m(cap({ constraints: { onDevice: false } }), q)).toBe("no");
    expect(m(cap(), q)).toBe("no");
    expect(m(cap({ constraints: { onDevice: false } }), query())).toBe(0);
  });
  it("DISC-008: available_at, weekly UTC windows; no windows means always", () => {
    const weekdays = cap({ constraints: { availability: [{ weekdays: 31, startMinute: 480, endMinute: 1080 }] } }); // Mon-Fri 08:00-18:00
    const at = (t: bigint) => query({ availableAt: t });
    expect(m(weekdays, at(T0 + 8n * HOUR))).toBe(0); // Thursday 08:00, inclusive start
    expect(m(weekdays, at(T0 + 18n * HOUR - 1n))).toBe(0); // 17:59:59.999
    expect(m(weekdays, at(T0 + 18n * HOUR))).toBe("no"); // exclusive end
    expect(m(weekdays, at(T0 + 8n * HOUR - 1n))).toBe("no");
    expect(m(weekdays, at(T0 + 2n * DAY + 10n * HOUR))).toBe("no"); // Saturday
    expect(m(weekdays, at(T0 + 4n * DAY + 10n * HOUR))).toBe(0); // Monday
    expect(m(cap({ constraints: { availability: [] } }), at(T0 + 2n * DAY))).toBe(0);
    expect(m(cap(), at(0n))).toBe(0);
    const sunday = cap({ constraints: { availability: [{ weekdays: 64, startMinute: 0, endMinute: 1440 }] } });
    expect(m(sunday, at(T0 + 3n * DAY))).toBe(0);
    expect(m(sunday, at(T0 + 4n * DAY - 1n))).toBe(0);
    expect(m(sunday, at(T0 + 4n * DAY))).toBe("no");
    expect(m(weekdays, query())).toBe(0);
  });
  it("DISC-008: weekday arithmetic from the Unix epoch (a Thursday)", () => {
    for (let day = 0n; day < 7n; day++) {
      const weekday = Number((day + 3n) % 7n);
      for (let bit = 0; bit < 7; bit++) {
        const window = create(AvailabilityWindowSchema, { weekdays: 1 << bit, startMinute: 0, endMinute: 1440 });
        expect(isAvailableAt([window], day * DAY + 12n * HOUR)).toBe(bit === weekday);
      }
    }
  });
  it("DISC-008: input and output modalities, each covered by some input or output", () => {
    const c = cap({
      inputs: [{ name: "prompt", modality: Modality.TEXT }, { name: "mask", modality: Modality.IMAGE, optional: true }],
      outputs: [{ name: "image", modality: Modality.IMAGE }],
    });
    expect(m(c, query({ inputModalities: [Modality.TEXT] }))).toBe(0);
    expect(m(c, query({ inputModalities: [Modality.TEXT, Modality.IMAGE] }))).toBe(0);
    expect(m(c, query({ inputModalities: [Modality.AUDIO] }))).toBe("no");
    expect(m(c, query({ outputModalities: [Modality.IMAGE] }))).toBe(0);
    expect(m(c, query({ outputModalities: [Modality.TEXT] }))).toBe("no");
    expect(m(cap(), query({ inputModalities: [Modality.TEXT] }))).toBe("no");
    expect(m(cap(), query({ outputModalities: [Modality.IMAGE] }))).toBe("no");
  });
  it("DISC-008: min_tier, some supported tier at least as high; none listed fails the filter", () => {
    const q = query({ minTier: VerificationTier.CANARY });
    expect(m(cap({ supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY] }), q)).toBe(0);
    expect(m(cap({ supportedTiers: [VerificationTier.EVIDENCE] }), q)).toBe(0);
    expect(m(cap({ supportedTiers: [VerificationTier.REPUTATION] }), q)).toBe("no");
    expect(m(cap(), q)).toBe("no");
    expect(m(cap(), query())).toBe(0);
  });
  it("DISC-008: a match needs every filter at once", () => {
    const c = cap({ tags: ["image"], constraints: { maxLatencyMs: 100, onDevice: true, regions: ["DE"] } });
    const q = query({ requiredTags: ["image"], maxLatencyMs: 100, onDeviceOnly: true, allowedRegions: ["DE"] });
    expect(m(c, q)).toBe(0);
    expect(m(c, query({ ...q, maxLatencyMs: 99 }))).toBe("no");
    expect(m(c, query({ ...q, allowedRegions: ["FR"] }))).toBe("no");
  });
});

describe("intent score (spec §6.4.1)", () => {
  const c = cap({ intents: ["create an image from a text prompt"], tags: ["image", "text-to-image"] });
  it("DISC-010: the score counts distinct query tokens found among the capability's intent and tag tokens", () => {
    expect(m(c, query({ intent: "Create an IMAGE!" }))).toBe(3);
    expect(m(c, query({ intent: "image image IMAGE" }))).toBe(1);
    expect(m(c, query({ intent: "image, please" }))).toBe(1);
    expect(m(cap({ tags: ["text-to-image"] }), query({ intent: "to" }))).toBe(1);
    expect(m(c, query({ intent: "imag" }))).toBe("no"); // tokens are compared whole
  });
  it("DISC-010: a query with intent tokens does not match a capability that shares none", () => {
    expect(m(c, query({ intent: "translate speech" }))).toBe("no");
    expect(m(cap(), query({ intent: "image" }))).toBe("no");
  });
  it("DISC-010: an intent without tokens is no filter, and every score is 0", () => {
    expect(m(c, query({ intent: "" }))).toBe(0);
    expect(m(c, query({ intent: " -- !! " }))).toBe(0);
    expect(m(cap(), query({ intent: "?" }))).toBe(0);
  });
});

describe("ranking (spec §6.5)", () => {
  const key = (peer: string, c: Capability, q: Query): SortKey => {
    const cq = compiled(q);
    const facts = capabilityFacts(c);
    return sortKey(peer, c, facts, matchCapability(c, facts, cq)!, cq);
  };
  const order = (q: Query, items: [string, Capability][]) =>
    items
      .map(([peer, c]) => ({ peer, c, k: key(peer, c, q) }))
      .sort((a, b) => compareKeys(a.k, b.k))
      .map((x) => `${x.peer}:${x.c.id}@${x.c.version}`);

  it("DISC-011: score first, then narrower capabilities, then latency, price, peer_id, id, version", () => {
    const q = query({ intent: "image prompt", maxPrice: { currency: "EUR", unit: PriceUnit.CALL, amountMicros: 100n } });
    const price = (n: bigint) => ({ currency: "EUR", unit: PriceUnit.CALL, amountMicros: n });
    const items: [string, Capability][] = [
      ["p1", cap({ id: "a", tags: ["image"], constraints: { price: price(1n) } })], // score 1
      ["p1", cap({ id: "b", tags: ["image", "prompt"], constraints: { price: price(50n) } })], // score 2, breadth 2
      ["p1", cap({ id: "c", tags: ["image", "prompt", "extra"], constraints: { price: price(1n) } })], // score 2, breadth 3
      ["p2", cap({ id: "d", tags: ["image", "prompt"], constraints: { maxLatencyMs: 10, price: price(90n) } })], // score 2, breadth 2, latency 10
      ["p3", cap({ id: "e", tags: ["image", "prompt"], constraints: { maxLatencyMs: 10, price: price(80n) } })], // cheaper than d
      ["p0", cap({ id: "f", tags: ["image", "prompt"], constraints: { price: price(50n) } })], // same as b but peer p0
      ["p0", cap({ id: "f", version: "1.10.0", tags: ["image", "prompt"], constraints: { price: price(50n) } })], // bytewise "1.10.0" < "1.2.0"
    ];
    expect(order(q, items)).toEqual(["p3:e@1.2.0", "p2:d@1.2.0", "p0:f@1.10.0", "p0:f@1.2.0", "p1:b@1.2.0", "p1:c@1.2.0", "p1:a@1.2.0"]);
  });
  it("DISC-011: without intent tokens breadth is ignored; without max_price price is ignored", () => {
    const items: [string, Capability][] = [
      ["p2", cap({ id: "a", tags: ["x"], constraints: { price: { currency: "EUR", unit: PriceUnit.CALL, amountMicros: 1n } } })],
      ["p1", cap({ id: "a", tags: ["x", "y", "z"], constraints: { price: { currency: "USD", unit: PriceUnit.CALL, amountMicros: 9n } } })],
    ];
    expect(order(query(), items)).toEqual(["p1:a@1.2.0", "p2:a@1.2.0"]);
  });
  it("DISC-011: the order is total: antisymmetric, transitive, and 0 only for the same peer and capability", () => {
    const arbKey = fc.record({
      score: fc.nat(4),
      breadth: fc.nat(4),
      latency: fc.option(fc.nat(3), { nil: undefined }),
      price: fc.bigInt(0n, 3n),
      peerId: fc.constantFrom("a", "b", "c"),
      id: fc.constantFrom("x", "y"),
      version: fc.constantFrom("1.0.0", "1.10.0", "1.2.0"),
    });
    fc.assert(
      fc.property(arbKey, arbKey, arbKey, (a, b, c) => {
        const sign = (n: number) => Math.sign(n);
        expect(sign(compareKeys(a, b)) + sign(compareKeys(b, a))).toBe(0);
        if (compareKeys(a, b) <= 0 && compareKeys(b, c) <= 0) expect(compareKeys(a, c)).toBeLessThanOrEqual(0);
        if (compareKeys(a, b) === 0) expect([a.peerId, a.id, a.version]).toEqual([b.peerId, b.id, b.version]);
      }),
      { numRuns: 2000 },
    );
  });
});
