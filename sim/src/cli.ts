// Entry point for `npm run sim:paper` and `node --import tsx sim/src/cli.ts <experiment>`.
import { runSimCommand } from "./command.js";

runSimCommand(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`ap2p sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
