import { describe, expect, it } from "vitest";
import { decodeResponse, encodeRequest, FRAMING_QUOTE_BYTES, type RequestBody } from "./protocol.js";
import { CORPUS_CLOCK_MS, DriverSession, type Loss } from "./session.js";
import { LineSplitter } from "./stdio-transport.js";
import { StartFailure, type Launcher, type Transport, type TransportEvents } from "./transport.js";

/** An in-memory implementation: a function from each request (parsed) to the lines it answers with. */
function memoryLauncher(answer: (req: Record<string, unknown>, sent: Record<string, unknown>[]) => string[] | undefined): Launcher & { sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return {
    sent,
    transport: "stdio",
    target: "memory",
    open: async (events: TransportEvents): Promise<Transport> => ({
      send: (text) => {
        const req = JSON.parse(text) as Record<string, unknown>;
        sent.push(req);
        const lines = answer(req, sent);
        if (lines !== undefined) queueMicrotask(() => lines.forEach((l) => events.message(l)));
      },
      terminate: async () => {},
      close: async () => undefined,
      stderrTail: () => "",
    }),
  };
}

const hello = (id: unknown, version = 1) => JSON.stringify({ id, hello: { driverProtocolVersion: version, implementationName: "memory", roles: ["DRIVER_ROLE_CODEC"] } });
const ok = (id: unknown) => JSON.stringify({ id, ok: { outputJson: "{}" } });

function polite(req: Record<string, unknown>): string[] | undefined {
  if ("hello" in req) return [hello(req["id"])];
  return [ok(req["id"])];
}

const hooks = (losses: Loss[] = []) => ({ lost: (l: Loss) => losses.push(l), stderr: () => {} });
let counter = 1n;
const nextId = () => counter++;
const call = (operation = "cbor.decode"): RequestBody => ({ case: "call", value: { operation, inputsJson: "{}", sharedJson: "{}" } }) as RequestBody;

describe("driver sessions", () => {
  it("DRV-027: a PeerCall is routed to the call's peers and answered with a PeerReply; the call keeps waiting for its answer", async () => {
    const peerCall = (id: unknown, callId: number) => JSON.stringify({ id, peerCall: { callId: String(callId), peerId: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", kind: "PEER_CALL_KIND_QUERY", queryJson: "{}" } });
    let callId: unknown;
    const launcher = memoryLauncher((req) => {
      if ("call" in req) return (callId = req["id"]), [peerCall(req["id"], 1)];
      if ("peerReply" in req) return [ok(req["id"]), ok(callId)];
      return polite(req);
    });
    const session = await DriverSession.open(launcher, hooks(), nextId, 1000);
    const seen: string[] = [];
    const answer = await session.send(call(), undefined, async (c) => (seen.push(c.queryJson), { payload: new Uint8Array([1, 2]) })).answer;
    expect(answer.response.result.case).toBe("ok");
    expect(seen).toEqual(["{}"]);
    expect(launcher.sent.find((r) => "peerReply" in r)).toMatchObject({ peerReply: { callId: "1", payload: "AQI=" } });
  });

  it("DRV-027: a PeerCall during a call whose case plays no peers, or with a call_id used before, is a framing error", async () => {
    const peerCall = (id: unknown, callId: number) => JSON.stringify({ id, peerCall: { callId: String(callId), peerId: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", kind: "PEER_CALL_KIND_TASK" } });
    const losses: Loss[] = [];
    const session = await DriverSession.open(memoryLauncher((req) => ("call" in req ? [peerCall(req["id"], 1)] : polite(req))), hooks(losses), nextId, 1000);
    await expect(session.send(call()).answer).rejects.toThrow(/DRV-027/);
    expect(losses[0]).toMatchObject({ kind: "framing" });
    const again: Loss[] = [];
    const twice = await DriverSession.open(
      memoryLauncher((req) => ("call" in req ? [peerCall(req["id"], 7), peerCall(req["id"], 7)] : "peerReply" in req ? [] : polite(req))),
      hooks(again),
      nextId,
      1000,
    );
    await expect(twice.send(call(), undefined, async () => "silent").answer).rejects.toThrow(/call_id 7 is zero or was used before/);
  });

  it("DRV-001, DRV-013: hello first and alone, then the corpus clock T0 alone, before any call", async () => {
    const launcher = memoryLauncher(polite);
    const session = await DriverSession.open(launcher, hooks(), nextId, 1000);
    await session.request(call());
    expect(launcher.sent.map((r) => Object.keys(r).find((k) => k !== "id"))).toEqual(["hello", "clock", "call"]);
    expect(launcher.sent[1]).toMatchObject({ clock: { nowMs: CORPUS_CLOCK_MS.toString() } });
    expect(session.implementation).toEqual({ name: "memory", version: "", roles: ["codec"], operations: [] });
  });

  it("DRV-003: ids are never zero and never repeat, and out-of-order answers are matched by id", async () => {
    const held: Record<string, unknown>[] = [];
    let release: (() => void) | undefined;
    const launcher = memoryLauncher((req) => {
      if (!("call" in req)) return polite(req);
      held.push(req);
      if (held.length === 3) release?.();
      return undefined;
    });
    const events: TransportEvents[] = [];
    const wrapped: Launcher = { ...launcher, open: async (e, d) => (events.push(e), launcher.open(e, d)) };
    const session = await DriverSession.open(wrapped, hooks(), nextId, 1000);
    const answers = [1, 2, 3].map(() => session.send(call()));
    release = () => {};
    // Answer in reverse order, each with its own output.
    for (const r of [...held].reverse()) events[0]!.message(JSON.stringify({ id: r["id"], ok: { outputJson: JSON.stringify({ for: r["id"] }) } }));
    const got = await Promise.all(answers.map((a) => a.answer));
    got.forEach((g, i) => expect(JSON.parse(g.response.result.value!["outputJson" as never] as string)).toEqual({ for: answers[i]!.id.toString() }));
    const ids = launcher.sent.map((r) => BigInt(r["id"] as string));
    expect(ids.every((id) => id !== 0n)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("DRV-004: an answer to an id that is not waiting is a framing error, and pending calls end", async () => {
    const losses: Loss[] = [];
    const launcher = memoryLauncher((req) => ("call" in req ? [ok(999_999)] : polite(req)));
    const session = await DriverSession.open(launcher, hooks(losses), nextId, 1000);
    await expect(session.request(call())).rejects.toThrow(/framing/);
    expect(losses).toHaveLength(1);
    expect(losses[0]!.kind).toBe("framing");
    expect(losses[0]!.message).toMatch(/DRV-004: a response to id 999999/);
  });

  it("DRV-004: a second answer to the same request is a framing error", async () => {
    const losses: Loss[] = [];
    const launcher = memoryLauncher((req) => ("call" in req ? [ok(req["id"]), ok(req["id"])] : polite(req)));
    const session = await DriverSession.open(launcher, hooks(losses), nextId, 1000);
    await session.request(call());
    await new Promise((r) => setTimeout(r, 5));
    expect(losses.map((l) => l.kind)).toEqual(["framing"]);
  });

  it("DRV-016: a malformed answer that names a waiting id is charged to that request; quotes are at most 200 bytes", async () => {
    const losses: Loss[] = [];
    const long = "x".repeat(5000);
    const launcher = memoryLauncher((req) => ("call" in req ? [`{"id":"${req["id"] as string}","ok":{"outputJson":"{}"},"extra":"${long}"}`] : polite(req)));
    const session = await DriverSession.open(launcher, hooks(losses), nextId, 1000);
    const sent = session.send(call());
    await expect(sent.answer).rejects.toThrow();
    expect(losses[0]!.id).toBe(sent.id);
    const quoted = /: (".*")$/.exec(losses[0]!.message)![1]!;
    expect(JSON.parse(quoted).length).toBeLessThan(FRAMING_QUOTE_BYTES + 40);
  });

  it("DRV-002: another protocol version fails the start as a framing error naming both versions, with no call sent", async () => {
    const launcher = memoryLauncher((req) => ("hello" in req ? [hello(req["id"], 2)] : polite(req)));
    const err = await DriverSession.open(launcher, hooks(), nextId, 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartFailure);
    expect((err as StartFailure).kind).toBe("framing");
    expect((err as StartFailure).message).toMatch(/version 2.*version 1/);
    expect(launcher.sent.map((r) => Object.keys(r).find((k) => k !== "id"))).toEqual(["hello"]);
  });

  it("a hello that is never answered fails the start as a timeout within its deadline", async () => {
    const launcher = memoryLauncher(() => undefined);
    const t0 = performance.now();
    const err = await DriverSession.open(launcher, hooks(), nextId, 100).catch((e: unknown) => e);
    expect((err as StartFailure).kind).toBe("timeout");
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("a hello answered with ok is a framing error", async () => {
    const launcher = memoryLauncher((req) => [ok(req["id"])]);
    const err = await DriverSession.open(launcher, hooks(), nextId, 1000).catch((e: unknown) => e);
    expect((err as StartFailure).kind).toBe("framing");
    expect((err as StartFailure).message).toMatch(/hello request answered with "ok"/);
  });
});

describe("framing (DRV-018)", () => {
  it("decodes exactly a DriverResponse, and names everything else", () => {
    expect("response" in decodeResponse(`{"id":"3","ok":{"outputJson":"{}"}}`)).toBe(true);
    expect("response" in decodeResponse(`{"id":3,"error":{"code":"SIG_INVALID"}}`)).toBe(true);
    const framing = (text: string) => {
      const d = decodeResponse(text);
      return "framing" in d ? d.framing : undefined;
    };
    expect(framing("Server starting on port 8080")).toMatch(/^not JSON: "Server starting/);
    expect(framing("")).toMatch(/^not JSON/);
    expect(framing("[1,2]")).toMatch(/not a DriverResponse object/);
    expect(framing(`{"id":"3","ok":{},"banner":"hi"}`)).toMatch(/not a DriverResponse/);
    expect(framing(`{"ok":{}}`)).toMatch(/without an id/);
    expect(framing(`{"id":"4"}`)).toMatch(/without a result/);
    expect(framing(`{"id":"4","ok":{},"error":{"code":"X"}}`)).toMatch(/not a DriverResponse/);
  });

  it("requests are written as proto3 JSON with the id as a decimal string", () => {
    expect(encodeRequest(7n, call("cbor.decode"))).toBe(`{"id":"7","call":{"operation":"cbor.decode","inputsJson":"{}","sharedJson":"{}"}}`);
  });

  it("splits lines, drops a carriage return before the line feed, and keeps blank lines as lines", () => {
    const lines: string[] = [];
    const overflow: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), (h) => overflow.push(h), 10);
    s.push("ab\r\ncd");
    s.push("\n\nxyz");
    expect(lines).toEqual(["ab", "cd", ""]);
    expect(s.rest()).toBe("xyz");
    s.push("0123456789");
    expect(overflow).toEqual(["xyz0123456789"]);
  });
});
