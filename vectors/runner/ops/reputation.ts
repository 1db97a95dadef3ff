// The reputation operations of the corpus (vectors/README.md; spec
// §7): verifying and signing outcome attestations, the decay weight, and the
// evaluator's scores, each by calling the reference implementation.
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { OutcomeAttestationSchema, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { checkAttestationStructureOrThrow, verifyAttestation } from "../../../reference/src/reputation/attestation.js";
import { decayWeight } from "../../../reference/src/reputation/decay.js";
import type { CapabilityScope } from "../../../reference/src/reputation/evidence.js";
import type { ReputationParams } from "../../../reference/src/reputation/params.js";
import { computeReputation, priorScore } from "../../../reference/src/reputation/score.js";
import { signMessage } from "../../../reference/src/signed/signed-message.js";
import type { JsonObject, Operation } from "../reference-operations.js";
import { bytes, count, hex, integer, list, object, outcome, produce, strings, text } from "./util.js";

/** The evaluator's parameters (spec §7.5.1) from their JSON form in a vector. */
export function reputationParams(p: JsonObject): ReputationParams {
  return {
    halfLifeMs: integer(p, "half_life_ms"),
    priorPositive: integer(p, "prior_positive"),
    priorNegative: integer(p, "prior_negative"),
    raterCap: integer(p, "rater_cap"),
    trustFloor: integer(p, "trust_floor"),
    dampingPpm: BigInt(count(p, "damping_ppm")),
    depth: count(p, "depth"),
    trustedRaters: strings(p, "trusted_raters"),
  };
}

function scopeOf(inputs: JsonObject): CapabilityScope | undefined {
  if (inputs["scope"] === undefined) return undefined;
  const s = object(inputs, "scope");
  return { namespace: text(s, "namespace"), id: text(s, "id"), version: text(s, "version") };
}

/** attestation.*, reputation.* */
export const REPUTATION_OPERATIONS: Readonly<Record<string, Operation>> = {
  "attestation.verify": (inputs, shared) =>
    outcome(verifyAttestation(bytes(inputs, "attestation"), { now: integer(shared, "now"), clockSkewMs: integer(shared, "clock_skew_ms") })),

  "attestation.sign": (inputs) => {
    const secretKey = bytes(inputs, "secret_key");
    const attestation: OutcomeAttestation = fromJson(OutcomeAttestationSchema, object(inputs, "json") as JsonValue);
    return produce(() => {
      // The signer refuses what a verifier would reject: the schema (ENC-018),
      // then the rules of §7.4 step 4 with the signing key as the kid (REP-005 to REP-008).
      const payload = encodeMessage(OutcomeAttestationSchema, attestation);
      checkAttestationStructureOrThrow(attestation, didFromPublicKey(publicKeyFromSecret(secretKey)));
      return { payload: hex(payload), cose: hex(signMessage(OutcomeAttestationSchema, attestation, secretKey)) };
    });
  },

  "reputation.decay": (inputs) => ({ result: "valid", output: { weight: decayWeight(integer(inputs, "age_ms"), integer(inputs, "half_life_ms")).toString() } }),

  "reputation.score": (inputs, shared) => {
    const now = integer(inputs, "now");
    const clockSkewMs = integer(shared, "clock_skew_ms");
    const params = reputationParams(object(shared, "params"));
    const held: OutcomeAttestation[] = [];
    // REP-012: only attestations that pass every check of §7.4 are counted; a
    // set with one that does not is refused with that attestation's code.
    for (const [i, item] of list(inputs, "attestations").entries()) {
      if (typeof item !== "string") throw new Error(`attestations[${i}] is not a string`);
      const verdict = verifyAttestation(bytes({ item }, "item"), { now, clockSkewMs });
      if (!verdict.ok) return outcome(verdict);
      held.push(verdict.value.message);
    }
    const scores = computeReputation(text(inputs, "evaluator"), held, now, params, scopeOf(inputs));
    return {
      result: "valid",
      output: { scores: Object.fromEntries([...scores].map(([peer, score]) => [peer, Number(score)])), prior: Number(priorScore(params)) },
    };
  },
};
