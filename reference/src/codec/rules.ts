// Enforcement of the FieldRules declared in the schema with (ap2p.v1.rules)
// (schemas/proto/ap2p/v1/options.proto; spec/03-data-model.md §3.5). The same
// options generate the JSON Schema, so both views of the schema agree.
import { getOption, hasOption, isFieldSet, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { rules as rulesExt, type FieldRules } from "../../../gen/ts/ap2p/v1/options_pb.js";
import { Ap2pError, type ErrorCodeName } from "../errors.js";

const cache = new WeakMap<DescField, { rules: FieldRules; pattern?: RegExp } | null>();

function rulesOf(field: DescField): { rules: FieldRules; pattern?: RegExp } | null {
  let r = cache.get(field);
  if (r === undefined) {
    if (hasOption(field, rulesExt)) {
      const rules = getOption(field, rulesExt);
      r = rules.pattern ? { rules, pattern: new RegExp(rules.pattern, "u") } : { rules };
    } else {
      r = null;
    }
    cache.set(field, r);
  }
  return r;
}

function fail(code: ErrorCodeName, message: string, path: string): never {
  throw new Ap2pError(code, `${path}: ${message}`, { path });
}

/** Checks a message and everything nested in it against the schema's rules. Throws Ap2pError. */
export function checkRules(desc: DescMessage, message: Message, path = ""): void {
  const m = message as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    const at = path ? `${path}.${field.name}` : field.name;
    const set = isFieldSet(message as never, field);
    const r = rulesOf(field);
    if (r?.rules.required && !set) fail("SCHEMA_REQUIRED_FIELD_MISSING", "required field is missing", at);
    if (!set) continue;
    const value = field.oneof ? (m[field.oneof.localName] as { value: unknown }).value : m[field.localName];
    switch (field.fieldKind) {
      case "scalar":
        if (r) checkScalar(field.scalar, value, r, at);
        break;
      case "enum":
        checkEnum(field, value as number, at);
        break;
      case "message":
        checkRules(field.message, value as Message, at);
        break;
      case "list": {
        const items = value as unknown[];
        if (r?.rules.maxItems && items.length > r.rules.maxItems) {
          fail("SCHEMA_TOO_MANY_ITEMS", `${items.length} items, at most ${r.rules.maxItems} allowed`, at);
        }
        items.forEach((item, i) => {
          const ai = `${at}[${i}]`;
          if (field.listKind === "message") checkRules(field.message, item as Message, ai);
          else if (field.listKind === "enum") checkEnum(field, item as number, ai, false);
          else if (r) checkScalar(field.scalar, item, r, ai);
        });
        if (r?.rules.unique && field.listKind !== "message") {
          const seen = new Set<string>();
          items.forEach((item, i) => {
            const key = item instanceof Uint8Array ? Buffer.from(item).toString("hex") : String(item);
            if (seen.has(key)) fail("SCHEMA_DUPLICATE_ITEM", "duplicate element", `${at}[${i}]`);
            seen.add(key);
          });
        }
        break;
      }
      case "map": {
        const entries = Object.entries(value as Record<string, unknown>);
        if (r?.rules.maxItems && entries.length > r.rules.maxItems) {
          fail("SCHEMA_TOO_MANY_ITEMS", `${entries.length} entries, at most ${r.rules.maxItems} allowed`, at);
        }
        for (const [k, v] of entries) {
          if (field.mapKind === "message") checkRules(field.message, v as Message, `${at}["${k}"]`);
          else if (field.mapKind === "enum") checkEnum(field, v as number, `${at}["${k}"]`, false);
        }
        break;
      }
    }
  }
}

function checkEnum(field: DescField, value: number, at: string, zeroAllowed = true): void {
  const e = field.enum!;
  if (!e.values.some((v) => v.number === value) || (value === 0 && !zeroAllowed)) {
    fail("SCHEMA_UNKNOWN_ENUM_VALUE", `${value} is not an allowed value of ${e.typeName}`, at);
  }
}

function checkScalar(t: ScalarType, value: unknown, r: { rules: FieldRules; pattern?: RegExp }, at: string): void {
  const { rules } = r;
  if (t === ScalarType.STRING || t === ScalarType.BYTES) {
    // Strings are measured in Unicode code points, as JSON Schema measures them.
    const len = typeof value === "string" ? codePoints(value) : (value as Uint8Array).length;
    if ((rules.minLen && len < rules.minLen) || (rules.maxLen && len > rules.maxLen)) {
      const bounds = `${rules.minLen || 0}..${rules.maxLen || "∞"}`;
      fail("SCHEMA_LENGTH_OUT_OF_RANGE", `length ${len} is outside ${bounds}`, at);
    }
    if (r.pattern && typeof value === "string" && !r.pattern.test(value)) {
      fail("SCHEMA_PATTERN_MISMATCH", `${JSON.stringify(truncate(value))} does not match ${rules.pattern}`, at);
    }
    return;
  }
  if (typeof value === "number" || typeof value === "bigint") {
    const v = BigInt(value);
    if ((rules.maxValue && v > rules.maxValue) || (rules.minValue && v < rules.minValue)) {
      fail("SCHEMA_INTEGER_OUT_OF_RANGE", `${v} is outside ${rules.minValue}..${rules.maxValue || "∞"}`, at);
    }
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}
