// limits.json: the size limits of messages and envelopes (ENC-011, SIG-001):
// exactly at the limit, and one byte over. These inputs are large (about
// 128 KiB of hex each), which is why they have a file of their own.
import { cat, filled, hex } from "../bytes.js";
import { enc, head, Raw } from "../cbor-writer.js";
import { ALICE, assemble, honestParts, MANIFEST_CT } from "../fixtures.js";
import { group, invalid, valid, type VectorFileModule } from "../model.js";

/** The limit of ENC-011 and SIG-001, in bytes. */
const LIMIT = 65536;

/** A byte string item of exactly `total` bytes (head included), zeros inside. */
function byteStringOf(total: number): Uint8Array {
  // Lengths from 256 to 65535 take a three-byte head (59 xx xx).
  const n = total - 3;
  if (n < 256 || n > 0xffff) throw new Error(`no three-byte head for ${n}`);
  return cat(head(2, n), filled(n));
}

/** A COSE_Sign1 of exactly `total` bytes, honestly signed over a payload of zeros. */
function coseOf(total: number): { cose: Uint8Array; payload: Uint8Array } {
  // Payloads of 256 to 65535 bytes have a three-byte head, so the envelope
  // grows byte for byte with the payload in that range.
  const probe = assemble(honestParts(ALICE, MANIFEST_CT, filled(1000)));
  const payload = filled(1000 + total - probe.length);
  const cose = assemble(honestParts(ALICE, MANIFEST_CT, payload));
  if (cose.length !== total) throw new Error(`COSE_Sign1 of ${cose.length} bytes, wanted ${total}`);
  return { cose, payload };
}

function build() {
  const atLimit = enc({ a: new Raw(byteStringOf(LIMIT - 3)) });
  const over = byteStringOf(LIMIT + 1);
  if (atLimit.length !== LIMIT) throw new Error("limits/cbor/at-limit-001 is not 65,536 bytes");
  const cbor = group("cbor.decode", "The size limit of an encoded message (ENC-011): 65,536 bytes.", {}, [
    valid("limits/cbor/at-limit-001", { requirements: ["ENC-011"], comment: '{"a": a byte string of zeros}, exactly 65,536 bytes in all', flags: ["SizeLimit"], inputs: { encoded: hex(atLimit) } }),
    invalid("limits/cbor/over-limit-001", "CBOR_TOO_LARGE", { requirements: ["ENC-011"], comment: "a well-formed byte string item of 65,537 bytes: rejected for its size before parsing", flags: ["SizeLimit"], inputs: { encoded: hex(over) } }),
  ]);
  const coseAt = coseOf(LIMIT);
  const coseOver = coseOf(LIMIT + 1);
  const cose = group("cose.verify", "The size limit of a COSE_Sign1 (SIG-001): 65,536 bytes. The payload is zeros, signed honestly.", { content_type: MANIFEST_CT }, [
    valid("limits/cose/at-limit-001", {
      requirements: ["SIG-001"],
      comment: "a COSE_Sign1 of exactly 65,536 bytes; the output is left out, as it would only repeat the payload of zeros",
      flags: ["SizeLimit"],
      inputs: { cose: hex(coseAt.cose) },
    }),
    invalid("limits/cose/over-limit-001", "CBOR_TOO_LARGE", { requirements: ["SIG-001", "ENC-011"], comment: "a COSE_Sign1 of 65,537 bytes, otherwise valid", flags: ["SizeLimit"], inputs: { cose: hex(coseOver.cose) } }),
  ]);
  return {
    name: "limits",
    description: "Size limits (spec/03-data-model.md ENC-011, spec/04-identity-and-signing.md SIG-001): inputs exactly at 65,536 bytes and one byte over. Operations cbor.decode and cose.verify. The inputs are large: about 128 KiB of hex each.",
    groups: [cbor, cose],
  };
}

export const limitsFile: VectorFileModule = { name: "limits", build };
