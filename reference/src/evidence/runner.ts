// Running a task as a pipeline of tools and producing its receipt chain
// (spec/09-tasks-and-evidence.md §9.6). This is the provider's helper: the
// networked agent and the simulator run tasks through it, so that evidence is
// produced the same way everywhere.
import type { TraceEvent } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { misuse } from "../errors.js";
import { sha256Bytes } from "../codec/hash.js";
import { ReceiptChain, type SignedReceipt } from "./receipts.js";
import { TraceRecorder } from "./trace.js";

/** One tool of a provider: a named, versioned function from bytes to bytes. */
export interface Tool {
  /** The tool id written into receipts, as "<namespace>/<name>@<version>". */
  readonly id: string;
  /** Runs the tool on its input; may record trace events. Throwing ends the chain with a failure. */
  run(input: Uint8Array, trace: TraceRecorder): Uint8Array | Promise<Uint8Array>;
}

/** How a tool chain ended: its product, or the tool that failed; with the receipts and trace so far. */
export type ToolChainOutcome =
  | { readonly ok: true; readonly output: Uint8Array; readonly receipts: readonly SignedReceipt[]; readonly trace: readonly TraceEvent[] }
  | { readonly ok: false; readonly failedTool: string; readonly error: unknown; readonly receipts: readonly SignedReceipt[]; readonly trace: readonly TraceEvent[] };

/**
 * Runs tools one after another, each on the previous one's output (the
 * request's input for the first), and signs a receipt for each step that
 * completes. Times come from the injected clock, which must not run
 * backwards.
 */
export async function runToolChain(
  secretKey: Uint8Array,
  task: { readonly requestHash: Uint8Array; readonly input: Uint8Array },
  tools: readonly Tool[],
  clock: () => bigint,
): Promise<ToolChainOutcome> {
  if (tools.length === 0) misuse("a tool chain needs at least one tool (EVD-004)");
  const chain = new ReceiptChain(secretKey, { requestHash: task.requestHash, inputHash: sha256Bytes(task.input) });
  const trace = new TraceRecorder(clock);
  let product = task.input;
  for (const tool of tools) {
    const startedAt = clock();
    let output: Uint8Array;
    try {
      output = await tool.run(product, trace);
    } catch (error) {
      return { ok: false, failedTool: tool.id, error, receipts: chain.receipts, trace: trace.events };
    }
    if (!(output instanceof Uint8Array)) misuse(`tool ${tool.id} returned something other than bytes`);
    chain.append({ tool: tool.id, inputHash: sha256Bytes(product), outputHash: sha256Bytes(output), startedAt, endedAt: clock() });
    product = output;
  }
  return { ok: true, output: product, receipts: chain.receipts, trace: trace.events };
}
