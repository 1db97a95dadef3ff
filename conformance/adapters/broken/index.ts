// The deliberately broken implementations, and how a correct harness must
// classify each (spec/13-conformance.md §13.5). Each is the reference adapter
// over stdio with one misbehaviour; the harness's own tests run them and
// compare its report with what is stated here.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The outcome classes of spec §13.5, as the harness names them. */
export type ExpectedOutcome = "pass" | "fail" | "slow" | "timeout" | "crash" | "framing";

/** What the classification of a test can depend on. */
export interface TestFacts {
  readonly id: string;
  readonly operation: string;
  readonly result: "valid" | "invalid" | "acceptable";
  readonly error?: string;
  readonly budget_ms?: number;
}

/** A broken (or, for the control, unusual but conforming) implementation. */
export interface BrokenImplementation {
  readonly name: string;
  /** The rule it breaks, with its requirement IDs, or what it does that is allowed. */
  readonly breaks: string;
  /** A command line for `sh -c`, with absolute paths: it runs from any directory. */
  readonly command: string;
  /** The command with knobs, e.g. commandWith({ "calls-before-failure": 2 }). */
  commandWith(knobs: Readonly<Record<string, string | number>>): string;
  /** The knobs it takes, with their meaning and default. */
  readonly knobs: Readonly<Record<string, string>>;
  /** How a correct harness must classify it, in words. */
  readonly expected: string;
  /** The class a correct harness reports for at least one test or for the session ("pass": every test passes). */
  readonly outcome: ExpectedOutcome;
  /** The run's verdict (DRV-022) against the corpus: "fail" when a required test fails; misbehaviour on recommended tests only is a warning. */
  readonly verdict: "pass" | "fail";
  /** Where a test's class follows from the test alone: the class a correct harness gives it. */
  readonly perTest?: (test: TestFacts) => ExpectedOutcome;
}

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root (or the package root, once built). */
const ROOT = resolve(HERE, "..", "..", "..");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

function commandFor(file: string, knobs: Readonly<Record<string, string | number>> = {}): string {
  const args = Object.entries(knobs).flatMap(([k, v]) => [`--${k}`, shellQuote(String(v))]);
  return ["node", "--import", shellQuote(TSX), shellQuote(join(HERE, file)), ...args].join(" ");
}

function entry(e: Omit<BrokenImplementation, "command" | "commandWith">): BrokenImplementation {
  const file = `${e.name}.ts`;
  return { ...e, command: commandFor(file), commandWith: (knobs) => commandFor(file, knobs) };
}

const CALLS_BEFORE_FAILURE = { "calls-before-failure": "calls answered correctly in each session before the failure (default 5)" };

/** Every broken implementation, and the one allowed oddity (answers-out-of-order). */
export const BROKEN_IMPLEMENTATIONS: readonly BrokenImplementation[] = [
  entry({
    name: "skips-signature-check",
    breaks: "SIG-011: answers ok where the signature does not verify (the reference's SIG_INVALID)",
    knobs: {},
    expected: "fail on every test that expects SIG_INVALID (ed25519/…, cose/…, descriptor/signature/…); pass on every other test, acceptable ones included",
    outcome: "fail",
    verdict: "fail",
    perTest: (t) => (t.result === "invalid" && t.error === "SIG_INVALID" ? "fail" : "pass"),
  }),
  entry({
    name: "accepts-expired",
    breaks: "DESC-009: answers ok where the descriptor has expired (the reference's DESC_EXPIRED)",
    knobs: {},
    expected: "fail on every test that expects DESC_EXPIRED (descriptor/expiry/…, and descriptor.store tests of expired descriptors); pass elsewhere",
    outcome: "fail",
    verdict: "fail",
    perTest: (t) => (t.result === "invalid" && t.error === "DESC_EXPIRED" ? "fail" : "pass"),
  }),
  entry({
    name: "wrong-error-code",
    breaks: "ERR-001 with ENC-002 to ENC-012: rejects the right inputs, but reports every CBOR_* code as CBOR_MALFORMED",
    knobs: {},
    expected: "fail on every test that expects a CBOR_* code other than CBOR_MALFORMED, with a message naming both codes; pass on tests that expect CBOR_MALFORMED and on every other test",
    outcome: "fail",
    verdict: "fail",
    perTest: (t) => (t.result === "invalid" && t.error !== undefined && t.error.startsWith("CBOR_") && t.error !== "CBOR_MALFORMED" ? "fail" : "pass"),
  }),
  entry({
    name: "late-canary",
    breaks: "a timing budget (spec §13.8): answers canary operations correctly but after --delay-ms",
    knobs: {
      "delay-ms": "how long each delayed answer waits (default 1000); keep it above budget × time scale and below the call deadline",
      operations: 'comma-separated operation prefixes to delay (default "canary")',
    },
    expected:
      "slow on every test of a delayed operation that has budget_ms (p95 over budget × time scale, every sample correct); pass on every other test, including delayed tests without a budget. The budgets of the corpus are SHOULDs (CAN-033, CAN-034), so a slow test is a warning and the verdict passes (DRV-022)",
    outcome: "slow",
    verdict: "pass",
    perTest: (t) => (t.operation.startsWith("canary") && t.budget_ms !== undefined ? "slow" : "pass"),
  }),
  entry({
    name: "prints-banner",
    breaks: "DRV-018: writes a banner line to standard output before answering hello",
    knobs: {},
    expected: "framing: the session cannot start, the report quotes the banner (at most 200 bytes), no call is sent, and every test is reported as framing with a note that it was not sent (DRV-016); the harness does not restart it in a loop (DRV-017)",
    outcome: "framing",
    verdict: "fail",
    perTest: () => "framing",
  }),
  entry({
    name: "emits-garbage",
    breaks: "DRV-018: after N calls, writes one line that is not JSON to standard output, then goes on answering",
    knobs: CALLS_BEFORE_FAILURE,
    expected:
      "framing: the report quotes the garbage line; with one call in flight the (N+1)-th call of the session is charged as framing, with several the failure may be charged to no test, and is then reported for the session (DRV-016); the harness starts a new session and goes on; the run fails",
    outcome: "framing",
    verdict: "fail",
  }),
  entry({
    name: "hangs",
    breaks: "DRV-004 and DRV-012: after N calls, answers nothing more and never exits, not even at the end of its input",
    knobs: CALLS_BEFORE_FAILURE,
    expected:
      "timeout: the first unanswered call of each session times out at its deadline (DRV-015), the harness ends the process group, starts a new session and goes on; the run fails and ends in bounded time",
    outcome: "timeout",
    verdict: "fail",
  }),
  entry({
    name: "crashes-mid-run",
    breaks: "DRV-004: after N calls, exits with status 3 on receiving the next call, without answering it",
    knobs: CALLS_BEFORE_FAILURE,
    expected:
      "crash: with one call in flight the (N+1)-th call of each session is reported as crash, with exit status 3 and the standard error in the report; with several, a call that does not crash when sent again alone is not charged, and the failure is reported for the session (DRV-016); the run fails",
    outcome: "crash",
    verdict: "fail",
  }),
  entry({
    name: "reuses-handshake-nonce",
    breaks: "NET-006 and NET-009: its nodes' endpoints draw the same handshake nonce on every connection, so they accept a handshake replayed from an earlier connection",
    knobs: {},
    expected: "fail on scenario/wire/replay-001, with the replayed proof accepted and a request answered (observed: valid); pass on every other case, vector tests and other wire cases included",
    outcome: "fail",
    verdict: "fail",
    perTest: () => "pass",
  }),
  entry({
    name: "answers-out-of-order",
    breaks: "nothing: holds answers back and sends them in reverse order, each correct and with its request's id (DRV-003 allows it)",
    knobs: { batch: "answers held before they are sent, in reverse (default 4)", "flush-ms": "how long an incomplete batch waits (default 20)" },
    expected: "pass on every test, exactly as the reference does",
    outcome: "pass",
    verdict: "pass",
    perTest: () => "pass",
  }),
];

/** The broken implementation of the given name. */
export function brokenImplementation(name: string): BrokenImplementation {
  const found = BROKEN_IMPLEMENTATIONS.find((b) => b.name === name);
  if (found === undefined) throw new Error(`no broken implementation named ${name}`);
  return found;
}

/** The reference implementation as a driver, for comparison: it passes every test. */
export const REFERENCE_DRIVER = {
  stdio: ["node", "--import", shellQuote(TSX), shellQuote(join(ROOT, "reference", "src", "cli", "main.ts")), "driver", "--transport", "stdio"].join(" "),
  ws: ["node", "--import", shellQuote(TSX), shellQuote(join(ROOT, "reference", "src", "cli", "main.ts")), "driver", "--transport", "ws"].join(" "),
} as const;
