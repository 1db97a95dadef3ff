// Timing and reporting helpers for the benchmarks. Figures only: nothing
// here asserts a time.
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";

/**
 * Throughput of a timed loop, two ways: operations per second of wall-clock
 * time, and per second of CPU time the process used (user + system, all
 * threads). On a machine shared with other work the wall clock also counts
 * the time the process waited for a core; CPU time does not, so it is the
 * steadier figure, and the one the ratios use.
 */
export interface Throughput {
  readonly wall: number;
  readonly cpu: number;
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Throughput of fn over the inputs, cycling through them for about ms milliseconds of wall-clock time. */
export function throughput<T>(inputs: readonly T[], fn: (x: T) => unknown, ms: number): Throughput {
  let n = 0;
  const start = process.hrtime.bigint();
  const cpu0 = cpuMicros();
  const limit = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < limit) {
    // Check the clock once per batch so that reading it costs little.
    for (let b = 0; b < 64; b++) fn(inputs[n++ % inputs.length]!);
    now = process.hrtime.bigint();
  }
  return { wall: (n * 1e9) / Number(now - start), cpu: (n * 1e6) / Math.max(1, cpuMicros() - cpu0) };
}

/** As throughput for an asynchronous fn, awaited one call at a time. */
export async function throughputAsync<T>(inputs: readonly T[], fn: (x: T) => Promise<unknown>, ms: number): Promise<Throughput> {
  let n = 0;
  const start = process.hrtime.bigint();
  const cpu0 = cpuMicros();
  const limit = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < limit) {
    for (let b = 0; b < 16; b++) await fn(inputs[n++ % inputs.length]!);
    now = process.hrtime.bigint();
  }
  return { wall: (n * 1e9) / Number(now - start), cpu: (n * 1e6) / Math.max(1, cpuMicros() - cpu0) };
}

/** Operations per second of CPU time (see Throughput). */
export function opsPerSecond<T>(inputs: readonly T[], fn: (x: T) => unknown, ms: number): number {
  return throughput(inputs, fn, ms).cpu;
}

/** Medians of throughput samples. */
export function medianThroughput(samples: readonly Throughput[]): Throughput {
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The q-quantile (0..1) of samples, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export const round = (x: number, digits = 0): number => Number(x.toFixed(digits));
export const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

/** Runs the garbage collector if the process was started with --expose-gc. */
export function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) return false;
  g();
  g();
  return true;
}

/** What the figures were measured on. */
export function machine(): { nproc: number; cpu: string; node: string; platform: string; memoryGiB: number } {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m !== null) cpu = m[1]!.trim();
  } catch {
    // not Linux: keep the os module's answer
  }
  return { nproc: availableParallelism(), cpu, node: process.version, platform: `${process.platform}-${process.arch}`, memoryGiB: round(totalmem() / 2 ** 30, 1) };
}

export function line(text = ""): void {
  process.stdout.write(`${text}\n`);
}
