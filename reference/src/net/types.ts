// The public types of the connectivity plane (spec/14-connectivity.md).
import type { PublishRequest, PublishResponse, QueryRequest, QueryResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import type { ErrorCodeName, Verdict } from "../errors.js";
import type { NodeRole } from "./handshake.js";

export type { NodeRole };

/** The authenticated peer at the other end of a connection. */
export interface PeerInfo {
  /** Its did:key, proven in the handshake (NET-009). */
  readonly peerId: string;
  /** The role it announced and signed (NET-007). */
  readonly role: NodeRole;
  /** The IP address the connection comes from, as the transport reports it (the origin of DISC-017). */
  readonly remoteAddress: string;
}

/** What a task handler returns: the signed result, and the output when it travels detached. */
export interface TaskAnswer {
  readonly result: Uint8Array;
  readonly output?: Uint8Array;
}

/**
 * What a server offers. A method without a handler is answered with
 * NET_METHOD_NOT_SUPPORTED (NET-018). A handler that throws is answered with
 * NET_HANDLER_FAILED (NET-019).
 */
export interface ServiceHandlers {
  publish?(request: PublishRequest, peer: PeerInfo): PublishResponse | Promise<PublishResponse>;
  query?(request: QueryRequest, peer: PeerInfo): QueryResponse | Promise<QueryResponse>;
  /** The COSE_Sign1 of a CanaryChallenge in, of a CanaryResponse out; undefined sends no answer (the caller times out). */
  canary?(challenge: Uint8Array, peer: PeerInfo): Verdict<Uint8Array> | undefined | Promise<Verdict<Uint8Array> | undefined>;
  /** The COSE_Sign1 of a TaskRequest and its detached input in, the signed TaskResult out; undefined sends no answer. */
  task?(request: Uint8Array, input: Uint8Array | undefined, peer: PeerInfo): Verdict<TaskAnswer> | undefined | Promise<Verdict<TaskAnswer> | undefined>;
}

/** What a server reports to its log hook. `at` is the node's injected clock. */
export type NetEvent =
  | { readonly type: "opened"; readonly at: bigint; readonly peer: PeerInfo }
  | { readonly type: "closed"; readonly at: bigint; readonly peer: PeerInfo; readonly closeCode: number; readonly code?: ErrorCodeName; readonly message?: string }
  | { readonly type: "rejected"; readonly at: bigint; readonly remoteAddress: string; readonly closeCode: number; readonly code: ErrorCodeName; readonly message: string }
  | { readonly type: "handler-failed"; readonly at: bigint; readonly peer: PeerInfo; readonly method: string; readonly message: string };
