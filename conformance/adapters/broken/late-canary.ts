// Broken on purpose: answers correctly, but late, on canary operations, so a
// test with a timing budget is slow (spec §13.8).
// Usage: node --import tsx conformance/adapters/broken/late-canary.ts [--delay-ms N] [--operations PREFIX,...]
//   --delay-ms     how long to wait before each answer (default 1000)
//   --operations   comma-separated prefixes of the operations to delay (default "canary")
import { setTimeout as sleep } from "node:timers/promises";
import { knob, runBroken, textKnob } from "./common.js";

const delayMs = knob("delay-ms", 1000);
const prefixes = textKnob("operations", "canary").split(",").filter(Boolean);

await runBroken("late-canary", {
  answer: async (request, response) => {
    const body = request.body;
    if (body.case === "call" && prefixes.some((p) => body.value.operation.startsWith(p))) await sleep(delayMs);
    return response;
  },
});
