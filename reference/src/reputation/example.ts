// The worked example of spec/07-reputation.md §7.9: five attestations, four
// peers, default parameters. E evaluates; E has used Q twice and P once; Q
// reports a failure by P; X, a stranger, reports another.
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { issueAttestation, Outcome, type SignedAttestation } from "./attestation.js";

const key = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));

/** Published RFC 8032 §7.1 secret keys, for examples and vectors only. */
export const EXAMPLE_KEYS = Object.freeze({
  /** The evaluator E: TEST 1. */
  E: key("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
  /** The provider P: TEST 2. */
  P: key("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"),
  /** Another provider Q, which has also delegated to P: TEST 3. */
  Q: key("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"),
  /** A stranger X: TEST 1024. */
  X: key("f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5"),
});

/** The peer identifiers of the example keys. */
export const EXAMPLE_PEERS = Object.freeze(
  Object.fromEntries(Object.entries(EXAMPLE_KEYS).map(([name, sk]) => [name, didFromPublicKey(publicKeyFromSecret(sk))])) as Record<keyof typeof EXAMPLE_KEYS, string>,
);

const DAY = 86_400_000n;
/** 2026-01-15T00:00:00Z: when E evaluates. */
export const EXAMPLE_NOW = 1768435200000n;

/** The five attestations of the example, in the order of the table in §7.9. */
export function exampleAttestations(): SignedAttestation[] {
  const capability = { namespace: "ai.image", id: "generate", version: "1.2.0" };
  const rows: [keyof typeof EXAMPLE_KEYS, keyof typeof EXAMPLE_KEYS, Outcome, bigint, number][] = [
    ["E", "Q", Outcome.SUCCESS, EXAMPLE_NOW, 1],
    ["E", "Q", Outcome.SUCCESS, EXAMPLE_NOW - 14n * DAY, 2],
    ["E", "P", Outcome.SUCCESS, EXAMPLE_NOW - 7n * DAY, 3],
    ["Q", "P", Outcome.FAILURE, EXAMPLE_NOW, 4],
    ["X", "P", Outcome.FAILURE, EXAMPLE_NOW, 5],
  ];
  return rows.map(([from, to, outcome, at, n]) =>
    issueAttestation(
      EXAMPLE_KEYS[from],
      {
        provider: EXAMPLE_PEERS[to],
        capability,
        taskHash: new Uint8Array(32).fill(n),
        outcome,
        latencyMs: 1500,
        tier: VerificationTier.REPUTATION,
      },
      at,
    ),
  );
}
