// Encoding of messages straight to their canonical bytes (spec/03-data-model.md
// §3.2, §3.4), without building the intermediate CBOR value: each present
// field is written under its name, in the bytewise order of the encoded names
// (worked out once per message type), every head in its shortest form.
//
// It writes exactly what encodeCanonical(messageToCbor(desc, message)) writes,
// for messages whose values have the types the schema gives them. Anything
// else (a value of the wrong JavaScript type, an integer out of its field's
// range, a string with a lone surrogate) is not written here: writeMessage
// returns undefined, and the caller takes the general path, which reports the
// misuse (so does any other failure in the writer). The tests compare both
// paths byte for byte.
import { ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { fieldKey, inKeyOrder, mapsDirectly } from "./direct-mapping.js";
import { isSetOf } from "./rules.js";
import { integerRange } from "./scalars.js";

interface FieldWriter {
  readonly field: DescField;
  // The field's name as an encoded CBOR text string (the map key).
  readonly key: Uint8Array;
  readonly localName: string;
  readonly oneof: string | undefined;
  // Integer range of the field's type, for integer scalars.
  readonly range: readonly [bigint, bigint] | undefined;
  readonly isSet: (m: Record<string, unknown>) => boolean;
}

interface MessageWriter {
  readonly typeName: string;
  // Fields in the bytewise order of their encoded names.
  readonly fields: readonly FieldWriter[];
}

const writers = new WeakMap<DescMessage, MessageWriter | null>();
let scratch: Buffer_ | undefined;
const utf8 = new TextEncoder();

function writerOf(desc: DescMessage): MessageWriter | null {
  let w = writers.get(desc);
  if (w !== undefined) return w;
  w = mapsDirectly(desc) ? build(desc) : null;
  writers.set(desc, w);
  return w;
}

function build(desc: DescMessage): MessageWriter {
  const fields = desc.fields.map((field): FieldWriter => {
    const scalar = field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar") ? field.scalar : undefined;
    return { field, key: fieldKey(field), localName: field.localName, oneof: field.oneof?.localName, range: scalar === undefined ? undefined : integerRange(scalar), isSet: isSetOf(field) };
  });
  return { typeName: desc.typeName, fields: inKeyOrder(fields) };
}

/** Thrown inside the writer when a value is not one it writes; never escapes writeMessage. */
const NOT_HANDLED = Symbol("not handled");

/**
 * The canonical bytes of a message, or undefined if this writer does not
 * handle its type or one of its values (the caller then takes the general
 * path). The message's rules are not checked here.
 */
export function writeMessage(desc: DescMessage, message: Message): Uint8Array | undefined {
  const w = writerOf(desc);
  if (w === null) return undefined;
  // One scratch buffer serves every call (allocating a typed array costs more
  // than writing a small message); a nested call, which nothing here makes,
  // would get its own.
  const out = scratch ?? new Buffer_(1024);
  scratch = undefined;
  try {
    out.reset();
    writeFields(out, w, message, 0);
    return out.result();
  } catch {
    // NOT_HANDLED, or whatever a malformed message made fail (a list that is
    // not an array): the general path meets the same values in its own order
    // and reports the first problem as it always has.
    return undefined;
  } finally {
    scratch = out;
  }
}

// Messages nested deeper than this are left to the general path, which
// refuses values nested more than 64 containers deep (a list adds one).
const MAX_MESSAGE_DEPTH = 30;

function writeFields(out: Buffer_, w: MessageWriter, message: Message, depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH || typeof message !== "object" || message === null) throw NOT_HANDLED;
  const m = message as unknown as Record<string, unknown>;
  // As isFieldSet: no field of a message of another type counts as set.
  const sameType = message.$typeName === w.typeName;
  let present = 0;
  if (sameType) for (const f of w.fields) if (f.isSet(m)) present++;
  out.head(5, present);
  if (present === 0) return;
  for (const f of w.fields) {
    if (!f.isSet(m)) continue;
    out.bytes(f.key);
    const value = f.oneof !== undefined ? (m[f.oneof] as { value: unknown }).value : m[f.localName];
    const field = f.field;
    switch (field.fieldKind) {
      case "scalar":
        writeScalar(out, field.scalar, value, f.range);
        break;
      case "enum":
        writeInteger(out, value, undefined);
        break;
      case "message":
        writeFields(out, writerOf(field.message)!, value as Message, depth + 1);
        break;
      case "list": {
        if (!Array.isArray(value)) throw NOT_HANDLED;
        out.head(4, value.length);
        for (const item of value) {
          if (field.listKind === "message") writeFields(out, writerOf(field.message)!, item as Message, depth + 1);
          else if (field.listKind === "enum") writeInteger(out, item, undefined);
          else writeScalar(out, field.scalar, item, f.range);
        }
        break;
      }
      default:
        throw NOT_HANDLED;
    }
  }
}

function writeScalar(out: Buffer_, t: ScalarType, value: unknown, range: readonly [bigint, bigint] | undefined): void {
  switch (t) {
    case ScalarType.STRING: {
      if (typeof value !== "string" || !value.isWellFormed()) throw NOT_HANDLED;
      out.text(value);
      return;
    }
    case ScalarType.BYTES:
      if (!(value instanceof Uint8Array)) throw NOT_HANDLED;
      out.head(2, value.length);
      out.bytes(value);
      return;
    case ScalarType.BOOL:
      if (typeof value !== "boolean") throw NOT_HANDLED;
      out.byte(value ? 0xf5 : 0xf4);
      return;
    default:
      writeInteger(out, value, range);
  }
}

/** An integer in its shortest form; NOT_HANDLED for anything but a safe integer or a bigint within range. */
function writeInteger(out: Buffer_, value: unknown, range: readonly [bigint, bigint] | undefined): void {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw NOT_HANDLED;
    if (range !== undefined && (value < Number(range[0]) || value > Number(range[1]))) throw NOT_HANDLED;
    if (value >= 0) out.head(0, value);
    else out.head(1, -1 - value);
    return;
  }
  if (typeof value === "bigint") {
    if (range === undefined || value < range[0] || value > range[1]) throw NOT_HANDLED;
    if (value >= 0n) out.bigHead(0, value);
    else out.bigHead(1, -1n - value);
    return;
  }
  throw NOT_HANDLED;
}

/** A growable byte buffer with the CBOR writes the writer needs. */
class Buffer_ {
  private buf: Uint8Array;
  private pos = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  reset(): void {
    this.pos = 0;
    // Do not keep a buffer grown for one very large message.
    if (this.buf.length > 1 << 20) this.buf = new Uint8Array(1024);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A head of major type `major` with argument n (0 <= n < 2^53), in shortest form (RFC 8949 §4.2.1). */
  head(major: number, n: number): void {
    const m = major << 5;
    this.room(9);
    const b = this.buf;
    if (n < 24) {
      b[this.pos++] = m | n;
    } else if (n < 0x100) {
      b[this.pos++] = m | 24;
      b[this.pos++] = n;
    } else if (n < 0x10000) {
      b[this.pos++] = m | 25;
      b[this.pos++] = n >>> 8;
      b[this.pos++] = n & 0xff;
    } else if (n < 0x100000000) {
      b[this.pos++] = m | 26;
      b[this.pos++] = n >>> 24;
      b[this.pos++] = (n >>> 16) & 0xff;
      b[this.pos++] = (n >>> 8) & 0xff;
      b[this.pos++] = n & 0xff;
    } else {
      this.bigHead(major, BigInt(n));
    }
  }

  /** As head, for an argument below 2^64 given as a bigint. */
  bigHead(major: number, n: bigint): void {
    if (n < 0x100000000n) {
      this.head(major, Number(n));
      return;
    }
    this.room(9);
    const b = this.buf;
    b[this.pos++] = (major << 5) | 27;
    for (let shift = 56n; shift >= 0n; shift -= 8n) b[this.pos++] = Number((n >> shift) & 0xffn);
  }

  text(s: string): void {
    // At most three bytes per UTF-16 code unit.
    this.room(9 + 3 * s.length);
    // Write the UTF-8 after room for the longest head, then move it up behind the real head.
    const start = this.pos;
    const { written } = utf8.encodeInto(s, this.buf.subarray(start + 9));
    this.head(3, written);
    this.buf.copyWithin(this.pos, start + 9, start + 9 + written);
    this.pos += written;
  }

  /** A copy of what was written. */
  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
