// The listen and shutdown operations of the reference adapter (spec §13.11):
// real loopback endpoints of the session's nodes, closed with the session.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DriverRequestSchema } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { connect } from "../../../reference/src/net/index.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import { createDispatcher, type Dispatcher } from "./dispatch.js";
import { limitsOf } from "./endpoints.js";

const KEY = "42".repeat(32);
const CLIENT_KEY = new Uint8Array(32).fill(43);
const open: Dispatcher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

function session(): { dispatcher: Dispatcher; call: (operation: string, inputs?: object) => Promise<{ ok?: Record<string, string>; code?: string; kind: string }> } {
  const dispatcher = createDispatcher();
  open.push(dispatcher);
  let id = 0n;
  const send = (body: MessageInitShape<typeof DriverRequestSchema>["body"]) => dispatcher.handle(create(DriverRequestSchema, { id: ++id, body }));
  const call = async (operation: string, inputs: object = {}) => {
    const r = await send({ case: "call", value: { operation, inputsJson: JSON.stringify(inputs), sharedJson: "" } });
    const result = r!.result;
    if (result.case === "ok") return { kind: "ok", ok: JSON.parse(result.value.outputJson) as Record<string, string> };
    if (result.case === "error") return { kind: "error", code: result.value.code };
    return { kind: String(result.case) };
  };
  void send({ case: "clock", value: { nowMs: 1_767_225_600_000n } });
  return { dispatcher, call };
}

/** Whether a TCP connection to the URL's port opens. */
function accepts(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = tcpConnect({ host: u.hostname, port: Number(u.port) });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

const authenticates = async (url: string, peerId: string): Promise<boolean> => {
  const v = await connect(url, { secretKey: CLIENT_KEY, role: "delegator", expectedPeer: peerId, clock: () => 0n, random: secureRandom });
  if (v.ok) await v.value.close();
  return v.ok;
};

describe("listen and shutdown", () => {
  it("DRV-028: listen opens the session node's endpoint on 127.0.0.1 with its key; a second listen replaces the first; limits are checked", async () => {
    const { call } = session();
    expect((await call("registry-node.listen")).code).toBe("INVALID_ARGUMENT");
    const reset = await call("registry-node.reset", { secret_key: KEY });
    const first = await call("registry-node.listen");
    expect(first.ok?.["url"]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
    expect(first.ok?.["peer_id"]).toBe(reset.ok?.["registry_id"]);
    expect(await authenticates(first.ok!["url"]!, first.ok!["peer_id"]!)).toBe(true);
    const second = await call("registry-node.listen", { idle_timeout_ms: 1000, max_connections: 4 });
    expect(second.ok?.["url"]).not.toBe(first.ok?.["url"]);
    expect(await accepts(first.ok!["url"]!)).toBe(false);
    expect(await authenticates(second.ok!["url"]!, second.ok!["peer_id"]!)).toBe(true);
    expect((await call("registry-node.listen", { max_connections: 0 })).code).toBe("INVALID_ARGUMENT");
    expect((await call("registry-node.listen", { frame_limit: 5 })).code).toBe("INVALID_ARGUMENT");
    expect(limitsOf({ handshake_timeout_ms: 300 })).toEqual({ handshakeTimeoutMs: 300 });
  });

  it("DRV-029: shutdown answers once the endpoint has closed; a reset, and the session's shutdown, close the endpoints too", async () => {
    const { dispatcher, call } = session();
    await call("provider-node.reset", { secret_key: KEY });
    const p = await call("provider-node.listen");
    expect((await call("provider-node.shutdown")).kind).toBe("ok");
    expect(await accepts(p.ok!["url"]!)).toBe(false);
    expect((await call("provider-node.shutdown")).code).toBe("INVALID_ARGUMENT");

    await call("registry-node.reset", { secret_key: KEY });
    const r1 = await call("registry-node.listen");
    await call("registry-node.reset", { secret_key: KEY });
    expect(await accepts(r1.ok!["url"]!)).toBe(false);

    const r2 = await call("registry-node.listen");
    await call("provider-node.reset", { secret_key: KEY });
    const p2 = await call("provider-node.listen");
    const answer = await dispatcher.handle(create(DriverRequestSchema, { id: 99n, body: { case: "shutdown", value: {} } }));
    expect(answer?.result.case).toBe("ok");
    expect(await accepts(r2.ok!["url"]!)).toBe(false);
    expect(await accepts(p2.ok!["url"]!)).toBe(false);
  });
});
