// Not broken: holds answers back and sends them in reverse order, every one
// correct and carrying its request's id. DRV-003 allows this, so a harness
// that matches answers by id passes it; one that matches by order does not.
// Usage: node --import tsx conformance/adapters/broken/answers-out-of-order.ts [--batch N] [--flush-ms N]
//   --batch      answers held before they are sent (default 4)
//   --flush-ms   how long an incomplete batch waits for more (default 20)
import type { Writable } from "node:stream";
import { knob, runBroken } from "./common.js";

const batch = Math.max(1, knob("batch", 4));
const flushMs = knob("flush-ms", 20);
const held: string[] = [];
let timer: NodeJS.Timeout | undefined;

function flush(stdout: Writable): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  for (const line of held.splice(0).reverse()) stdout.write(`${line}\n`);
}

await runBroken("answers-out-of-order", {
  write: (line, stdout) => {
    held.push(line);
    if (held.length >= batch) flush(stdout);
    else if (timer === undefined) timer = setTimeout(() => flush(stdout), flushMs);
  },
  finish: (stdout) => flush(stdout),
});
