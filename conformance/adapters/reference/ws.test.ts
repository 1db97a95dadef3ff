// `ap2p driver --transport ws`: the listening line, one message per text
// frame, one session per connection, loopback only.
import { spawn } from "node:child_process";
import { create, fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { DriverRequestSchema, DriverResponseSchema, type DriverResponse } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ROOT } from "../../../vectors/corpus.js";
import { disagreement } from "../../../vectors/runner/compare.js";
import { corpusCases, outcomeOf, type RequestBody } from "../testing/mini-driver.js";
import { createDispatcher } from "./dispatch.js";
import { LISTENING_PREFIX, serveWebSocket } from "./ws.js";

/** A WebSocket client that matches answers by id. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const waiting = new Map<bigint, (r: DriverResponse) => void>();
  const frames: { text: string; binary: boolean }[] = [];
  socket.on("message", (data, isBinary) => {
    const text = (data as Buffer).toString("utf8");
    frames.push({ text, binary: isBinary });
    const r = fromJsonString(DriverResponseSchema, text);
    waiting.get(r.id)?.(r);
    waiting.delete(r.id);
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  let id = 0n;
  const ask = (body: RequestBody) =>
    new Promise<DriverResponse>((resolve) => {
      const rid = ++id;
      waiting.set(rid, resolve);
      socket.send(toJsonString(DriverRequestSchema, create(DriverRequestSchema, { id: rid, body })));
    });
  return { socket, ask, frames, closed };
}

describe("ap2p driver --transport ws", () => {
  it("DRV-020: prints exactly one listening line with a loopback ws:// URL, and DRV-019: speaks one DriverResponse per text frame", async () => {
    const child = spawn("node", ["--import", "tsx", "reference/src/cli/main.ts", "driver", "--transport", "ws", "--once"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no listening line within 10 s")), 10_000);
        child.stdout.on("data", (chunk: string) => {
          stdout += chunk;
          if (stdout.includes("\n")) {
            clearTimeout(timer);
            resolve(stdout.slice(0, stdout.indexOf("\n")));
          }
        });
      });
      const match = new RegExp(`^${LISTENING_PREFIX} (ws://127\\.0\\.0\\.1:[0-9]+/)$`).exec(line);
      expect(match, line).not.toBeNull();

      const client = await connect(match![1]!);
      const hello = await client.ask({ case: "hello", value: { driverProtocolVersion: 1 } });
      expect(hello.result.case).toBe("hello");
      expect((await client.ask({ case: "clock", value: { nowMs: 1767225600000n } })).result.case).toBe("ok");
      const problems: string[] = [];
      for (const c of corpusCases(["cbor.decode", "descriptor.verify"])) {
        const r = await client.ask({ case: "call", value: { operation: c.group.operation, inputsJson: JSON.stringify(c.test.inputs), sharedJson: JSON.stringify(c.group.shared) } });
        const o = outcomeOf(r);
        const why = "kind" in o ? o.reason : disagreement(c.test, o);
        if (why !== undefined) problems.push(`${c.test.id}: ${why}`);
      }
      expect(problems).toEqual([]);
      // DRV-012: shutdown is answered, then the connection is closed.
      expect((await client.ask({ case: "shutdown", value: {} })).result.case).toBe("ok");
      expect(await client.closed).toBe(1000);
      expect(client.frames.every((f) => !f.binary)).toBe(true);
      // With --once the server stops after the session; nothing else was written to standard output.
      expect(await exited).toBe(0);
      expect(stdout).toBe(`${line}\n`);
    } finally {
      child.kill("SIGKILL");
    }
  }, 30_000);

  it("DRV-020: keeps one test clock per connection and refuses to listen beyond loopback", async () => {
    await expect(serveWebSocket({ handler: () => createDispatcher().handle, host: "0.0.0.0" })).rejects.toThrow(/loopback/);
    const server = await serveWebSocket({ handler: () => createDispatcher().handle });
    try {
      expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
      const a = await connect(server.url);
      const b = await connect(server.url);
      await a.ask({ case: "clock", value: { nowMs: 1767225600000n } });
      // An expired-at-T0 descriptor test without its `now`: a runs at T0 (expired), b has no clock (the operation cannot run).
      const c = corpusCases(["descriptor.verify"]).find((x) => x.test.id === "descriptor/expiry/long-ago-001")!;
      const { now: _now, ...shared } = c.group.shared;
      const body: RequestBody = { case: "call", value: { operation: c.group.operation, inputsJson: JSON.stringify(c.test.inputs), sharedJson: JSON.stringify(shared) } };
      const ra = await a.ask(body);
      const rb = await b.ask(body);
      expect(ra.result.case === "error" && ra.result.value.code).toBe("DESC_EXPIRED");
      expect(rb.result.case === "error" && rb.result.value.code).toBe("INVALID_ARGUMENT");
      a.socket.close();
      b.socket.close();
    } finally {
      await server.close();
    }
  });
});
