// Broken on purpose: answers some calls, then exits with status 3 when the
// next call arrives, without answering it.
// Usage: node --import tsx conformance/adapters/broken/crashes-mid-run.ts [--calls-before-failure N]
//   --calls-before-failure   calls answered before the crash (default 5)
import { knob, runBroken } from "./common.js";

const n = knob("calls-before-failure", 5);

await runBroken("crashes-mid-run", {
  answer: (request, response, calls) => {
    if (request.body.case === "call" && calls > n) {
      process.stderr.write(`broken/crashes-mid-run: crashing on call ${calls}\n`);
      process.exit(3);
    }
    return response;
  },
});
