// The driver protocol over WebSocket (spec §13.6.2): one request or response
// per text frame, one session per connection, listening on loopback only
// (DRV-019, DRV-020).
import type { AddressInfo } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Handler } from "./dispatch.js";
import { DriverSession } from "./session.js";

/** The first word of the line a launched implementation prints (DRV-020). */
export const LISTENING_PREFIX = "AP2P-DRIVER-LISTENING";

/** How to serve. */
export interface WsOptions {
  /** A handler for each new session (each keeps its own test clock). */
  readonly handler: () => Handler;
  /** The port; 0 (the default) takes an ephemeral one. */
  readonly port?: number;
  /** A loopback address; 127.0.0.1 by default. */
  readonly host?: string;
  /** Diagnostics (standard error in the CLI). */
  readonly log?: (text: string) => void;
  /** Stop listening once the first session has ended. */
  readonly once?: boolean;
  /** Called with a session's handler once its connection has closed, shut down or not (DRV-029: its endpoints close with it). */
  readonly ended?: (handler: Handler) => void;
}

/** A listening driver server. */
export interface WsServer {
  /** The URL to connect to, e.g. ws://127.0.0.1:40123/. */
  readonly url: string;
  /** The line to print on standard output once listening (DRV-020). */
  readonly listeningLine: string;
  /** Resolves when the server has stopped (after close(), or after the first session with `once`). */
  readonly closed: Promise<void>;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

/** Starts a driver server on loopback. */
export async function serveWebSocket(options: WsOptions): Promise<WsServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.test(host)) throw new Error(`the driver listens on loopback only (DRV-020), not ${host}`);
  const log = options.log ?? (() => {});
  const server = new WebSocketServer({ host, port: options.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => {
        resolveClosed();
        resolve();
      });
    });

  server.on("connection", (socket: WebSocket) => {
    const handler = options.handler();
    socket.once("close", () => options.ended?.(handler));
    const session = new DriverSession(handler, {
      send: (text) => socket.send(text),
      log,
    });
    socket.on("message", (data, isBinary) => {
      if (isBinary) {
        log("ignored a binary frame: requests are text frames (DRV-019)");
        return;
      }
      session.receive(frameText(data));
    });
    void session.ended.then(() => {
      // DRV-012: after answering shutdown, close the connection.
      socket.close(1000, "shutdown");
      if (options.once) void close();
    });
    socket.on("error", (e) => log(`connection error: ${e.message}`));
  });

  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `ws://${shown}:${address.port}/`;
  return { url, listeningLine: `${LISTENING_PREFIX} ${url}`, closed, close };
}
