// The wire cases, in process: each passes against the reference adapter's
// nodes on real loopback endpoints, and fails, at the step that checks it,
// against a node that breaks the rule it cites.
import { create } from "@bufbuild/protobuf";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { FrameKind, HelloSchema, Method, type Hello } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { DriverRequestSchema } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { SUBPROTOCOL, decodeBody, decodeFrame, encodeBody, encodeFrame } from "../../../reference/src/net/frames.js";
import { makeHello, signProof, transcriptFor } from "../../../reference/src/net/handshake.js";
import { MAX_FRAME_BYTES } from "../../../reference/src/net/limits.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import { createDispatcher, type Dispatcher } from "../../adapters/reference/dispatch.js";
import type { CallResult, CaseSession, CaseVerdict } from "../case.js";
import { defaultRequirementsFile } from "../paths.js";
import type { RequestBody } from "../protocol.js";
import { readRequirements } from "../requirements.js";
import { didOf, testKey } from "./scenario.js";
import { DRIVER_WIRE_OPTIONS, wireCases } from "./wire.js";

const index = readRequirements(defaultRequirementsFile());
const cases = wireCases(index);
const byId = (id: string) => cases.find((c) => c.id === id)!;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

/** A session with the reference dispatcher in process; its endpoints are closed after each test. */
function session(options: { readonly random?: (n: number) => Uint8Array } = {}): CaseSession {
  const dispatcher = createDispatcher(options.random === undefined ? {} : { random: options.random });
  open.push(dispatcher);
  let id = 0n;
  const send = async (body: RequestBody): Promise<CallResult> => {
    const response = await dispatcher.handle(create(DriverRequestSchema, { id: ++id, body }));
    const r = response!.result;
    switch (r.case) {
      case "ok":
        return { kind: "ok", outputJson: r.value.outputJson, elapsedMs: 0 };
      case "error":
        return { kind: "error", code: r.value.code, message: r.value.message, elapsedMs: 0 };
      case "unsupported":
        return { kind: "unsupported", reason: r.value.reason, elapsedMs: 0 };
      case "skipped":
        return { kind: "skipped", reason: r.value.reason, elapsedMs: 0 };
      default:
        throw new Error(`unexpected ${r.case}`);
    }
  };
  return {
    implementation: { name: "test", version: "0", roles: ["registry", "provider"], operations: [] },
    call: (operation, inputsJson, sharedJson) => send({ case: "call", value: { operation, inputsJson, sharedJson } } as RequestBody),
    setClock: (nowMs) => send({ case: "clock", value: { nowMs } } as RequestBody),
    note: () => {},
  };
}

const run = (id: string, s: CaseSession = session()): Promise<CaseVerdict> => byId(id).run(s, { timeScale: 1, samples: 5 });

/**
 * A node that checks nothing: it selects no subprotocol unless offered one,
 * answers any Hello with an honest HELLO and PROOF of its own, ignores the
 * client's proof and whatever it cannot read, answers every request with a
 * RESPONSE holding an empty map, and never closes a connection. Or, when
 * `silent`, a node that accepts connections and sends nothing at all.
 */
class FakeNode {
  private constructor(
    readonly wss: WebSocketServer,
    readonly url: string,
    readonly peerId: string,
  ) {}

  static async start(role: "registry" | "provider", behaviour: "lax" | "silent"): Promise<FakeNode> {
    const key = testKey(`wire ${role}`);
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, handleProtocols: (p) => (p.has(SUBPROTOCOL) ? SUBPROTOCOL : false) });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    wss.on("connection", (socket) => {
      if (behaviour === "silent") return;
      let id = 0n;
      const send = (fields: Parameters<typeof encodeFrame>[1]) => socket.send(encodeFrame(++id, fields));
      socket.on("message", (data, isBinary) => {
        if (!isBinary) return;
        const v = decodeFrame(new Uint8Array(data as Buffer), MAX_FRAME_BYTES);
        if (!v.ok) return;
        const f = v.value.frame;
        if (f.kind === FrameKind.HELLO) {
          const client = decodeBody<Hello>(HelloSchema, f.body, MAX_FRAME_BYTES);
          if (!client.ok) return;
          const server = makeHello({ secretKey: key, peerId: didOf(key) }, role, secureRandom);
          send({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, server) });
          send({ kind: FrameKind.PROOF, body: signProof(transcriptFor(client.value, server, "server"), key) });
        } else if (f.kind === FrameKind.REQUEST) {
          send({ kind: FrameKind.RESPONSE, method: f.method === Method.UNSPECIFIED ? Method.QUERY : f.method, replyTo: f.id, body: new Uint8Array([0xa0]) });
        }
      });
      socket.on("error", () => {});
    });
    const node = new FakeNode(wss, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, didOf(key));
    open.push(node);
    return node;
  }

  close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

/** A session whose nodes are fake: reset answers as a node of the harness's key would, listen starts a fake node. */
function fakeSession(behaviour: "lax" | "silent"): { readonly session: CaseSession; readonly nodes: FakeNode[] } {
  const nodes: FakeNode[] = [];
  const ok = (output: object): CallResult => ({ kind: "ok", outputJson: JSON.stringify(output), elapsedMs: 0 });
  const session: CaseSession = {
    implementation: { name: "fake", version: "0", roles: ["registry", "provider"], operations: [] },
    call: async (operation) => {
      const [role, name] = operation.split("-node.") as ["registry" | "provider", string];
      if (name === "reset") return ok(role === "registry" ? { registry_id: didOf(testKey("wire registry")) } : { peer_id: didOf(testKey("wire provider")) });
      if (name === "listen") {
        const node = await FakeNode.start(role, behaviour);
        nodes.push(node);
        return ok({ url: node.url, peer_id: node.peerId });
      }
      if (name === "shutdown") {
        await Promise.all(nodes.map((n) => n.close()));
        return ok({});
      }
      return { kind: "unsupported", reason: operation, elapsedMs: 0 };
    },
    setClock: async () => ok({}),
    note: () => {},
  };
  return { session, nodes };
}

describe("wire cases", () => {
  it("have stable ids, cite known requirements and are required", () => {
    expect(cases.map((c) => c.id)).toEqual([
      "scenario/wire/handshake-001",
      "scenario/wire/loopback-001",
      "scenario/wire/version-001",
      "scenario/wire/hello-001",
      "scenario/wire/proof-001",
      "scenario/wire/reflected-proof-001",
      "scenario/wire/replay-001",
      "scenario/wire/endpoint-001",
      "scenario/wire/handshake-timeout-001",
      "scenario/wire/idle-timeout-001",
      "scenario/wire/text-frame-001",
      "scenario/wire/malformed-frame-001",
      "scenario/wire/frame-too-large-001",
      "scenario/wire/replayed-frame-001",
      "scenario/wire/unexpected-frame-001",
      "scenario/wire/methods-001",
      "scenario/wire/connection-limit-001",
      "scenario/wire/goaway-001",
      "scenario/wire/registry-calls-001",
      "scenario/wire/provider-calls-001",
    ]);
    for (const c of cases) {
      expect(c.requirements.filter((r) => !index.has(r)), c.id).toEqual([]);
      expect(c.level, c.id).toBe("required");
      expect(c.exclusive, c.id).toBe(true);
    }
    expect(DRIVER_WIRE_OPTIONS.standIn).toBe(false);
  });

  for (const c of cases) {
    it(`${c.id}: passes against the reference nodes`, async () => {
      expect(await c.run(session(), { timeScale: 1, samples: 5 })).toEqual({ outcome: "pass" });
    });
  }

  it("every case but handshake-001 and loopback-001 fails against a node that checks nothing", async () => {
    const passed: string[] = [];
    for (const c of cases) {
      const v = await c.run(fakeSession("lax").session, { timeScale: 0.2, samples: 5 });
      if (v.outcome === "pass") passed.push(c.id);
      else expect(v.outcome, `${c.id}: ${v.message ?? ""}`).toBe("fail");
    }
    expect(passed).toEqual(["scenario/wire/handshake-001", "scenario/wire/loopback-001"]);
  });

  it("DRV-030: a node that never answers fails the step that waits for it, and the case closes its connections", async () => {
    const { session: s, nodes } = fakeSession("silent");
    const v = await byId("scenario/wire/handshake-001").run(s, { timeScale: 0.1, samples: 5 });
    expect(v).toMatchObject({ outcome: "fail", observed: "timeout" });
    expect(v.message).toMatch(/^step 4 \(send an honest Hello; read the server's HELLO and PROOF\): nothing arrived within 200 ms where the harness expected the server's HELLO/);
    const node = nodes[0]!;
    while (node.wss.clients.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it("NET-006, NET-009: replay-001 fails against a node whose handshake nonce never changes", async () => {
    const v = await run("scenario/wire/replay-001", session({ random: (n) => new Uint8Array(n).fill(7) }));
    expect(v).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(v.message).toMatch(/^step 4 \(on a new connection, send the recorded Hello .*\): expected NET_TRANSCRIPT_MISMATCH .*the node answered a request with a RESPONSE frame/);
  });
});
