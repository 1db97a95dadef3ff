// The AP2P protoc plugins and the spec splicer: concrete facts of the committed
// output, and the mapping rules on a fixture schema built with buf.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { create, fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import { spliceMarkdown, SpliceError, tableBody } from "../../scripts/splice-generated.js";
import { plugin as fieldTablesPlugin } from "./protoc-gen-ap2p-fieldtables.js";
import { plugin as jsonSchemaPlugin } from "./protoc-gen-ap2p-jsonschema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8")) as Record<string, any>;

describe("committed JSON Schema of ap2p.v1.CapabilityDescriptor", () => {
  const schema = readJson("schemas/json/v1/ap2p.v1.CapabilityDescriptor.schema.json");

  it("is a draft 2020-12 schema with a stable id and a do-not-edit comment", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe("urn:ap2p:schema:v1:ap2p.v1.CapabilityDescriptor");
    expect(schema.$comment).toMatch(/^GENERATED from ap2p\/v1\/descriptor\.proto by protoc-gen-ap2p-jsonschema; do not edit/);
    expect(schema.title).toBe("CapabilityDescriptor");
    expect(schema.description).toMatch(/^CapabilityDescriptor is a peer's signed advertisement/);
  });

  it("applies the field rules", () => {
    expect(schema.required).toEqual(expect.arrayContaining(["peerId", "seq", "issuedAt", "expiresAt"]));
    expect(schema.properties.capabilities.maxItems).toBe(64);
    expect(schema.properties.capabilities.items).toEqual({ $ref: "#/$defs/ap2p.v1.Capability" });
    expect(schema.properties.peerId.pattern).toBe("^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$");
    expect(schema.properties.peerId.maxLength).toBe(128);
    expect(schema.properties.displayName.maxLength).toBe(64);
    expect(schema.$defs["ap2p.v1.Capability"].properties.tags.uniqueItems).toBe(true);
    expect(schema.$defs["ap2p.v1.AvailabilityWindow"].properties.weekdays.maximum).toBe(127);
  });

  it("writes 64-bit integers as number or decimal string, bounds on the number only", () => {
    expect(schema.properties.seq.anyOf).toEqual([
      { type: "integer", minimum: 1, maximum: 18446744073709551615 },
      { type: "string", pattern: "^[0-9]*[1-9][0-9]*$" },
    ]);
  });

  it("leaves out the zero value of a required enum", () => {
    const modality = schema.$defs["ap2p.v1.IoSpec"].properties.modality;
    expect(modality.enum).toContain("MODALITY_TEXT");
    expect(modality.enum).not.toContain("MODALITY_UNSPECIFIED");
  });

  it("closes every object and describes every property", () => {
    const objects = [schema, ...Object.values(schema.$defs as Record<string, any>)];
    for (const o of objects) {
      expect(o.additionalProperties, o.title).toBe(false);
      for (const [name, p] of Object.entries(o.properties as Record<string, any>)) {
        expect(p.description, `${o.title}.${name}`).toEqual(expect.any(String));
      }
    }
  });

  it("inlines every referenced message", () => {
    expect(Object.keys(schema.$defs).sort()).toEqual([
      "ap2p.v1.AvailabilityWindow",
      "ap2p.v1.Capability",
      "ap2p.v1.Constraints",
      "ap2p.v1.Endpoint",
      "ap2p.v1.IoSpec",
      "ap2p.v1.Price",
    ]);
  });
});

describe("committed field tables", () => {
  it("start with the generated banner and show the signed content type", () => {
    const md = readFileSync(join(root, "spec/fields/ap2p.v1.CapabilityDescriptor.md"), "utf8");
    expect(md.split("\n")[0]).toBe(
      "<!-- GENERATED from ap2p/v1/descriptor.proto by protoc-gen-ap2p-fieldtables; do not edit -->",
    );
    expect(md).toContain("`application/ap2p.descriptor.v1+cbor`");
    expect(md).toContain("| `seq` | 2 | `uint64` | uint | implicit | required |");
  });

  it("escape pipes inside patterns", () => {
    const md = readFileSync(join(root, "spec/fields/ap2p.v1.Capability.md"), "utf8");
    expect(md).toContain("`^(0\\|[1-9][0-9]*)");
  });

  it("leave out the option messages", () => {
    expect(() => readFileSync(join(root, "spec/fields/ap2p.v1.FieldRules.md"))).toThrow();
    expect(() => readFileSync(join(root, "schemas/json/v1/ap2p.v1.MessageRules.schema.json"))).toThrow();
  });
});

describe("splice-generated", () => {
  const tables = (name: string) => (name === "ap2p.v1.Price" ? "| Field |\n| --- |" : undefined);

  it("replaces the body of a marker block and is idempotent", () => {
    const input = "# Price\n\n<!-- BEGIN GENERATED: ap2p.v1.Price -->\nold\n<!-- END GENERATED -->\n\nAfter.\n";
    const once = spliceMarkdown(input, tables);
    expect(once).toBe(
      "# Price\n\n<!-- BEGIN GENERATED: ap2p.v1.Price -->\n\n| Field |\n| --- |\n\n<!-- END GENERATED -->\n\nAfter.\n",
    );
    expect(spliceMarkdown(once, tables)).toBe(once);
  });

  it("errors on a marker naming an unknown table", () => {
    const input = "<!-- BEGIN GENERATED: ap2p.v1.NoSuchMessage -->\n<!-- END GENERATED -->\n";
    expect(() => spliceMarkdown(input, tables, "spec/x.md")).toThrow(SpliceError);
    expect(() => spliceMarkdown(input, tables, "spec/x.md")).toThrow(/spec\/x\.md:1: no generated table for ap2p\.v1\.NoSuchMessage/);
  });

  it("errors on unbalanced markers", () => {
    expect(() => spliceMarkdown("<!-- BEGIN GENERATED: ap2p.v1.Price -->\n", tables)).toThrow(/never closed/);
    expect(() => spliceMarkdown("<!-- END GENERATED -->\n", tables)).toThrow(/without a matching BEGIN/);
  });

  it("leaves markers inside fenced code alone", () => {
    const input = "```\n<!-- BEGIN GENERATED: ap2p.v1.Nope -->\n```\n";
    expect(spliceMarkdown(input, tables)).toBe(input);
  });

  it("drops the banner line of a table file", () => {
    expect(tableBody("<!-- GENERATED ... -->\n\n| a |\n| --- |\n")).toBe("| a |\n| --- |");
  });
});

// A fixture package that exercises the mappings ap2p.v1 does not use yet.
const FIXTURE = `syntax = "proto3";
package fixture.v1;
import "ap2p/v1/options.proto";
// Sample covers oneofs, maps, signed and 64-bit integers, bytes and recursion.
message Sample {
  // Either a text or a number.
  oneof choice {
    // A text choice.
    string text = 1;
    // A number choice.
    int64 number = 2 [(ap2p.v1.rules).min_value = 5];
  }
  // Labels by name.
  map<string, int32> labels = 3 [(ap2p.v1.rules).max_items = 2];
  // A required signed integer: any value but zero.
  sint32 delta = 4 [(ap2p.v1.rules).required = true];
  // Three to six bytes.
  bytes blob = 5 [(ap2p.v1.rules) = {min_len: 3, max_len: 6}];
  // A nested sample.
  Sample child = 6;
  // A flag with explicit presence.
  optional bool flag = 7;
}
`;

describe("plugins on a fixture schema", () => {
  const scratch = mkdtempSync(join(tmpdir(), "ap2p-plugins-test-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** Builds the fixture (with a possibly edited options.proto) and runs a plugin on it. */
  function run(
    plugin: typeof jsonSchemaPlugin,
    options: { fixture?: string; optionsProto?: string } = {},
  ): Map<string, string> {
    const dir = mkdtempSync(join(scratch, "module-"));
    mkdirSync(join(dir, "ap2p", "v1"), { recursive: true });
    mkdirSync(join(dir, "fixture", "v1"), { recursive: true });
    if (options.optionsProto === undefined) {
      copyFileSync(join(root, "schemas/proto/ap2p/v1/options.proto"), join(dir, "ap2p/v1/options.proto"));
    } else {
      writeFileSync(join(dir, "ap2p/v1/options.proto"), options.optionsProto);
    }
    writeFileSync(join(dir, "fixture/v1/sample.proto"), options.fixture ?? FIXTURE);
    const image = join(dir, "image.binpb");
    const buf = spawnSync(join(root, "node_modules/.bin/buf"), ["build", dir, "--as-file-descriptor-set", "-o", image], {
      encoding: "utf8",
    });
    expect(buf.status, buf.stderr).toBe(0);
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
    const response = plugin.run(
      create(CodeGeneratorRequestSchema, {
        fileToGenerate: ["fixture/v1/sample.proto"],
        parameter: "package=fixture.v1",
        protoFile: set.file,
      }),
    );
    return new Map(response.file.map((f) => [f.name, f.content]));
  }

  it("maps oneofs, maps, integers, bytes and recursion to JSON Schema", () => {
    const out = run(jsonSchemaPlugin);
    expect([...out.keys()]).toEqual(["fixture.v1.Sample.schema.json"]);
    const schema = JSON.parse(out.get("fixture.v1.Sample.schema.json")!);
    expect(schema.properties.child.$ref).toBe("#");
    expect(schema.$defs).toBeUndefined();

    const ajv = new Ajv2020({ strict: true });
    const validate = ajv.compile(schema);
    const ok = (v: unknown) => validate(v);
    expect(ok({ delta: -3 })).toBe(true);
    expect(ok({ delta: 0 })).toBe(false); // required: not the default value
    expect(ok({ delta: 1, text: "a" })).toBe(true);
    expect(ok({ delta: 1, text: "a", number: "7" })).toBe(false); // oneof
    expect(ok({ delta: 1, number: 7 })).toBe(true);
    expect(ok({ delta: 1, number: 4 })).toBe(false); // min_value on the number form
    expect(ok({ delta: 1, number: "-12" })).toBe(true); // not on the string form
    expect(ok({ delta: 1, labels: { a: 1, b: 2 } })).toBe(true);
    expect(ok({ delta: 1, labels: { a: 1, b: 2, c: 3 } })).toBe(false); // max_items
    expect(ok({ delta: 1, labels: { a: "1" } })).toBe(false);
    expect(ok({ delta: 1, blob: "AAEC" })).toBe(true); // 3 bytes
    expect(ok({ delta: 1, blob: "AAECAwQF" })).toBe(true); // 6 bytes
    expect(ok({ delta: 1, blob: "AA" })).toBe(false); // 1 byte
    expect(ok({ delta: 1, blob: "AAECAwQFBgc" })).toBe(false); // 8 bytes
    expect(ok({ delta: 1, blob: "-_8A" })).toBe(true); // URL-safe
    expect(ok({ delta: 1, blob: "AAECAwQ" })).toBe(true); // 5 bytes, unpadded
    // The text bounds are necessary, not sufficient: padded, 2 bytes take 4
    // characters, like 3 bytes do. The exact count is checked after decoding.
    expect(ok({ delta: 1, blob: "AAE=" })).toBe(true);
    expect(ok({ delta: 1, flag: false })).toBe(true);
    expect(ok({ delta: 1, child: { delta: 2, child: { delta: 3 } } })).toBe(true);
    expect(ok({ delta: 1, child: { child: { delta: 3 } } })).toBe(false);
  });

  it("describes oneof members and maps in the field table", () => {
    const md = run(fieldTablesPlugin).get("fixture.v1.Sample.md")!;
    expect(md).toContain("| `number` | 2 | `int64` | nint/uint | explicit (oneof `choice`) | value ≥ 5 |");
    expect(md).toContain("| `labels` | 3 | `map<string, int32>` | map of text → nint/uint | map | ≤ 2 entries |");
    expect(md).toContain("| `blob` | 5 | `bytes` | bytes | implicit | length 3 to 6 bytes |");
    expect(md).toContain("| `flag` | 7 | `bool` | bool | explicit |  |");
  });

  it("reads options.proto from the request and refuses rules it does not know", () => {
    const original = readFileSync(join(root, "schemas/proto/ap2p/v1/options.proto"), "utf8");
    const extended = original.replace("  bool unique = 8;\n", "  bool unique = 8;\n  // A new rule.\n  bool sorted = 9;\n");
    expect(extended).not.toBe(original);
    // A new rule that no field uses changes nothing.
    expect(run(jsonSchemaPlugin, { optionsProto: extended }).size).toBe(1);
    // A field that uses it stops generation instead of being silently under-described.
    const fixture = FIXTURE.replace("bytes blob = 5 [(ap2p.v1.rules) = {", "bytes blob = 5 [(ap2p.v1.rules) = {sorted: true, ");
    expect(() => run(jsonSchemaPlugin, { optionsProto: extended, fixture })).toThrow(/sorted.*not support/);
    expect(() => run(fieldTablesPlugin, { optionsProto: extended, fixture })).toThrow(/sorted.*not support/);
  });

  it("refuses a rule on a field of the wrong kind", () => {
    const fixture = FIXTURE.replace("optional bool flag = 7;", "optional bool flag = 7 [(ap2p.v1.rules).max_len = 3];");
    expect(() => run(jsonSchemaPlugin, { fixture })).toThrow(/max_len/);
  });
});
