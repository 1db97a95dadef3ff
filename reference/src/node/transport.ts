// The delegator's side of the network: a DelegatorTransport (spec/10 §10.4)
// whose queries go to a registry node and whose canaries and tasks go to
// provider nodes, over authenticated connections (spec/14-connectivity.md).
// A provider is reached at the WebSocket endpoint of its verified descriptor
// and the connection is pinned to the descriptor's peer id (NET-011), so
// that a registry or an endpoint cannot put another node in its place.
import { create } from "@bufbuild/protobuf";
import { Transport } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { QueryRequestSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import type { DelegatorTransport } from "../delegation/delegate.js";
import type { VerifiedDescriptor } from "../descriptor/verify.js";
import { Ap2pError, isErrorCodeName, type ErrorCodeName, type Verdict } from "../errors.js";
import type { NetLimits, PeerClient } from "../net/index.js";
import type { RegistryAddress } from "./agent-service.js";
import { PeerPool } from "./peers.js";

/** Where to reach a provider: a URL, and the peer id the connection must end at. */
export interface ProviderAddress {
  readonly url: string;
  /** The peer id the handshake must prove (NET-011); undefined to accept whoever answers. */
  readonly expectedPeer: string | undefined;
}

/** The default way to reach a provider: its descriptor's first WebSocket endpoint, pinned to its peer id. */
export function descriptorAddress(provider: VerifiedDescriptor): ProviderAddress | undefined {
  const endpoint = provider.message.endpoints.find((e) => e.transport === Transport.WEBSOCKET);
  return endpoint === undefined ? undefined : { url: endpoint.uri, expectedPeer: provider.peerId };
}

/** A call the transport could not complete: delegate() sees no answer, and this says why. */
export interface TransportFailure {
  readonly kind: "query" | "canary" | "task";
  readonly peerId: string;
  readonly code: ErrorCodeName;
  readonly message: string;
}

/** How the delegator connects. */
export interface NetworkTransportOptions {
  readonly secretKey: Uint8Array;
  readonly registry: RegistryAddress;
  /**
   * Where queries are sent and whom the connection must prove, when that is
   * not the registry itself (a relay or a test gateway); the answers are
   * still checked against registry.peerId by delegate().
   */
  readonly registryConnection?: ProviderAddress;
  readonly limits?: Partial<NetLimits>;
  readonly clock: () => bigint;
  readonly random: (n: number) => Uint8Array;
  /** How to reach a provider (default: descriptorAddress). */
  readonly resolve?: (provider: VerifiedDescriptor) => ProviderAddress | undefined;
  /** Told about every call that got no usable answer. */
  readonly onFailure?: (failure: TransportFailure) => void;
}

/** A DelegatorTransport over the network, and a way to close its connections. */
export interface NetworkTransport extends DelegatorTransport {
  close(): Promise<void>;
}

/** A transport for delegate() over real connections. */
export function networkTransport(options: NetworkTransportOptions): NetworkTransport {
  const pool = new PeerPool({ secretKey: options.secretKey, role: "delegator", ...(options.limits ? { limits: options.limits } : {}), clock: options.clock, random: options.random });
  const resolve = options.resolve ?? descriptorAddress;
  const registry = options.registryConnection ?? { url: options.registry.url, expectedPeer: options.registry.peerId };
  const failed = (kind: TransportFailure["kind"], peerId: string, error: Ap2pError): undefined => {
    options.onFailure?.({ kind, peerId, code: error.code, message: error.message });
    return undefined;
  };
  const toProvider = async <T>(kind: "canary" | "task", provider: VerifiedDescriptor, f: (c: PeerClient) => Promise<Verdict<T>>): Promise<T | undefined> => {
    const address = resolve(provider);
    if (address === undefined) return failed(kind, provider.peerId, new Ap2pError("NET_CONNECT_FAILED", "the descriptor lists no WebSocket endpoint"));
    const v = await pool.call(address.url, address.expectedPeer, f);
    return v.ok ? v.value : failed(kind, provider.peerId, v.error);
  };

  return {
    async query(query) {
      const v = await pool.call(registry.url, registry.expectedPeer, (c) => c.query(create(QueryRequestSchema, { query })));
      if (!v.ok) return failed("query", options.registry.peerId, v.error);
      const r = v.value;
      if (r.error !== ErrorCode.UNSPECIFIED || r.answer === undefined) {
        const name = ErrorCode[r.error];
        const code: ErrorCodeName = name !== undefined && isErrorCodeName(name) ? name : "DELEGATION_FAILED";
        return failed("query", options.registry.peerId, new Ap2pError(code, r.message || "the registry sent no answer"));
      }
      return r.answer.coseSign1;
    },
    canary: (provider, challenge) => toProvider("canary", provider, (c) => c.canary(challenge)),
    task: (provider, request, input) => toProvider("task", provider, (c) => c.task(request, input)),
    close: () => pool.close(),
  };
}
