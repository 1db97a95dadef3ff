// The vector operations (vectors/README.md), implemented by calling the
// reference implementation. The corpus test runs every vector through this
// map; the conformance harness reuses it as the reference side. Each operation
// takes a test's inputs and its group's shared inputs (hex strings, decimal
// strings, JSON) and returns the verdict, the error code and the output.
import { fromJson, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { CapabilityDescriptorSchema, type CapabilityDescriptor } from "../../gen/ts/ap2p/v1/descriptor_pb.js";
import { decodeCanonical } from "../../reference/src/cbor/decode.js";
import { messageHash } from "../../reference/src/codec/hash.js";
import { decodeMessage, encodeMessage } from "../../reference/src/codec/message-codec.js";
import { checkSignatureOrThrow, parseSign1OrThrow, signSign1 } from "../../reference/src/cose/sign1.js";
import { didFromPublicKey, parseDidKey } from "../../reference/src/crypto/did-key.js";
import { checkPublicKey, publicKeyFromSecret, signEd25519, verifyEd25519 } from "../../reference/src/crypto/ed25519.js";
import { DescriptorStore } from "../../reference/src/descriptor/store.js";
import { checkStructureOrThrow, verifyDescriptor } from "../../reference/src/descriptor/verify.js";
import { Ap2pError, isAp2pError, toVerdict } from "../../reference/src/errors.js";
import { signMessage } from "../../reference/src/signed/signed-message.js";
import { messageType } from "./message-types.js";
import { bytes, field, hex, integer, object, outcome, produce, text } from "./ops/util.js";
import { CANARY_OPERATIONS } from "./ops/canary.js";
import { DELEGATION_OPERATIONS } from "./ops/delegation.js";
import { DISCOVERY_OPERATIONS } from "./ops/discovery.js";
import { REPUTATION_OPERATIONS } from "./ops/reputation.js";
import { TASK_OPERATIONS } from "./ops/task.js";

/** A JSON value as read from a vector file. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** What an implementation reports for one test. */
export interface Outcome {
  readonly result: "valid" | "invalid";
  /** The registry code (string form), when the result is invalid. */
  readonly error?: string;
  /** The output, when the operation has one and the result is valid. */
  readonly output?: Json;
  /** A human-readable explanation of an invalid result, for reports; never compared. */
  readonly message?: string;
}

/** One operation: a test's inputs and its group's shared inputs in, an outcome out. */
export type Operation = (inputs: JsonObject, shared: JsonObject) => Outcome;

// ---------------------------------------------------------------------------
// Reading inputs. A malformed vector (not hex, not a decimal string) is a bug
// in the corpus, not a verdict, so these throw plain errors.

function typeOf(shared: JsonObject): DescMessage {
  const name = text(shared, "type");
  const desc = messageType(name);
  if (!desc) throw new Error(`unknown message type ${name}`);
  return desc;
}

// ---------------------------------------------------------------------------

function policy(shared: JsonObject) {
  return { maxTtlMs: integer(shared, "max_ttl_ms"), clockSkewMs: integer(shared, "clock_skew_ms") };
}

// ---------------------------------------------------------------------------
// The operations

/** Every operation of the corpus, by name. */
export const REFERENCE_OPERATIONS: Readonly<Record<string, Operation>> = {
  "cbor.decode": (inputs) => outcome(decodeCanonical(bytes(inputs, "encoded"))),

  "message.decode": (inputs, shared) => {
    const desc = typeOf(shared);
    return outcome(decodeMessage(desc, bytes(inputs, "encoded")), (m) => ({ json: toJson(desc, m) as Json }));
  },

  "message.encode": (inputs, shared) => {
    const desc = typeOf(shared);
    const message = fromJson(desc, object(inputs, "json") as JsonValue);
    return produce(() => {
      const encoded = encodeMessage(desc, message);
      return { encoded: hex(encoded), sha256: hex(messageHash(desc, message)) };
    });
  },

  "message.hash": (inputs, shared) => {
    const desc = typeOf(shared);
    return outcome(decodeMessage(desc, bytes(inputs, "encoded")), (m) => ({ sha256: hex(messageHash(desc, m)) }));
  },

  "ed25519.verify": (inputs) => outcome(verifyEd25519(bytes(inputs, "public_key"), bytes(inputs, "message"), bytes(inputs, "signature"))),

  "ed25519.sign": (inputs) => {
    const secretKey = bytes(inputs, "secret_key");
    return produce(() => ({ public_key: hex(publicKeyFromSecret(secretKey)), signature: hex(signEd25519(secretKey, bytes(inputs, "message"))) }));
  },

  "did-key.parse": (inputs) => outcome(parseDidKey(text(inputs, "did")), (key) => ({ public_key: hex(key) })),

  "did-key.encode": (inputs) => {
    // didFromPublicKey treats an unacceptable key as caller misuse; the
    // operation reports the key's own code instead (ID-003).
    const checked = checkPublicKey(bytes(inputs, "public_key"));
    return outcome(checked, (key) => ({ did: didFromPublicKey(key) }));
  },

  "cose.verify": (inputs, shared) => {
    const expectedKid = inputs["expected_kid"];
    return outcome(
      toVerdict(() => {
        const parsed = parseSign1OrThrow(bytes(inputs, "cose"), text(shared, "content_type"));
        // SIG-007: a verifier expecting a particular signer checks the kid with the header (§4.5 step 2).
        if (typeof expectedKid === "string" && parsed.kid !== expectedKid) {
          throw new Ap2pError("COSE_KID_MISMATCH", `kid ${parsed.kid} is not the expected signer ${expectedKid}`);
        }
        checkSignatureOrThrow(parsed);
        return parsed;
      }),
      (p) => ({ kid: p.kid, payload: hex(p.payload) }),
    );
  },

  "cose.sign": (inputs, shared) =>
    produce(() => ({ cose: hex(signSign1(bytes(inputs, "payload"), text(shared, "content_type"), bytes(inputs, "secret_key"))) })),

  "descriptor.verify": (inputs, shared) => {
    const lastSeq = inputs["last_seq"] === undefined ? undefined : integer(inputs, "last_seq");
    return outcome(
      verifyDescriptor(bytes(inputs, "descriptor"), {
        now: integer(shared, "now"),
        policy: policy(shared),
        ...(lastSeq === undefined ? {} : { lastSeq }),
      }),
    );
  },

  "descriptor.sign": (inputs, shared) => {
    const secretKey = bytes(shared, "secret_key");
    const descriptor: CapabilityDescriptor = fromJson(CapabilityDescriptorSchema, object(inputs, "json") as JsonValue);
    return produce(() => {
      const payload = encodeMessage(CapabilityDescriptorSchema, descriptor);
      // DESC-001, DESC-004: signed by the key its peer_id names, and never ill-formed.
      checkStructureOrThrow(descriptor, didFromPublicKey(publicKeyFromSecret(secretKey)));
      return { payload: hex(payload), cose: hex(signMessage(CapabilityDescriptorSchema, descriptor, secretKey)) };
    });
  },

  "descriptor.store": (inputs, shared) => {
    const store = new DescriptorStore(policy(shared));
    const history = field(inputs, "accepted");
    if (!Array.isArray(history)) throw new Error(`vector input "accepted" is not an array`);
    for (const [i, step] of history.entries()) {
      if (typeof step !== "object" || step === null || Array.isArray(step)) throw new Error(`accepted[${i}] is not an object`);
      const verdict = store.accept(bytes(step, "descriptor"), integer(step, "now"));
      // The history is the test's precondition: a store that refuses it fails the test.
      if (!verdict.ok) return { result: "invalid", error: `PRECONDITION accepted[${i}]: ${verdict.error.code}` };
    }
    const now = integer(inputs, "now");
    return outcome(store.accept(bytes(inputs, "descriptor"), now), () => ({ live: store.live(now).map((d) => d.peerId) }));
  },
  ...CANARY_OPERATIONS,
  ...REPUTATION_OPERATIONS,
  ...DELEGATION_OPERATIONS,
  ...TASK_OPERATIONS,
  ...DISCOVERY_OPERATIONS,
};

/** Runs one test through the reference. Ap2pErrors that escape (INVALID_ARGUMENT) become outcomes, so that they are compared and reported. */
export function runReference(operation: string, inputs: JsonObject, shared: JsonObject): Outcome {
  const op = REFERENCE_OPERATIONS[operation];
  if (op === undefined) throw new Error(`no reference operation ${operation}`);
  try {
    return op(inputs, shared);
  } catch (e) {
    if (isAp2pError(e)) return { result: "invalid", error: e.code };
    throw e;
  }
}
