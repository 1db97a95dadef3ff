// `npm run bench`: prints the figures and writes bench/results/latest.json.
// Figures only; nothing asserts a time. Options:
//   --big          also measure the registry at 1,000,000 descriptors (several GB of heap, tens of minutes;
//                  restarts itself with a larger heap)
//   --only LIST    run only some of verify,codec,registry,harness,simulator
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { benchCodec } from "./codec.js";
import { benchHarness } from "./harness.js";
import { gc, line, machine } from "./lib.js";
import { benchRegistry } from "./registry.js";
import { benchSimulator } from "./simulator.js";
import { benchVerify } from "./verify.js";

const BIG_HEAP_MB = 8192;
const { values } = parseArgs({ options: { big: { type: "boolean" }, only: { type: "string" } }, strict: true });
const big = values.big ?? false;

// The 1M registry needs a larger heap than Node's default; start again with one.
if (big && getHeapStatistics().heap_size_limit < (BIG_HEAP_MB - 512) * 2 ** 20) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${BIG_HEAP_MB}`, "--expose-gc", ...process.execArgv.filter((a) => a !== "--expose-gc"), fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(r.status ?? 1);
}

const all = ["verify", "codec", "registry", "harness", "simulator"];
const only = new Set(values.only === undefined ? all : values.only.split(","));
for (const o of only) if (!all.includes(o)) throw new Error(`--only ${o}: expected some of ${all.join(",")}`);

const m = machine();
line(`AP2P benchmarks: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}${gc() ? "" : "; no --expose-gc, heap figures skipped"}`);
const started = new Date();
const results: Record<string, unknown> = {};
// The registry runs first: once, signing its fixtures after the WebCrypto
// work of the verification benchmark stalled the process.
if (only.has("registry")) results.registry = benchRegistry(big ? [1_000, 10_000, 100_000, 1_000_000] : [1_000, 10_000, 100_000], 2_000);
gc();
if (only.has("verify")) results.verify = await benchVerify(3000, 500, 3);
// Each benchmark starts from a collected heap, so that it does not pay for
// the garbage of the one before it (with --expose-gc).
gc();
if (only.has("codec")) results.codec = benchCodec(300, 3);
gc();
if (only.has("harness")) results.harness = await benchHarness();
if (only.has("simulator")) results.simulator = benchSimulator();

// A run of some benchmarks (--only) replaces their figures and keeps the
// others' from earlier runs; `measured` says when each was taken.
const out = join(dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
mkdirSync(dirname(out), { recursive: true });
const earlier = (existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {}) as { results?: Record<string, unknown>; measured?: Record<string, string>; date?: string };
const measured: Record<string, string> = {};
for (const name of Object.keys(earlier.results ?? {})) measured[name] = earlier.measured?.[name] ?? earlier.date ?? "";
for (const name of Object.keys(results)) measured[name] = started.toISOString();
const document = {
  date: started.toISOString(),
  seconds: Math.round((Date.now() - started.getTime()) / 1000),
  machine: m,
  big,
  results: { ...earlier.results, ...results },
  measured,
};
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
line(`wrote ${out}`);
