#!/usr/bin/env node
// The `ap2p` command line.
import { runConformanceCommand } from "./conformance.js";
import { runDriverCommand } from "./driver.js";
import { runSmoke } from "./smoke.js";
import { runVectorsCommand } from "./vectors.js";

const HELP = `ap2p — tools for the AP2P protocol

Usage:
  ap2p smoke        issue, sign, encode and verify a capability descriptor, and show
                    that tampering, expiry and rollback are rejected with their codes
  ap2p vectors verify [--dir DIR] [--json]
                    check the test-vector corpus against its signed manifest and
                    the pinned vector-signing key
  ap2p driver [--transport stdio|ws] [--port N]
                    run the reference implementation as a conformance driver
                    (spec/13-conformance.md) over standard input and output or WebSocket
  ap2p conformance (--stdio CMD | --ws URL | --ws-command CMD | --reference) [options]
                    run the conformance suite against an implementation and write
                    JSON, JUnit, HTML and badge reports (ap2p conformance --help)
  ap2p --help       show this help
  ap2p --version    show the version
`;

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version") {
    process.stdout.write("ap2p 0.1.0 (protocol v1, working draft)\n");
    return 0;
  }
  if (command === "smoke") {
    if (rest.includes("--help")) {
      process.stdout.write("Usage: ap2p smoke\n\nRuns the descriptor round trip against the current clock with a fresh key.\n");
      return 0;
    }
    if (rest.length > 0) {
      process.stderr.write(`ap2p smoke: unexpected argument ${rest[0]}\n`);
      return 2;
    }
    return runSmoke();
  }
  if (command === "vectors") return runVectorsCommand(rest);
  if (command === "driver") return runDriverCommand(rest);
  if (command === "conformance") return runConformanceCommand(rest);
  process.stderr.write(`ap2p: unknown command "${command}"\n\n${HELP}`);
  return 2;
}

// A closed pipe (`ap2p smoke | head`) is the reader's choice, not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const status = main(process.argv.slice(2));
if (typeof status === "number") process.exitCode = status;
else
  void status.then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`ap2p: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
