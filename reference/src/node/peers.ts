// Outgoing connections of a node, one per (URL, expected peer), opened on
// first use and reused (spec/14-connectivity.md): a delegator talks to the
// same registry and providers many times, and each handshake costs two
// signatures. A connection that fails is dropped, and the next call opens a
// new one, so that a peer that restarts is reached again.
import { Ap2pError, type ErrorCodeName, type Verdict } from "../errors.js";
import { connect, type NetLimits, type NodeRole, type PeerClient } from "../net/index.js";

/** How the pool connects. */
export interface PeerPoolOptions {
  readonly secretKey: Uint8Array;
  /** The role this node announces in its handshakes. */
  readonly role: NodeRole;
  readonly limits?: Partial<NetLimits>;
  readonly clock: () => bigint;
  readonly random: (n: number) => Uint8Array;
  /** Most connections kept open; the least recently used is closed beyond it (default 64). */
  readonly maxConnections?: number;
}

/**
 * Codes after which a connection is not used again. A request that failed
 * this way on a connection that was already open is tried once more on a new
 * one: the peer may have restarted since.
 */
const CONNECTION_LOST: ReadonlySet<ErrorCodeName> = new Set<ErrorCodeName>(["NET_DISCONNECTED", "NET_GOING_AWAY", "NET_IDLE_TIMEOUT"]);
const CONNECTION_BROKEN: ReadonlySet<ErrorCodeName> = new Set<ErrorCodeName>([...CONNECTION_LOST, "NET_REQUEST_TIMEOUT", "NET_FRAME_TOO_LARGE", "NET_FRAME_REPLAYED", "NET_FRAME_UNEXPECTED"]);

/** A pool of outgoing connections. */
export class PeerPool {
  private readonly open = new Map<string, Promise<Verdict<PeerClient>>>();
  private closed = false;

  constructor(private readonly options: PeerPoolOptions) {}

  /**
   * Runs one call on the connection to url, pinned to expectedPeer when it is
   * given (NET-011). Never throws: a connection that cannot be opened is a
   * verdict with its code.
   */
  call<T>(url: string, expectedPeer: string | undefined, f: (client: PeerClient) => Promise<Verdict<T>>): Promise<Verdict<T>> {
    return this.callAs(this.options.secretKey, url, expectedPeer, f);
  }

  /**
   * As call, on a connection that proves another identity of this node: a
   * node that speaks for several identities (a test adapter standing for
   * several origins) keeps one connection for each.
   */
  async callAs<T>(secretKey: Uint8Array, url: string, expectedPeer: string | undefined, f: (client: PeerClient) => Promise<Verdict<T>>): Promise<Verdict<T>> {
    const key = `${Buffer.from(secretKey).toString("hex")} ${expectedPeer ?? ""} ${url}`;
    const reused = this.open.has(key);
    const first = await this.run(secretKey, key, url, expectedPeer, f);
    if (first.ok || !reused || !CONNECTION_LOST.has(first.error.code)) return first;
    return this.run(secretKey, key, url, expectedPeer, f);
  }

  /** Closes every connection; later calls fail with NET_GOING_AWAY. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (p) => {
      const v = await p;
      if (v.ok) await v.value.close();
    }));
  }

  private async run<T>(secretKey: Uint8Array, key: string, url: string, expectedPeer: string | undefined, f: (client: PeerClient) => Promise<Verdict<T>>): Promise<Verdict<T>> {
    if (this.closed) return { ok: false, error: new Ap2pError("NET_GOING_AWAY", "this node is shutting down") };
    let pending = this.open.get(key);
    if (pending !== undefined) {
      // Most recently used last: the map's order is the eviction order.
      this.open.delete(key);
      this.open.set(key, pending);
    } else {
      pending = connect(url, {
        secretKey,
        role: this.options.role,
        ...(expectedPeer === undefined ? {} : { expectedPeer }),
        ...(this.options.limits === undefined ? {} : { limits: this.options.limits }),
        clock: this.options.clock,
        random: this.options.random,
      });
      this.open.set(key, pending);
      if (this.open.size > (this.options.maxConnections ?? 64)) {
        const [oldestKey, oldest] = this.open.entries().next().value!;
        this.open.delete(oldestKey);
        void oldest.then((v) => (v.ok ? v.value.close() : undefined));
      }
    }
    const client = await pending;
    if (!client.ok) {
      // A failed connection is not remembered: the next call tries again.
      if (this.open.get(key) === pending) this.open.delete(key);
      return client;
    }
    const result = await f(client.value);
    if (!result.ok && CONNECTION_BROKEN.has(result.error.code)) {
      if (this.open.get(key) === pending) this.open.delete(key);
      void client.value.close();
    }
    return result;
  }
}
