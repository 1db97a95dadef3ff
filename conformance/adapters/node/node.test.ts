// The node adapter (`ap2p driver --node`) passes the whole conformance suite
// over both driver transports, its registry, provider and delegator
// operations crossing real loopback connections; and its nodes stop with
// the session.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { DriverRequestSchema } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { issueDescriptor } from "../../../reference/src/descriptor/issue.js";
import { referenceCommand } from "../../harness/harness.js";
import { runHarness } from "../../harness/testing/run.js";
import { createNodeDispatcher } from "./dispatch.js";

describe("ap2p driver --node", () => {
  it("passes every required case over stdio", async () => {
    const ref = referenceCommand("stdio");
    const r = await runHarness({ kind: "stdio", command: `${ref.command} --node` }, { cwd: ref.cwd, run: { caseTimeoutMs: 10_000, startupTimeoutMs: 20_000 } });
    expect(r.report.cases.filter((c) => c.outcome !== "pass").map((c) => `${c.id}: ${c.outcome} ${c.message}`)).toEqual([]);
    expect(r.report.implementation.name).toBe("ap2p-node");
    expect(r.report.incidents).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 90_000);

  it("passes every required case over WebSocket", async () => {
    const ref = referenceCommand("ws");
    const r = await runHarness({ kind: "ws-command", command: `${ref.command} --node` }, { cwd: ref.cwd, run: { caseTimeoutMs: 10_000, startupTimeoutMs: 20_000 } });
    expect(r.report.cases.filter((c) => c.outcome !== "pass").map((c) => `${c.id}: ${c.outcome} ${c.message}`)).toEqual([]);
    expect(r.report.incidents).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 90_000);

  it("runs registry operations through a registry node, each harness origin its own connection", async () => {
    const d = createNodeDispatcher();
    let id = 0n;
    const send = (body: MessageInitShape<typeof DriverRequestSchema>["body"]) => d.handle(create(DriverRequestSchema, { id: ++id, body }));
    const call = async (operation: string, inputs: object) => {
      const r = await send({ case: "call", value: { operation, inputsJson: JSON.stringify(inputs), sharedJson: "" } });
      if (r?.result.case === "ok") return { ok: JSON.parse(r.result.value.outputJson) as Record<string, string> };
      if (r?.result.case === "error") return { code: r.result.value.code };
      throw new Error(`${operation}: no answer`);
    };
    const now = 1_767_225_600_000n;
    await send({ case: "clock", value: { nowMs: now } });
    const reset = await call("registry-node.reset", { secret_key: "11".repeat(32), policy: { max_peers_per_origin: 1 } });
    expect(reset.ok?.["registry_id"]).toMatch(/^did:key:z6Mk/);
    const descriptor = (label: string) =>
      Buffer.from(issueDescriptor(sha256(new TextEncoder().encode(label)), { capabilities: [SHA256_TEST_CAPABILITY.capability] }, 1n, { now, ttlMs: 60_000n }).bytes).toString("hex");
    expect((await call("registry-node.publish", { descriptor: descriptor("p1"), origin: "origin-a" })).ok?.["change"]).toBe("PUBLISH_CHANGE_PUBLISHED");
    expect((await call("registry-node.publish", { descriptor: descriptor("p2"), origin: "origin-a" })).code).toBe("DISC_ORIGIN_PEER_LIMIT");
    expect((await call("registry-node.publish", { descriptor: descriptor("p2"), origin: "origin-b" })).ok?.["change"]).toBe("PUBLISH_CHANGE_PUBLISHED");
    await d.close();
    // Stopped: a later operation finds no registry.
    expect((await call("registry-node.publish", { descriptor: descriptor("p3"), origin: "origin-c" })).code).toBe("INVALID_ARGUMENT");
  });
});
