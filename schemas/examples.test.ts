// Every example under schemas/examples/ against the generated JSON Schemas
// (schemas/json/v1/) and the generated protobuf bindings (gen/ts/).
//
//   schemas/examples/<Message>/<case>.json          MUST validate, and MUST be
//                                                   canonical proto3 JSON
//   schemas/examples/<Message>/invalid/<case>.json  MUST NOT validate
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRegistry, fromJson, toJson, type DescFile, type JsonValue } from "@bufbuild/protobuf";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const schemaDir = join(here, "json", "v1");
const examplesDir = join(here, "examples");
const genDir = join(root, "gen", "ts", "ap2p", "v1");
const PACKAGE = "ap2p.v1";

const readJson = (path: string): JsonValue => JSON.parse(readFileSync(path, "utf8")) as JsonValue;
const jsonFiles = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.endsWith(".json") && statSync(join(dir, f)).isFile()).sort();

const ajv = new Ajv2020({ strict: true, allErrors: true });
// ajv-formats is CommonJS; under NodeNext its default import is module.exports.
const addFormats = ajvFormats.default;
addFormats(ajv);
for (const file of jsonFiles(schemaDir)) ajv.addSchema(readJson(join(schemaDir, file)) as object);

const messageDirs = readdirSync(examplesDir)
  .filter((d) => statSync(join(examplesDir, d)).isDirectory())
  .sort();

function validator(message: string) {
  const validate = ajv.getSchema(`urn:ap2p:schema:v1:${PACKAGE}.${message}`);
  if (validate === undefined) throw new Error(`no generated schema for ${PACKAGE}.${message}`);
  return validate;
}

let registry: ReturnType<typeof createRegistry>;

beforeAll(async () => {
  // Every generated file descriptor, without naming the files here.
  const files: DescFile[] = [];
  for (const f of readdirSync(genDir).filter((f) => f.endsWith("_pb.ts")).sort()) {
    const mod = (await import(pathToFileURL(join(genDir, f)).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "file") {
        files.push(value as DescFile);
      }
    }
  }
  registry = createRegistry(...files);
});

describe("generated JSON Schemas", () => {
  it("compile in strict mode", () => {
    const ids = jsonFiles(schemaDir).map((f) => (readJson(join(schemaDir, f)) as { $id: string }).$id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(() => ajv.getSchema(id)).not.toThrow();
  });

  it("have examples for the core messages", () => {
    for (const m of ["CapabilityDescriptor", "Capability", "Constraints", "SignedObject"]) {
      expect(messageDirs).toContain(m);
      expect(jsonFiles(join(examplesDir, m)).length).toBeGreaterThan(0);
      expect(jsonFiles(join(examplesDir, m, "invalid")).length).toBeGreaterThan(0);
    }
  });
});

for (const message of messageDirs) {
  const dir = join(examplesDir, message);
  const invalidDir = join(dir, "invalid");
  const invalid = statSync(invalidDir, { throwIfNoEntry: false })?.isDirectory() ? jsonFiles(invalidDir) : [];

  describe(`${PACKAGE}.${message} examples`, () => {
    it("name a generated schema", () => {
      expect(() => validator(message)).not.toThrow();
    });

    for (const file of jsonFiles(dir)) {
      it(`${file} is valid`, () => {
        const validate = validator(message);
        const example = readJson(join(dir, file));
        const ok = validate(example);
        expect(ok, ajv.errorsText(validate.errors)).toBe(true);
      });

      it(`${file} is canonical proto3 JSON`, () => {
        const desc = registry.getMessage(`${PACKAGE}.${message}`);
        expect(desc, `${PACKAGE}.${message} in gen/ts`).toBeDefined();
        const example = readJson(join(dir, file));
        const parsed = fromJson(desc!, example);
        expect(toJson(desc!, parsed)).toEqual(example);
      });
    }

    for (const file of invalid) {
      it(`invalid/${file} is rejected`, () => {
        const validate = validator(message);
        expect(validate(readJson(join(invalidDir, file)))).toBe(false);
      });
    }
  });
}
