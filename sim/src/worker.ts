// One experiment in a worker thread, for `ap2p sim paper` on several cores.
// Results do not depend on which thread runs an experiment.
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { experimentNamed } from "./experiments/index.js";
import { writeExperiment } from "./output/write.js";

export interface WorkerTask {
  readonly name: string;
  readonly seeds: number;
  readonly quick: boolean;
  readonly out: string;
}

export type WorkerMessage =
  | { readonly kind: "progress"; readonly done: number; readonly total: number }
  | { readonly kind: "done"; readonly files: string[]; readonly chartsDrawn: boolean; readonly configurations: number; readonly events: number };

const task = workerData as WorkerTask;
const port = parentPort!;
const e = experimentNamed(task.name);
if (e === undefined) throw new Error(`no experiment named ${task.name}`);
const result = e.run({ seeds: task.seeds, quick: task.quick, progress: (done, total) => port.postMessage({ kind: "progress", done, total } satisfies WorkerMessage) });
const written = await writeExperiment(join(task.out, e.name), e, result);
port.postMessage({
  kind: "done",
  files: written.files,
  chartsDrawn: written.chartsDrawn,
  configurations: result.rows.length,
  events: result.rows.reduce((s, r) => s + r.events, 0),
} satisfies WorkerMessage);
