// `ap2p conformance`: runs the conformance suite against an implementation
// over stdio or WebSocket and writes the reports (conformance/README.md).
import { parseArgs } from "node:util";
import { DEFAULT_RUN_OPTIONS, UsageError, referenceCommand, runConformance, type Target } from "../../../conformance/harness/harness.js";
import { REPORT_FORMATS, type ReportFormat } from "../../../conformance/harness/report/write.js";

const HELP = `Usage: ap2p conformance (--stdio CMD | --ws URL | --ws-command CMD | --reference) [options]
       ap2p conformance --wire URL --wire-peer DID [--wire-role registry|provider] [options]

Runs every test of the AP2P test-vector corpus, the driver-protocol cases, the
behavioural scenarios and the wire cases against an implementation driven over
the driver protocol (spec §13), and writes JSON, JUnit, HTML and badge reports.

The implementation:
  --stdio CMD          launch \`sh -c CMD\`; one JSON request/response per line on stdin/stdout
  --ws URL             connect to a running implementation at a loopback ws:// URL
  --ws-command CMD     launch \`sh -c CMD\`, wait for "AP2P-DRIVER-LISTENING <url>" on stdout, connect
  --reference          the reference implementation (ap2p driver), over --transport
  --transport T        stdio (default) or ws, with --reference

A running node, without a driver (only the wire cases of spec §13.11):
  --wire URL           the node's ws: endpoint, e.g. the URL \`ap2p registry serve\` prints
  --wire-peer DID      the did:key the node must prove in its handshake
  --wire-role R        registry (default) or provider: the methods to call. Against a
                       registry the harness publishes one test descriptor (60 s lifetime);
                       cases that need a limit set (timeouts, connection limit) are skipped

Selection and verdict:
  --filter GLOB        run only case ids matching GLOB (* any characters, ? one); repeat or
                       separate with commas for several
  --baseline FILE      known failures: "<id or glob> [expected prefix]" per line, # comments
  --update-baseline    rewrite FILE from this run's failures

Reports:
  --report-dir DIR     where to write them (default ./conformance-report)
  --format LIST        any of json,junit,html,badge, comma-separated (default: all)
  --quiet              no progress display

Time (DURATION: 500ms, 10s, 2m; a bare number is seconds):
  --time-scale S       multiply budgets, deadlines and grace periods by S (default 1)
  --case-timeout D     base deadline of one call (default 10s; scaled; at least 2 × budget)
  --startup-timeout D  deadline for a session to start and say hello (default 10s; scaled)
  --run-timeout D      limit of the whole run, wall clock (default 10m; not scaled)
  --jobs N             calls in flight at once (default ${DEFAULT_RUN_OPTIONS.jobs}; timed cases run alone)
  --samples N          timed samples per case with a budget (default 5, at least 5)
  --quarantine-after N stop driving an implementation after N failures in a row (default 3)

Other:
  --vectors DIR        another copy of the corpus (default: the package's vectors/v1)
  --help               show this help

Exit status: 0 when no required case failed (after the baseline), 1 when one did,
the baseline does not hold, or the run did not finish; 2 on a usage error or a
fault of the harness.
`;

/** Parses a duration: 500ms, 10s, 2m, or a bare number of seconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (m === null) throw new UsageError(`${option} ${text}: expected a duration such as 500ms, 10s or 2m`);
  const n = Number(m[1]);
  const ms = m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000;
  if (!(ms > 0)) throw new UsageError(`${option} ${text}: must be more than zero`);
  return ms;
}

function positiveInt(text: string, option: string, min = 1): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${option} ${text}: expected a whole number of at least ${min}`);
  return Number(text);
}

/** Runs `ap2p conformance` with the arguments after "conformance"; resolves with the exit status. */
export async function runConformanceCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stdio: { type: "string" },
        ws: { type: "string" },
        "ws-command": { type: "string" },
        wire: { type: "string" },
        "wire-peer": { type: "string" },
        "wire-role": { type: "string" },
        reference: { type: "boolean" },
        transport: { type: "string" },
        "report-dir": { type: "string" },
        format: { type: "string" },
        baseline: { type: "string" },
        "update-baseline": { type: "boolean" },
        filter: { type: "string", multiple: true },
        "time-scale": { type: "string" },
        jobs: { type: "string" },
        "case-timeout": { type: "string" },
        "startup-timeout": { type: "string" },
        "run-timeout": { type: "string" },
        samples: { type: "string" },
        "quarantine-after": { type: "string" },
        vectors: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`ap2p conformance: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    // The first signal stops the run and still writes the reports; a second one leaves at once.
    if (signals > 1) process.exit(130);
    process.stderr.write(`\nap2p conformance: ${signal}: stopping and writing the reports (again to quit at once)\n`);
    controller.abort(`interrupted by ${signal}`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const targets = [v.stdio, v.ws, v["ws-command"], v.reference ? "reference" : undefined, v.wire].filter((t) => t !== undefined);
    if (targets.length !== 1) throw new UsageError("name the implementation with exactly one of --stdio, --ws, --ws-command, --reference and --wire");
    if (v.wire === undefined && (v["wire-peer"] !== undefined || v["wire-role"] !== undefined)) throw new UsageError("--wire-peer and --wire-role go with --wire");
    if (v.wire !== undefined && v["wire-peer"] === undefined) throw new UsageError("--wire needs --wire-peer DID: the did:key the node must prove");
    if (v.transport !== undefined && !v.reference) throw new UsageError("--transport goes with --reference");
    const transport = v.transport ?? "stdio";
    if (transport !== "stdio" && transport !== "ws") throw new UsageError(`--transport ${transport}: expected stdio or ws`);
    let target: Target;
    let cwd: string | undefined;
    if (v.reference) {
      const ref = referenceCommand(transport);
      target = transport === "stdio" ? { kind: "stdio", command: ref.command } : { kind: "ws-command", command: ref.command };
      cwd = ref.cwd;
    } else if (v.stdio !== undefined) target = { kind: "stdio", command: v.stdio };
    else if (v.ws !== undefined) target = { kind: "ws", url: v.ws };
    else if (v.wire !== undefined) {
      const role = v["wire-role"] ?? "registry";
      if (role !== "registry" && role !== "provider") throw new UsageError(`--wire-role ${role}: expected registry or provider`);
      target = { kind: "wire", url: v.wire, peerId: v["wire-peer"]!, role };
    }
    else target = { kind: "ws-command", command: v["ws-command"]! };

    const formats = (v.format ?? REPORT_FORMATS.join(",")).split(",").map((f) => f.trim()).filter((f) => f.length > 0);
    for (const f of formats) if (!(REPORT_FORMATS as string[]).includes(f)) throw new UsageError(`--format ${f}: expected some of ${REPORT_FORMATS.join(", ")}`);
    const timeScale = v["time-scale"] === undefined ? 1 : Number(v["time-scale"]);
    if (!Number.isFinite(timeScale) || timeScale <= 0) throw new UsageError(`--time-scale ${v["time-scale"]}: expected a positive number`);

    const result = await runConformance({
      target,
      ...(cwd === undefined ? {} : { cwd }),
      ...(v.vectors === undefined ? {} : { vectorsDir: v.vectors }),
      reportDir: v["report-dir"] ?? "conformance-report",
      formats: formats as ReportFormat[],
      ...(v.baseline === undefined ? {} : { baselineFile: v.baseline }),
      updateBaseline: v["update-baseline"] ?? false,
      filter: (v.filter ?? []).flatMap((f) => f.split(",")).map((f) => f.trim()).filter((f) => f.length > 0),
      run: {
        ...DEFAULT_RUN_OPTIONS,
        timeScale,
        ...(v.jobs === undefined ? {} : { jobs: positiveInt(v.jobs, "--jobs") }),
        ...(v["case-timeout"] === undefined ? {} : { caseTimeoutMs: parseDuration(v["case-timeout"], "--case-timeout") }),
        ...(v["startup-timeout"] === undefined ? {} : { startupTimeoutMs: parseDuration(v["startup-timeout"], "--startup-timeout") }),
        ...(v["run-timeout"] === undefined ? {} : { runTimeoutMs: parseDuration(v["run-timeout"], "--run-timeout") }),
        ...(v.samples === undefined ? {} : { samples: positiveInt(v.samples, "--samples", 5) }),
        ...(v["quarantine-after"] === undefined ? {} : { quarantineAfter: positiveInt(v["quarantine-after"], "--quarantine-after") }),
      },
      signal: controller.signal,
      progress: v.quiet ? "none" : process.stdout.isTTY ? "bar" : "lines",
      out: (text) => process.stdout.write(text),
      columns: process.stdout.columns ?? 100,
    });
    return result.exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ap2p conformance: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
