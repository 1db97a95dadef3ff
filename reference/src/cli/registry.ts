// `ap2p registry serve`: a registry node (reference/src/node/registry-service.ts).
import { generateSecretKey } from "../crypto/ed25519.js";
import { DEFAULT_REGISTRY_POLICY } from "../discovery/policy.js";
import { KeyFileError, readKeyFile } from "../node/keyfile.js";
import type { OriginMode } from "../node/origin.js";
import { secureRandom, systemClock } from "../node/random.js";
import { RegistryService, type NodeEvent } from "../node/registry-service.js";
import { parseArgs, parseCount, parseDuration, parsePort, processIo, shortDid, untilSignal, UsageError, withUsage, type CliIo } from "./options.js";

export const REGISTRY_HELP = `Usage: ap2p registry serve [--key FILE] [--host HOST] [--port N] [options]

Runs a registry node (spec/06-discovery.md) on a WebSocket endpoint
(spec/14-connectivity.md): providers publish signed descriptors to it,
delegators query it and get signed answers. Descriptors expire unless
refreshed; expired state is swept periodically. Stops on SIGINT or SIGTERM.

Prints two lines on standard output, for scripts:
  url: ws://HOST:PORT/
  did: did:key:...        (give it to agents and delegators as --registry-id)
and logs every publish and query on standard error.

Options:
  --key FILE                 the registry's key file (ap2p keygen); a fresh
                             identity for this run if omitted
  --host HOST                the address to listen on (default 127.0.0.1)
  --port N                   the port (default 0: any free port)
  --origin address|peer      how publishes are grouped for the Sybil limits
                             (DISC-017): "address" (default) by /24 or /48
                             network prefix; "peer" by the connection's
                             authenticated peer id, for networks on one machine
  --max-peers N              most peers remembered (default ${DEFAULT_REGISTRY_POLICY.maxPeers})
  --max-peers-per-origin N   most peers per origin (default ${DEFAULT_REGISTRY_POLICY.maxPeersPerOrigin})
  --sweep-interval D         time between expiry sweeps (default 10s)
  --json-log                 log JSON lines instead of text
  --help                     show this help

Exit status: 0 after a signal, 1 if the node cannot start, 2 on a usage error.
`;

/** A log line for a node event: text, or JSON with --json-log. */
export function eventLogger(io: CliIo, json: boolean, who: string): (e: NodeEvent) => void {
  return (e) => {
    if (json) {
      io.err(`${JSON.stringify({ at: new Date().toISOString(), node: who, ...e })}\n`);
      return;
    }
    const { event, ...rest } = e;
    const fields = Object.entries(rest)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => `${k}=${typeof v === "string" && v.startsWith("did:key:") ? shortDid(v) : String(v)}`);
    io.err(`[${who}] ${event} ${fields.join(" ")}\n`);
  };
}

/** Runs `ap2p registry ...`; returns the exit status once the node has stopped. */
export function runRegistryCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return withUsage(io, "ap2p registry", REGISTRY_HELP, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.out(REGISTRY_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "serve") throw new UsageError(`unknown command "${sub}"`);
    const args = parseArgs(rest, { key: true, host: true, port: true, origin: true, "max-peers": true, "max-peers-per-origin": true, "sweep-interval": true, "json-log": false, help: false });
    if (args.has("help")) {
      io.out(REGISTRY_HELP);
      return 0;
    }
    const origin = args.get("origin") ?? "address";
    if (origin !== "address" && origin !== "peer") throw new UsageError(`--origin takes address or peer, not ${JSON.stringify(origin)}`);
    const port = parsePort(args.get("port") ?? "0");
    const sweepMs = parseDuration(args.get("sweep-interval") ?? "10s", "sweep-interval");
    if (sweepMs < 100n || sweepMs > 2_147_483_647n) throw new UsageError("--sweep-interval must be within 100ms..24d");
    const maxPeers = args.has("max-peers") ? parseCount(args.get("max-peers")!, "max-peers") : undefined;
    const perOrigin = args.has("max-peers-per-origin") ? parseCount(args.get("max-peers-per-origin")!, "max-peers-per-origin") : undefined;
    if (maxPeers === 0 || perOrigin === 0) throw new UsageError("--max-peers and --max-peers-per-origin must be at least 1");

    let secretKey: Uint8Array;
    try {
      secretKey = args.has("key") ? readKeyFile(args.get("key")!, (w) => io.err(`ap2p registry: warning: ${w}\n`)).secretKey : generateSecretKey(secureRandom);
    } catch (e) {
      if (!(e instanceof KeyFileError)) throw e;
      io.err(`ap2p registry: ${e.message}\n`);
      return 1;
    }
    let service: RegistryService;
    try {
      service = await RegistryService.start({
        secretKey,
        host: args.get("host") ?? "127.0.0.1",
        port,
        origin: origin as OriginMode,
        policy: { ...(maxPeers === undefined ? {} : { maxPeers }), ...(perOrigin === undefined ? {} : { maxPeersPerOrigin: perOrigin }) },
        sweepIntervalMs: Number(sweepMs),
        clock: systemClock,
        random: secureRandom,
        onEvent: eventLogger(io, args.has("json-log"), "registry"),
      });
    } catch (e) {
      io.err(`ap2p registry: cannot start: ${(e as Error).message}\n`);
      return 1;
    }
    io.out(`url: ${service.url}\ndid: ${service.peerId}\n`);
    if (!args.has("key")) io.err("ap2p registry: no --key: this identity lasts for this run only\n");
    return untilSignal(async () => {
      const s = service.stats();
      io.err(`ap2p registry: stopping (${s.peers} peers, ${s.publishesAccepted} publishes accepted, ${s.queries} queries)\n`);
      await service.close();
    });
  });
}
