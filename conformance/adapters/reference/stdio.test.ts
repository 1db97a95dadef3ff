// `ap2p driver --transport stdio` as a process: the whole corpus through the
// stdio framing, nothing but responses on standard output, and a clean exit.
import { PassThrough } from "node:stream";
import { fromJsonString } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { DriverResponseSchema } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ROOT } from "../../../vectors/corpus.js";
import { corpusCases, MiniDriver, openSession, runCases } from "../testing/mini-driver.js";
import { createDispatcher } from "./dispatch.js";
import { serveStdio } from "./stdio.js";

const COMMAND = "node --import tsx reference/src/cli/main.ts driver --transport stdio";

const running: MiniDriver[] = [];
function launch(command = COMMAND): MiniDriver {
  const driver = new MiniDriver(command, ROOT);
  running.push(driver);
  return driver;
}
afterEach(() => {
  for (const d of running.splice(0)) d.kill();
});

describe("ap2p driver --transport stdio", () => {
  it("DRV-018: passes every corpus test with up to 16 calls outstanding, writing nothing but one DriverResponse per line", async () => {
    const driver = launch();
    const hello = await openSession(driver);
    expect(hello.result.case).toBe("hello");
    const cases = corpusCases();
    const results = await runCases(driver, cases, 16);
    const failed = results.filter((r) => r.kind !== "pass").map((r) => `${r.case.test.id}: ${r.problem}`);
    expect(failed).toEqual([]);
    await driver.request({ case: "shutdown", value: {} });
    expect((await driver.exited).code).toBe(0);
    // hello + clock + every call + shutdown, and not one byte more.
    expect(driver.lines).toHaveLength(cases.length + 3);
    expect(driver.framing).toEqual([]);
    for (const line of driver.lines) expect(() => fromJsonString(DriverResponseSchema, line)).not.toThrow();
  }, 60_000);

  it("DRV-012: exits with status 0 after answering shutdown, and when its input ends", async () => {
    const a = launch();
    await openSession(a);
    const bye = await a.request({ case: "shutdown", value: {} });
    expect(bye.result.case).toBe("ok");
    expect(await a.exited).toEqual({ code: 0, signal: null });

    const b = launch();
    await openSession(b);
    b.endInput();
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expect(b.framing).toEqual([]);
  }, 30_000);

  it("DRV-010: answers a malformed request with unsupported when it has an id, and otherwise writes only to standard error", async () => {
    const driver = launch();
    await openSession(driver);
    driver.writeLine("this is not a request");
    driver.writeLine('{"id":"77","teleport":{}}');
    const after = await driver.request({ case: "call", value: { operation: "cbor.decode", inputsJson: '{"encoded":"f6"}' } });
    expect(after.result.case === "error" && after.result.value.code).toBe("CBOR_SIMPLE_NOT_ALLOWED");
    driver.endInput();
    await driver.exited;
    // The reply to id 77 is a DriverResponse the mini driver did not ask for; the garbage went to stderr.
    expect(driver.framing.map((l) => fromJsonString(DriverResponseSchema, l).result.case)).toEqual(["unsupported"]);
    expect(driver.stderr).toContain("this is not a request");
  }, 30_000);

  it("DRV-018: reads requests that end in CR LF", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    const lines: string[] = [];
    output.on("data", (b: Buffer) => lines.push(...b.toString("utf8").split("\n").filter(Boolean)));
    const served = serveStdio({ handler: createDispatcher().handle, input, output, errors });
    input.write('{"id":"1","hello":{"driverProtocolVersion":1}}\r\n');
    input.write('{"id":"2","shutdown":{}}\r\n');
    expect(await served).toBe("shutdown");
    expect(lines.map((l) => fromJsonString(DriverResponseSchema, l).id)).toEqual([1n, 2n]);
  });
});
