// `ap2p sim`: the discrete-event simulator's experiments (sim/README.md). The
// simulator lives in sim/; this file only hands the arguments over.
import { runSimCommand } from "../../../sim/src/command.js";

/** Runs `ap2p sim ...`; returns the exit code. */
export function runSimulatorCommand(argv: readonly string[]): Promise<number> {
  return runSimCommand(argv);
}
