#!/usr/bin/env node
// The `ap2p` command line.
import { runAgentCommand } from "./agent.js";
import { runConformanceCommand } from "./conformance.js";
import { runDelegateCommand } from "./delegate.js";
import { runDemoCommand } from "./demo.js";
import { runDescriptorCommand } from "./descriptor.js";
import { runKeygenCommand } from "./keygen.js";
import { runRegistryCommand } from "./registry.js";
import { runDriverCommand } from "./driver.js";
import { runSimulatorCommand } from "./sim.js";
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
                    JSON, JUnit, HTML and badge reports (ap2p conformance --help);
                    --wire URL --wire-peer DID checks a running node's endpoint only
  ap2p keygen --out FILE
                    generate a node identity (an Ed25519 key file, mode 0600)
  ap2p descriptor sign | verify | inspect
                    sign a capability descriptor, or check and show one (ap2p descriptor --help)
  ap2p registry serve [--key FILE] [--port N]
                    run a registry node (ap2p registry --help)
  ap2p agent serve --key FILE --registry URL --registry-id DID
                    run a provider node with built-in capabilities (ap2p agent --help)
  ap2p delegate --registry URL --registry-id DID --capability REF --input TEXT --level N
                    delegate one task, showing what each verification tier decided
  ap2p demo [--workflows N] [--sybils N]
                    run a registry, honest and dishonest agents and a Sybil burst on
                    loopback, and show which verification tier catches which attack
  ap2p sim <experiment>|paper [--seeds N] [--quick] [--out DIR]
                    run a simulation experiment and write CSV, charts and a report (ap2p sim --list)
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
  if (command === "sim") return runSimulatorCommand(rest);
  if (command === "driver") return runDriverCommand(rest);
  if (command === "conformance") return runConformanceCommand(rest);
  if (command === "keygen") return runKeygenCommand(rest);
  if (command === "descriptor") return runDescriptorCommand(rest);
  if (command === "registry") return runRegistryCommand(rest);
  if (command === "agent") return runAgentCommand(rest);
  if (command === "delegate") return runDelegateCommand(rest);
  if (command === "demo") return runDemoCommand(rest);
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
