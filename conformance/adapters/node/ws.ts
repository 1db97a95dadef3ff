// The node adapter over the WebSocket driver transport (spec §13.6.2): the
// reference server, one node dispatcher per session, and every session's
// nodes stopped when the server closes, so that a driver that is stopped
// leaves no listening node behind.
import { serveWebSocket, type WsServer } from "../reference/ws.js";
import { createNodeDispatcher, type NodeDispatcher } from "./dispatch.js";

/** Starts the node adapter's driver server on loopback. */
export async function serveNodeWebSocket(options: { readonly port?: number; readonly once?: boolean; readonly log?: (text: string) => void }): Promise<WsServer> {
  const sessions = new Map<NodeDispatcher["handle"], NodeDispatcher>();
  const server = await serveWebSocket({
    handler: () => {
      const d = createNodeDispatcher(options.log === undefined ? {} : { log: options.log });
      sessions.set(d.handle, d);
      return d.handle;
    },
    // DRV-029: a session's nodes stop with its connection, shut down or not.
    ended: (handle) => {
      const d = sessions.get(handle);
      sessions.delete(handle);
      void d?.close();
    },
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.once === undefined ? {} : { once: options.once }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const stopNodes = (): Promise<void> => Promise.all([...sessions.values()].map((d) => d.close())).then(() => sessions.clear());
  const closed = server.closed.then(stopNodes);
  return {
    url: server.url,
    listeningLine: server.listeningLine,
    closed,
    close: async () => {
      await server.close();
      await closed;
    },
  };
}
