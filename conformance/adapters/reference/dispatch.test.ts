// The reference adapter's answers, in process: what it says to each request
// (spec/13-conformance.md §13.3, §13.4) and how a session keeps ids, order and
// shutdown straight.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { create, fromJsonString, toJsonString } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DriverRequestSchema, DriverResponseSchema, DriverRole, PeerCallKind, type DriverRequest, type DriverResponse } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ROOT, allTests } from "../../../vectors/corpus.js";
import { disagreement } from "../../../vectors/runner/compare.js";
import { REFERENCE_OPERATIONS, type JsonObject, type Outcome } from "../../../vectors/runner/reference-operations.js";
import { outcomeOf, type RequestBody } from "../testing/mini-driver.js";
import { createDispatcher, withClock, type AdapterOperation, type Handler } from "./dispatch.js";
import { DriverSession, parseRequest } from "./session.js";
import { NODE_OPERATIONS } from "./nodes.js";

const request = (id: bigint, body: RequestBody): DriverRequest => create(DriverRequestSchema, { id, body });
const call = (id: bigint, operation: string, inputs: JsonObject = {}, shared: JsonObject = {}): DriverRequest =>
  request(id, { case: "call", value: { operation, inputsJson: JSON.stringify(inputs), sharedJson: JSON.stringify(shared) } });

/** A session whose output is collected, and a function that waits until it is quiet. */
function collectingSession(handler: Handler) {
  const sent: DriverResponse[] = [];
  const logged: string[] = [];
  const session = new DriverSession(handler, {
    send: (text) => sent.push(fromJsonString(DriverResponseSchema, text)),
    log: (text) => logged.push(text),
  });
  return { session, sent, logged };
}

const text = (r: DriverRequest): string => toJsonString(DriverRequestSchema, r);
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the reference dispatcher", () => {
  it("DRV-027: an operation's peer calls go out as PeerCalls with the call's id and unique call_ids; a PeerReply for no waiting call is an error", async () => {
    const emitted: DriverResponse[] = [];
    const dispatcher = createDispatcher({
      operations: {
        twice: async (_i, _s, context) => {
          const a = await context!.peer({ peerId: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", kind: PeerCallKind.CANARY, payload: new Uint8Array([1]) });
          const b = await context!.peer({ peerId: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", kind: PeerCallKind.TASK, payload: new Uint8Array([2]) });
          return { result: "valid", output: { a: a === undefined ? "silent" : Buffer.from(a.payload).toString("hex"), b: b === undefined ? "silent" : "answered" } };
        },
      },
    });
    const answer = dispatcher.handle(call(9n, "twice"), (r) => emitted.push(r));
    await tick();
    expect(emitted.map((r) => [r.id, r.result.case])).toEqual([[9n, "peerCall"]]);
    const first = emitted[0]!.result.value as { callId: bigint };
    expect((await dispatcher.handle(request(10n, { case: "peerReply", value: { callId: first.callId, payload: new Uint8Array([0xab]) } })))?.result.case).toBe("ok");
    await tick();
    const second = emitted[1]!.result.value as { callId: bigint };
    expect(second.callId).not.toBe(first.callId);
    expect((await dispatcher.handle(request(11n, { case: "peerReply", value: { callId: second.callId, silent: true } })))?.result.case).toBe("ok");
    expect(JSON.parse(((await answer)!.result.value as { outputJson: string }).outputJson)).toEqual({ a: "ab", b: "silent" });
    const stale = await dispatcher.handle(request(12n, { case: "peerReply", value: { callId: second.callId, silent: true } }));
    expect(stale?.result).toMatchObject({ case: "error", value: { code: "INVALID_ARGUMENT" } });
  });

  it("DRV-001: answers hello with a hello result naming the implementation, every role and every reference operation", async () => {
    const response = await createDispatcher().handle(request(1n, { case: "hello", value: { driverProtocolVersion: 1 } }));
    expect(response?.id).toBe(1n);
    expect(response?.result.case).toBe("hello");
    const hello = response!.result.value as { implementationName: string; roles: DriverRole[]; operations: string[] };
    expect(hello.implementationName).toBe("ap2p-reference");
    expect(hello.roles).toContain(DriverRole.CODEC);
    expect(hello.roles).toContain(DriverRole.VERIFIER);
    // DRV-009: every operation is named, including those added to the table later.
    expect(hello.operations).toEqual([...Object.keys(REFERENCE_OPERATIONS), ...NODE_OPERATIONS].sort());
  });

  it("DRV-002: answers with driver protocol version 1 even when the harness speaks another", async () => {
    for (const version of [0, 1, 2, 99]) {
      const response = await createDispatcher().handle(request(5n, { case: "hello", value: { driverProtocolVersion: version } }));
      expect(response?.result.case === "hello" && response.result.value.driverProtocolVersion).toBe(1);
    }
  });

  it("DRV-006: answers a call for an operation it does not implement with unsupported, not error", async () => {
    const response = await createDispatcher().handle(call(3n, "teleport.verify"));
    expect(response?.result.case).toBe("unsupported");
    expect(response?.id).toBe(3n);
    // An inherited property name is not an operation either.
    expect((await createDispatcher().handle(call(4n, "toString")))?.result.case).toBe("unsupported");
  });

  it("answers every corpus test as the reference does, through DriverResponse and back", async () => {
    const dispatcher = createDispatcher();
    const problems: string[] = [];
    let id = 1n;
    for (const { group, test } of allTests()) {
      const response = await dispatcher.handle(call(id++, group.operation, test.inputs, group.shared));
      const outcome = outcomeOf(fromJsonString(DriverResponseSchema, toJsonString(DriverResponseSchema, response!)));
      const why = "kind" in outcome ? `${outcome.kind}: ${outcome.reason}` : disagreement(test, outcome);
      if (why !== undefined) problems.push(`${test.id}: ${why}`);
    }
    expect(problems).toEqual([]);
  });

  it("DRV-007: runs a call without `now` at the time of the last clock request, and leaves a given `now` alone", async () => {
    const seen: (string | undefined)[] = [];
    const echo: AdapterOperation = (inputs, shared) => {
      seen.push((shared["now"] ?? inputs["now"]) as string | undefined);
      return { result: "valid" };
    };
    const dispatcher = createDispatcher({ operations: { echo } });
    await dispatcher.handle(call(1n, "echo"));
    const clock = await dispatcher.handle(request(2n, { case: "clock", value: { nowMs: 1767225600000n } }));
    expect(clock?.result.case).toBe("ok");
    await dispatcher.handle(call(3n, "echo"));
    await dispatcher.handle(request(4n, { case: "clock", value: { nowMs: 1767225700000n } }));
    await dispatcher.handle(call(5n, "echo"));
    await dispatcher.handle(call(6n, "echo", { now: "5" }));
    await dispatcher.handle(call(7n, "echo", {}, { now: "6" }));
    expect(seen).toEqual([undefined, "1767225600000", "1767225700000", "5", "6"]);
    expect(withClock({}, { a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it("DRV-007: a descriptor vector with its `now` taken out gets the same verdict from the test clock", async () => {
    const cases = allTests().filter((c) => c.group.operation === "descriptor.verify");
    expect(cases.length).toBeGreaterThan(20);
    const problems: string[] = [];
    let id = 1n;
    for (const { group, test } of cases) {
      const { now, ...shared } = group.shared;
      const dispatcher = createDispatcher();
      await dispatcher.handle(request(id++, { case: "clock", value: { nowMs: BigInt(now as string) } }));
      const outcome = outcomeOf((await dispatcher.handle(call(id++, group.operation, test.inputs, shared)))!);
      const why = "kind" in outcome ? outcome.reason : disagreement(test, outcome);
      if (why !== undefined) problems.push(`${test.id}: ${why}`);
    }
    expect(problems).toEqual([]);
  });

  it("DRV-014: reports its own faults and unreadable inputs as INVALID_ARGUMENT with a message, never as a crash", async () => {
    const broken: AdapterOperation = () => {
      throw new TypeError("boom");
    };
    const logged: string[] = [];
    const dispatcher = createDispatcher({ operations: { broken, "cbor.decode": REFERENCE_OPERATIONS["cbor.decode"]! }, log: (t) => logged.push(t) });
    const fault = await dispatcher.handle(call(1n, "broken"));
    expect(fault?.result.case === "error" && fault.result.value).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("boom") });
    expect(logged.join("\n")).toContain("boom");
    const missing = await dispatcher.handle(call(2n, "cbor.decode"));
    expect(missing?.result.case === "error" && missing.result.value.code).toBe("INVALID_ARGUMENT");
    const notJson = await dispatcher.handle(request(3n, { case: "call", value: { operation: "cbor.decode", inputsJson: "{", sharedJson: "" } }));
    expect(notJson?.result.case === "error" && notJson.result.value.message).toContain("cannot read the call");
    const notObject = await dispatcher.handle(request(4n, { case: "call", value: { operation: "cbor.decode", inputsJson: "[]" } }));
    expect(notObject?.result.case === "error" && notObject.result.value.code).toBe("INVALID_ARGUMENT");
  });

  it("DRV-014: turns a code outside the registry into INVALID_ARGUMENT that keeps the original text", async () => {
    const odd: AdapterOperation = (): Outcome => ({ result: "invalid", error: "PRECONDITION accepted[0]: DESC_EXPIRED" });
    const response = await createDispatcher({ operations: { odd } }).handle(call(1n, "odd"));
    expect(response?.result.case === "error" && response.result.value).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("PRECONDITION") });
  });
});

describe("a driver session", () => {
  it("DRV-003: answers each request with its id, as the answers complete, so a later request can be answered first", async () => {
    const slow: AdapterOperation = async () => {
      await tick(30);
      return { result: "valid", output: { which: "slow" } };
    };
    const fast: AdapterOperation = () => ({ result: "valid", output: { which: "fast" } });
    const { session, sent } = collectingSession(createDispatcher({ operations: { slow, fast } }).handle);
    session.receive(text(call(10n, "slow")));
    session.receive(text(call(11n, "fast")));
    await session.idle();
    expect(sent.map((r) => r.id)).toEqual([11n, 10n]);
    expect(sent.map((r) => (r.result.case === "ok" ? JSON.parse(r.result.value.outputJson) : undefined))).toEqual([{ which: "fast" }, { which: "slow" }]);
  });

  it("DRV-004: sends exactly one answer per request, even when the handler fails", async () => {
    const failing: Handler = async (r) => {
      if (r.id === 2n) throw new Error("handler bug");
      return createDispatcher().handle(r);
    };
    const { session, sent, logged } = collectingSession(failing);
    for (const id of [1n, 2n, 3n]) session.receive(text(call(id, "cbor.decode", { encoded: "a0" })));
    await session.idle();
    expect(sent.map((r) => r.id).sort()).toEqual([1n, 2n, 3n]);
    const two = sent.find((r) => r.id === 2n)!;
    expect(two.result.case === "error" && two.result.value.code).toBe("INVALID_ARGUMENT");
    expect(logged.join("\n")).toContain("handler bug");
  });

  it("DRV-012: answers every outstanding request before the shutdown answer, and ignores what follows", async () => {
    const slow: AdapterOperation = async () => {
      await tick(20);
      return { result: "valid" };
    };
    const { session, sent, logged } = collectingSession(createDispatcher({ operations: { slow } }).handle);
    session.receive(text(call(1n, "slow")));
    session.receive(text(request(2n, { case: "shutdown", value: {} })));
    session.receive(text(call(3n, "slow")));
    expect(await session.ended).toBe("shutdown");
    expect(sent.map((r) => [r.id, r.result.case])).toEqual([
      [1n, "ok"],
      [2n, "ok"],
    ]);
    expect(logged.join("\n")).toContain("after shutdown");
  });

  it("DRV-010: answers a malformed request whose id it can read with unsupported, and logs one whose id it cannot", () => {
    const cases: [string, "reply" | "diagnostic"][] = [
      ['{"id":"7","teleport":{}}', "reply"],
      ['{"id":7,"call":{"operation":5}}', "reply"],
      ['{"id":"8"}', "reply"],
      ["not json", "diagnostic"],
      ['{"call":{}}', "diagnostic"],
      ['{"id":"0","hello":{}}', "diagnostic"],
      ['{"id":"-3","hello":{}}', "diagnostic"],
      ["[1,2]", "diagnostic"],
      ['"text"', "diagnostic"],
    ];
    for (const [line, kind] of cases) {
      const received = parseRequest(line);
      expect(kind in received, line).toBe(true);
      if ("reply" in received) expect(received.reply.result.case, line).toBe("unsupported");
    }
  });

  it("DRV-010: never throws on any received text, and answers at most once, with the request's id when there is one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"id":"9","shutdown":{}}', '{"id":"4","call":{"operation":"cbor.decode","inputsJson":"{\\"encoded\\":\\"00\\"}"}}')), async (line) => {
        const { session, sent } = collectingSession(createDispatcher().handle);
        expect(() => session.receive(line)).not.toThrow();
        await Promise.race([session.idle(), session.ended]);
        await tick();
        expect(sent.length).toBeLessThanOrEqual(1);
        const parsed = parseRequest(line);
        if (sent.length === 1 && "request" in parsed) expect(sent[0]!.id).toBe(parsed.request.id);
      }),
      { numRuns: 200 },
    );
  });
});

describe("spec/13-conformance.md §13.1", () => {
  it("gives every operation of the corpus and every node operation exactly one role, and names no other operation", () => {
    const spec = readFileSync(join(ROOT, "spec", "13-conformance.md"), "utf8");
    const section = spec.slice(spec.indexOf("## 13.1"), spec.indexOf("## 13.2"));
    const roles = new Map<string, string[]>();
    for (const line of section.split("\n")) {
      const row = /^\|(.*)\|\s*`(DRIVER_ROLE_[A-Z]+)`\s*\|$/.exec(line);
      if (row === null) continue;
      for (const op of row[1]!.matchAll(/`([^`]+)`/g)) roles.set(op[1]!, [...(roles.get(op[1]!) ?? []), row[2]!]);
    }
    const inCorpus = new Set(allTests().map((c) => c.group.operation));
    const problems = [
      ...[...inCorpus].filter((op) => roles.get(op)?.length !== 1).map((op) => `${op}: roles ${JSON.stringify(roles.get(op) ?? [])} in §13.1`),
      ...NODE_OPERATIONS.filter((op) => roles.get(op)?.length !== 1).map((op) => `${op}: roles ${JSON.stringify(roles.get(op) ?? [])} in §13.1`),
      ...[...roles.keys()].filter((op) => !inCorpus.has(op) && !NODE_OPERATIONS.includes(op)).map((op) => `${op}: in §13.1 but no vector or node uses it`),
      ...[...inCorpus].filter((op) => !(op in REFERENCE_OPERATIONS)).map((op) => `${op}: the reference does not implement it`),
    ];
    expect(problems, "add new operations to the table of spec §13.1").toEqual([]);
  });
});

describe("spec/13-conformance.md §13.9", () => {
  it("DRV-003: the example session is what the reference answers (compared by id)", async () => {
    const spec = readFileSync(join(ROOT, "spec", "13-conformance.md"), "utf8");
    const section = spec.slice(spec.indexOf("## 13.9"));
    const block = section.slice(section.indexOf("```\n") + 4, section.indexOf("\n```", section.indexOf("```\n") + 4));
    const sent = block.split("\n").filter((l) => l.startsWith("→ ")).map((l) => l.slice(2));
    const answered = block.split("\n").filter((l) => l.startsWith("← ")).map((l) => l.slice(2));
    expect(sent.length).toBeGreaterThan(3);
    const hello = fromJsonString(DriverResponseSchema, answered[0]!);
    const operations = hello.result.case === "hello" ? hello.result.value.operations : [];
    const dispatcher = createDispatcher({
      operations: Object.fromEntries(operations.map((o) => [o, REFERENCE_OPERATIONS[o]!])),
      roles: hello.result.case === "hello" ? hello.result.value.roles : [],
    });
    const { session, sent: got } = collectingSession(dispatcher.handle);
    for (const line of sent) session.receive(line);
    await session.ended;
    const byId = (rs: DriverResponse[]) => new Map(rs.map((r) => [r.id, toJsonString(DriverResponseSchema, r)]));
    expect(byId(got)).toEqual(byId(answered.map((l) => fromJsonString(DriverResponseSchema, l))));
    // The lines in the spec are exactly what the adapter writes.
    for (const line of answered) expect([...byId(got).values()]).toContain(line);
  });
});
