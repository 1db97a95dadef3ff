// The worked example of spec/08-canaries.md §8.11: the RFC 8032 §7.1 TEST 1
// key challenges the TEST 2 key with ap2p.test/sha256@1.0.0 on the input
// "abc", at 2026-01-01T00:00:00Z with a 5 s window, and the provider answers
// 850 ms later.
import { EXAMPLE_SECRET_KEY, EXAMPLE_TIME } from "../descriptor/example.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { issueChallenge, type IssuedChallenge } from "./challenge.js";
import { SHA256_TEST_CAPABILITY } from "./oracles.js";
import { answerCanary, type SignedCanaryResponse } from "./response.js";

/** RFC 8032 §7.1 TEST 2 secret key: a published key, for examples and vectors only. */
export const EXAMPLE_PROVIDER_SECRET_KEY = new Uint8Array(Buffer.from("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "hex"));
/** The example's nonce: the 16 bytes 00 01 … 0f (a real nonce is random, CAN-002). */
export const EXAMPLE_NONCE = Uint8Array.from({ length: 16 }, (_, i) => i);
/** The example's canary window, in milliseconds. */
export const EXAMPLE_WINDOW_MS = 5_000n;
/** When the example's provider answers: 850 ms after the challenge was issued. */
export const EXAMPLE_RESPONSE_TIME = EXAMPLE_TIME + 850n;

/** The example challenge and response. */
export function exampleCanary(): { challenge: IssuedChallenge; response: SignedCanaryResponse } {
  const input = new TextEncoder().encode("abc");
  const challenge = issueChallenge(EXAMPLE_SECRET_KEY, {
    provider: didFromPublicKey(publicKeyFromSecret(EXAMPLE_PROVIDER_SECRET_KEY)),
    capability: SHA256_TEST_CAPABILITY.capability,
    input: { bytes: input, mediaType: SHA256_TEST_CAPABILITY.inputMediaType },
    now: EXAMPLE_TIME,
    windowMs: EXAMPLE_WINDOW_MS,
    random: (n) => EXAMPLE_NONCE.slice(0, n),
  });
  const answered = answerCanary(EXAMPLE_PROVIDER_SECRET_KEY, challenge.bytes, SHA256_TEST_CAPABILITY.compute(input), EXAMPLE_RESPONSE_TIME, {
    offered: [SHA256_TEST_CAPABILITY.capability],
  });
  if (!answered.ok) throw answered.error;
  return { challenge, response: answered.value };
}
