// The task and evidence operations of the corpus (vectors/README.md; spec
// §9): a provider checking a request, a delegator checking a result and its
// evidence under an attestation policy, and the signing side of requests,
// results, tool receipts and test attestations, each by calling the
// reference implementation.
import { fromJson, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { AttestationBindingSchema, TestAttestationClaimsSchema, ToolReceiptSchema } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskRequestSchema, TaskResultSchema } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { messageHash } from "../../../reference/src/codec/hash.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { Ap2pError } from "../../../reference/src/errors.js";
import { TEST_ATTESTATION_FORMAT, testAttestationVerifier } from "../../../reference/src/evidence/attestation/test-format.js";
import { attestationChallenge, attestationRegistry, type AttestationVerifier } from "../../../reference/src/evidence/attestation/verifier.js";
import type { UnknownAttestationPolicy } from "../../../reference/src/evidence/verify.js";
import { DEFAULT_MAX_TASK_DURATION_MS } from "../../../reference/src/task/policy.js";
import { TaskReplayGuard } from "../../../reference/src/task/replay.js";
import { checkRequestStructureOrThrow } from "../../../reference/src/task/verify-request.js";
import { checkResultStructureOrThrow, verifyTaskResult } from "../../../reference/src/task/verify-result.js";
import { signMessage } from "../../../reference/src/signed/signed-message.js";
import type { Json, JsonObject, Operation } from "../reference-operations.js";
import { bytes, field, hex, integer, object, objects, outcome, produce, strings, text } from "./util.js";

/** The attestation verifiers a vector may register, by format. Only the test format exists in the corpus (EVD-020). */
const KNOWN_VERIFIERS: Readonly<Record<string, AttestationVerifier>> = { [TEST_ATTESTATION_FORMAT]: testAttestationVerifier };

function registryOf(shared: JsonObject) {
  return attestationRegistry(
    strings(shared, "attestation_verifiers").map((format) => {
      const v = KNOWN_VERIFIERS[format];
      if (v === undefined) throw new Error(`no attestation verifier for format ${format} in the vector runner`);
      return v;
    }),
  );
}

function unknownPolicy(shared: JsonObject): UnknownAttestationPolicy {
  const p = text(shared, "unknown_attestation");
  if (p !== "ignore" && p !== "reject") throw new Error(`unknown_attestation must be "ignore" or "reject", not ${p}`);
  return p;
}

const optionalBytes = (obj: JsonObject, name: string): Uint8Array | undefined => (obj[name] === undefined ? undefined : bytes(obj, name));

/** The did:key of a secret key. */
const didOf = (secretKey: Uint8Array) => didFromPublicKey(publicKeyFromSecret(secretKey));

/** The output of a sign operation: the canonical payload, the COSE_Sign1 and the message hash. Encoding first refuses a schema defect (ENC-018). */
function signedOutput<D extends DescMessage>(desc: D, message: MessageShape<D>, secretKey: Uint8Array): Json {
  const payload = encodeMessage(desc, message);
  return { payload: hex(payload), cose: hex(signMessage(desc, message, secretKey)), sha256: hex(messageHash(desc, message)) };
}

/** Every task and evidence operation, by name. */
export const TASK_OPERATIONS: Readonly<Record<string, Operation>> = {
  "task-request.verify": (inputs, shared) => {
    const policy = { maxTaskDurationMs: integer(shared, "max_task_duration_ms"), clockSkewMs: integer(shared, "clock_skew_ms") };
    const provider = text(shared, "provider");
    const offered = objects(shared, "offered").map((c) => fromJson(CapabilitySchema, c as JsonValue));
    // TASK-011: one provider's memory of (delegator, nonce), empty at the start of each test.
    const guard = new TaskReplayGuard(policy);
    const history = inputs["accepted"] === undefined ? [] : objects(inputs, "accepted");
    for (const [i, step] of history.entries()) {
      const input = optionalBytes(step, "input");
      const verdict = guard.accept(bytes(step, "request"), { now: integer(step, "now"), provider, offered, ...(input === undefined ? {} : { input }) });
      // The history is the test's precondition: a provider that refuses it fails the test.
      if (!verdict.ok) return { result: "invalid", error: `PRECONDITION accepted[${i}]: ${verdict.error.code}` };
    }
    const now = inputs["now"] === undefined ? integer(shared, "now") : integer(inputs, "now");
    const input = optionalBytes(inputs, "input");
    return outcome(guard.accept(bytes(inputs, "request"), { now, provider, offered, ...(input === undefined ? {} : { input }) }), (v) => ({ request_hash: hex(v.hash) }));
  },

  "task-request.sign": (inputs, shared) => {
    const secretKey = bytes(shared, "secret_key");
    const request = fromJson(TaskRequestSchema, object(inputs, "json") as JsonValue);
    return produce(() => {
      encodeMessage(TaskRequestSchema, request);
      // TASK-001, TASK-002: signed by the key its delegator names, and never what a provider would reject for its structure.
      checkRequestStructureOrThrow(request, didOf(secretKey));
      return signedOutput(TaskRequestSchema, request, secretKey);
    });
  },

  "task-result.verify": (inputs, shared) => {
    const output = optionalBytes(inputs, "output");
    return outcome(
      verifyTaskResult(bytes(inputs, "result"), {
        request: bytes(inputs, "request"),
        now: integer(shared, "now"),
        ...(output === undefined ? {} : { output }),
        attestationVerifiers: registryOf(shared),
        unknownAttestation: unknownPolicy(shared),
        // Result verification uses the skew only; the duration limit is the provider's (TASK-007).
        policy: { maxTaskDurationMs: DEFAULT_MAX_TASK_DURATION_MS, clockSkewMs: integer(shared, "clock_skew_ms") },
      }),
    );
  },

  "task-result.sign": (inputs, shared) => {
    const secretKey = bytes(shared, "secret_key");
    const result = fromJson(TaskResultSchema, object(inputs, "json") as JsonValue);
    return produce(() => {
      encodeMessage(TaskResultSchema, result);
      // TASK-012 to TASK-014: signed by the key its provider names, status and output consistent.
      checkResultStructureOrThrow(result, didOf(secretKey));
      return signedOutput(TaskResultSchema, result, secretKey);
    });
  },

  "tool-receipt.sign": (inputs, shared) => {
    const secretKey = bytes(shared, "secret_key");
    const receipt = fromJson(ToolReceiptSchema, object(inputs, "json") as JsonValue);
    return produce(() => {
      encodeMessage(ToolReceiptSchema, receipt);
      const signer = didOf(secretKey);
      // EVD-005: a receipt speaks only for its signer. EVD-011: a step does not end before it starts.
      if (receipt.executor !== signer) throw new Ap2pError("COSE_KID_MISMATCH", `executor ${receipt.executor} is not the signer ${signer}`, { path: "executor" });
      if (receipt.endedAt < receipt.startedAt) throw new Ap2pError("EVD_TIME_DISORDER", "ended_at is before started_at", { path: "ended_at" });
      return signedOutput(ToolReceiptSchema, receipt, secretKey);
    });
  },

  "test-attestation.sign": (inputs, shared) => {
    const secretKey = bytes(shared, "secret_key");
    const claims = fromJson(TestAttestationClaimsSchema, object(inputs, "json") as JsonValue);
    return produce(() => signedOutput(TestAttestationClaimsSchema, claims, secretKey));
  },

  "attestation.challenge": (inputs) => {
    const binding = fromJson(AttestationBindingSchema, field(inputs, "json") as JsonValue);
    return produce(() => ({ challenge: hex(attestationChallenge(binding)) }));
  },
};
