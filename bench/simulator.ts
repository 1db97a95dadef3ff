// Benchmark 5: the discrete-event simulator (sim/). Two figures: the event
// queue alone in the classic hold test (pop one event, push one, with Q
// events pending), and whole simulation runs of 20,000 agents and 100,000
// workflows, reported as events per second of wall-clock time on one core.
import { EventQueue } from "../sim/src/engine/queue.js";
import { Xoshiro128 } from "../sim/src/engine/prng.js";
import { config } from "../sim/src/model/config.js";
import { simulate } from "../sim/src/model/simulate.js";
import { fmt, line, round } from "./lib.js";

export interface SimulatorRun {
  readonly workload: string;
  readonly agents: number;
  readonly workflows: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly simulatedSeconds: number;
  readonly registryLoad: number;
}

export interface SimulatorBench {
  /** Hold test: millions of pop+push pairs per second, by pending events. */
  readonly holdMillionsPerSecond: Record<string, number>;
  readonly runs: readonly SimulatorRun[];
  /** Events per second of the fixed-demand run, the figure against the 1M target. */
  readonly eventsPerSecond: number;
}

function hold(pending: number, operations: number): number {
  const q = new EventQueue(pending + 16);
  const g = new Xoshiro128(9);
  for (let i = 0; i < pending; i++) q.push(g.nextOpen01() * 1000, 1, i, 0);
  const start = process.hrtime.bigint();
  for (let i = 0; i < operations; i++) {
    q.pop();
    q.push(q.t + g.nextOpen01() * 1000, 1, q.a, 0);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return operations / seconds / 1e6;
}

function run(workload: string, agents: number, workflows: number, rate: number): SimulatorRun {
  const c = config({ policy: "adaptive", agents, workflows, workflowRatePerS: rate, seed: 1 });
  const start = process.hrtime.bigint();
  const r = simulate(c);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    workload,
    agents,
    workflows,
    events: r.events,
    seconds: round(seconds, 2),
    eventsPerSecond: Math.round(r.events / seconds),
    simulatedSeconds: Math.round(r.endTimeMs / 1000),
    registryLoad: round(r.registryLoad, 3),
  };
}

export function benchSimulator(): SimulatorBench {
  line("5. Simulator (one core)");
  const holdMillionsPerSecond: Record<string, number> = {};
  for (const q of [1_000, 20_000, 200_000]) {
    holdMillionsPerSecond[String(q)] = round(hold(q, 2_000_000), 2);
    line(`   event queue, hold test, ${fmt(q)} pending: ${holdMillionsPerSecond[String(q)]} M pop+push/s`);
  }
  // A small run first, so that the timed ones run compiled code.
  simulate(config({ agents: 200, workflows: 2_000 }));
  const runs = [run("10 workflows/s in all", 20_000, 100_000, 10), run("0.1 workflows/s per agent", 20_000, 100_000, 2_000)];
  for (const r of runs) {
    line(
      `   ${fmt(r.agents)} agents, ${fmt(r.workflows)} workflows (${r.workload}, risk-adaptive): ${fmt(r.events)} events in ${r.seconds} s = ${fmt(r.eventsPerSecond)} events/s; ${fmt(r.simulatedSeconds)} s simulated, registry utilisation ${r.registryLoad}`,
    );
  }
  return { holdMillionsPerSecond, runs, eventsPerSecond: runs[0]!.eventsPerSecond };
}
