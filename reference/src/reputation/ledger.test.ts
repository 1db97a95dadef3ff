import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { OutcomeAttestationSchema, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { isPositiveOutcome, Outcome } from "./attestation.js";
import { OwnReputationLedger } from "./ledger.js";
import { DEFAULT_REPUTATION_PARAMS, type ReputationParams } from "./params.js";
import { computeReputation, priorScore } from "./score.js";

const PEERS = Array.from({ length: 6 }, (_, i) => didFromPublicKey(publicKeyFromSecret(new Uint8Array(32).fill(i + 40))));
const E = PEERS[0]!;
const PROVIDERS = PEERS.slice(1);
const NOW = 1_800_000_000_000n;
const CAP = { namespace: "ai.image", id: "generate", version: "1.0.0" };

function att(provider: string, outcome: Outcome, issuedAt: bigint, task: number): OutcomeAttestation {
  const taskHash = new Uint8Array(32);
  new DataView(taskHash.buffer).setUint32(0, task);
  return create(OutcomeAttestationSchema, { attester: E, provider, capability: CAP, taskHash, outcome, tier: VerificationTier.CANARY, issuedAt });
}

function check(list: readonly { p: number; outcome: Outcome; t: bigint }[], now: bigint, params: ReputationParams): void {
  const atts = list.map((a, i) => att(PROVIDERS[a.p]!, a.outcome, a.t, i + 1));
  const ledger = new OwnReputationLedger(E, params);
  for (const a of atts) ledger.record(a.provider, a.issuedAt, isPositiveOutcome(a.outcome));
  const want = computeReputation(E, atts, now, params);
  for (const p of PROVIDERS) expect(ledger.score(p, now)).toBe(want.get(p) ?? priorScore(params));
}

describe("OwnReputationLedger", () => {
  it("scores a provider nobody attested at the prior", () => {
    expect(new OwnReputationLedger(E).score(PROVIDERS[0]!, NOW)).toBe(priorScore());
  });

  it("equals computeReputation on the evaluator's own attestations (REP-014, REP-016, REP-017)", () => {
    const H = DEFAULT_REPUTATION_PARAMS.halfLifeMs;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.integer({ min: 0, max: PROVIDERS.length - 1 }),
            outcome: fc.constantFrom(Outcome.SUCCESS, Outcome.FAILURE, Outcome.TIMEOUT, Outcome.CANARY_FAILED, Outcome.EVIDENCE_REJECTED),
            // Mostly within the first half-life (the fast path), sometimes older or in the future (the slow path).
            age: fc.oneof(fc.bigInt({ min: 0n, max: H - 1n }), fc.bigInt({ min: 0n, max: 5_000_000n }), fc.bigInt({ min: -5_000n, max: 30n * H })),
          }),
          { maxLength: 40 },
        ),
        fc.bigInt({ min: 0n, max: 1_000n }),
        (list, drift) => {
          const now = NOW + drift;
          check(
            list.map((a) => ({ p: a.p, outcome: a.outcome, t: NOW - a.age })),
            now,
            DEFAULT_REPUTATION_PARAMS,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("stays equal as time passes and attestations arrive, with short half-lives", () => {
    const params = { ...DEFAULT_REPUTATION_PARAMS, halfLifeMs: 3_600_000n, priorPositive: 3_000_000n, priorNegative: 1_000_000n };
    fc.assert(
      fc.property(fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), ok: fc.boolean(), dt: fc.bigInt({ min: 0n, max: 900_000n }) }), { minLength: 1, maxLength: 30 }), (steps) => {
        const ledger = new OwnReputationLedger(E, params);
        const atts: OutcomeAttestation[] = [];
        let t = NOW;
        for (const [i, s] of steps.entries()) {
          t += s.dt;
          const a = att(PROVIDERS[s.p]!, s.ok ? Outcome.SUCCESS : Outcome.FAILURE, t, i + 1);
          atts.push(a);
          ledger.record(a.provider, a.issuedAt, s.ok);
          const want = computeReputation(E, atts, t, params);
          expect(ledger.score(a.provider, t)).toBe(want.get(a.provider));
        }
      }),
      { numRuns: 60 },
    );
  });
});
