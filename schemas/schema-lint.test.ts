// Rules the AP2P schema itself must follow, beyond `buf lint`: what the CBOR
// mapping (spec/03-data-model.md §3.4) cannot carry must never appear.
import { readdirSync } from "node:fs";
import { hasOption, ScalarType, type DescFile, type DescMessage } from "@bufbuild/protobuf";
import { message_rules } from "../gen/ts/ap2p/v1/options_pb.js";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { describe, expect, it } from "vitest";
import { contentTypeOf } from "../reference/src/signed/signed-message.js";

const files: DescFile[] = [];
for (const f of readdirSync(new URL("../gen/ts/ap2p/v1/", import.meta.url)).filter((n) => n.endsWith("_pb.ts"))) {
  // Every generated file, whichever exist: a computed import, which the bundler cannot analyse and need not.
  const mod = (await import(/* @vite-ignore */ `../gen/ts/ap2p/v1/${f.replace(/\.ts$/, ".js")}`)) as Record<string, unknown>;
  for (const v of Object.values(mod)) if ((v as DescFile)?.kind === "file") files.push(v as DescFile);
}
const messages = files.flatMap((f) => [...nestedTypes(f)].filter((t): t is DescMessage => t.kind === "message"));

describe("schema lint", () => {
  it("finds the ap2p.v1 messages", () => expect(messages.map((m) => m.typeName)).toContain("ap2p.v1.CapabilityDescriptor"));
  it("ENC-006: no float or double field anywhere", () => {
    const bad = messages.flatMap((m) =>
      m.fields.filter((f) => (f.fieldKind === "scalar" || (f.fieldKind === "list" && f.listKind === "scalar") || (f.fieldKind === "map" && f.mapKind === "scalar")) && (f.scalar === ScalarType.DOUBLE || f.scalar === ScalarType.FLOAT)).map((f) => `${m.typeName}.${f.name}`),
    );
    expect(bad).toEqual([]);
  });
  it("ENC-005: map fields have string keys only", () => {
    const bad = messages.flatMap((m) => m.fields.filter((f) => f.fieldKind === "map" && f.mapKey !== ScalarType.STRING).map((f) => `${m.typeName}.${f.name}`));
    expect(bad).toEqual([]);
  });
  it("no well-known types (their JSON forms differ from the CBOR mapping)", () => {
    const bad = messages.flatMap((m) => m.fields.filter((f) => f.message?.file.proto.package === "google.protobuf").map((f) => `${m.typeName}.${f.name}`));
    expect(bad).toEqual([]);
  });
  it("SIG-006: content types are unique across signed message kinds", () => {
    const types = messages.filter((m) => hasOption(m, message_rules)).map((m) => contentTypeOf(m));
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(t).toMatch(/^application\/ap2p\.[a-z0-9-]+\.v[0-9]+\+cbor$/);
  });
});
