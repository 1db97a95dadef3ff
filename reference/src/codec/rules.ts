// Enforcement of the FieldRules declared in the schema with (ap2p.v1.rules)
// (schemas/proto/ap2p/v1/options.proto; spec/03-data-model.md §3.5). The same
// options generate the JSON Schema, so both views of the schema agree.
import { getOption, hasOption, isFieldSet, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { rules as rulesExt, type FieldRules } from "../../../gen/ts/ap2p/v1/options_pb.js";
import { Ap2pError, type ErrorCodeName } from "../errors.js";

const cache = new WeakMap<DescField, CompiledRules | null>();

function rulesOf(field: DescField): CompiledRules | null {
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
  // isFieldSet is false for every field of a message of another type.
  const sameType = message.$typeName === desc.typeName;
  for (const c of checksOf(desc)) {
    // A plain scalar without rules has nothing to check.
    if (c.inert) continue;
    const set = sameType && c.isSet(m);
    if (c.required && !set) fail("SCHEMA_REQUIRED_FIELD_MISSING", "required field is missing", join(path, c.name));
    if (!set) continue;
    const value = c.oneof !== undefined ? (m[c.oneof] as { value: unknown }).value : m[c.localName];
    const field = c.field;
    switch (field.fieldKind) {
      case "scalar":
        if (c.r) checkScalar(c, value, path, undefined);
        break;
      case "enum":
        checkEnum(c, value as number, path, undefined, true);
        break;
      case "message":
        checkRules(field.message, value as Message, join(path, c.name));
        break;
      case "list": {
        const items = value as unknown[];
        const maxItems = c.r?.rules.maxItems;
        if (maxItems && items.length > maxItems) {
          fail("SCHEMA_TOO_MANY_ITEMS", `${items.length} items, at most ${maxItems} allowed`, join(path, c.name));
        }
        if (field.listKind === "message") {
          const at = join(path, c.name);
          for (let i = 0; i < items.length; i++) checkRules(field.message, items[i] as Message, `${at}[${i}]`);
        } else if (field.listKind === "enum") {
          for (let i = 0; i < items.length; i++) checkEnum(c, items[i] as number, path, i, false);
        } else if (c.r) {
          for (let i = 0; i < items.length; i++) checkScalar(c, items[i], path, i);
        }
        if (c.r?.rules.unique && field.listKind !== "message") {
          const seen = new Set<unknown>();
          items.forEach((item, i) => {
            const key = item instanceof Uint8Array ? Buffer.from(item).toString("hex") : String(item);
            if (seen.has(key)) fail("SCHEMA_DUPLICATE_ITEM", "duplicate element", `${join(path, c.name)}[${i}]`);
            seen.add(key);
          });
        }
        break;
      }
      case "map": {
        const at = join(path, c.name);
        const entries = Object.entries(value as Record<string, unknown>);
        const maxItems = c.r?.rules.maxItems;
        if (maxItems && entries.length > maxItems) {
          fail("SCHEMA_TOO_MANY_ITEMS", `${entries.length} entries, at most ${maxItems} allowed`, at);
        }
        for (const [k, v] of entries) {
          if (field.mapKind === "message") checkRules(field.message, v as Message, `${at}["${k}"]`);
          else if (field.mapKind === "enum") checkEnumAt(c, v as number, `${at}["${k}"]`, false);
        }
        break;
      }
    }
  }
}

const join = (path: string, name: string): string => (path ? `${path}.${name}` : name);
const itemPath = (c: FieldCheck, path: string, index: number | undefined): string => (index === undefined ? join(path, c.name) : `${join(path, c.name)}[${index}]`);

/** What checkRules needs of a field, worked out once per field. */
interface FieldCheck {
  readonly field: DescField;
  readonly name: string;
  readonly localName: string;
  readonly oneof: string | undefined;
  readonly r: CompiledRules | null;
  readonly required: boolean;
  /** isFieldSet for a message of the field's own type. */
  readonly isSet: (m: Record<string, unknown>) => boolean;
  readonly enumValues: ReadonlySet<number> | undefined;
  /** A scalar field without rules: checkRules skips it. */
  readonly inert: boolean;
}

interface CompiledRules {
  readonly rules: FieldRules;
  readonly pattern?: RegExp;
}

const checks = new WeakMap<DescMessage, readonly FieldCheck[]>();

function checksOf(desc: DescMessage): readonly FieldCheck[] {
  let list = checks.get(desc);
  if (list === undefined) {
    list = desc.fields.map((field) => {
      const r = rulesOf(field);
      return {
        field,
        name: field.name,
        localName: field.localName,
        oneof: field.oneof?.localName,
        r,
        required: r?.rules.required === true,
        isSet: isSetOf(field),
        enumValues: field.enum === undefined ? undefined : new Set(field.enum.values.map((v) => v.number)),
        inert: field.fieldKind === "scalar" && r === null,
      };
    });
    checks.set(desc, list);
  }
  return list;
}

/**
 * protobuf-es's isFieldSet for one field (reflect/unsafe.ts, unsafeIsSet),
 * specialised once, for a message of the field's own type (the caller checks
 * $typeName, as isFieldSet does).
 */
export function isSetOf(field: DescField): (m: Record<string, unknown>) => boolean {
  const name = field.localName;
  if (field.oneof) {
    const oneof = field.oneof.localName;
    return (m) => (m[oneof] as { case: string | undefined }).case === name;
  }
  if (field.presence !== IMPLICIT) return (m) => m[name] !== undefined && Object.prototype.hasOwnProperty.call(m, name);
  switch (field.fieldKind) {
    case "list":
      return (m) => (m[name] as unknown[]).length > 0;
    case "map":
      return (m) => Object.keys(m[name] as object).length > 0;
    case "enum": {
      const zero = field.enum.values[0]!.number;
      return (m) => m[name] !== zero;
    }
    case "scalar":
      switch (field.scalar) {
        case ScalarType.BOOL:
          return (m) => m[name] !== false;
        case ScalarType.STRING:
          return (m) => m[name] !== "";
        case ScalarType.BYTES:
          return (m) => !(m[name] instanceof Uint8Array && (m[name] as Uint8Array).byteLength === 0);
        case ScalarType.DOUBLE:
        case ScalarType.FLOAT:
          return (m) => !Object.is(m[name], 0);
        default:
          // Loose comparison, as protobuf-es: 0n, 0 and "0" are all zero.
          return (m) => m[name] != 0;
      }
    default:
      return (m) => isFieldSet(m as never, field);
  }
}

// protobuf-es: google.protobuf.FeatureSet.FieldPresence.IMPLICIT.
const IMPLICIT = 2;

function checkEnum(c: FieldCheck, value: number, path: string, index: number | undefined, zeroAllowed: boolean): void {
  if (!c.enumValues!.has(value) || (value === 0 && !zeroAllowed)) {
    fail("SCHEMA_UNKNOWN_ENUM_VALUE", `${value} is not an allowed value of ${c.field.enum!.typeName}`, itemPath(c, path, index));
  }
}

function checkEnumAt(c: FieldCheck, value: number, at: string, zeroAllowed: boolean): void {
  if (!c.enumValues!.has(value) || (value === 0 && !zeroAllowed)) {
    fail("SCHEMA_UNKNOWN_ENUM_VALUE", `${value} is not an allowed value of ${c.field.enum!.typeName}`, at);
  }
}

function checkScalar(c: FieldCheck, value: unknown, path: string, index: number | undefined): void {
  const { rules, pattern } = c.r!;
  const t = c.field.scalar!;
  if (t === ScalarType.STRING || t === ScalarType.BYTES) {
    if (rules.minLen || rules.maxLen) {
      let len: number;
      if (typeof value === "string") {
        // Strings are measured in Unicode code points, as JSON Schema measures them; a string
        // has between length / 2 and length of them, which settles most cases without counting.
        const units = value.length;
        len = (!rules.maxLen || units <= rules.maxLen) && (!rules.minLen || units >= 2 * rules.minLen) ? -1 : codePoints(value);
      } else {
        len = (value as Uint8Array).length;
      }
      if (len >= 0 && ((rules.minLen && len < rules.minLen) || (rules.maxLen && len > rules.maxLen))) {
        const bounds = `${rules.minLen || 0}..${rules.maxLen || "∞"}`;
        fail("SCHEMA_LENGTH_OUT_OF_RANGE", `length ${len} is outside ${bounds}`, itemPath(c, path, index));
      }
    }
    if (pattern && typeof value === "string" && !pattern.test(value)) {
      fail("SCHEMA_PATTERN_MISMATCH", `${JSON.stringify(truncate(value))} does not match ${rules.pattern}`, itemPath(c, path, index));
    }
    return;
  }
  if ((typeof value === "number" || typeof value === "bigint") && (rules.maxValue || rules.minValue)) {
    const v = BigInt(value);
    if ((rules.maxValue && v > rules.maxValue) || (rules.minValue && v < rules.minValue)) {
      fail("SCHEMA_INTEGER_OUT_OF_RANGE", `${v} is outside ${rules.minValue}..${rules.maxValue || "∞"}`, itemPath(c, path, index));
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
