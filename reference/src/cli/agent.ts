// `ap2p agent serve`: a provider node (reference/src/node/agent-service.ts)
// offering built-in capabilities (reference/src/node/capabilities.ts).
import type { ProviderBehaviour } from "../agent/provider.js";
import { AgentService } from "../node/agent-service.js";
import { BUILTIN_CAPABILITIES, builtinCapability, capabilityName, offerOf, parseCapabilityRef } from "../node/capabilities.js";
import { KeyFileError, readKeyFile } from "../node/keyfile.js";
import { secureRandom, systemClock } from "../node/random.js";
import { parseArgs, parseCount, parseDuration, parsePort, processIo, required, untilSignal, UsageError, withUsage, type CliIo } from "./options.js";
import { eventLogger } from "./registry.js";

const BEHAVIOURS: readonly ProviderBehaviour[] = ["honest", "lacks-capability", "fails-canaries", "forges-evidence", "silent"];

export const AGENT_HELP = `Usage: ap2p agent serve --key FILE --registry URL --registry-id DID [options]

Runs a provider node: it listens on a WebSocket endpoint
(spec/14-connectivity.md), publishes a descriptor naming that endpoint to the
registry, refreshes it at 35-45 % of its TTL (before half, DESC-015), answers canary
challenges (spec/08) and runs tasks, returning evidence when asked
(spec/09). Stops on SIGINT or SIGTERM.

Prints two lines on standard output, for scripts:
  url: ws://HOST:PORT/
  did: did:key:...
and logs each publish on standard error.

Options:
  --key FILE              the agent's key file (ap2p keygen; required)
  --registry URL          the registry's URL (required)
  --registry-id DID       the registry's did:key; the connection must prove it (required)
  --capability REF        a built-in capability to offer (repeatable; default: all):
${BUILTIN_CAPABILITIES.map((b) => `                            ${capabilityName(b.test.capability)}`).join("\n")}
  --behaviour B           ${BEHAVIOURS.join(" | ")}
                          (default honest; the others are the attacks of spec/10 §10.1,
                          for demonstrations and tests)
  --latency-ms N          the latency the descriptor promises (ranks providers, §6.5)
  --ttl D                 the descriptor's time to live (default 60s)
  --name TEXT             a display name (never an identity, ARCH-002)
  --host HOST             the address to listen on (default 127.0.0.1)
  --port N                the port (default 0: any free port)
  --advertise URL         the URL to put in the descriptor, if peers reach this
                          node at another address than the one it listens on
  --json-log              log JSON lines instead of text
  --help                  show this help

Exit status: 0 after a signal, 1 if the node cannot start, 2 on a usage error.
`;

/** Runs `ap2p agent ...`; returns the exit status once the node has stopped. */
export function runAgentCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return withUsage(io, "ap2p agent", AGENT_HELP, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.out(AGENT_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "serve") throw new UsageError(`unknown command "${sub}"`);
    const args = parseArgs(rest, {
      key: true,
      registry: true,
      "registry-id": true,
      capability: true,
      behaviour: true,
      "latency-ms": true,
      ttl: true,
      name: true,
      host: true,
      port: true,
      advertise: true,
      "json-log": false,
      help: false,
    });
    if (args.has("help")) {
      io.out(AGENT_HELP);
      return 0;
    }
    const keyFile = required(args, "key");
    const registryUrl = required(args, "registry");
    const registryId = required(args, "registry-id");
    if (!/^wss?:\/\//.test(registryUrl)) throw new UsageError(`--registry takes a ws:// URL, not ${JSON.stringify(registryUrl)}`);
    if (!/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$/.test(registryId)) throw new UsageError(`--registry-id takes the registry's did:key, not ${JSON.stringify(registryId)}`);
    const behaviour = (args.get("behaviour") ?? "honest") as ProviderBehaviour;
    if (!BEHAVIOURS.includes(behaviour)) throw new UsageError(`--behaviour takes one of ${BEHAVIOURS.join(", ")}, not ${JSON.stringify(behaviour)}`);
    const refs = args.all("capability");
    const builtins = refs.length === 0 ? BUILTIN_CAPABILITIES : refs.map((r) => {
      const key = parseCapabilityRef(r);
      const b = key === undefined ? undefined : builtinCapability(key);
      if (b === undefined) throw new UsageError(`--capability takes a built-in capability (${BUILTIN_CAPABILITIES.map((x) => capabilityName(x.test.capability)).join(", ")}), not ${JSON.stringify(r)}`);
      return b;
    });
    const latency = args.get("latency-ms");
    const latencyMs = latency === undefined ? undefined : parseCount(latency, "latency-ms", 0xffff_ffff);
    const ttlMs = parseDuration(args.get("ttl") ?? "60s", "ttl");
    if (ttlMs < 1000n || ttlMs > 3_600_000n) throw new UsageError("--ttl must be within 1s..1h (a registry's default maximum, DISC-023)");
    const port = parsePort(args.get("port") ?? "0");
    const advertise = args.get("advertise");
    if (advertise !== undefined && !/^wss?:\/\/[^\s]+$/.test(advertise)) throw new UsageError(`--advertise takes a ws:// URL, not ${JSON.stringify(advertise)}`);

    let identity;
    try {
      identity = readKeyFile(keyFile, (w) => io.err(`ap2p agent: warning: ${w}\n`));
    } catch (e) {
      if (!(e instanceof KeyFileError)) throw e;
      io.err(`ap2p agent: ${e.message}\n`);
      return 1;
    }
    let service: AgentService;
    try {
      service = await AgentService.start({
        secretKey: identity.secretKey,
        offers: builtins.map((b) => offerOf(b, latencyMs === undefined ? {} : { latencyMs })),
        behaviour,
        ...(args.has("name") ? { displayName: args.get("name")! } : {}),
        registry: { url: registryUrl, peerId: registryId },
        ttlMs,
        host: args.get("host") ?? "127.0.0.1",
        port,
        ...(advertise === undefined ? {} : { advertiseUrl: advertise }),
        clock: systemClock,
        random: secureRandom,
        onEvent: eventLogger(io, args.has("json-log"), args.get("name") ?? "agent"),
      });
    } catch (e) {
      io.err(`ap2p agent: cannot start: ${(e as Error).message}\n`);
      return 1;
    }
    io.out(`url: ${service.url}\ndid: ${service.peerId}\n`);
    return untilSignal(() => service.close());
  });
}
