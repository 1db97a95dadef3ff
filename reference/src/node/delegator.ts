// A delegator node: the delegation procedure of spec/10 §10.4 over the
// network transport, with a memory of the outcome attestations it has signed,
// so that its Tier 1 reputation of each provider (spec/07) grows from one
// delegation to the next.
import type { TaskRisk } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import type { OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import type { RiskPolicy } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import type { CapabilityKey } from "../canary/challenge.js";
import { delegate, type CanarySource, type DelegationOutcome } from "../delegation/delegate.js";
import type { NetLimits } from "../net/index.js";
import type { RegistryAddress } from "./agent-service.js";
import { builtinCanaries } from "./capabilities.js";
import { networkTransport, type NetworkTransport, type ProviderAddress, type TransportFailure } from "./transport.js";
import { parseDescriptor, type VerifiedDescriptor } from "../descriptor/verify.js";
import { RegistryAnswerSchema, type RegistryAnswer } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { parseSignedMessage } from "../signed/signed-message.js";

/** How to run a delegator node. */
export interface NodeDelegatorOptions {
  readonly secretKey: Uint8Array;
  readonly registry: RegistryAddress;
  readonly clock: () => bigint;
  /** Randomness for the delegation: challenge and request nonces, canary inputs (spec/10 §10.4). */
  readonly random: (n: number) => Uint8Array;
  /** Randomness for connection handshakes (default: random). */
  readonly connectionRandom?: (n: number) => Uint8Array;
  /** Verified attestations to start from, the delegator's own and others' (REP-012). */
  readonly attestations?: readonly OutcomeAttestation[];
  readonly policy?: RiskPolicy;
  /** Canaries the delegator can judge (default: the built-in capabilities). */
  readonly canaries?: CanarySource;
  readonly limits?: Partial<NetLimits>;
  readonly canaryWindowMs?: bigint;
  readonly taskTimeoutMs?: bigint;
  /** How to reach a provider (default: its descriptor's endpoint, pinned to its peer id). */
  readonly resolve?: (provider: VerifiedDescriptor) => ProviderAddress | undefined;
  /** Where queries go, when not to the registry itself (see NetworkTransportOptions). */
  readonly registryConnection?: ProviderAddress;
}

/** One delegation's outcome, and the calls that got no answer and why. */
export interface NodeDelegation extends DelegationOutcome {
  readonly failures: readonly TransportFailure[];
  /**
   * The display names of the candidates, as their descriptors give them: labels
   * for people reading the report, never identities (ARCH-002).
   */
  readonly displayNames: ReadonlyMap<string, string>;
}

/** The display names in a registry answer, read without checking it: delegate() checks it, this only labels. */
function displayNamesIn(answer: Uint8Array): Map<string, string> {
  const names = new Map<string, string>();
  const parsed = parseSignedMessage<RegistryAnswer>(RegistryAnswerSchema, answer);
  if (!parsed.ok) return names;
  for (const r of parsed.value.message.results) {
    const d = parseDescriptor(r.descriptor?.coseSign1 ?? new Uint8Array(0));
    if (d.ok && d.value.message.displayName !== "") names.set(d.value.message.peerId, d.value.message.displayName);
  }
  return names;
}

/** A delegator on the network. */
export class NodeDelegator {
  private readonly transport: NetworkTransport;
  private readonly memory: OutcomeAttestation[];
  private failures: TransportFailure[] = [];

  constructor(private readonly options: NodeDelegatorOptions) {
    this.memory = [...(options.attestations ?? [])];
    this.transport = networkTransport({
      secretKey: options.secretKey,
      registry: options.registry,
      clock: options.clock,
      random: options.connectionRandom ?? options.random,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.resolve ? { resolve: options.resolve } : {}),
      ...(options.registryConnection ? { registryConnection: options.registryConnection } : {}),
      onFailure: (f) => this.failures.push(f),
    });
  }

  /** Every attestation the delegator holds, including those it signed so far. */
  get attestations(): readonly OutcomeAttestation[] {
    return this.memory;
  }

  /** Delegates one task; the attestations it signs are remembered for the next. */
  async delegate(capability: CapabilityKey, input: Uint8Array, risk: TaskRisk): Promise<NodeDelegation> {
    this.failures = [];
    let displayNames = new Map<string, string>();
    const o = this.options;
    const transport: NetworkTransport = {
      ...this.transport,
      query: async (query) => {
        const answer = await this.transport.query(query);
        if (answer !== undefined) displayNames = displayNamesIn(answer);
        return answer;
      },
    };
    const outcome = await delegate(
      {
        secretKey: o.secretKey,
        registry: o.registry.peerId,
        clock: o.clock,
        random: o.random,
        transport,
        canaries: o.canaries ?? builtinCanaries,
        attestations: this.memory,
        ...(o.policy ? { policy: o.policy } : {}),
        ...(o.canaryWindowMs === undefined ? {} : { canaryWindowMs: o.canaryWindowMs }),
        ...(o.taskTimeoutMs === undefined ? {} : { taskTimeoutMs: o.taskTimeoutMs }),
      },
      { capability, input, risk },
    );
    this.memory.push(...outcome.attestations.map((a) => a.attestation));
    return { ...outcome, failures: this.failures, displayNames };
  }

  /** Closes the delegator's connections. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
