// Every vector file against vectors/schema/vector-file.schema.json (JSON
// Schema 2020-12), and the consistency rules the schema cannot state: counts,
// the flag glossary, id prefixes, registered error codes, existing
// requirement IDs, and the encodings of bytes and 64-bit integers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { isErrorCodeName } from "../reference/src/errors.js";
import { FLAGS } from "./generator/flags.js";
import { allTests, readCorpus, ROOT } from "./corpus.js";
import { REFERENCE_OPERATIONS } from "./runner/reference-operations.js";

const schema = JSON.parse(readFileSync(join(ROOT, "vectors", "schema", "vector-file.schema.json"), "utf8")) as object;
// strictRequired is off: the if/then rules name properties declared beside them, not inside them.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const validate = ajv.compile(schema);
const corpus = readCorpus();
const requirementIds = new Set(
  (JSON.parse(readFileSync(join(ROOT, "spec", "requirements.json"), "utf8")) as { requirements: { id: string }[] }).requirements.map((r) => r.id),
);

/** Input and output fields that hold bytes (lower-case hex), and those that hold 64-bit integers (decimal strings). */
const BYTE_FIELDS = new Set(["encoded", "public_key", "message", "signature", "secret_key", "cose", "descriptor", "payload", "sha256"]);
const DECIMAL_FIELDS = new Set(["now", "max_ttl_ms", "clock_skew_ms", "last_seq"]);

function encodingProblems(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => encodingProblems(v, `${path}[${i}]`, out));
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "json") continue; // proto3 JSON: its own encodings (§3.6)
      if (BYTE_FIELDS.has(k) && (typeof v !== "string" || !/^(?:[0-9a-f]{2})*$/.test(v))) out.push(`${path}.${k} is not lower-case hex`);
      if (DECIMAL_FIELDS.has(k) && (typeof v !== "string" || !/^(?:0|[1-9][0-9]*)$/.test(v))) out.push(`${path}.${k} is not a decimal string`);
      encodingProblems(v, `${path}.${k}`, out);
    }
  }
}

describe("vector files (vectors/v1)", () => {
  it("exist", () => expect(corpus.map((c) => c.file)).toEqual(expect.arrayContaining(["cbor.json", "message.json", "ed25519.json", "did-key.json", "cose.json", "descriptor.json"])));

  for (const { file, data } of corpus) {
    describe(file, () => {
      it("validates against vector-file.schema.json", () => {
        const ok = validate(data);
        expect(ok, ajv.errorsText(validate.errors, { separator: "\n" })).toBe(true);
      });

      it("has the name of its file, and counts that add up", () => {
        expect(`${data.name}.json`).toBe(file);
        const tests = data.test_groups.flatMap((g) => g.tests);
        expect(data.number_of_tests).toBe(tests.length);
        for (const r of ["valid", "invalid", "acceptable"] as const) expect(data.counts[r], r).toBe(tests.filter((t) => t.result === r).length);
      });

      it("defines exactly the flags its tests use, as in the generator's glossary", () => {
        const used = new Set(data.test_groups.flatMap((g) => g.tests.flatMap((t) => t.flags)));
        expect(Object.keys(data.flags).sort()).toEqual([...used].sort());
        for (const [name, info] of Object.entries(data.flags)) expect(info).toEqual(FLAGS[name as keyof typeof FLAGS]);
      });

      it("uses ids under its own name, registered error codes, known requirement IDs and known operations", () => {
        const problems: string[] = [];
        for (const g of data.test_groups) {
          if (REFERENCE_OPERATIONS[g.operation] === undefined) problems.push(`unknown operation ${g.operation}`);
          for (const t of g.tests) {
            if (!t.id.startsWith(`${data.name}/`)) problems.push(`${t.id}: not under ${data.name}/`);
            if (t.error !== undefined && !isErrorCodeName(t.error)) problems.push(`${t.id}: ${t.error} is not a registered code`);
            if (t.error === "INVALID_ARGUMENT") problems.push(`${t.id}: INVALID_ARGUMENT is never a verdict on input (ERR-003)`);
            for (const r of t.requirements) if (!requirementIds.has(r)) problems.push(`${t.id}: ${r} is not in spec/requirements.json`);
          }
        }
        expect(problems).toEqual([]);
      });

      it("writes bytes as lower-case hex and 64-bit integers as decimal strings", () => {
        const problems: string[] = [];
        data.test_groups.forEach((g, i) => {
          encodingProblems(g.shared, `test_groups[${i}].shared`, problems);
          for (const t of g.tests) {
            encodingProblems(t.inputs, `${t.id}.inputs`, problems);
            encodingProblems(t.output, `${t.id}.output`, problems);
          }
        });
        expect(problems).toEqual([]);
      });
    });
  }

  it("has unique ids across the corpus", () => {
    const ids = allTests().map((t) => t.test.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("the schema itself rejects an invalid test without an error code, a valid test with one, and an unknown key", () => {
    const original = corpus.find((c) => c.file === "cbor.json")!.data;
    const check = (mutate: (valid: Record<string, unknown>, invalid: Record<string, unknown>) => void) => {
      const data = structuredClone(original);
      const [valid, invalid] = [data.test_groups[0]!.tests[0]!, data.test_groups[1]!.tests[0]!];
      expect([valid.result, invalid.result]).toEqual(["valid", "invalid"]);
      mutate(valid as unknown as Record<string, unknown>, invalid as unknown as Record<string, unknown>);
      return validate(data);
    };
    expect(check(() => {})).toBe(true);
    expect(check((_, invalid) => delete invalid["error"])).toBe(false);
    expect(check((valid) => (valid["error"] = "CBOR_MALFORMED"))).toBe(false);
    expect(check((valid) => (valid["expected"] = "valid"))).toBe(false);
  });

  it("marks every acceptable test with a flag saying why", () => {
    expect(allTests().filter((t) => t.test.result === "acceptable" && t.test.flags.length === 0).map((t) => t.test.id)).toEqual([]);
  });
});
