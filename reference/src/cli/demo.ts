// `ap2p demo` (`npm run demo`): a whole network on loopback, attacked. It
// starts a registry, three honest agents and three dishonest ones as child
// processes of the `ap2p` command, floods the registry with Sybil
// descriptors, runs a two-step workflow (generate an image, then publish it)
// under each verification level, and ends with a table of which tier caught
// which attack and how often the workflow ended with the right result.
//
// Keys, prompts and the delegators' randomness come from a seed, and the
// registry ranks by advertised latency then peer id, so two runs with the
// same seed make the same decisions.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TaskRisk } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { Transport, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { LaunchedProcess } from "../../../conformance/harness/process-group.js";
import { packageRoot } from "../../../conformance/harness/paths.js";
import { shellQuote } from "../../../conformance/harness/harness.js";
import type { ProviderBehaviour } from "../agent/provider.js";
import { bytesEqual } from "../bytes.js";
import { DEFAULT_RISK_POLICY } from "../delegation/policy.js";
import { DEFAULT_REGISTRY_POLICY } from "../discovery/policy.js";
import { issueDescriptor } from "../descriptor/issue.js";
import { GENERATE_CAPABILITY, PUBLISH_CAPABILITY, offerOf, BUILTIN_CAPABILITIES, receiptUri, renderImage } from "../node/capabilities.js";
import { NodeDelegator, type NodeDelegation } from "../node/delegator.js";
import { publishFlood, type FloodOutcome } from "../node/flood.js";
import { identityOf, writeKeyFile } from "../node/keyfile.js";
import { secureRandom, seededKey, seededRandom, systemClock } from "../node/random.js";
import { parseArgs, parseCount, processIo, shortDid, withUsage, type CliIo } from "./options.js";

export const DEMO_HELP = `Usage: ap2p demo [--workflows N] [--sybils N] [--seed TEXT] [--json] [--verbose]

Runs a network on 127.0.0.1 and attacks it: a registry, three honest agents,
three dishonest ones (one advertises a capability it lacks, one fails
canaries, one forges evidence) and a burst of Sybil descriptors. Then runs a
two-step workflow (generate an image, then publish it) under each
verification level and prints which tier caught which attack, and the
end-to-end success rate of each level. Every process it starts is stopped
before it exits.

Options:
  --workflows N   workflows per level (default 10)
  --sybils N      Sybil identities in the burst (default 200)
  --seed TEXT     the seed of keys, prompts and the delegators' randomness (default "ap2p-demo")
  --json          print the outcome as JSON instead of the table
  --verbose       print every delegation's decisions
  --help          show this help
`;

/** One agent of the demo network. */
interface AgentSpec {
  readonly name: string;
  readonly behaviour: ProviderBehaviour;
  /** The latency it advertises: the dishonest ones promise more speed, which ranks them first (§6.5). */
  readonly latencyMs: number;
}

const AGENTS: readonly AgentSpec[] = [
  { name: "honest-1", behaviour: "honest", latencyMs: 100 },
  { name: "honest-2", behaviour: "honest", latencyMs: 110 },
  { name: "honest-3", behaviour: "honest", latencyMs: 120 },
  { name: "lacks-capability", behaviour: "lacks-capability", latencyMs: 30 },
  { name: "fails-canaries", behaviour: "fails-canaries", latencyMs: 40 },
  { name: "forges-evidence", behaviour: "forges-evidence", latencyMs: 50 },
];

/** The rows of the table: each dishonest agent, and the Sybils as one. */
const ATTACKS: readonly { readonly row: string; readonly agent?: string }[] = [
  { row: "lacks capability", agent: "lacks-capability" },
  { row: "fails canaries", agent: "fails-canaries" },
  { row: "forges evidence", agent: "forges-evidence" },
  { row: "Sybil descriptors" },
];

/** The levels the workflow runs under: the risk classes of the default policy (spec/10 §10.3). */
const LEVELS: readonly { readonly level: 1 | 2 | 3; readonly risk: TaskRisk }[] = [
  { level: 1, risk: TaskRisk.LOW },
  { level: 2, risk: TaskRisk.MEDIUM },
  { level: 3, risk: TaskRisk.HIGH },
];

const PROMPTS = ["a lighthouse at dusk", "a red fox in snow", "a paper boat", "a city of glass", "a cat reading", "an orchard in bloom", "a storm over the sea", "a clockwork bird"];

/** One cell of the table: what a level did about an attack. */
export interface AttackCell {
  readonly caught: boolean;
  /** Rejections of the attacker, by code. */
  readonly codes: Readonly<Record<string, number>>;
  /** Results from the attacker accepted although wrong. */
  readonly wrongAccepted: number;
  /** Results from the attacker accepted and right. */
  readonly rightAccepted: number;
  readonly text: string;
}

/** What a level achieved. */
export interface LevelSummary {
  readonly level: 1 | 2 | 3;
  readonly risk: string;
  readonly workflows: number;
  /** Workflows whose final receipt is the right one. */
  readonly succeeded: number;
  /** Workflows with a step that no provider completed. */
  readonly failed: number;
  /** Workflows that ended with a wrong result accepted. */
  readonly wrong: number;
  readonly elapsedMs: number;
}

/** The outcome of a demo run. */
export interface DemoResult {
  readonly levels: readonly LevelSummary[];
  /** attack row → level → cell. */
  readonly table: Readonly<Record<string, Readonly<Record<string, AttackCell>>>>;
  readonly sybil: FloodOutcome & { readonly identities: number };
  readonly timings: Readonly<Record<string, number>>;
  /** The process ids of the children started (all stopped by the time the result is returned). */
  readonly pids: readonly number[];
  /** How each child ended: a node stops on SIGTERM with exit status 0. */
  readonly exits: readonly { readonly code: number | null; readonly signal: string | null }[];
}

/** Options of a demo run. */
export interface DemoOptions {
  readonly workflows: number;
  readonly sybils: number;
  readonly seed: string;
  readonly verbose?: boolean;
  /** Where progress goes. */
  readonly progress?: (line: string) => void;
  /** The command that runs the `ap2p` CLI (default: this build's, or the sources through tsx). */
  readonly cli?: string;
  /** Aborting stops every child at once; the run then fails. */
  readonly signal?: AbortSignal;
}

/** The command that runs this CLI: the build's main.js, or main.ts through tsx when running from the sources. */
export function cliCommand(): string {
  const here = fileURLToPath(import.meta.url);
  const node = shellQuote(process.execPath);
  if (here.endsWith(".ts")) return `${node} --import tsx ${shellQuote(join(here, "..", "main.ts"))}`;
  return `${node} ${shellQuote(join(here, "..", "main.js"))}`;
}

/** A child node: its process and the two lines it printed. */
interface Child {
  readonly name: string;
  readonly process: LaunchedProcess;
  readonly url: string;
  readonly did: string;
}

/** Starts `ap2p <args>` and waits for its "url:" and "did:" lines (and, with `until`, a matching log line). */
async function startChild(cli: string, name: string, args: readonly string[], children: LaunchedProcess[], until?: (event: Record<string, unknown>) => boolean): Promise<Child> {
  const p = new LaunchedProcess(`exec ${cli} ${args.map(shellQuote).join(" ")}`, { cwd: packageRoot() });
  children.push(p);
  let url: string | undefined;
  let did: string | undefined;
  let seen = until === undefined;
  let out = "";
  let err = "";
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${name} did not start within 30 s: ${p.stderrTail.text}`)), 30_000);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      if (error !== undefined) reject(error);
      else resolve({ name, process: p, url: url!, did: did! });
    };
    const check = (): void => {
      if (url !== undefined && did !== undefined && seen) done();
    };
    p.child.stdout.setEncoding("utf8");
    p.child.stdout.on("data", (chunk: string) => {
      out += chunk;
      for (let i = out.indexOf("\n"); i !== -1; i = out.indexOf("\n")) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (line.startsWith("url: ")) url = line.slice(5);
        if (line.startsWith("did: ")) did = line.slice(5);
      }
      check();
    });
    p.child.stderr.on("data", (chunk: string) => {
      if (seen) return;
      err += chunk;
      for (let i = err.indexOf("\n"); i !== -1; i = err.indexOf("\n")) {
        const line = err.slice(0, i);
        err = err.slice(i + 1);
        try {
          if (until!(JSON.parse(line) as Record<string, unknown>)) seen = true;
        } catch {
          // not a JSON log line
        }
      }
      check();
    });
    void p.exited.then((e) => done(new Error(`${name} exited early (code ${e.code}, signal ${e.signal}): ${p.stderrTail.text}`)));
  });
}

/** Runs the demo. Stops every child before it returns or throws. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const cli = options.cli ?? cliCommand();
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const children: LaunchedProcess[] = [];
  const stopAll = (): Promise<void[]> => Promise.all(children.map((c) => c.terminate(5_000)));
  const onAbort = (): void => void stopAll();
  options.signal?.addEventListener("abort", onAbort);
  const say = (line: string): void => {
    if (options.signal?.aborted) throw new Error("interrupted");
    options.progress?.(line);
  };
  const dir = mkdtempSync(join(tmpdir(), "ap2p-demo-"));
  const names = new Map<string, string>();
  const name = (did: string): string => names.get(did) ?? shortDid(did);
  let result: Omit<DemoResult, "exits">;
  try {
    // The network: a registry that groups origins by authenticated peer id,
    // because every node of the demo shares the address 127.0.0.1 (DISC-017).
    const keyFile = (label: string): string => {
      const path = join(dir, `${label}.key`);
      writeKeyFile(path, seededKey(options.seed, label));
      return path;
    };
    const registry = await startChild(cli, "registry", ["registry", "serve", "--key", keyFile("registry"), "--origin", "peer", "--json-log"], children);
    names.set(registry.did, "registry");
    say(`${"registry".padEnd(18)}${registry.url}  ${registry.did}`);
    const agents = await Promise.all(
      AGENTS.map((a) =>
        startChild(
          cli,
          a.name,
          ["agent", "serve", "--key", keyFile(a.name), "--registry", registry.url, "--registry-id", registry.did, "--behaviour", a.behaviour, "--latency-ms", String(a.latencyMs), "--name", a.name, "--json-log"],
          children,
          (e) => e["event"] === "publish" && e["change"] === "PUBLISHED",
        ),
      ),
    );
    agents.forEach((a, i) => {
      names.set(a.did, a.name);
      const spec = AGENTS[i]!;
      say(`${a.name.padEnd(18)}${a.url}  ${a.did}  ${spec.behaviour}, advertises ${spec.latencyMs} ms`);
    });
    timings["start"] = Date.now() - t0;

    // The Sybil burst: identities are free, so one origin signs descriptors
    // for many, each promising 1 ms and every tier, with endpoints where
    // nothing answers.
    const t1 = Date.now();
    const now = systemClock();
    const sybilKeys = Array.from({ length: options.sybils }, (_, i) => seededKey(options.seed, `sybil-${i}`));
    sybilKeys.forEach((k, i) => names.set(identityOf(k).did, `sybil-${String(i).padStart(3, "0")}`));
    const descriptors = sybilKeys.map(
      (k) =>
        issueDescriptor(
          k,
          {
            capabilities: [GENERATE_CAPABILITY, PUBLISH_CAPABILITY].map((t) => offerOf(BUILTIN_CAPABILITIES.find((b) => b.test === t)!, { latencyMs: 1 }).capability),
            endpoints: [{ transport: Transport.WEBSOCKET, uri: "ws://127.0.0.1:1/" }],
          },
          1n,
          { now, ttlMs: 120_000n },
        ).bytes,
    );
    const flood = await publishFlood({
      registry: { url: registry.url, peerId: registry.did },
      connectionKeys: [seededKey(options.seed, "sybil-origin")],
      descriptors,
      clock: systemClock,
      random: secureRandom,
    });
    timings["sybil burst"] = Date.now() - t1;
    const rejectedText = Object.entries(flood.rejected)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ×${n}`)
      .join(", ");
    say(`Sybil burst: ${options.sybils} identities from one origin; the registry admitted ${flood.accepted} and rejected ${options.sybils - flood.accepted - flood.unsent}${rejectedText ? ` (${rejectedText})` : ""}`);
    say("");
    say("There is no level 0 (optimistic: use the first answer unchecked) in the protocol: the lowest level is 1, which");
    say("checks the signed result and ranks by the delegator's own reputation of each provider; a fresh delegator at");
    say("level 1 is the closest to optimistic.");

    // The workflows, under each level, each with a fresh delegator that learns from its own attestations.
    const levels: LevelSummary[] = [];
    const reports = new Map<number, { d: NodeDelegation; correct: boolean }[]>();
    for (const { level, risk } of LEVELS) {
      const rule = DEFAULT_RISK_POLICY.rules.find((r) => r.risk === risk)!;
      say("");
      say(`level ${level} (${VerificationTier[rule.level]}): risk ${TaskRisk[risk]}, reputation at least ${rule.minReputationPpm} ppm, at most ${rule.maxAttempts} attempts`);
      const t = Date.now();
      const delegator = new NodeDelegator({
        secretKey: seededKey(options.seed, `delegator-${level}`),
        registry: { url: registry.url, peerId: registry.did },
        clock: systemClock,
        random: seededRandom(`${options.seed}/delegator-${level}`),
        connectionRandom: secureRandom,
      });
      const done: { d: NodeDelegation; correct: boolean }[] = [];
      let succeeded = 0;
      let failed = 0;
      let wrong = 0;
      try {
        for (let w = 1; w <= options.workflows; w++) {
          const prompt = new TextEncoder().encode(`${PROMPTS[(w - 1) % PROMPTS.length]} (${w})`);
          const image = renderImage(prompt);
          const gen = await delegator.delegate(GENERATE_CAPABILITY.capability, prompt, risk);
          const genOk = gen.result?.output !== undefined && bytesEqual(gen.result.output, image);
          done.push({ d: gen, correct: genOk });
          let pub: NodeDelegation | undefined;
          let pubOk = false;
          if (gen.result?.output !== undefined) {
            pub = await delegator.delegate(PUBLISH_CAPABILITY.capability, gen.result.output, risk);
            pubOk = pub.result?.output !== undefined && bytesEqual(pub.result.output, receiptUri(image));
            done.push({ d: pub, correct: pubOk });
          }
          const endOk = genOk && pubOk;
          if (endOk) succeeded++;
          else if (gen.result === undefined || pub?.result === undefined) failed++;
          else wrong++;
          const step = (label: string, d: NodeDelegation | undefined, ok: boolean): string => {
            if (d === undefined) return `${label}: not run`;
            const failed = d.report.attempts.filter((a) => a.error !== ErrorCode.UNSPECIFIED);
            const rejected = failed.filter((a) => a.error !== ErrorCode.REPUTATION_BELOW_THRESHOLD).map((a) => `${name(a.peerId)} ${ErrorCode[a.error]}`);
            const floor = failed.length - rejected.length;
            const notes = [...rejected, ...(floor > 0 ? [`${floor} below the reputation floor`] : [])];
            const head = d.result === undefined ? `FAILED ${ErrorCode[d.report.error]}` : `${name(d.report.chosen)} ${ok ? "ok" : "WRONG RESULT ACCEPTED"}`;
            return `${label}: ${head}${notes.length > 0 ? ` [${notes.join(", ")}]` : ""}`;
          };
          say(`  workflow ${String(w).padStart(2)}/${options.workflows}  ${endOk ? "ok   " : "FAIL "} ${step("generate", gen, genOk)}; ${step("publish", pub, pubOk)}`);
          if (options.verbose) for (const d of [gen, ...(pub ? [pub] : [])]) say(indent(verboseReport(d, name), "      "));
        }
      } finally {
        await delegator.close();
      }
      reports.set(level, done);
      levels.push({ level, risk: TaskRisk[risk], workflows: options.workflows, succeeded, failed, wrong, elapsedMs: Date.now() - t });
      timings[`level ${level}`] = Date.now() - t;
    }

    // The table: for each attack and level, what caught it (the codes its attempts were rejected with) or what it got away with.
    const table: Record<string, Record<string, AttackCell>> = {};
    const agentDid = new Map(agents.map((a) => [a.name, a.did]));
    for (const attack of ATTACKS) {
      const isAttacker = (peerId: string): boolean => (attack.agent === undefined ? (names.get(peerId) ?? "").startsWith("sybil-") : peerId === agentDid.get(attack.agent));
      const row: Record<string, AttackCell> = {};
      for (const { level } of LEVELS) {
        const codes: Record<string, number> = {};
        let wrongAccepted = 0;
        let rightAccepted = 0;
        for (const { d, correct } of reports.get(level) ?? []) {
          for (const a of d.report.attempts) if (isAttacker(a.peerId) && a.error !== ErrorCode.UNSPECIFIED) codes[ErrorCode[a.error]!] = (codes[ErrorCode[a.error]!] ?? 0) + 1;
          if (d.result !== undefined && isAttacker(d.report.chosen)) {
            if (correct) rightAccepted++;
            else wrongAccepted++;
          }
        }
        // The checks that caught the attacker first, then how often the reputation it earned kept it out (DLG-004).
        const floor = codes["REPUTATION_BELOW_THRESHOLD"] ?? 0;
        const codeText = Object.entries(codes)
          .filter(([c]) => c !== "REPUTATION_BELOW_THRESHOLD")
          .sort((a, b) => b[1] - a[1])
          .map(([c, n]) => `${c} ×${n}`)
          .join(", ");
        const caught = wrongAccepted === 0 && Object.keys(codes).length > 0;
        const text =
          wrongAccepted > 0
            ? `NOT CAUGHT: ${wrongAccepted} wrong result${wrongAccepted === 1 ? "" : "s"} accepted`
            : caught
              ? `caught: ${codeText || "REPUTATION_BELOW_THRESHOLD"}${codeText && floor > 0 ? `, then below the floor ×${floor}` : ""}`
              : rightAccepted > 0
                ? `not caught (its ${rightAccepted} result${rightAccepted === 1 ? " was" : "s were"} right)`
                : "never tried";
        row[`level ${level}`] = { caught, codes, wrongAccepted, rightAccepted, text };
      }
      table[attack.row] = row;
    }
    result = { levels, table, sybil: { ...flood, identities: options.sybils }, timings, pids: children.map((c) => c.child.pid!).filter((p) => p !== undefined) };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
  timings["total"] = Date.now() - t0;
  return { ...result, exits: children.map((c) => ({ code: c.exit?.code ?? null, signal: c.exit?.signal ?? null })) };
}

function indent(text: string, prefix: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `${prefix}${l}`)
    .join("\n");
}

function verboseReport(d: NodeDelegation, name: (did: string) => string): string {
  const lines: string[] = [];
  for (const a of d.report.attempts) lines.push(`${name(a.peerId).padEnd(16)} ${a.error === ErrorCode.UNSPECIFIED ? "passed" : ErrorCode[a.error]}: ${a.detail}`);
  return lines.join("\n");
}

/** The table as text: rows are attacks, columns are levels; then the success rate of each level. */
export function tableText(r: DemoResult): string {
  const columns = r.levels.map((l) => `level ${l.level}`);
  const header = ["attack", ...r.levels.map((l) => `level ${l.level} (${VerificationTier[l.level]})`)];
  const rows: string[][] = [header];
  for (const [attack, cells] of Object.entries(r.table)) rows.push([attack, ...columns.map((c) => cells[c]?.text ?? "")]);
  rows.push(["end-to-end success", ...r.levels.map((l) => `${l.succeeded}/${l.workflows} (${Math.round((100 * l.succeeded) / Math.max(1, l.workflows))}%)`)]);
  rows.push(["wrong result accepted", ...r.levels.map((l) => `${l.wrong}/${l.workflows}`)]);
  rows.push(["no provider completed", ...r.levels.map((l) => `${l.failed}/${l.workflows}`)]);
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(rows[0]!), rule, ...rows.slice(1, -3).map(line), rule, ...rows.slice(-3).map(line)].join("\n") + "\n";
}

/** Runs `ap2p demo`; returns the exit status. */
export function runDemoCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return withUsage(io, "ap2p demo", DEMO_HELP, async () => {
    const args = parseArgs(argv, { workflows: true, sybils: true, seed: true, json: false, verbose: false, help: false });
    if (args.has("help")) {
      io.out(DEMO_HELP);
      return 0;
    }
    const workflows = parseCount(args.get("workflows") ?? "10", "workflows", 1000);
    const sybils = parseCount(args.get("sybils") ?? "200", "sybils", 10_000);
    const seed = args.get("seed") ?? "ap2p-demo";
    const json = args.has("json");
    if (!json) io.out(`AP2P demo on 127.0.0.1: a registry, ${AGENTS.length} agents and ${sybils} Sybil identities; ${workflows} workflows per level (seed "${seed}")\n\n`);
    // A signal stops the children at once; the demo then ends after they have exited.
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    let result: DemoResult;
    try {
      result = await runDemo({ workflows, sybils, seed, verbose: args.has("verbose"), signal: abort.signal, progress: (line) => void (json || io.out(`${line}\n`)) });
    } catch (e) {
      const interrupted = abort.signal.aborted;
      io.err(`ap2p demo: ${interrupted ? "interrupted" : (e as Error).message}; every node it started has been stopped\n`);
      return interrupted ? 130 : 1;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    if (json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    io.out(`\nWhich tier caught which attack (the codes it was rejected with):\n\n${tableText(result)}\n`);
    const s = result.sybil;
    io.out(`Sybil descriptors at the registry: ${s.accepted} of ${s.identities} admitted (at most ${DEFAULT_REGISTRY_POLICY.maxPeersPerOrigin} peers per origin, DISC-020), and at most ${DEFAULT_REGISTRY_POLICY.maxResultsPerOrigin} of them in any answer (DISC-022).\n`);
    io.out(`timings: ${Object.entries(result.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")}\n`);
    io.out("every node the demo started has been stopped\n");
    return 0;
  });
}
