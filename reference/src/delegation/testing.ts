// An in-process network for delegation tests and demos: a registry, provider
// agents with chosen behaviours, and a transport that connects them, all on
// one injected clock and one deterministic random source. Test utility, not
// public API.
import { sha256 } from "@noble/hashes/sha2.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { ProviderAgent, type ProviderBehaviour } from "../agent/provider.js";
import { SHA256_TEST_CAPABILITY, testCapability } from "../canary/oracles.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { seededRandom } from "../node/random.js";
import { Registry } from "../discovery/registry.js";
import { canariesOf, type CanarySource, type Delegator, type DelegatorTransport } from "./delegate.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
/** A secret key from a label: for tests only. */
export const keyFrom = (label: string) => sha256(utf8(`ap2p test key: ${label}`));

/** A clock that moves forward 5 ms every time it is read. */
export function steppingClock(start: bigint): { readonly clock: () => bigint; advance(ms: bigint): void } {
  let t = start;
  return {
    clock: () => (t += 5n),
    advance: (ms) => {
      t += ms;
    },
  };
}

// A deterministic random source (SHA-256 in counter mode over a label), for the tests that import this module.
export { seededRandom };

/** Canaries for the test capabilities of §8.8. */
export const testCanaries: CanarySource = canariesOf(testCapability);

/** A provider of ap2p.test/sha256@1.0.0 with the given behaviour, tiers and advertised latency. */
export function sha256Provider(
  label: string,
  behaviour: ProviderBehaviour,
  clock: () => bigint,
  options: { tiers?: VerificationTier[]; latencyMs?: number } = {},
): ProviderAgent {
  return new ProviderAgent({
    secretKey: keyFrom(label),
    behaviour,
    clock,
    displayName: label,
    offers: [
      {
        capability: {
          ...SHA256_TEST_CAPABILITY.capability,
          tags: ["hash"],
          constraints: { maxLatencyMs: options.latencyMs ?? 1000 },
          supportedTiers: options.tiers ?? [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE],
        },
        tools: [{ id: "ap2p.test/sha256@1", run: (input) => sha256(input) }],
        compute: SHA256_TEST_CAPABILITY.compute,
      },
    ],
  });
}

/** A registry with the given providers published, each from its own origin, and a transport to all of them. */
export function network(providers: readonly ProviderAgent[], clock: () => bigint) {
  const registryKey = keyFrom("registry");
  const registry = new Registry();
  const byPeer = new Map(providers.map((p) => [p.peerId, p]));
  for (const p of providers) {
    const published = registry.publish(p.publish(60_000n).bytes, clock(), `origin:${p.peerId}`);
    if (!published.ok) throw published.error;
  }
  const contacted: string[] = [];
  const transport: DelegatorTransport = {
    query: async (q) => {
      const a = registry.answer(q, clock(), registryKey);
      return a.ok ? a.value : undefined;
    },
    canary: async (d, challenge) => {
      contacted.push(d.peerId);
      const answer = byPeer.get(d.peerId)?.answerCanary(challenge);
      return answer?.ok ? answer.value : undefined;
    },
    task: async (d, request, detachedInput) => {
      contacted.push(d.peerId);
      const reply = await byPeer.get(d.peerId)?.handleTask(request, detachedInput);
      return reply?.ok ? reply.value : undefined;
    },
  };
  return { registry, registryId: didFromPublicKey(publicKeyFromSecret(registryKey)), transport, contacted };
}

/** A delegator on the network. */
export function delegatorOn(net: ReturnType<typeof network>, clock: () => bigint, overrides: Partial<Delegator> = {}): Delegator {
  return {
    secretKey: keyFrom("delegator"),
    registry: net.registryId,
    clock,
    random: seededRandom("delegator"),
    transport: net.transport,
    canaries: testCanaries,
    attestations: [],
    ...overrides,
  };
}

