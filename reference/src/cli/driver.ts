// `ap2p driver`: the reference implementation behind the conformance driver
// protocol (spec/13-conformance.md), over standard input and output or over
// WebSocket, so that the harness can be checked against the reference and
// other implementations compared with it.
import { createDispatcher, type Dispatcher } from "../../../conformance/adapters/reference/dispatch.js";
import { serveStdio } from "../../../conformance/adapters/reference/stdio.js";
import { serveWebSocket } from "../../../conformance/adapters/reference/ws.js";
import { createNodeDispatcher } from "../../../conformance/adapters/node/dispatch.js";
import { serveNodeWebSocket } from "../../../conformance/adapters/node/ws.js";

export const DRIVER_HELP = `Usage: ap2p driver [--transport stdio|ws] [--port N] [--once] [--node]

Runs the reference implementation as a conformance driver (spec/13-conformance.md).

  --transport stdio   (default) one request per line on standard input, one
                      response per line on standard output, nothing else there
  --transport ws      listen on 127.0.0.1 and print one line
                      "AP2P-DRIVER-LISTENING ws://127.0.0.1:PORT/" to standard output
  --port N            the WebSocket port (default 0: an ephemeral port)
  --once              with ws: stop after the first session ends
  --node              run the registry, provider and delegator operations
                      through real nodes over loopback connections
                      (spec/14-connectivity.md) instead of in memory

Diagnostics go to standard error.
`;

interface DriverArgs {
  readonly transport: "stdio" | "ws";
  readonly port: number;
  readonly once: boolean;
  readonly node: boolean;
}

function parseArgs(argv: string[]): DriverArgs | string {
  let transport: "stdio" | "ws" = "stdio";
  let port = 0;
  let once = false;
  let node = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => argv[++i];
    if (arg === "--transport") {
      const t = value();
      if (t !== "stdio" && t !== "ws") return `--transport takes stdio or ws, not ${t ?? "nothing"}`;
      transport = t;
    } else if (arg === "--port") {
      const p = value();
      if (p === undefined || !/^[0-9]{1,5}$/.test(p) || Number(p) > 65535) return `--port takes a port number, not ${p ?? "nothing"}`;
      port = Number(p);
    } else if (arg === "--once") {
      once = true;
    } else if (arg === "--node") {
      node = true;
    } else {
      return `unexpected argument ${arg}`;
    }
  }
  if (transport === "stdio" && (port !== 0 || once)) return "--port and --once apply to --transport ws only";
  return { transport, port, once, node };
}

const log = (text: string): void => void process.stderr.write(`ap2p driver: ${text}\n`);

/**
 * Runs the driver until its session ends (stdio) or it is stopped (ws). Returns
 * the exit status: 0 after shutdown or end of input, 2 for bad arguments, 1 if
 * the server cannot start.
 */
export async function runDriverCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(DRIVER_HELP);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`ap2p driver: ${args}\n\n${DRIVER_HELP}`);
    return 2;
  }
  // DRV-018, DRV-020: standard output carries protocol lines only; anything
  // that logs through console goes to standard error instead.
  console.log = console.info = console.debug = console.error;

  if (args.transport === "stdio") {
    const dispatcher = args.node ? createNodeDispatcher({ log }) : createDispatcher({ log });
    await serveStdio({ handler: dispatcher.handle, name: "ap2p driver" });
    // The session's nodes and endpoints stop with it, however it ended.
    await dispatcher.close();
    // DRV-012: the readline interface is closed; stop reading so the process can exit.
    process.stdin.destroy();
    return 0;
  }

  // The endpoints of a session close with its connection, and those of every session with the server (DRV-029).
  const sessions = new Map<Dispatcher["handle"], Dispatcher>();
  const session = (): Dispatcher => {
    const d = createDispatcher({ log });
    sessions.set(d.handle, d);
    return d;
  };
  const ended = (handle: Dispatcher["handle"]): void => {
    const d = sessions.get(handle);
    sessions.delete(handle);
    void d?.close();
  };
  let server;
  try {
    server = args.node
      ? await serveNodeWebSocket({ port: args.port, once: args.once, log })
      : await serveWebSocket({ handler: () => session().handle, ended, port: args.port, once: args.once, log });
  } catch (e) {
    log(`cannot listen: ${(e as Error).message}`);
    return 1;
  }
  process.stdout.write(`${server.listeningLine}\n`);
  const stop = (): void => void server.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await server.closed;
  await Promise.all([...sessions.values()].map((d) => d.close()));
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  return 0;
}
