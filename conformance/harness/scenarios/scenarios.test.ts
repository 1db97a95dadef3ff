// The behavioural scenarios, in process: each passes against the reference
// adapter's nodes and fails, at the step that checks it, against a node that
// breaks the rule it cites. A scenario that passed against every node would
// prove nothing.
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { DriverRequestSchema, type DriverResponse } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { createDispatcher, type AdapterOperation, type Dispatcher } from "../../adapters/reference/dispatch.js";
import { nodeOperations } from "../../adapters/reference/nodes.js";
import type { Outcome } from "../../../vectors/runner/reference-operations.js";
import type { CallResult, CaseSession, CaseVerdict, PeerHandler } from "../case.js";
import { defaultRequirementsFile } from "../paths.js";
import type { RequestBody } from "../protocol.js";
import { readRequirements } from "../requirements.js";
import { scenarioCases } from "./index.js";

const index = readRequirements(defaultRequirementsFile());
const cases = scenarioCases(index);
const byId = (id: string) => cases.find((c) => c.id === id)!;

/** Changes a node's operations; `clock` reads the session's test clock. */
type Mutation = (ops: Record<string, AdapterOperation>, clock: () => bigint | undefined) => Record<string, AdapterOperation>;

/** A session with the reference dispatcher in process, its node operations changed by the mutation. */
function sessionWith(mutate: Mutation = (ops) => ops, declared: readonly string[] = []): CaseSession {
  let dispatcher: Dispatcher | undefined;
  const clock = () => dispatcher!.clock();
  const ops = mutate({ ...nodeOperations(clock) }, clock);
  dispatcher = createDispatcher({ operations: ops });
  let id = 0n;
  const send = async (body: RequestBody, peers?: PeerHandler): Promise<CallResult> => {
    // PeerCalls go to the scenario's peers, and their answers back as PeerReply requests (DRV-027).
    const emit = (response: DriverResponse): void => {
      if (response.result.case !== "peerCall") throw new Error(`unexpected ${response.result.case} before the answer`);
      const call = response.result.value;
      if (peers === undefined) throw new Error("a PeerCall during a call that plays no peers");
      void peers(call).then(async (answer) => {
        const value = answer === "silent" ? { callId: call.callId, silent: true } : { callId: call.callId, ...answer };
        const ack = await dispatcher!.handle(create(DriverRequestSchema, { id: ++id, body: { case: "peerReply", value } }));
        if (ack?.result.case !== "ok") throw new Error(`a PeerReply answered ${ack?.result.case}`);
      });
    };
    const response = await dispatcher!.handle(create(DriverRequestSchema, { id: ++id, body }), emit);
    const r = response!.result;
    switch (r.case) {
      case "ok":
        return { kind: "ok", outputJson: r.value.outputJson, elapsedMs: 0 };
      case "error":
        return { kind: "error", code: r.value.code, message: r.value.message, elapsedMs: 0 };
      case "unsupported":
        return { kind: "unsupported", reason: r.value.reason, elapsedMs: 0 };
      default:
        throw new Error(`unexpected ${r.case}`);
    }
  };
  return {
    implementation: { name: "test", version: "0", roles: ["registry", "provider", "delegator"], operations: [...declared] },
    call: (operation, inputsJson, sharedJson, peers) => send({ case: "call", value: { operation, inputsJson, sharedJson } } as RequestBody, peers),
    setClock: (nowMs) => send({ case: "clock", value: { nowMs } } as RequestBody),
    note: () => {},
  };
}

const run = (id: string, mutate?: Mutation): Promise<CaseVerdict> => byId(id).run(sessionWith(mutate), { timeScale: 1, samples: 5 });

/** Wraps one operation: `f` sees the reference's outcome and the inputs, and returns what the broken node answers. */
function wrap(ops: Record<string, AdapterOperation>, name: string, f: (outcome: Outcome, inputs: Record<string, unknown>) => Outcome): Record<string, AdapterOperation> {
  const inner = ops[name]!;
  return { ...ops, [name]: async (inputs, shared, context) => f(await inner(inputs, shared, context), inputs) };
}

describe("behavioural scenarios", () => {
  it("have stable ids, cite known requirements and are required", () => {
    expect(cases.map((c) => c.id)).toEqual([
      "scenario/registry/order-001",
      "scenario/registry/refresh-001",
      "scenario/registry/expiry-001",
      "scenario/registry/sybil-001",
      "scenario/provider/descriptor-001",
      "scenario/provider/canary-001",
      "scenario/provider/canary-wrong-provider-001",
      "scenario/provider/task-evidence-001",
      "scenario/provider/task-replay-001",
      "scenario/delegator/fallback-001",
      "scenario/delegator/forged-evidence-001",
      "scenario/delegator/budget-001",
      "scenario/delegator/attestation-001",
    ]);
    for (const c of cases) {
      expect(c.requirements.filter((r) => !index.has(r)), c.id).toEqual([]);
      expect(c.level, c.id).toBe("required");
      expect(c.exclusive, c.id).toBe(true);
    }
  });

  for (const c of cases) {
    it(`${c.id}: passes against the reference nodes`, async () => {
      expect(await c.run(sessionWith(), { timeScale: 1, samples: 5 })).toEqual({ outcome: "pass" });
    });
  }

  it("DISC-011: order-001 fails against a registry that returns its results in another order", async () => {
    // The node answers every query as if it had no intent: E then matches, and latency alone ranks.
    const v = await run("scenario/registry/order-001", (ops) => ({
      ...ops,
      "registry-node.query": (inputs, shared) => ops["registry-node.query"]!({ ...inputs, query: { ...(inputs["query"] as object), intent: "" } }, shared),
    }));
    expect(v.outcome).toBe("fail");
    expect(v.message).toMatch(/^step 3 \(query intent "hash text"\): /);
  });

  it("DISC-002, DESC-008: refresh-001 fails against a registry that accepts a rollback", async () => {
    const v = await run("scenario/registry/refresh-001", (ops) =>
      wrap(ops, "registry-node.publish", (o) => (o.result === "invalid" && o.error === "DESC_SEQ_ROLLBACK" ? { result: "valid", output: { change: "PUBLISH_CHANGE_REFRESHED" } } : o)),
    );
    expect(v).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(v.message).toMatch(/^step 7 \(publish seq 1 again \(a rollback\)\): expected error DESC_SEQ_ROLLBACK/);
  });

  it("DISC-003, DESC-009: expiry-001 fails against a registry that serves the answer it computed at the last publish", async () => {
    const v = await run("scenario/registry/expiry-001", (_ops, clock) => {
      let querying = false;
      let lastPublish: bigint | undefined;
      const nodes = nodeOperations(() => (querying ? lastPublish : clock()));
      return {
        ...nodes,
        "registry-node.publish": (inputs) => {
          lastPublish = clock();
          return nodes["registry-node.publish"]!(inputs);
        },
        "registry-node.query": (inputs) => {
          querying = true;
          try {
            return nodes["registry-node.query"]!(inputs);
          } finally {
            querying = false;
          }
        },
      } as Record<string, AdapterOperation>;
    });
    expect(v.outcome).toBe("fail");
    expect(v.message).toMatch(/^step 4 \(move the clock to P's expires_at \+ skew and query\): the signed answer does not verify .*DISC_ANSWER_STALE/);
  });

  it("DISC-020: sybil-001 fails against a registry without a per-origin peer limit", async () => {
    let n = 0;
    const v = await run("scenario/registry/sybil-001", (ops) => ({
      ...ops,
      "registry-node.publish": (inputs, shared) => ops["registry-node.publish"]!({ ...inputs, origin: `${String(inputs["origin"])}#${n++}` }, shared),
    }));
    expect(v).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(v.message).toMatch(/^step 3 \(publish two more peers from origin-sybil\): expected error DISC_ORIGIN_PEER_LIMIT/);
  });

  it("CAN-007: canary-wrong-provider-001 fails against a provider that answers any challenge", async () => {
    const v = await run("scenario/provider/canary-wrong-provider-001", (ops) =>
      wrap(ops, "provider-node.canary", (o) => (o.result === "invalid" ? { result: "valid", output: { response: "00" } } : o)),
    );
    expect(v).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(v.message).toContain("expected error CANARY_WRONG_PROVIDER");
  });

  it("CAN-010: canary-001 fails against a provider whose response is not the one it signed", async () => {
    const v = await run("scenario/provider/canary-001", (ops) =>
      wrap(ops, "provider-node.canary", (o) => {
        const r = (o.output as { response: string }).response;
        return { result: "valid", output: { response: r.slice(0, -2) + (r.endsWith("00") ? "01" : "00") } };
      }),
    );
    expect(v.outcome).toBe("fail");
    expect(v.message).toMatch(/^step 3 \(send a challenge .*\): the canary response does not verify/);
  });

  it("TASK-012, EVD-001: task-evidence-001 fails against a provider whose result does not verify", async () => {
    const v = await run("scenario/provider/task-evidence-001", (ops) =>
      wrap(ops, "provider-node.task", (o) => {
        const r = (o.output as { result: string }).result;
        return { result: "valid", output: { result: r.slice(0, -2) + (r.endsWith("00") ? "01" : "00") } };
      }),
    );
    expect(v.outcome).toBe("fail");
    expect(v.message).toMatch(/^step 3 \(send a task request that requires evidence\): the result does not verify/);
  });

  it("TASK-011: task-replay-001 fails against a provider without replay memory", async () => {
    const v = await run("scenario/provider/task-replay-001", (ops) => {
      let first: Outcome | undefined;
      return wrap(ops, "provider-node.task", (o) => (o.result === "invalid" && o.error === "TASK_REPLAYED" && first !== undefined ? first : (first ??= o)));
    });
    expect(v).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(v.message).toMatch(/^step 3 \(send the same request again 1 s later\): expected error TASK_REPLAYED/);
  });

  /** Changes the delegator's inputs before the reference delegator sees them. */
  const delegatorWith = (change: (inputs: Record<string, unknown>) => Record<string, unknown>): Mutation => (ops) => ({
    ...ops,
    "delegator-node.delegate": (inputs, shared, context) => ops["delegator-node.delegate"]!(change(inputs) as typeof inputs, shared, context),
  });

  it("TIER-004, DLG-003: forged-evidence-001 and fallback-001 fail against a delegator that does not require evidence", async () => {
    // At MEDIUM the delegator sends canaries but asks for no evidence, so the forger's made-up output passes.
    const canaryOnly = delegatorWith((inputs) => ({ ...inputs, risk: "TASK_RISK_MEDIUM" }));
    const forged = await run("scenario/delegator/forged-evidence-001", canaryOnly);
    expect(forged).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(forged.message).toMatch(/^step 2 \(delegate a HIGH-risk task\): the delegation accepted the forger's result/);
    const fallback = await run("scenario/delegator/fallback-001", canaryOnly);
    expect(fallback.outcome).toBe("fail");
    expect(fallback.message).toMatch(/chose forger with error "", not the honest provider/);
    // At LOW it sends no canary at all: a task to a provider that was not sent one first fails the scenario.
    const noCanary = await run("scenario/delegator/fallback-001", delegatorWith((inputs) => ({ ...inputs, risk: "TASK_RISK_LOW" })));
    expect(noCanary.message).toMatch(/forger was sent a task without a canary first/);
  });

  it("DLG-005, CAN-030: budget-001 fails against a delegator that ignores max_attempts", async () => {
    const v = await run("scenario/delegator/budget-001", delegatorWith(({ policy: _ignored, ...inputs }) => inputs));
    expect(v.outcome).toBe("fail");
    expect(v.message).toMatch(/^step 2 \(delegate a HIGH-risk task with max_attempts 1\): the delegation ended with chosen honest and error "", not DELEGATION_FAILED/);
  });

  it("DLG-006: budget-001 fails against a delegator that attests a provider it never contacted", async () => {
    const v = await run("scenario/delegator/budget-001", (ops) =>
      wrap(ops, "delegator-node.delegate", (o) => {
        const out = o.output as { attested: string[] };
        return { result: "valid", output: { ...out, attested: [...out.attested, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"] } };
      }),
    );
    expect(v.outcome).toBe("fail");
    expect(v.message).toMatch(/outcome attestations about did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK, which were sent no canary and no task \(DLG-006\)/);
  });

  it("DLG-007: attestation-001 fails against a delegator that does not require a platform attestation", async () => {
    const v = await run(
      "scenario/delegator/attestation-001",
      delegatorWith((inputs) => {
        const policy = inputs["policy"] as { rules: { risk: string; requireAttestation?: boolean }[] };
        return { ...inputs, policy: { rules: policy.rules.map((r) => (r.risk === "TASK_RISK_CRITICAL" ? { ...r, requireAttestation: false } : r)) } };
      }),
    );
    expect(v).toMatchObject({ outcome: "fail", observed: "valid" });
    expect(v.message).toMatch(/^step 2 \(delegate a CRITICAL-risk task, .*\): the delegation accepted honest's result, which carries no platform attestation \(DLG-007\)/);
  });

  it("a node operation answered unsupported makes the scenario unsupported, not failed", async () => {
    const v = await run("scenario/provider/task-replay-001", (ops) => {
      const { ["provider-node.task"]: _gone, ...rest } = ops;
      return rest;
    });
    expect(v.outcome).toBe("unsupported");
  });
});
