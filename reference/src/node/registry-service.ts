// A registry node: the Registry of spec/06-discovery.md behind the
// connection layer of spec/14-connectivity.md. The service adds what a
// running registry needs around the pure state machine: a clock, a signing
// key for answers, the origin of each publish taken from its connection
// (DISC-017), and a periodic sweep that forgets expired state (DISC-004).
import { PublishChange, type PublishRequest, type PublishResponse, type QueryRequest, type QueryResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { type RegistryPolicy } from "../discovery/policy.js";
import { Registry } from "../discovery/registry.js";
import { handlePublish, handleQuery } from "../discovery/wire.js";
import { identityOf } from "./keyfile.js";
import { listen, type NetEvent, type NetLimits, type NodeServer, type PeerInfo } from "../net/index.js";
import { originOf, type OriginMode } from "./origin.js";

/** Something a node did, for its log. */
export interface NodeEvent {
  readonly event: string;
  readonly [field: string]: string | number | boolean | undefined;
}

/** How to run a registry node. */
export interface RegistryServiceOptions {
  /** The registry's key: its peer id, and the signer of its answers (DISC-012). */
  readonly secretKey: Uint8Array;
  readonly host?: string;
  /** 0 (the default) for an ephemeral port. */
  readonly port?: number;
  /** Limits of §6.8; the defaults of DISC-023 otherwise. */
  readonly policy?: Partial<RegistryPolicy>;
  /** How publish origins are labelled (default "address", DISC-017). */
  readonly origin?: OriginMode;
  /** Milliseconds between sweeps of expired descriptors (default 10,000; 0 for none, when the owner sweeps). */
  readonly sweepIntervalMs?: number;
  readonly limits?: Partial<NetLimits>;
  /** Milliseconds since the Unix epoch. */
  readonly clock: () => bigint;
  readonly random: (n: number) => Uint8Array;
  readonly onEvent?: (event: NodeEvent) => void;
}

/** What a registry node has done since it started. */
export interface RegistryStats {
  /** Peers remembered, and the registry's limit. */
  readonly peers: number;
  readonly maxPeers: number;
  /** (descriptor, capability) pairs indexed. */
  readonly indexed: number;
  readonly publishesAccepted: number;
  /** Rejected publishes by error code. */
  readonly publishesRejected: Readonly<Record<string, number>>;
  readonly queries: number;
  readonly connections: number;
}

/** A running registry node. */
export class RegistryService {
  readonly registry: Registry;
  readonly peerId: string;
  private server: NodeServer | undefined;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private accepted = 0;
  private queries = 0;
  // One counter per error code at most: bounded whatever peers send.
  private readonly rejected = new Map<string, number>();

  private constructor(private readonly options: RegistryServiceOptions) {
    this.registry = new Registry(options.policy ?? {});
    this.peerId = identityOf(options.secretKey).did;
  }

  /** Starts a registry node listening on host:port. */
  static async start(options: RegistryServiceOptions): Promise<RegistryService> {
    const service = new RegistryService(options);
    service.server = await listen({
      secretKey: options.secretKey,
      role: "registry",
      handlers: {
        publish: (request, peer) => service.publish(request, peer),
        query: (request, peer) => service.query(request, peer),
      },
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      clock: options.clock,
      random: options.random,
      ...(options.onEvent === undefined ? {} : { onEvent: (e: NetEvent) => options.onEvent!(netEvent(e)) }),
    });
    // DISC-004: expired descriptors leave the index, and peers past their retention are forgotten.
    const every = options.sweepIntervalMs ?? 10_000;
    if (every > 0) {
      service.sweeper = setInterval(() => service.sweep(), every);
      service.sweeper.unref();
    }
    return service;
  }

  /** The URL peers connect to. */
  get url(): string {
    return this.server!.url;
  }

  /** Counters for the log and for tests. */
  stats(): RegistryStats {
    return {
      peers: this.registry.size,
      maxPeers: this.registry.policy.maxPeers,
      indexed: this.registry.indexed,
      publishesAccepted: this.accepted,
      publishesRejected: Object.fromEntries(this.rejected),
      queries: this.queries,
      connections: this.server?.connections ?? 0,
    };
  }

  /** Runs a sweep now. */
  sweep(): void {
    const outcome = this.registry.sweep(this.options.clock());
    if (outcome.expired + outcome.forgotten > 0) this.options.onEvent?.({ event: "sweep", expired: outcome.expired, forgotten: outcome.forgotten, peers: this.registry.size });
  }

  /** Stops accepting connections, lets requests in flight finish, and closes. */
  async close(): Promise<void> {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.server?.close();
  }

  private publish(request: PublishRequest, peer: PeerInfo): PublishResponse {
    const origin = originOf(this.options.origin ?? "address", peer);
    const response = handlePublish(this.registry, request, this.options.clock(), origin);
    if (response.error === ErrorCode.UNSPECIFIED) this.accepted++;
    else {
      const code = ErrorCode[response.error] ?? String(response.error);
      this.rejected.set(code, (this.rejected.get(code) ?? 0) + 1);
    }
    this.options.onEvent?.({
      event: "publish",
      from: peer.peerId,
      origin,
      ...(response.error === ErrorCode.UNSPECIFIED ? { change: PublishChange[response.change] } : { error: ErrorCode[response.error], message: response.message }),
      peers: this.registry.size,
    });
    return response;
  }

  private query(request: QueryRequest, peer: PeerInfo): QueryResponse {
    this.queries++;
    const response = handleQuery(this.registry, request, this.options.clock(), this.options.secretKey);
    const q = request.query;
    this.options.onEvent?.({
      event: "query",
      from: peer.peerId,
      capability: q === undefined ? "" : `${q.namespace}/${q.id}${q.version ? `@${q.version}` : ""}`,
      ...(response.error === ErrorCode.UNSPECIFIED ? {} : { error: ErrorCode[response.error] }),
    });
    return response;
  }
}

/** A connection-layer event as a node event. */
export function netEvent(e: NetEvent): NodeEvent {
  switch (e.type) {
    case "opened":
      return { event: "connection-opened", peer: e.peer.peerId, role: e.peer.role, address: e.peer.remoteAddress };
    case "closed":
      return { event: "connection-closed", peer: e.peer.peerId, closeCode: e.closeCode, ...(e.code === undefined ? {} : { error: e.code }) };
    case "rejected":
      return { event: "connection-rejected", address: e.remoteAddress, error: e.code, message: e.message };
    case "handler-failed":
      return { event: "handler-failed", peer: e.peer.peerId, method: e.method, message: e.message };
  }
}
