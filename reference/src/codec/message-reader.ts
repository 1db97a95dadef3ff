// Decoding of untrusted message bytes in one pass (spec/03-data-model.md §3.3,
// §3.4): the strict CBOR profile and the mapping onto the schema are checked
// together, item by item, and the message is built as the bytes are read.
//
// The verdicts are exactly those of the three-stage procedure the spec states
// (profile scan, then mapping, then re-encoding), which the generic path in
// message-codec.ts still runs for schemas this reader does not handle:
//   - a profile defect (a CBOR_* code) is thrown where it is met, and any
//     profile defect comes before any mapping defect, so the first mapping
//     defect is only recorded and thrown once the whole input has passed the
//     profile (ENC-019);
//   - mapping defects are met in the order the generic mapping meets them:
//     map keys in byte order, a value before the next key.
// No re-encoding comparison follows (ENC-012): for the schemas this reader
// accepts (proto3 without map or floating-point fields), an input that passes
// it is the one canonical encoding of what it returns. The profile admits
// only shortest heads, definite lengths and sorted, unique keys, and the
// mapping admits one representation per value: integers in the field's type,
// no default values where presence is implicit, no empty arrays. The tests
// compare both paths on random and corrupted inputs.
import { ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { Ap2pError, type ErrorCodeName } from "../errors.js";
import type { ScanProfile } from "../cbor/scan.js";
import { fieldKey, inKeyOrder, mapsDirectly } from "./direct-mapping.js";
import { integerRange, is64Bit, scalarName } from "./scalars.js";

// protobuf-es: FieldPresence.IMPLICIT.
const IMPLICIT = 2;

// What one CBOR item maps to.
const T_STRING = 1;
const T_BYTES = 2;
const T_BOOL = 3;
const T_INT32 = 4; // the 32-bit integer types: a JS number
const T_INT64 = 5; // the 64-bit integer types: a bigint
const T_ENUM = 6;
const T_MESSAGE = 7;
const T_LIST = 8;

interface ValuePlan {
  readonly type: number;
  readonly scalar: ScalarType;
  // Integer range, as numbers (T_INT32) or bigints (T_INT64).
  readonly lo: number | bigint;
  readonly hi: number | bigint;
  // Enums: the values defined, and whether 0 is allowed here (ENC-014).
  readonly enumValues: ReadonlySet<number> | undefined;
  readonly enumName: string;
  readonly zeroAllowed: boolean;
  // Messages, resolved on first use (schemas may be recursive).
  readonly message: DescMessage | undefined;
  // Lists: the plan of each element.
  readonly element: ValuePlan | undefined;
}

interface FieldPlan {
  readonly name: string;
  readonly localName: string;
  readonly oneof: string | undefined;
  // The field's name as an encoded CBOR map key.
  readonly key: Uint8Array;
  // Implicit presence (plain proto3 scalars and enums): the default value must not be encoded (ENC-013).
  readonly implicit: boolean;
  readonly value: ValuePlan;
}

interface MessagePlan {
  readonly desc: DescMessage;
  // Fields in the bytewise order of their encoded keys, which is the order keys arrive in.
  readonly fields: readonly FieldPlan[];
  // The zero message create(desc) returns (members with implicit presence and
  // oneofs), as a template to copy, and its members whose zero value is a
  // mutable object that each message needs its own of.
  readonly template: Readonly<Record<string, unknown>>;
  readonly fresh: readonly (readonly [string, () => unknown])[];
}

const plans = new WeakMap<DescMessage, MessagePlan | null>();
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
// The plan of a whole message of each type, as the top-level item.
const topLevel = new WeakMap<DescMessage, ValuePlan>();

/**
 * The plan of a message type, or null if this reader does not handle it (a
 * proto2 or editions file, map fields, floating-point or string-valued
 * 64-bit fields, here or in any message it contains).
 */
function planOf(desc: DescMessage): MessagePlan | null {
  const cached = plans.get(desc);
  if (cached !== undefined) return cached;
  // Provisional entry, for recursive schemas; replaced below.
  plans.set(desc, null);
  const plan = buildPlan(desc);
  plans.set(desc, plan);
  return plan;
}

function buildPlan(desc: DescMessage): MessagePlan | null {
  if (!mapsDirectly(desc)) return null;
  const fields = desc.fields.map((f): FieldPlan => {
    return {
      name: f.name,
      localName: f.localName,
      oneof: f.oneof?.localName,
      key: fieldKey(f),
      implicit: f.presence === IMPLICIT && f.oneof === undefined,
      value: f.fieldKind === "list" ? { ...valuePlan(f, false), type: T_LIST, element: valuePlan(f, false) } : valuePlan(f, true),
    };
  });
  inKeyOrder(fields);
  const template: Record<string, unknown> = { $typeName: desc.typeName };
  const fresh: [string, () => unknown][] = [];
  for (const member of desc.members) {
    const zero = member.kind === "oneof" ? () => ({ case: undefined }) : member.presence === IMPLICIT ? zeroOf(member) : undefined;
    if (zero === undefined) continue;
    const value = zero();
    template[member.localName] = value;
    if (typeof value === "object") fresh.push([member.localName, zero]);
  }
  return { desc, fields, template, fresh };
}

function zeroOf(field: DescField): () => unknown {
  switch (field.fieldKind) {
    case "list":
      return () => [];
    case "enum": {
      const zero = field.enum.values[0]!.number;
      return () => zero;
    }
    case "scalar":
      switch (field.scalar) {
        case ScalarType.STRING:
          return () => "";
        case ScalarType.BOOL:
          return () => false;
        case ScalarType.BYTES:
          return () => new Uint8Array(0);
        default:
          return is64Bit(field.scalar) ? () => 0n : () => 0;
      }
    default:
      // Message and map fields never have implicit presence in proto3 files this reader accepts.
      throw new Error(`unexpected implicit-presence field ${field.name}`);
  }
}

const NO_VALUES: ValuePlan = { type: 0, scalar: ScalarType.STRING, lo: 0, hi: 0, enumValues: undefined, enumName: "", zeroAllowed: false, message: undefined, element: undefined };

function valuePlan(f: DescField, singular: boolean): ValuePlan {
  const kind = f.fieldKind === "list" ? f.listKind : f.fieldKind;
  if (kind === "message") return { ...NO_VALUES, type: T_MESSAGE, message: f.message! };
  if (kind === "enum") {
    const e = f.enum!;
    // ENC-014: 0 means "unspecified": allowed in a singular field (implicit presence rejects it separately), never in a list.
    return { ...NO_VALUES, type: T_ENUM, enumValues: new Set(e.values.map((v) => v.number)), enumName: e.typeName, zeroAllowed: singular };
  }
  const scalar = f.scalar!;
  switch (scalar) {
    case ScalarType.STRING:
      return { ...NO_VALUES, type: T_STRING, scalar };
    case ScalarType.BYTES:
      return { ...NO_VALUES, type: T_BYTES, scalar };
    case ScalarType.BOOL:
      return { ...NO_VALUES, type: T_BOOL, scalar };
    default: {
      const [lo, hi] = integerRange(scalar)!;
      return is64Bit(scalar) ? { ...NO_VALUES, type: T_INT64, scalar, lo, hi } : { ...NO_VALUES, type: T_INT32, scalar, lo: Number(lo), hi: Number(hi) };
    }
  }
}

function compareRange(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/** Whether decodeMessageWithReader handles this message type and profile. */
export function readerHandles(desc: DescMessage, profile: ScanProfile): boolean {
  return profile.mapKeys === "text" && profile.topLevelTag === undefined && planOf(desc) !== null;
}

/**
 * Decodes untrusted bytes into a message of the given type, checking the CBOR
 * profile and the mapping onto the schema (not the schema's rules). Throws
 * Ap2pError naming the first defect. Only for types readerHandles accepts.
 */
export function readMessage<T extends Message>(desc: DescMessage, bytes: Uint8Array, profile: ScanProfile): T {
  if (bytes.length > profile.maxBytes) cborFail("CBOR_TOO_LARGE", `input is ${bytes.length} bytes, the limit is ${profile.maxBytes}`, 0);
  if (bytes.length === 0) cborFail("CBOR_MALFORMED", "input is empty", 0);
  const reader = new Reader(bytes, profile.maxDepth);
  let plan = topLevel.get(desc);
  if (plan === undefined) topLevel.set(desc, (plan = { ...NO_VALUES, type: T_MESSAGE, message: desc }));
  const message = reader.read(0, plan);
  if (reader.pos !== bytes.length) cborFail("CBOR_TRAILING_BYTES", `${bytes.length - reader.pos} bytes follow the top-level item`, reader.pos);
  if (reader.error !== undefined) throw reader.error;
  return message as T;
}

function cborFail(code: ErrorCodeName, message: string, offset: number): never {
  throw new Ap2pError(code, `${message} (at byte ${offset})`);
}

class Reader {
  pos = 0;
  /** The first mapping defect, thrown once the whole input has passed the profile. */
  error: Ap2pError | undefined = undefined;
  // The head of the item just read.
  private start = 0;
  private major = 0;
  private ai = 0;
  private arg = 0;
  // Where in the message the reader is: field names and list indexes.
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly b: Uint8Array,
    private readonly maxDepth: number,
  ) {}

  /**
   * Reads one item at depth (the top-level item is at depth 0) and returns
   * what it maps to under plan; with no plan, or once a mapping defect has
   * been recorded, it checks the profile only and returns undefined.
   */
  read(depth: number, plan: ValuePlan | undefined): unknown {
    if (this.error !== undefined) plan = undefined;
    this.head();
    const b = this.b;
    switch (this.major) {
      case 0:
      case 1: {
        if (plan === undefined) return undefined;
        return this.integer(plan);
      }
      case 2: {
        const start = this.start;
        if (this.arg > b.length - this.pos) cborFail("CBOR_MALFORMED", "truncated: byte string runs past the end", start);
        const from = this.pos;
        this.pos += this.arg;
        if (plan === undefined) return undefined;
        if (plan.type === T_BYTES) return b.slice(from, this.pos);
        return this.wrongType(plan);
      }
      case 3: {
        const start = this.start;
        if (this.arg > b.length - this.pos) cborFail("CBOR_MALFORMED", "truncated: text string runs past the end", start);
        const from = this.pos;
        this.pos += this.arg;
        const text = this.text(from, this.pos, start);
        if (plan === undefined) return undefined;
        if (plan.type === T_STRING) return text;
        return this.wrongType(plan);
      }
      case 4: {
        const start = this.start;
        this.enter(depth, start);
        const count = this.arg;
        if (count > b.length - this.pos) cborFail("CBOR_MALFORMED", "truncated: array has more items than bytes left", start);
        if (plan !== undefined && plan.type !== T_LIST) this.wrongType(plan);
        else if (plan !== undefined && count === 0) this.mappingFail("SCHEMA_DEFAULT_VALUE_ENCODED", "empty repeated field is encoded");
        if (this.error !== undefined || plan === undefined) {
          for (let i = 0; i < count; i++) this.read(depth + 1, undefined);
          return undefined;
        }
        const element = plan.element!;
        const out: unknown[] = [];
        for (let i = 0; i < count; i++) {
          this.path.push(i);
          out.push(this.read(depth + 1, element));
          this.path.pop();
        }
        return out;
      }
      case 5: {
        const start = this.start;
        this.enter(depth, start);
        if (this.arg > (b.length - this.pos) / 2) cborFail("CBOR_MALFORMED", "truncated: map has more entries than bytes left", start);
        if (plan !== undefined && plan.type !== T_MESSAGE) this.wrongType(plan);
        return this.map(this.arg, depth + 1, plan === undefined || this.error !== undefined ? null : planOf(plan.message!));
      }
      case 6:
        // No tag is allowed in a message (ENC-007); tag 18 wraps the envelope, never a payload.
        return cborFail("CBOR_TAG_NOT_ALLOWED", `tag ${this.arg} is not allowed here`, this.start);
      default: {
        // major 7: head() lets only false and true through.
        if (plan === undefined) return undefined;
        if (plan.type === T_BOOL) return this.ai === 21;
        return this.wrongType(plan);
      }
    }
  }

  /** The entries of a map: a message's fields under plan, or unchecked when plan is null. */
  private map(count: number, depth: number, plan: MessagePlan | null): unknown {
    const b = this.b;
    let message: Record<string, unknown> | undefined;
    if (plan !== null) {
      message = { ...plan.template };
      for (let i = 0; i < plan.fresh.length; i++) {
        const [name, zero] = plan.fresh[i]!;
        message[name] = zero();
      }
    }
    const fields = plan?.fields;
    let cursor = 0;
    let prevStart = -1;
    let prevEnd = -1;
    for (let i = 0; i < count; i++) {
      const keyStart = this.pos;
      if (keyStart >= b.length) cborFail("CBOR_MALFORMED", "truncated: expected a map key", keyStart);
      const keyMajor = b[keyStart]! >> 5;
      // ENC-005: text keys only.
      if (keyMajor !== 3) cborFail("CBOR_MAP_KEY_TYPE", `map key of major type ${keyMajor}; this profile allows text keys only`, keyStart);
      this.head();
      if (this.arg > b.length - this.pos) cborFail("CBOR_MALFORMED", "truncated: text string runs past the end", keyStart);
      const keyEnd = this.pos + this.arg;
      // Keys arrive in increasing order (or the input is rejected below), as
      // the plan's fields are sorted: look for this one from the last match on.
      let field: FieldPlan | undefined;
      if (fields !== undefined) {
        while (cursor < fields.length) {
          const f = fields[cursor]!;
          const order = compareRange(f.key, 0, f.key.length, b, keyStart, keyEnd);
          if (order > 0) break;
          cursor++;
          if (order === 0) {
            field = f;
            break;
          }
        }
      }
      this.pos = keyEnd;
      // A key equal to a field name is valid UTF-8; any other key is checked.
      const unknownKey = field === undefined ? this.text(keyEnd - this.arg, keyEnd, keyStart) : undefined;
      // ENC-004
      if (prevStart >= 0) {
        const order = compareRange(b, prevStart, prevEnd, b, keyStart, keyEnd);
        if (order === 0) cborFail("CBOR_DUPLICATE_MAP_KEY", "duplicate map key", keyStart);
        if (order > 0) cborFail("CBOR_MAP_KEYS_UNSORTED", "map keys are not in bytewise lexicographic order", keyStart);
      }
      prevStart = keyStart;
      prevEnd = keyEnd;

      if (message === undefined || this.error !== undefined) {
        this.read(depth, undefined);
        continue;
      }
      if (field === undefined) {
        // ENC-015: a v1 receiver rejects names it does not know rather than dropping them.
        this.path.push(unknownKey!);
        this.mappingFail("SCHEMA_UNKNOWN_FIELD", `${plan!.desc.typeName} has no field "${unknownKey}"`);
        this.path.pop();
        this.read(depth, undefined);
        continue;
      }
      this.path.push(field.name);
      const value = this.read(depth, field.value);
      if (this.error === undefined) {
        if (field.implicit && isDefault(value)) {
          // ENC-013: implicit presence has one encoding of the default: absence.
          this.mappingFail("SCHEMA_DEFAULT_VALUE_ENCODED", "field is encoded with its default value");
        } else if (field.oneof !== undefined) {
          // ENC-017
          if ((message[field.oneof] as { case: string | undefined }).case !== undefined) {
            this.mappingFail("SCHEMA_ONEOF_CONFLICT", `more than one member of oneof ${plan!.desc.oneofs.find((o) => o.localName === field.oneof)!.name}`);
          } else {
            message[field.oneof] = { case: field.localName, value };
          }
        } else {
          message[field.localName] = value;
        }
      }
      this.path.pop();
    }
    return this.error === undefined ? message : undefined;
  }

  /** An integer item under plan (ENC-016). */
  private integer(plan: ValuePlan): unknown {
    const start = this.start;
    let value: number | bigint;
    if (this.ai < 27) {
      value = this.major === 0 ? this.arg : -1 - this.arg;
    } else {
      // 8-byte argument: read exactly (a number is exact only below 2^53).
      const b = this.b;
      const hi = ((b[start + 1]! << 24) >>> 0) + (b[start + 2]! << 16) + (b[start + 3]! << 8) + b[start + 4]!;
      const lo = ((b[start + 5]! << 24) >>> 0) + (b[start + 6]! << 16) + (b[start + 7]! << 8) + b[start + 8]!;
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      value = this.major === 0 ? big : -1n - big;
    }
    switch (plan.type) {
      case T_INT32:
        if (typeof value === "number" && value >= (plan.lo as number) && value <= (plan.hi as number)) return value;
        return this.mappingFail("SCHEMA_INTEGER_OUT_OF_RANGE", `${value} is outside the range of ${scalarName(plan.scalar)}`);
      case T_INT64: {
        const big = typeof value === "bigint" ? value : BigInt(value);
        if (big >= (plan.lo as bigint) && big <= (plan.hi as bigint)) return big;
        return this.mappingFail("SCHEMA_INTEGER_OUT_OF_RANGE", `${big} is outside the range of ${scalarName(plan.scalar)}`);
      }
      case T_ENUM:
        // ENC-014
        if (typeof value === "bigint") return this.mappingFail("SCHEMA_UNKNOWN_ENUM_VALUE", `${value} is not a value of ${plan.enumName}`);
        if (!plan.enumValues!.has(value) || (value === 0 && !plan.zeroAllowed)) {
          return this.mappingFail("SCHEMA_UNKNOWN_ENUM_VALUE", `${value} is not an allowed value of ${plan.enumName}`);
        }
        return value;
      default:
        return this.wrongType(plan);
    }
  }

  /** Records that the item does not have the CBOR type its field needs (ENC-016). */
  private wrongType(plan: ValuePlan): undefined {
    switch (plan.type) {
      case T_STRING:
        return this.mappingFail("SCHEMA_WRONG_TYPE", "expected a text string");
      case T_BYTES:
        return this.mappingFail("SCHEMA_WRONG_TYPE", "expected a byte string");
      case T_BOOL:
        return this.mappingFail("SCHEMA_WRONG_TYPE", "expected a boolean");
      case T_INT32:
      case T_INT64:
        return this.mappingFail("SCHEMA_WRONG_TYPE", `expected an integer (${scalarName(plan.scalar)})`);
      case T_ENUM:
        return this.mappingFail("SCHEMA_WRONG_TYPE", `expected an integer (enum ${plan.enumName})`);
      case T_MESSAGE:
        return this.mappingFail("SCHEMA_WRONG_TYPE", `expected a map for ${plan.message!.typeName}`);
      default:
        return this.mappingFail("SCHEMA_WRONG_TYPE", "expected an array");
    }
  }

  /** Records the first mapping defect, at the current path. */
  private mappingFail(code: ErrorCodeName, message: string): undefined {
    if (this.error === undefined) {
      let path = "";
      for (const seg of this.path) path = typeof seg === "number" ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg;
      this.error = new Ap2pError(code, path ? `${path}: ${message}` : message, { path });
    }
    return undefined;
  }

  /** Text from b[from, to): ENC-009, valid UTF-8. */
  private text(from: number, to: number, start: number): string {
    try {
      return utf8.decode(this.b.subarray(from, to));
    } catch {
      return cborFail("CBOR_INVALID_UTF8", "text string is not valid UTF-8", start);
    }
  }

  private enter(depth: number, at: number): void {
    // ENC-010
    if (depth + 1 > this.maxDepth) cborFail("CBOR_TOO_DEEP", `containers nested deeper than ${this.maxDepth}`, at);
  }

  /**
   * Reads the head of the item at pos: its major type and argument, in
   * shortest form (ENC-002), of definite length (ENC-003); simple values other
   * than false and true, and floats, are rejected here (ENC-006, ENC-008).
   */
  private head(): void {
    const b = this.b;
    let pos = this.pos;
    if (pos >= b.length) cborFail("CBOR_MALFORMED", "truncated: expected a data item", pos);
    const start = pos;
    const ib = b[pos++]!;
    const major = ib >> 5;
    const ai = ib & 0x1f;
    this.start = start;
    this.major = major;
    this.ai = ai;
    if (major === 7) {
      this.simple(start, ai);
      this.pos = pos;
      return;
    }
    if (ai === 31) {
      // RFC 8949 §3.2: indefinite length exists only for strings, arrays and maps.
      if (major >= 2 && major <= 5) cborFail("CBOR_INDEFINITE_LENGTH", "indefinite-length item", start);
      cborFail("CBOR_MALFORMED", `additional information 31 is not allowed for major type ${major}`, start);
    }
    if (ai >= 28) cborFail("CBOR_MALFORMED", `reserved additional information ${ai}`, start);
    let arg: number; // exact below 2^53; larger values only matter as "too big", or are read again exactly
    if (ai < 24) {
      arg = ai;
    } else {
      const n = 1 << (ai - 24); // 1, 2, 4 or 8 bytes
      if (pos + n > b.length) cborFail("CBOR_MALFORMED", "truncated: argument runs past the end", start);
      arg = 0;
      for (let i = 0; i < n; i++) arg = arg * 256 + b[pos + i]!;
      pos += n;
      const min = ai === 24 ? 24 : ai === 25 ? 0x100 : ai === 26 ? 0x10000 : 0x100000000;
      if (arg < min) cborFail("CBOR_NON_SHORTEST_HEAD", `argument ${arg} is not in its shortest form`, start);
    }
    // -1 - 2^63 and below fit no protobuf integer type (spec/03-data-model.md §3.1).
    if (major === 1 && ai === 27 && b[start + 1]! >= 0x80) cborFail("SCHEMA_INTEGER_OUT_OF_RANGE", "negative integer below -2^63", start);
    this.arg = arg;
    this.pos = pos;
  }

  private simple(start: number, ai: number): void {
    // RFC 8949 §3.3: 20 false, 21 true, 22 null, 23 undefined, 25-27 floats, 31 break.
    if (ai === 20 || ai === 21) return;
    if (ai >= 25 && ai <= 27) cborFail("CBOR_FLOAT_NOT_ALLOWED", "floating-point value", start);
    if (ai === 31) cborFail("CBOR_MALFORMED", "break code outside an indefinite-length item", start);
    if (ai >= 28) cborFail("CBOR_MALFORMED", `reserved additional information ${ai}`, start);
    if (ai === 24) {
      if (start + 1 >= this.b.length) cborFail("CBOR_MALFORMED", "truncated: simple value", start);
      // RFC 8949 §3.3: a one-byte simple value below 32 is not well-formed.
      if (this.b[start + 1]! < 32) cborFail("CBOR_MALFORMED", "two-byte encoding of a simple value below 32", start);
    }
    cborFail("CBOR_SIMPLE_NOT_ALLOWED", ai === 22 ? "null is not allowed" : ai === 23 ? "undefined is not allowed" : "simple value is not allowed", start);
  }
}

function isDefault(v: unknown): boolean {
  return v === 0 || v === 0n || v === "" || v === false || (v instanceof Uint8Array && v.length === 0);
}

