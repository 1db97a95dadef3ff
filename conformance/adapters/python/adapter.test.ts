// The Python adapter, a second implementation written from the specification,
// driven over stdio against the corpus: every cbor.decode and descriptor.verify
// test it claims must pass. Skipped, saying why, where /usr/bin/python3 lacks
// cbor2 or PyNaCl (Debian: python3-cbor2, python3-nacl).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DriverRole } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ROOT } from "../../../vectors/corpus.js";
import { runReference } from "../../../vectors/runner/reference-operations.js";
import { corpusCases, MiniDriver, openSession, outcomeOf, runCases } from "../testing/mini-driver.js";

const PYTHON = "/usr/bin/python3";
const ADAPTER = join(ROOT, "conformance", "adapters", "python", "adapter.py");
const COMMAND = `${PYTHON} '${ADAPTER}'`;
const CLAIMED = ["cbor.decode", "descriptor.verify"];

function missing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed`;
  const probe = spawnSync(PYTHON, ["-c", "import cbor2, nacl.signing"], { encoding: "utf8" });
  return probe.status === 0 ? undefined : `${PYTHON} lacks cbor2 or PyNaCl (Debian: python3-cbor2 python3-nacl): ${probe.stderr.trim().split("\n").pop()}`;
}

const why = missing();
if (why !== undefined) console.warn(`skipping the Python adapter tests: ${why}`);

const running: MiniDriver[] = [];
afterEach(() => {
  for (const d of running.splice(0)) d.kill();
});
function launch(): MiniDriver {
  const d = new MiniDriver(COMMAND, ROOT);
  running.push(d);
  return d;
}

describe.skipIf(why !== undefined)("the Python adapter", () => {
  it("DRV-001: answers hello with its name, the codec and verifier roles, and the two operations it implements", async () => {
    const driver = launch();
    const hello = await openSession(driver);
    expect(hello.result.case).toBe("hello");
    if (hello.result.case !== "hello") return;
    expect(hello.result.value).toMatchObject({
      driverProtocolVersion: 1,
      implementationName: "ap2p-python-adapter",
      roles: [DriverRole.CODEC, DriverRole.VERIFIER],
      operations: CLAIMED,
    });
    // DRV-006: anything else is unsupported, not an error.
    const other = await driver.request({ case: "call", value: { operation: "ed25519.verify", inputsJson: "{}" } });
    expect(other.result.case).toBe("unsupported");
    expect((await driver.request({ case: "shutdown", value: {} })).result.case).toBe("ok");
    expect(await driver.exited).toEqual({ code: 0, signal: null });
    expect(driver.framing).toEqual([]);
  }, 20_000);

  it("passes every cbor.decode and descriptor.verify vector it claims (skips only with a reason)", async () => {
    const driver = launch();
    await openSession(driver);
    const cases = corpusCases(CLAIMED);
    const results = await runCases(driver, cases, 8);
    const counts = { pass: 0, fail: 0, unsupported: 0, skipped: 0 };
    for (const r of results) counts[r.kind]++;
    const byOperation = Object.fromEntries(
      CLAIMED.map((op) => [op, results.filter((r) => r.case.group.operation === op && r.kind === "pass").length + "/" + results.filter((r) => r.case.group.operation === op).length]),
    );
    console.info(`Python adapter: ${JSON.stringify(counts)} ${JSON.stringify(byOperation)}`);
    expect(results.filter((r) => r.kind === "fail").map((r) => `${r.case.test.id}: ${r.problem}`)).toEqual([]);
    expect(counts.unsupported).toBe(0);
    for (const r of results.filter((x) => x.kind === "skipped")) expect(r.problem, r.case.test.id).toMatch(/skipped: \S/);
    // Skips are for a few documented limitations, never a way to pass.
    expect(counts.skipped).toBeLessThanOrEqual(Math.floor(cases.length / 20));
    driver.endInput();
    expect(await driver.exited).toEqual({ code: 0, signal: null });
    expect(driver.framing).toEqual([]);
  }, 60_000);

  it("gives the reference's verdict and code for corrupted corpus inputs (flipped, replaced, inserted and cut bytes)", async () => {
    const driver = launch();
    await openSession(driver);
    const cases = corpusCases(CLAIMED).filter((c) => ((c.test.inputs["encoded"] ?? c.test.inputs["descriptor"]) as string).length > 0);
    const verdict = (o: ReturnType<typeof outcomeOf>): string => ("kind" in o ? o.kind : o.result === "valid" ? "valid" : (o.error ?? ""));
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("flip", "set", "insert", "cut"), async (which, at, byte, how) => {
        const c = cases[which % cases.length]!;
        const key = c.group.operation === "cbor.decode" ? "encoded" : "descriptor";
        const b = Buffer.from(c.test.inputs[key] as string, "hex");
        const i = at % b.length;
        const out =
          how === "flip" ? Buffer.from(b).fill(b[i]! ^ (1 << byte % 8), i, i + 1)
          : how === "set" ? Buffer.from(b).fill(byte, i, i + 1)
          : how === "insert" ? Buffer.concat([b.subarray(0, i), Buffer.of(byte), b.subarray(i)])
          : b.subarray(0, i);
        const inputs = { ...c.test.inputs, [key]: out.toString("hex") };
        const expected = runReference(c.group.operation, inputs, c.group.shared);
        const got = await driver.request({ case: "call", value: { operation: c.group.operation, inputsJson: JSON.stringify(inputs), sharedJson: JSON.stringify(c.group.shared) } });
        expect(`${c.test.id} ${how}@${i}: ${verdict(outcomeOf(got))}`).toBe(`${c.test.id} ${how}@${i}: ${expected.result === "valid" ? "valid" : expected.error}`);
      }),
      { numRuns: 1000, seed: 13 },
    );
    driver.endInput();
    await driver.exited;
  }, 60_000);

  it("DRV-007: uses the test clock for a descriptor test whose `now` is taken out", async () => {
    const driver = launch();
    await openSession(driver);
    const c = corpusCases(["descriptor.verify"]).find((x) => x.test.id === "descriptor/expiry/at-edge-001")!;
    const { now, ...shared } = c.group.shared;
    const body = { operation: c.group.operation, inputsJson: JSON.stringify(c.test.inputs), sharedJson: JSON.stringify(shared) };
    await driver.request({ case: "clock", value: { nowMs: BigInt(now as string) } });
    const expired = await driver.request({ case: "call", value: body });
    expect(expired.result.case === "error" && expired.result.value.code).toBe("DESC_EXPIRED");
    await driver.request({ case: "clock", value: { nowMs: BigInt(now as string) - 1n } });
    expect((await driver.request({ case: "call", value: body })).result.case).toBe("ok");
    driver.endInput();
    await driver.exited;
  }, 20_000);

  it("DRV-010: answers a request of an unknown kind with unsupported, and writes diagnostics only to standard error", async () => {
    const driver = launch();
    await openSession(driver);
    driver.writeLine("{not json");
    driver.writeLine('{"id":"50","teleport":{}}');
    const ok = await driver.request({ case: "call", value: { operation: "cbor.decode", inputsJson: '{"encoded":"a0"}' } });
    expect(ok.result.case).toBe("ok");
    driver.endInput();
    await driver.exited;
    expect(driver.framing).toHaveLength(1);
    expect(driver.framing[0]).toContain('"unsupported"');
    expect(driver.stderr).toContain("not JSON");
  }, 20_000);
});
