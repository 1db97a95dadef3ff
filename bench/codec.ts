// Benchmark 2: canonical encoding and decoding of a descriptor payload, as a
// protobuf message (encodeMessage/decodeMessage) and as a CBOR value
// (encodeCanonical/decodeCanonical).
import { CapabilityDescriptorSchema } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { encodeMessage, decodeMessage } from "../reference/src/codec/message-codec.js";
import { encodeCanonical } from "../reference/src/cbor/encode.js";
import { decodeCanonical } from "../reference/src/cbor/decode.js";
import { distinctSigners } from "./fixtures.js";
import { fmt, line, median, opsPerSecond, round } from "./lib.js";

export interface CodecResult {
  readonly payloadBytes: number;
  readonly opsPerSecond: { encodeMessage: number; decodeMessage: number; encodeCanonical: number; decodeCanonical: number };
  readonly megabytesPerSecond: { encodeMessage: number; decodeMessage: number; encodeCanonical: number; decodeCanonical: number };
}

export function benchCodec(roundMs: number, rounds: number): CodecResult {
  const messages = distinctSigners(64).map((s) => s.descriptor);
  const payloads = messages.map((m) => encodeMessage(CapabilityDescriptorSchema, m));
  const values = payloads.map((p) => {
    const v = decodeCanonical(p);
    if (!v.ok) throw v.error;
    return v.value;
  });
  const size = payloads.reduce((a, p) => a + p.length, 0) / payloads.length;
  const s = { encodeMessage: [] as number[], decodeMessage: [] as number[], encodeCanonical: [] as number[], decodeCanonical: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    s.encodeMessage.push(opsPerSecond(messages, (m) => encodeMessage(CapabilityDescriptorSchema, m), roundMs));
    s.decodeMessage.push(opsPerSecond(payloads, (p) => decodeMessage(CapabilityDescriptorSchema, p), roundMs));
    s.encodeCanonical.push(opsPerSecond(values, (v) => encodeCanonical(v), roundMs));
    s.decodeCanonical.push(opsPerSecond(payloads, (p) => decodeCanonical(p), roundMs));
  }
  const ops = { encodeMessage: round(median(s.encodeMessage)), decodeMessage: round(median(s.decodeMessage)), encodeCanonical: round(median(s.encodeCanonical)), decodeCanonical: round(median(s.decodeCanonical)) };
  const mbs = (x: number) => round((x * size) / 1e6, 1);
  const result: CodecResult = {
    payloadBytes: round(size),
    opsPerSecond: ops,
    megabytesPerSecond: { encodeMessage: mbs(ops.encodeMessage), decodeMessage: mbs(ops.decodeMessage), encodeCanonical: mbs(ops.encodeCanonical), decodeCanonical: mbs(ops.decodeCanonical) },
  };
  line(`2. Canonical encode/decode of a ${result.payloadBytes}-byte descriptor payload`);
  for (const k of ["encodeMessage", "decodeMessage", "encodeCanonical", "decodeCanonical"] as const) {
    line(`    ${k.padEnd(16)} ${fmt(ops[k]).padStart(9)} ops/s  ${String(result.megabytesPerSecond[k]).padStart(6)} MB/s`);
  }
  return result;
}
