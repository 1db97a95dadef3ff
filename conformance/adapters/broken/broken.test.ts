// The broken implementations misbehave exactly as index.ts says, and only
// so: the harness's tests rely on these statements to check its report.
import { afterEach, describe, expect, it } from "vitest";
import { corpusCases, MiniDriver, openSession, runCases, type CorpusCase } from "../testing/mini-driver.js";
import { BANNER, GARBAGE } from "./common.js";
import { defaultRequirementsFile } from "../../harness/paths.js";
import { readRequirements, strongest } from "../../harness/requirements.js";
import { BROKEN_IMPLEMENTATIONS, brokenImplementation, REFERENCE_DRIVER, type TestFacts } from "./index.js";

const running: MiniDriver[] = [];
afterEach(() => {
  for (const d of running.splice(0)) d.kill();
});
// Commands use absolute paths: run them from somewhere else to prove it.
function launch(command: string): MiniDriver {
  const d = new MiniDriver(command, "/");
  running.push(d);
  return d;
}

const facts = (c: CorpusCase): TestFacts => ({
  id: c.test.id,
  operation: c.group.operation,
  result: c.test.result,
  ...(c.test.error === undefined ? {} : { error: c.test.error }),
  ...(c.test.budget_ms === undefined ? {} : { budget_ms: c.test.budget_ms }),
});

const requirementIndex = readRequirements(defaultRequirementsFile());
/** Whether a failure of the test fails the run (its level, spec §13.7). */
const required = (c: CorpusCase): boolean => strongest(c.test.requirements.map((id) => requirementIndex.get(id)?.level ?? "required")) === "required";

const call = (c: CorpusCase) => ({ case: "call" as const, value: { operation: c.group.operation, inputsJson: JSON.stringify(c.test.inputs), sharedJson: JSON.stringify(c.group.shared) } });
const byId = (id: string): CorpusCase => corpusCases().find((c) => c.test.id === id)!;
const firstWith = (pred: (c: CorpusCase) => boolean): CorpusCase => corpusCases().find(pred)!;

describe("the list of broken implementations", () => {
  it("names each program once, with a command, an expectation and a verdict", () => {
    const names = BROKEN_IMPLEMENTATIONS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      "skips-signature-check",
      "accepts-expired",
      "wrong-error-code",
      "late-canary",
      "prints-banner",
      "emits-garbage",
      "hangs",
      "crashes-mid-run",
      "reuses-handshake-nonce",
      "answers-out-of-order",
    ]);
    for (const b of BROKEN_IMPLEMENTATIONS) {
      expect(b.command).toContain(`${b.name}.ts'`);
      expect(b.expected.length).toBeGreaterThan(20);
      if (b.outcome === "pass") expect(b.verdict).toBe("pass");
    }
    expect(brokenImplementation("hangs").commandWith({ "calls-before-failure": 2 })).toMatch(/hangs\.ts' --calls-before-failure '2'$/);
    expect(() => brokenImplementation("nope")).toThrow();
  });

  // Run the whole corpus through the programs whose classification follows from each test alone.
  for (const name of ["skips-signature-check", "accepts-expired", "wrong-error-code", "answers-out-of-order", "late-canary"]) {
    it(`${name}: every test gets exactly the verdict the list states (against the whole corpus)`, async () => {
      const b = brokenImplementation(name);
      const d = launch(name === "late-canary" ? b.commandWith({ "delay-ms": 20 }) : b.command);
      await openSession(d);
      const cases = corpusCases();
      const results = await runCases(d, cases, 16);
      const wrong: string[] = [];
      let failing = 0;
      let failingRequired = 0;
      for (const r of results) {
        // Without a harness there is no timing here: slow tests must at least be answered correctly.
        const expected = b.perTest!(facts(r.case));
        const want = expected === "slow" ? "pass" : expected;
        if (expected !== "pass") failing++;
        if (expected !== "pass" && required(r.case)) failingRequired++;
        if (r.kind !== want) wrong.push(`${r.case.test.id}: expected ${want}, got ${r.kind} (${r.problem ?? ""})`);
      }
      expect(wrong).toEqual([]);
      // The corpus exercises every rule; the verdict fails exactly when a required test does (DRV-022).
      expect(failing > 0).toBe(b.outcome !== "pass");
      expect(failingRequired > 0).toBe(b.verdict === "fail");
      expect(d.framing).toEqual([]);
    }, 60_000);
  }
});

describe("each program's misbehaviour on the wire", () => {
  it("late-canary answers the delayed operations correctly after --delay-ms, and the rest at once", async () => {
    const d = launch(brokenImplementation("late-canary").commandWith({ "delay-ms": 300, operations: "cbor.decode" }));
    await openSession(d);
    const slow = firstWith((c) => c.group.operation === "cbor.decode" && c.test.result === "invalid");
    const fast = firstWith((c) => c.group.operation === "did-key.parse");
    let t = performance.now();
    const r1 = await d.request(call(slow));
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    expect(r1.result.case === "error" && r1.result.value.code).toBe(slow.test.error);
    t = performance.now();
    await d.request(call(fast));
    expect(performance.now() - t).toBeLessThan(250);
  }, 20_000);

  it("prints-banner writes its banner before anything else, then behaves", async () => {
    const d = launch(brokenImplementation("prints-banner").command);
    const hello = await openSession(d);
    expect(hello.result.case).toBe("hello");
    expect(d.lines[0]).toBe(BANNER);
    expect(d.framing).toEqual([BANNER]);
  }, 20_000);

  it("emits-garbage answers N calls, then writes one garbage line, then goes on answering", async () => {
    const d = launch(brokenImplementation("emits-garbage").commandWith({ "calls-before-failure": 2 }));
    await openSession(d);
    const c = byId("cbor/valid/empty-map-001") ?? firstWith((x) => x.group.operation === "cbor.decode");
    for (let i = 0; i < 4; i++) expect((await d.request(call(c))).result.case).not.toBe("unsupported");
    // hello, clock, two answers, the garbage, two more answers.
    expect(d.lines[4]).toBe(GARBAGE);
    expect(d.framing).toEqual([GARBAGE]);
    expect(d.lines).toHaveLength(7);
  }, 20_000);

  it("hangs answers N calls, then nothing, and does not exit when its input ends", async () => {
    const d = launch(brokenImplementation("hangs").commandWith({ "calls-before-failure": 2 }));
    await openSession(d);
    const c = firstWith((x) => x.group.operation === "cbor.decode");
    await d.request(call(c));
    await d.request(call(c));
    await expect(d.request(call(c), 500)).rejects.toThrow(/no answer/);
    await expect(d.request({ case: "shutdown", value: {} }, 300)).rejects.toThrow(/no answer/);
    d.endInput();
    const exited = await Promise.race([d.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
    expect(exited).toBe(false);
    d.kill();
    expect((await d.exited).signal).toBe("SIGKILL");
  }, 20_000);

  it("crashes-mid-run answers N calls, then exits with status 3 on the next one", async () => {
    const d = launch(brokenImplementation("crashes-mid-run").commandWith({ "calls-before-failure": 2 }));
    await openSession(d);
    const c = firstWith((x) => x.group.operation === "cbor.decode");
    await d.request(call(c));
    await d.request(call(c));
    void d.request(call(c), 5_000).catch(() => {});
    expect((await d.exited).code).toBe(3);
    expect(d.stderr).toContain("crashing on call 3");
  }, 20_000);

  it("answers-out-of-order sends a batch of answers in reverse order of their requests", async () => {
    const d = launch(brokenImplementation("answers-out-of-order").commandWith({ batch: 4, "flush-ms": 300 }));
    await openSession(d);
    const cases = corpusCases(["cbor.decode"]).slice(0, 4);
    const answers = await Promise.all(cases.map((c) => d.request(call(c))));
    expect(answers.map((a) => a.id)).toEqual([3n, 4n, 5n, 6n]);
    const order = d.lines.slice(2).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(order).toEqual(["6", "5", "4", "3"]);
  }, 20_000);

  it("the reference driver command (the control) runs from any directory", async () => {
    const d = launch(REFERENCE_DRIVER.stdio);
    const hello = await openSession(d);
    expect(hello.result.case === "hello" && hello.result.value.implementationName).toBe("ap2p-reference");
    await d.request({ case: "shutdown", value: {} });
    expect((await d.exited).code).toBe(0);
  }, 20_000);
});
