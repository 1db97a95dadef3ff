// The harness against the fixture driver (testing/fixture-driver.mjs): one
// misbehaviour at a time, each classified as spec §13.5 says, and every run
// ends in bounded time with its reports written.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "./harness.js";
import { defaultVectorsDir } from "./paths.js";
import type { Report } from "./report/model.js";
import { CANNED_OK_FILTER, fixture, runHarness } from "./testing/run.js";
import { tempDir } from "../../reference/src/testing/temp-dir.js";

const outcomes = (r: Report) => [...new Set(r.cases.map((c) => c.outcome))].sort();
const byOutcome = (r: Report, o: string) => r.cases.filter((c) => c.outcome === o);
/** A tag on the fixture's command line, to find its processes afterwards. */
const tag = () => `tag-${Math.random().toString(36).slice(2)}`;
function alive(t: string): string[] {
  const ps = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return ps.split("\n").filter((l) => l.includes(t) && !l.includes("ps -eo"));
}

describe("the harness against well-behaved and unsupported implementations", () => {
  it("DRV-022: a driver whose required cases all pass gets exit code 0 and every report", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture() }, { filter: [...CANNED_OK_FILTER, "driver/*"] });
    expect(outcomes(r.report)).toEqual(["pass"]);
    expect(r.report.summary.passed).toBe(r.report.cases.length);
    expect(r.exitCode).toBe(0);
    expect(r.report.verdict).toEqual({ result: "pass", exit_code: 0, reasons: [] });
    for (const f of ["report.json", "junit.xml", "report.html", "badge.json"]) expect(existsSync(join(r.dir, f))).toBe(true);
    expect(r.report.implementation).toMatchObject({ name: "fixture", version: "0.0.1", transport: "stdio", roles: ["codec"] });
    expect(r.schemaProblems).toEqual([]);
    expect(r.report.cases.filter((c) => c.transcript !== undefined)).toEqual([]);
    expect(r.output).toMatch(/verdict: PASS \(exit 0\)/);
  });

  it("DRV-005: cases of undeclared operations are unsupported and never sent", async () => {
    // The fixture crashes on the first call it gets, so any call sent would show.
    const r = await runHarness({ kind: "stdio", command: fixture("--roles", "signer", "--crash-after", "0") }, { filter: CANNED_OK_FILTER });
    expect(outcomes(r.report)).toEqual(["unsupported"]);
    expect(r.report.cases[0]!.message).toMatch(/not sent: the implementation did not declare cbor\.decode/);
    expect(r.exitCode).toBe(0);
    expect(r.report.roles.find((x) => x.role === "codec")).toMatchObject({ declared: false, status: "not_declared" });
  });

  it("an implementation that answers unsupported or skipped is reported so, not as failing", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--answer", "unsupported") }, { filter: ["cbor/valid/uint-*"] });
    expect(outcomes(r.report)).toEqual(["unsupported"]);
    expect(r.report.roles.find((x) => x.role === "codec")!.status).toBe("incomplete");
  });
});

describe("answers that disagree", () => {
  it("a wrong code fails the case with a message, the transcript and the stderr of that case", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--answer", "error:CBOR_MALFORMED", "--stderr", "fixture says hi") }, { filter: ["cbor/valid/uint-0-001", "cbor/valid/uint-23-001"] });
    expect(outcomes(r.report)).toEqual(["fail"]);
    const c = r.report.cases[0]!;
    expect(c.message).toBe("expected valid, got invalid CBOR_MALFORMED (the implementation says: fixture)");
    expect(c.observed).toBe("CBOR_MALFORMED");
    expect(c.transcript!.map((f) => f.dir)).toEqual(["sent", "received"]);
    expect(c.transcript![0]!.text).toMatch(/"operation":"cbor.decode"/);
    expect(c.stderr).toMatch(/fixture says hi/);
    expect(r.exitCode).toBe(1);
    expect(r.report.verdict.reasons).toEqual(["2 required cases failed"]);
  });

  it("DRV-008: an acceptable test fails on INVALID_ARGUMENT or a code outside the registry, and passes on either verdict otherwise", async () => {
    const acceptable = ["ed25519/mixed-order-r/order-2-001"];
    const run = (answer: string) => runHarness({ kind: "stdio", command: fixture("--roles", "verifier", "--answer", answer) }, { filter: acceptable });
    const bad = await run("error:INVALID_ARGUMENT");
    expect(bad.report.cases[0]).toMatchObject({ outcome: "fail", observed: "INVALID_ARGUMENT" });
    expect(bad.report.cases[0]!.message).toMatch(/ERR-003, DRV-008/);
    const unknown = await run("error:NOT_A_CODE");
    expect(unknown.report.cases[0]!.message).toMatch(/not a code of the error registry \(DRV-008\)/);
    const rejects = await run("error:SIG_INVALID");
    expect(rejects.report.cases[0]).toMatchObject({ outcome: "pass", message: "acceptable: the implementation answered invalid SIG_INVALID" });
    const accepts = await run("ok");
    expect(accepts.report.cases[0]).toMatchObject({ outcome: "pass", message: "acceptable: the implementation answered valid" });
  });

  it("DRV-007: a clock answered with anything but ok fails driver/clock-001 only", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--clock-answer", "error:CBOR_MALFORMED") }, { filter: ["driver/*", "cbor/valid/uint-0-001"] });
    expect(r.report.cases.map((c) => [c.id, c.outcome])).toEqual([
      ["driver/hello-001", "pass"],
      ["driver/clock-001", "fail"],
      ["driver/ids-001", "pass"],
      ["cbor/valid/uint-0-001", "pass"],
    ]);
  });
});

describe("sessions that fail", () => {
  it("DRV-016, DRV-017: a banner on stdout fails the start as framing; no call is sent, one session only, every case framing and not sent", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--banner") }, { filter: CANNED_OK_FILTER });
    expect(outcomes(r.report)).toEqual(["framing"]);
    expect(r.report.run.sessions).toBe(1);
    expect(r.report.cases[0]!.message).toMatch(/^not sent: the implementation did not start \(framing\): not JSON: "fixture driver 0\.0\.1 starting"/);
    expect(r.report.incidents.map((i) => i.kind)).toEqual(["start", "quarantine"]);
    expect(r.exitCode).toBe(1);
  });

  it("a hello never answered fails the start as a timeout within the startup deadline", async () => {
    const t = tag();
    const t0 = performance.now();
    const r = await runHarness({ kind: "stdio", command: fixture("--silent-hello", t) }, { filter: ["cbor/valid/uint-0-001"], run: { startupTimeoutMs: 300 } });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.report.cases[0]).toMatchObject({ outcome: "timeout" });
    expect(r.report.cases[0]!.message).toMatch(/no answer to the hello within 300 ms/);
    expect(alive(t)).toEqual([]);
  });

  it("DRV-002: a hello with another protocol version is a framing error naming both", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--version", "2") }, { filter: ["cbor/valid/uint-0-001"] });
    expect(r.report.cases[0]!.outcome).toBe("framing");
    expect(r.report.cases[0]!.message).toMatch(/version 2; this harness speaks version 1/);
  });

  it("DRV-016: a crash with one call in flight is charged to it, with the exit status and stderr; the run goes on in a new session", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--crash-after", "2") }, { filter: ["cbor/valid/uint-*"], run: { jobs: 1 } });
    const crashed = byOutcome(r.report, "crash");
    expect(crashed.length).toBeGreaterThan(0);
    expect(crashed[0]!.message).toMatch(/exited with code 3/);
    expect(crashed[0]!.stderr).toMatch(/crashing on purpose/);
    expect(byOutcome(r.report, "pass").length).toBeGreaterThan(crashed.length);
    expect(r.report.run.sessions).toBe(crashed.length + 1);
    expect(r.report.summary.uncharged_failures).toBe(0);
    expect(r.exitCode).toBe(1);
  });

  it("DRV-016: a crash with several calls in flight sends each of them again alone and charges only what fails alone", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--crash-after", "3") }, { filter: ["cbor/valid/*"], run: { jobs: 8 } });
    const several = r.report.incidents.filter((i) => i.kind === "crash" && i.cases.length > 1);
    expect(several.length).toBeGreaterThan(0);
    expect(several[0]!.message).toMatch(/each is sent again alone/);
    // A suspect is charged only when it crashed again alone: fewer than were in flight.
    for (const i of several) expect(i.charged!.length).toBeLessThan(i.cases.length);
    expect(r.report.cases.filter((c) => c.attempts > 1 && c.outcome === "pass").length).toBeGreaterThan(0);
    expect(r.report.summary.timeout + r.report.summary.framing).toBe(0);
  });

  it("DRV-015: a call that is never answered times out at its deadline; the process group is ended (SIGKILL after SIGTERM is ignored) and the run goes on", async () => {
    const t = tag();
    const t0 = performance.now();
    const r = await runHarness({ kind: "stdio", command: `${fixture("--hang-after", "3", t)}; true` }, { filter: ["cbor/valid/uint-*"], run: { caseTimeoutMs: 200, graceMs: 100, jobs: 1 } });
    expect(performance.now() - t0).toBeLessThan(15_000);
    const timedOut = byOutcome(r.report, "timeout");
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut[0]!.message).toMatch(/no answer within 200 ms/);
    expect(r.report.run.sessions).toBeGreaterThan(1);
    // The fixture ignores SIGTERM and runs as a child of `sh`: only killing the group ends it.
    expect(alive(t)).toEqual([]);
  });

  it("DRV-004: answers under ids no request has are framing errors; after 3 failures in a row the implementation is quarantined and the rest is not sent", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--wrong-id") }, { filter: CANNED_OK_FILTER, run: { jobs: 1 } });
    expect(outcomes(r.report)).toEqual(["framing"]);
    expect(r.report.run.sessions).toBe(3);
    expect(r.report.run.quarantined).toMatch(/3 consecutive failures \(framing, framing, framing\)/);
    expect(r.report.cases[0]!.message).toMatch(/DRV-004: a response to id \d+, which is not waiting/);
    expect(r.report.cases.at(-1)!.message).toMatch(/^not sent: quarantined after 3 consecutive failures/);
  });
});

describe("timing (DRV-025)", () => {
  /** A corpus of one file whose first tests carry a budget. */
  function timedCorpus(budgetMs: number, timed = 2): string {
    const dir = tempDir("ap2p-corpus-");
    const cbor = JSON.parse(readFileSync(join(defaultVectorsDir(), "cbor.json"), "utf8")) as { test_groups: { tests: { id: string; result: string; budget_ms?: number }[] }[] };
    const group = cbor.test_groups.find((g) => g.tests.some((t) => t.id.startsWith("cbor/valid/")))!;
    group.tests = group.tests.filter((t) => t.id.startsWith("cbor/valid/")).slice(0, 3);
    for (const t of group.tests.slice(0, timed)) t.budget_ms = budgetMs;
    cbor.test_groups = [group];
    writeFileSync(join(dir, "cbor.json"), JSON.stringify(cbor));
    return dir;
  }

  it("DRV-025: a right answer whose p95 over at least 5 samples, timed alone, exceeds the budget is slow; the time scale gives room", async () => {
    const vectorsDir = timedCorpus(20);
    const slow = await runHarness({ kind: "stdio", command: fixture("--delay-ms", "45") }, { vectorsDir, filter: ["cbor/*"] });
    const timed = slow.report.cases.filter((c) => c.budget_ms !== null);
    expect(timed.map((c) => c.outcome)).toEqual(["slow", "slow"]);
    for (const c of timed) {
      expect(c.samples_ms.length).toBe(5);
      expect(c.p50_ms).toBeGreaterThanOrEqual(40);
      expect(c.p95_ms).toBe(Math.max(...c.samples_ms));
      expect(c.message).toMatch(/p95 .* over 5 samples exceeds the budget of 20 ms/);
    }
    // A case without a budget is never slow (DRV-026), and its time is reported.
    const untimed = slow.report.cases.find((c) => c.budget_ms === null)!;
    expect(untimed).toMatchObject({ outcome: "pass" });
    expect(untimed.duration_ms).toBeGreaterThan(40);
    expect(slow.exitCode).toBe(1);
    expect(slow.report.corpus.verified).toBe(false);

    const scaled = await runHarness({ kind: "stdio", command: fixture("--delay-ms", "45") }, { vectorsDir, filter: ["cbor/*"], run: { timeScale: 10, samples: 6 } });
    expect(scaled.report.cases.map((c) => c.outcome)).toEqual(["pass", "pass", "pass"]);
    expect(scaled.report.cases[0]!.samples_ms.length).toBe(6);
    expect(scaled.exitCode).toBe(0);
  });

  it("DRV-015: a call's deadline is the larger of the base and twice its budget, scaled", async () => {
    const vectorsDir = timedCorpus(300, 1);
    // Answers take 350 ms: past the 50 ms base, within 2 × 300 ms.
    const r = await runHarness({ kind: "stdio", command: fixture("--delay-ms", "350") }, { vectorsDir, filter: ["cbor/*"], run: { caseTimeoutMs: 50, samples: 5 } });
    expect(r.report.cases.map((c) => c.outcome)).toEqual(["slow", "timeout", "timeout"]);
    expect(r.report.cases[1]!.message).toMatch(/no answer within 50 ms/);
  });
});

describe("WebSocket", () => {
  it("launches with --ws-command, waits for the LISTENING line, and passes a well-behaved driver", async () => {
    const r = await runHarness({ kind: "ws-command", command: fixture("--transport", "ws") }, { filter: ["cbor/valid/uint-*", "driver/*"] });
    expect(outcomes(r.report)).toEqual(["pass"]);
    expect(r.report.implementation.transport).toBe("ws");
    expect(r.report.incidents).toEqual([]);
  });

  it("DRV-019: a binary frame is a framing error", async () => {
    const r = await runHarness({ kind: "ws-command", command: fixture("--transport", "ws", "--binary") }, { filter: ["cbor/valid/uint-0-001"] });
    expect(r.report.cases[0]!.outcome).toBe("framing");
    expect(r.report.cases[0]!.message).toMatch(/binary frame/);
  });

  it("DRV-020: stdout after the LISTENING line, or a URL off loopback, is a framing error", async () => {
    const noisy = await runHarness({ kind: "ws-command", command: fixture("--transport", "ws", "--noise-after-listening") }, { filter: ["cbor/valid/uint-0-001"] });
    expect(noisy.report.cases[0]!.outcome).toBe("framing");
    expect(noisy.report.cases[0]!.message).toMatch(/stdout after the AP2P-DRIVER-LISTENING line: "ready!/);
    const remote = await runHarness({ kind: "ws-command", command: fixture("--transport", "ws", "--listen-url", "ws://192.0.2.1:9/") }, { filter: ["cbor/valid/uint-0-001"] });
    expect(remote.report.cases[0]!.outcome).toBe("framing");
    expect(remote.report.cases[0]!.message).toMatch(/not a ws:\/\/ URL on loopback/);
  });

  it("DRV-021: --ws connects to a running implementation on loopback, and refuses any other address", async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, "testing", "fixture-driver.mjs"), "--transport", "ws"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const url = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim().split(" ")[1]!)));
      const r = await runHarness({ kind: "ws", url }, { filter: ["cbor/valid/uint-0-001"] });
      expect(r.report.cases[0]!.outcome).toBe("pass");
    } finally {
      child.kill("SIGKILL");
    }
    await expect(runHarness({ kind: "ws", url: "ws://192.0.2.1:9/" }, { filter: ["cbor/valid/uint-0-001"] })).rejects.toThrow(UsageError);
  });
});

describe("ending", () => {
  it("DRV-012: an implementation that does not exit after shutdown is ended and reported with a warning; a non-zero exit too", async () => {
    const t = tag();
    const t0 = performance.now();
    const lingering = await runHarness({ kind: "stdio", command: fixture("--linger", t) }, { filter: ["cbor/valid/uint-0-001"], run: { graceMs: 200 } });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(lingering.report.incidents).toEqual([expect.objectContaining({ kind: "warning", message: expect.stringMatching(/^DRV-012: the implementation did not exit within 200 ms/) })]);
    expect(lingering.exitCode).toBe(0);
    expect(alive(t)).toEqual([]);
    const status = await runHarness({ kind: "stdio", command: fixture("--shutdown-exit", "4") }, { filter: ["cbor/valid/uint-0-001"] });
    expect(status.report.incidents[0]!.message).toMatch(/DRV-012: after shutdown the implementation exited with code 4/);
  });

  it("an aborted run still writes its reports: cases in flight and not yet run are skipped, and the run fails", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort("interrupted by SIGINT"), 800);
    const r = await runHarness({ kind: "stdio", command: fixture("--delay-ms", "50") }, { filter: CANNED_OK_FILTER, signal: controller.signal, run: { jobs: 1 } });
    expect(r.report.run.aborted).toBe("interrupted by SIGINT");
    expect(byOutcome(r.report, "skipped").length).toBeGreaterThan(0);
    expect(outcomes(r.report).filter((o) => o !== "pass" && o !== "skipped")).toEqual([]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(readFileSync(join(r.dir, "report.json"), "utf8")).run.aborted).toBe("interrupted by SIGINT");
  });

  it("the whole-run limit stops a run that would take too long", async () => {
    const r = await runHarness({ kind: "stdio", command: fixture("--delay-ms", "100") }, { filter: CANNED_OK_FILTER, run: { jobs: 1, runTimeoutMs: 400 } });
    expect(r.report.run.aborted).toBe("the run limit of 400 ms was reached");
    expect(r.report.verdict.reasons).toContain("the run did not finish: the run limit of 400 ms was reached");
    expect(r.exitCode).toBe(1);
  });
});
