// A provider node: the ProviderAgent of reference/src/agent/provider.ts
// behind the connection layer of spec/14-connectivity.md. It publishes its
// descriptor, with its own endpoint in it, to a registry and refreshes it
// before it expires (DESC-015); it answers canaries (spec/08 §8.5) and tasks
// with evidence (spec/09 §9.4-§9.6) from whoever connects.
import { create } from "@bufbuild/protobuf";
import { PublishChange, PublishRequestSchema, type PublishResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { ProviderAgent, type OfferedCapability, type ProviderBehaviour } from "../agent/provider.js";
import { Ap2pError, misuse, type Verdict } from "../errors.js";
import { listen, type NetEvent, type NetLimits, type NodeServer, type PeerClient } from "../net/index.js";
import { identityOf } from "./keyfile.js";
import { PeerPool } from "./peers.js";
import { netEvent, type NodeEvent } from "./registry-service.js";

/** Where a provider publishes. */
export interface RegistryAddress {
  readonly url: string;
  /** The registry's did:key: the connection is pinned to it (NET-011). */
  readonly peerId: string;
}

/** How to run a provider node. */
export interface AgentServiceOptions {
  readonly secretKey: Uint8Array;
  readonly offers: readonly OfferedCapability[];
  readonly behaviour?: ProviderBehaviour;
  readonly displayName?: string;
  /** Where to publish; none for a provider reached only by its URL. */
  readonly registry?: RegistryAddress;
  /** The descriptor's time to live (default 60 s). */
  readonly ttlMs?: bigint;
  readonly host?: string;
  /** 0 (the default) for an ephemeral port. */
  readonly port?: number;
  /** The URL to advertise, when peers reach the node by another address than the one it listens on. */
  readonly advertiseUrl?: string;
  readonly limits?: Partial<NetLimits>;
  /** Milliseconds since the Unix epoch. */
  readonly clock: () => bigint;
  /** Nonces for handshakes, and the jitter of refreshes. */
  readonly random: (n: number) => Uint8Array;
  readonly onEvent?: (event: NodeEvent) => void;
}

/**
 * The share of the TTL after which a descriptor is refreshed, in parts per
 * thousand, and the width of the jitter around it: 35 % to 45 % of the TTL,
 * before half of it (DESC-015), so that one lost refresh leaves time for
 * another before the descriptor expires.
 */
const REFRESH_AT_PERMILLE = 400n;
const JITTER_PERMILLE = 100n;

/** The wait before the next refresh, for a TTL and a number 0..999 drawn for the jitter. */
export function refreshDelayMs(ttlMs: bigint, randomPermille: number): bigint {
  const base = (ttlMs * REFRESH_AT_PERMILLE) / 1000n;
  return base - (ttlMs * JITTER_PERMILLE) / 2000n + (ttlMs * JITTER_PERMILLE * BigInt(randomPermille)) / 1_000_000n;
}
/** Bounds of the wait before a failed publish is tried again. */
const RETRY_MIN_MS = 250n;
const RETRY_MAX_MS = 10_000n;

/** A running provider node. */
export class AgentService {
  readonly peerId: string;
  private agentValue: ProviderAgent | undefined;
  private server: NodeServer | undefined;
  private pool: PeerPool | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = false;
  private lastPublish: Verdict<PublishResponse> | undefined;
  private readonly waiters: ((v: Verdict<PublishResponse>) => void)[] = [];
  private readonly watched = new WeakSet<PeerClient>();

  private constructor(private readonly options: AgentServiceOptions) {
    this.peerId = identityOf(options.secretKey).did;
  }

  /**
   * Starts a provider node: listens, then publishes its descriptor if it has
   * a registry. Resolves once listening; the first publish runs in the
   * background (see published()).
   */
  static async start(options: AgentServiceOptions): Promise<AgentService> {
    const s = new AgentService(options);
    s.server = await listen({
      secretKey: options.secretKey,
      role: "provider",
      handlers: {
        canary: (challenge) => s.agent.answerCanary(challenge),
        task: (request, input) => s.agent.handleTask(request, input),
      },
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      // NET-010: a client that dialed the advertised URL names it in its Hello.
      ...(options.advertiseUrl === undefined ? {} : { endpoints: [options.advertiseUrl] }),
      clock: options.clock,
      random: options.random,
      ...(options.onEvent === undefined ? {} : { onEvent: (e: NetEvent) => options.onEvent!(netEvent(e)) }),
    });
    // The descriptor names the endpoint, so the agent exists only once the server knows its URL.
    s.agentValue = new ProviderAgent({
      secretKey: options.secretKey,
      offers: options.offers,
      clock: options.clock,
      endpoint: options.advertiseUrl ?? s.server.url,
      ...(options.behaviour === undefined ? {} : { behaviour: options.behaviour }),
      ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
    });
    if (options.registry !== undefined) {
      s.pool = new PeerPool({ secretKey: options.secretKey, role: "provider", ...(options.limits ? { limits: options.limits } : {}), clock: options.clock, random: options.random });
      s.schedule(0n);
    }
    return s;
  }

  /** The agent behind the node. */
  get agent(): ProviderAgent {
    return this.agentValue ?? misuse("the agent is not started");
  }

  /** The URL peers connect to. */
  get url(): string {
    return this.options.advertiseUrl ?? this.server!.url;
  }

  /** The outcome of the latest publish, if any has completed. */
  get lastPublishOutcome(): Verdict<PublishResponse> | undefined {
    return this.lastPublish;
  }

  /**
   * Publishes (or refreshes) the descriptor now: a new seq and validity
   * window (DESC-015). Resolves with the registry's response, or the
   * connection's failure.
   */
  async publish(): Promise<Verdict<PublishResponse>> {
    const registry = this.options.registry;
    if (registry === undefined || this.pool === undefined) return { ok: false, error: new Ap2pError("INVALID_ARGUMENT", "this agent has no registry") };
    let signed;
    try {
      signed = this.agent.publish(this.ttl);
    } catch (e) {
      // DESC-019: a clock that stepped back below the last issue time cannot sign a refresh yet; the next attempt will.
      const error = e instanceof Ap2pError ? e : new Ap2pError("INVALID_ARGUMENT", String(e));
      this.lastPublish = { ok: false, error };
      return this.lastPublish;
    }
    const request = create(PublishRequestSchema, { descriptor: { coseSign1: signed.bytes } });
    const outcome = await this.pool.call(registry.url, registry.peerId, (c) => {
      this.watch(c);
      return c.publish(request);
    });
    const refused = outcome.ok && outcome.value.error !== ErrorCode.UNSPECIFIED;
    this.lastPublish = outcome;
    this.options.onEvent?.({
      event: "publish",
      seq: signed.descriptor.seq.toString(),
      ...(outcome.ok
        ? refused
          ? { error: ErrorCode[outcome.value.error], message: outcome.value.message }
          : { change: PublishChange[outcome.value.change] }
        : { error: outcome.error.code, message: outcome.error.message }),
    });
    return outcome;
  }

  /**
   * Republishes soon after the registry connection drops: a registry that
   * restarted has forgotten the descriptor, and waiting for the next refresh
   * would keep the agent out of its answers for up to half of the TTL.
   * An idle timeout is not a loss: the registry still holds the descriptor.
   */
  private watch(client: PeerClient): void {
    if (this.watched.has(client)) return;
    this.watched.add(client);
    void client.ended.then((reason) => {
      if (this.stopped || reason.code === "NET_IDLE_TIMEOUT") return;
      this.schedule(RETRY_MIN_MS);
    });
  }

  /** Resolves with the outcome of the next scheduled publish (the first, or a refresh); for tests and scripts. */
  published(): Promise<Verdict<PublishResponse>> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops refreshing, stops listening (letting requests in flight finish) and closes outgoing connections. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w({ ok: false, error: new Ap2pError("NET_GOING_AWAY", "the agent is stopping") });
    await this.server?.close();
    await this.pool?.close();
  }

  private get ttl(): bigint {
    return this.options.ttlMs ?? 60_000n;
  }

  /** Schedules the next publish after delayMs. */
  private schedule(delayMs: bigint): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Number(delayMs));
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.publish();
    for (const w of this.waiters.splice(0)) w(outcome);
    if (this.stopped) return;
    const accepted = outcome.ok && outcome.value.error === ErrorCode.UNSPECIFIED;
    if (accepted) {
      this.failures = 0;
      // DESC-015: refresh before half of the TTL, with jitter so that
      // providers started together do not refresh together.
      this.schedule(refreshDelayMs(this.ttl, this.randomPermille()));
      return;
    }
    // The registry is unreachable or refused: try again soon, backing off
    // exponentially, but never later than the descriptor's own refresh time.
    this.failures++;
    const backoff = RETRY_MIN_MS << BigInt(Math.min(this.failures - 1, 16));
    const cap = (this.ttl * REFRESH_AT_PERMILLE) / 1000n;
    const wait = backoff < RETRY_MAX_MS ? backoff : RETRY_MAX_MS;
    this.schedule(wait < cap ? wait : cap);
  }

  /** A number 0..999 from the injected random source. */
  private randomPermille(): number {
    const [a, b] = this.options.random(2);
    return ((a! << 8) | b!) % 1000;
  }
}
