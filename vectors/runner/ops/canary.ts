// The operations of canary.json (vectors/README.md): Tier 2 canaries and
// fallback selection (spec/08-canaries.md), implemented with the reference.
// Each takes a test's inputs and its group's shared inputs and returns the
// verdict, the error code and the output.
import { CanaryChallengeSchema, CanaryResponseSchema, type CanaryChallenge } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { issueChallenge, verifyChallenge, type CapabilityKey, type IssuedChallenge } from "../../../reference/src/canary/challenge.js";
import { runFallback, type FallbackResult } from "../../../reference/src/canary/fallback.js";
import { checkCanaryOutput, expectedOutput, type CanaryOracle } from "../../../reference/src/canary/oracle.js";
import { testCapability } from "../../../reference/src/canary/oracles.js";
import { minimumCanaryRatePpm } from "../../../reference/src/canary/rate.js";
import { answerCanary, verifyCanaryResponse } from "../../../reference/src/canary/response.js";
import { CanaryVerifier } from "../../../reference/src/canary/verifier.js";
import { messageHash } from "../../../reference/src/codec/hash.js";
import { encodeMessage } from "../../../reference/src/codec/message-codec.js";
import { accept, isErrorCodeName, reject, type Verdict } from "../../../reference/src/errors.js";
import { verifySignedMessage } from "../../../reference/src/signed/signed-message.js";
import type { Json, JsonObject, Operation, Outcome } from "../reference-operations.js";
import { bytes, count, hex, integer, object, objects, outcome, produce, strings, text } from "./util.js";

/** A capability triple given as { namespace, id, version }. */
function capabilityOf(obj: JsonObject): CapabilityKey {
  return { namespace: text(obj, "namespace"), id: text(obj, "id"), version: text(obj, "version") };
}

/** The provider's offered capabilities (shared.offered). */
function offeredOf(shared: JsonObject): CapabilityKey[] {
  return objects(shared, "offered").map(capabilityOf);
}

/** A test capability named "namespace/id@version", as the oracle form { test_capability } names it. */
function testCapabilityNamed(name: string) {
  const m = /^([^/]+)\/([^@]+)@(.+)$/.exec(name);
  const found = m === null ? undefined : testCapability({ namespace: m[1]!, id: m[2]!, version: m[3]! });
  if (found === undefined) throw new Error(`no test capability ${name}`);
  return found;
}

/** The verifier's oracle (vectors/README.md): { expected: { output, media_type } } or { test_capability } for this input. */
function oracleOf(obj: JsonObject, input: Uint8Array): CanaryOracle {
  if (obj["expected"] !== undefined) {
    const e = object(obj, "expected");
    return expectedOutput(bytes(e, "output"), text(e, "media_type"));
  }
  return testCapabilityNamed(text(obj, "test_capability")).oracle(input);
}

/** A challenge the verifier issued, from its bytes: the verifier's own record, so a bad one is a corpus bug. */
function issuedOf(challengeBytes: Uint8Array): IssuedChallenge {
  const signed = verifySignedMessage<CanaryChallenge>(CanaryChallengeSchema, challengeBytes);
  if (!signed.ok) throw new Error(`the issued challenge does not verify: ${signed.error.code}`);
  return { challenge: signed.value.message, bytes: challengeBytes, hash: messageHash(CanaryChallengeSchema, signed.value.message) };
}

const attemptsJson = <T>(r: FallbackResult<T>): Json => r.attempts.map((a) => ({ peer: a.peerId, outcome: a.outcome }));
const failedJson = <T>(r: FallbackResult<T>): Json => [...r.failed].sort();

/** Runs fallback selection over inputs.candidates with the outcome inputs.outcomes gives each peer. */
function fallback(inputs: JsonObject): FallbackResult<string> {
  const outcomes = object(inputs, "outcomes");
  let clock = 0n;
  return runFallback(
    strings(inputs, "candidates"),
    count(inputs, "budget"),
    (peer): Verdict<string> => {
      const o = outcomes[peer];
      if (typeof o !== "string") throw new Error(`no outcome for ${peer}`);
      if (o === "pass") return accept(peer);
      if (!isErrorCodeName(o)) throw new Error(`outcome ${o} is not a registry code`);
      return reject(o, `${peer} fails with ${o}`);
    },
    { now: () => clock++, excluded: strings(inputs, "excluded") },
  );
}

/** One step of canary-verifier.scenario on a verifier. */
function scenarioStep(verifier: CanaryVerifier, step: JsonObject): Outcome {
  switch (text(step, "action")) {
    case "issue": {
      const issued = issuedOf(bytes(step, "challenge"));
      return outcome(verifier.track(issued, oracleOf(object(step, "oracle"), issued.challenge.input)));
    }
    case "respond":
      return outcome(verifier.verify(bytes(step, "response"), integer(step, "now")));
    case "expire": {
      const timedOut = verifier.expire(integer(step, "now"));
      return { result: "valid", output: { timed_out: timedOut.map((t) => ({ challenge_hash: hex(t.issued.hash), provider: t.provider, error: t.code })) } };
    }
    default:
      throw new Error(`unknown scenario action ${text(step, "action")}`);
  }
}

/** The operations of canary.json, by name. */
export const CANARY_OPERATIONS: Readonly<Record<string, Operation>> = {
  "canary-challenge.verify": (inputs, shared) => {
    const maxWindow = shared["max_window_ms"] === undefined ? undefined : integer(shared, "max_window_ms");
    return outcome(
      verifyChallenge(bytes(inputs, "challenge"), {
        now: integer(inputs, "now"),
        provider: text(shared, "provider"),
        offered: offeredOf(shared),
        clockSkewMs: integer(shared, "clock_skew_ms"),
        ...(maxWindow === undefined ? {} : { maxWindowMs: maxWindow }),
      }),
      (c) => ({ challenge_hash: hex(c.hash) }),
    );
  },

  "canary-challenge.sign": (inputs, shared) => {
    const nonce = bytes(inputs, "nonce");
    return produce(() => {
      const issued = issueChallenge(bytes(shared, "secret_key"), {
        provider: text(inputs, "provider"),
        capability: capabilityOf(object(inputs, "capability")),
        input: { bytes: bytes(inputs, "input"), mediaType: text(inputs, "input_media_type") },
        now: integer(inputs, "now"),
        windowMs: integer(inputs, "window_ms"),
        nonceBytes: nonce.length,
        random: (n) => {
          if (n !== nonce.length) throw new Error(`asked for ${n} nonce bytes, the vector has ${nonce.length}`);
          return nonce.slice();
        },
      });
      return { payload: hex(encodeMessage(CanaryChallengeSchema, issued.challenge)), cose: hex(issued.bytes), challenge_hash: hex(issued.hash) };
    });
  },

  "canary-response.sign": (inputs, shared) => {
    const answered = answerCanary(
      bytes(shared, "secret_key"),
      bytes(inputs, "challenge"),
      { bytes: bytes(inputs, "output"), mediaType: text(inputs, "output_media_type") },
      integer(inputs, "now"),
      { offered: offeredOf(shared), clockSkewMs: integer(shared, "clock_skew_ms") },
    );
    return outcome(answered, (r) => ({ payload: hex(encodeMessage(CanaryResponseSchema, r.response)), cose: hex(r.bytes) }));
  },

  "canary-response.verify": (inputs) => {
    const issued = issuedOf(bytes(inputs, "challenge"));
    return outcome(
      verifyCanaryResponse(bytes(inputs, "response"), {
        challenge: issued,
        oracle: oracleOf(object(inputs, "oracle"), issued.challenge.input),
        now: integer(inputs, "now"),
      }),
    );
  },

  "canary-verifier.scenario": (inputs, shared) => {
    const verifier = new CanaryVerifier({ maxOutstanding: count(shared, "max_outstanding") });
    for (const [i, step] of objects(inputs, "history").entries()) {
      const got = scenarioStep(verifier, step);
      const want = text(step, "expect");
      const shown = got.result === "valid" ? "valid" : got.error;
      // The history is the test's precondition: a verifier that judges a step differently fails the test.
      if (shown !== want) return { result: "invalid", error: `PRECONDITION history[${i}]: expected ${want}, got ${shown}` };
    }
    return scenarioStep(verifier, object(inputs, "step"));
  },

  "canary.judge": (inputs) => {
    const oracle = oracleOf(object(inputs, "oracle"), bytes(inputs, "input"));
    return outcome(checkCanaryOutput(oracle, { bytes: bytes(inputs, "output"), mediaType: text(inputs, "output_media_type") }));
  },

  "canary.rate": (inputs) =>
    produce(() => ({
      rate_ppm: minimumCanaryRatePpm({
        cheaterFractionPpm: integer(inputs, "cheater_fraction_ppm"),
        tasksPerProvider: integer(inputs, "tasks_per_provider"),
        targetErrorPpm: integer(inputs, "target_error_ppm"),
      }).toString(),
    })),

  "fallback.plan": (inputs) => {
    const r = fallback(inputs);
    return outcome(r.verdict, (v) => ({ chosen: v.peerId, attempts: attemptsJson(r), failed: failedJson(r) }));
  },

  "fallback.attempts": (inputs) => {
    const r = fallback(inputs);
    return { result: "valid", output: { attempts: attemptsJson(r), failed: failedJson(r) } };
  },
};
