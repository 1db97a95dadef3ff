// Broken on purpose: after answering some calls correctly, writes a line that
// is not JSON to standard output (DRV-018), once, then goes on answering.
// Usage: node --import tsx conformance/adapters/broken/emits-garbage.ts [--calls-before-failure N]
//   --calls-before-failure   calls answered before the garbage line (default 5); it is written when call N + 1 arrives
import { GARBAGE, knob, runBroken } from "./common.js";

const n = knob("calls-before-failure", 5);
let written = false;

await runBroken("emits-garbage", {
  answer: (request, response, calls) => {
    if (!written && request.body.case === "call" && calls > n) {
      written = true;
      process.stdout.write(`${GARBAGE}\n`);
    }
    return response;
  },
});
