// Broken on purpose: answers some calls, then stops answering anything and
// never exits, not even when its input ends (a harness must not wait forever,
// DRV-015, and must end the process group itself, DRV-012).
// Usage: node --import tsx conformance/adapters/broken/hangs.ts [--calls-before-failure N]
//   --calls-before-failure   calls answered before it hangs (default 5)
import { knob, runBroken } from "./common.js";

const n = knob("calls-before-failure", 5);
let hung = false;

await runBroken("hangs", {
  answer: (_request, response, calls) => {
    if (calls <= n && !hung) return response;
    if (!hung) {
      hung = true;
      process.stderr.write(`broken/hangs: hanging after ${n} calls\n`);
      // Keep the process alive with nothing to do.
      setInterval(() => {}, 1 << 30);
    }
    return new Promise(() => {});
  },
});
