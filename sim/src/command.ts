// `ap2p sim`: runs the simulator's experiments and writes their results.
import { writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { EXPERIMENTS, experimentNamed } from "./experiments/index.js";
import type { Experiment } from "./experiments/experiment.js";
import { resultsIndex, writeExperiment } from "./output/write.js";
import type { WorkerMessage, WorkerTask } from "./worker.js";

const USAGE = `Usage: ap2p sim <experiment>|paper [--seeds N] [--quick] [--out DIR] [--json]
       ap2p sim --list

Runs a discrete-event simulation experiment of the AP2P protocol and writes
data.csv, charts (SVG and Vega-Lite source) and report.md to DIR/<experiment>
(default sim/results). "paper" runs every experiment and writes the index.
Progress goes to standard error.

Options:
  --seeds N   replications per configuration (default 10)
  --quick     smaller grids and runs, for a quick look (default seeds 3)
  --out DIR   results folder (default sim/results)
  --json      print a JSON summary of what was written instead of text
  --jobs N    experiments run at once, each in its own thread (paper only;
              default: the number of cores, at most 2)
  --list      list the experiments
`;

const DEFAULT_SEEDS = 10;

interface Args {
  readonly target: string;
  readonly seeds: number;
  readonly quick: boolean;
  readonly out: string;
  readonly json: boolean;
  readonly jobs: number;
}

function parse(argv: readonly string[]): Args | string {
  let target: string | undefined;
  let seeds: number | undefined;
  let quick = false;
  let out = join("sim", "results");
  let json = false;
  let jobs = Math.min(2, availableParallelism());
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") quick = true;
    else if (a === "--json") json = true;
    else if (a === "--seeds" || a === "--out" || a === "--jobs") {
      const v = argv[++i];
      if (v === undefined) return `${a} needs a value`;
      if (a === "--out") out = v;
      else if (a === "--jobs") {
        jobs = Number(v);
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) return "--jobs must be an integer within 1..64";
      } else {
        seeds = Number(v);
        if (!Number.isInteger(seeds) || seeds < 2 || seeds > 1000) return "--seeds must be an integer within 2..1000";
      }
    } else if (a.startsWith("--")) return `unknown option ${a}`;
    else if (target === undefined) target = a;
    else return `unexpected argument ${a}`;
  }
  if (target === undefined) return "name an experiment, or paper";
  return { target, seeds: seeds ?? (quick ? 3 : DEFAULT_SEEDS), quick, out, json, jobs };
}

/** Runs the command; returns the exit code. */
export async function runSimCommand(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  if (argv.includes("--list")) {
    for (const e of EXPERIMENTS) io.out(`${e.name.padEnd(10)} ${e.title}: ${e.summary}\n`);
    io.out(`${"paper".padEnd(10)} every experiment above, and the index\n`);
    return 0;
  }
  const args = parse(argv);
  if (typeof args === "string") {
    io.err(`ap2p sim: ${args}\n\n${USAGE}`);
    return 2;
  }
  let chosen: readonly Experiment[];
  if (args.target === "paper") chosen = EXPERIMENTS;
  else {
    const e = experimentNamed(args.target);
    if (e === undefined) {
      io.err(`ap2p sim: no experiment named "${args.target}" (ap2p sim --list)\n`);
      return 2;
    }
    chosen = [e];
  }
  const summary: Summary[] = [];
  if (chosen.length > 1 && args.jobs > 1) summary.push(...(await runInWorkers(chosen, args, io)));
  else for (const e of chosen) summary.push(await runHere(e, args, io));
  for (const s of summary) {
    io.err(`${s.experiment}: ${s.configurations} configurations × ${args.seeds} seeds, ${s.events.toLocaleString("en-US")} events, ${s.seconds.toFixed(1)} s${s.chartsDrawn ? "" : " (charts skipped: vega is not installed; CSV and report written)"}\n`);
  }
  if (args.target === "paper") {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, "README.md"), resultsIndex(EXPERIMENTS, args.seeds));
  }
  if (args.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
  else for (const s of summary) io.out(`${s.experiment}: wrote ${s.files.length} files to ${join(args.out, s.experiment)}\n`);
  return 0;
}

interface Summary {
  readonly experiment: string;
  readonly files: string[];
  readonly chartsDrawn: boolean;
  readonly configurations: number;
  readonly events: number;
  readonly seconds: number;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

async function runHere(e: Experiment, args: Args, io: Io): Promise<Summary> {
  const started = performance.now();
  let last = -1;
  const result = e.run({
    seeds: args.seeds,
    quick: args.quick,
    progress: (done, total) => {
      const pct = Math.floor((100 * done) / total);
      if (pct !== last) {
        last = pct;
        io.err(`\r${e.name}: ${done}/${total} runs (${pct} %)`);
      }
    },
  });
  const written = await writeExperiment(join(args.out, e.name), e, result);
  io.err("\n");
  return { experiment: e.name, files: written.files, chartsDrawn: written.chartsDrawn, configurations: result.rows.length, events: result.rows.reduce((s, r) => s + r.events, 0), seconds: (performance.now() - started) / 1000 };
}

/** Runs the experiments in worker threads, `args.jobs` at a time, in the order given; returns their summaries in that order. */
function runInWorkers(experiments: readonly Experiment[], args: Args, io: Io): Promise<Summary[]> {
  // The worker is this folder's worker module: worker.ts under tsx, worker.js once built.
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const url = new URL(`./worker${ext}`, import.meta.url);
  const progress = new Map<string, string>();
  const show = () => io.err(`\r${[...progress].map(([n, p]) => `${n} ${p}`).join(" | ")}   `);
  const results: Summary[] = new Array(experiments.length);
  let next = 0;
  return new Promise((resolve, reject) => {
    let running = 0;
    const launch = () => {
      if (next === experiments.length && running === 0) {
        io.err("\n");
        resolve(results);
        return;
      }
      while (running < args.jobs && next < experiments.length) {
        const index = next++;
        const e = experiments[index]!;
        const started = performance.now();
        const task: WorkerTask = { name: e.name, seeds: args.seeds, quick: args.quick, out: args.out };
        // Under tsx, a worker does not inherit the TypeScript loader (Node 20
        // ignores --import loaders for a worker's entry module), so it
        // registers tsx itself and then imports the worker module.
        const w =
          ext === ".ts"
            ? new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: task })
            : new Worker(url, { workerData: task });
        running++;
        progress.set(e.name, "0 %");
        w.on("message", (m: WorkerMessage) => {
          if (m.kind === "progress") {
            progress.set(e.name, `${Math.floor((100 * m.done) / m.total)} %`);
            show();
          } else {
            progress.set(e.name, "done");
            show();
            results[index] = { experiment: e.name, files: m.files, chartsDrawn: m.chartsDrawn, configurations: m.configurations, events: m.events, seconds: (performance.now() - started) / 1000 };
          }
        });
        w.on("error", reject);
        w.on("exit", (code) => {
          running--;
          if (code !== 0 || results[index] === undefined) reject(new Error(`experiment ${e.name} stopped with exit code ${code}`));
          else launch();
        });
      }
    };
    launch();
  });
}
