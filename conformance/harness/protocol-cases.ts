// Cases about the driver protocol itself (spec §13), run before the vector
// cases: what every session shows about the implementation's side of the
// protocol. They are the first cases that are not vector tests, and the
// model for behavioural scenarios: a Case whose run() drives the session.
import type { Case, CaseSession, CaseVerdict } from "./case.js";
import { isDeclared } from "./roles.js";
import { CORPUS_CLOCK_MS } from "./session.js";
import type { VectorCase } from "./vector-case.js";

const SUITE = "driver";

/** DRV-001, DRV-002: the hello result names the implementation and what it plays. */
class HelloCase implements Case {
  readonly id = "driver/hello-001";
  readonly suite = SUITE;
  readonly requirements = ["DRV-001", "DRV-002"];
  readonly level = "required" as const;
  readonly operations: readonly string[] = [];
  readonly exclusive = false;
  readonly expectation = "a hello result with version 1, a name and at least one role or operation";

  async run(session: CaseSession): Promise<CaseVerdict> {
    // The version was checked when the session started: a session with another version never gets here.
    const impl = session.implementation;
    session.note(`hello: ${JSON.stringify(impl)}`);
    if (impl.roles.length === 0 && impl.operations.length === 0) {
      return { outcome: "fail", message: "the hello result declares no role and no operation, so nothing can be tested (DRV-001)", observed: "no-roles" };
    }
    return { outcome: "pass" };
  }
}

/** DRV-007: the implementation answers clock with ok. */
class ClockCase implements Case {
  readonly id = "driver/clock-001";
  readonly suite = SUITE;
  readonly requirements = ["DRV-007"];
  readonly level = "required" as const;
  readonly operations: readonly string[] = [];
  // DRV-013: clock is sent with no other request waiting.
  readonly exclusive = true;
  readonly expectation = "ok";

  async run(session: CaseSession): Promise<CaseVerdict> {
    const r = await session.setClock(CORPUS_CLOCK_MS);
    if (r.kind === "ok") return { outcome: "pass", samplesMs: [r.elapsedMs] };
    const detail = r.kind === "error" ? `error ${r.code}${r.message ? `: ${r.message}` : ""}` : `${r.kind}: ${r.reason}`;
    return { outcome: "fail", message: `clock must be answered with ok (DRV-007); the implementation answered ${detail}`, observed: r.kind === "error" ? r.code : r.kind };
  }
}

/** DRV-003, DRV-004: several calls in flight at once, each answered once, under its own id. */
class ConcurrentCallsCase implements Case {
  readonly id = "driver/ids-001";
  readonly suite = SUITE;
  readonly requirements = ["DRV-003", "DRV-004"];
  readonly level = "required" as const;
  readonly operations: readonly string[] = [];
  readonly exclusive = true;
  readonly expectation = "every call of a batch sent at once answered under its own id";

  constructor(
    private readonly samples: readonly (readonly VectorCase[])[],
    private readonly roleOf: (operation: string) => string | undefined,
  ) {}

  async run(session: CaseSession): Promise<CaseVerdict> {
    // Up to 8 valid tests of declared operations, taking the operations in turn so that calls of different kinds are in flight together.
    const pools = this.samples.map((tests) => tests.filter((c) => isDeclared(session.implementation, c.spec.operation, this.roleOf))).filter((p) => p.length > 0);
    const declared: VectorCase[] = [];
    for (let round = 0; declared.length < 8 && pools.some((p) => p.length > round); round++) {
      for (const p of pools) if (p[round] !== undefined && declared.length < 8) declared.push(p[round]!);
    }
    if (declared.length < 2) return { outcome: "unsupported", message: "fewer than two valid tests of declared operations to send at once" };
    session.note(`sending ${declared.length} calls at once: ${declared.map((c) => c.id).join(", ")}`);
    // The session matches answers by id; a wrong, unknown or repeated id ends it with a framing error (DRV-004).
    const answers = await Promise.all(declared.map((c) => session.call(c.spec.operation, JSON.stringify(c.spec.inputs), JSON.stringify(c.spec.shared))));
    // Whether each answer is right is the business of the vector cases; here every call was answered under its id.
    return { outcome: "pass", samplesMs: answers.map((a) => a.elapsedMs) };
  }
}

/**
 * The protocol cases. The concurrent-calls case borrows valid tests without
 * a budget from the corpus: up to 8 of each operation.
 */
export function protocolCases(corpus: readonly VectorCase[], roleOf: (operation: string) => string | undefined): Case[] {
  const byOperation = new Map<string, VectorCase[]>();
  for (const c of corpus) {
    if (c.spec.expectation.result !== "valid" || c.budgetMs !== undefined) continue;
    const list = byOperation.get(c.spec.operation) ?? [];
    if (list.length < 8) list.push(c);
    byOperation.set(c.spec.operation, list);
  }
  return [new HelloCase(), new ClockCase(), new ConcurrentCallsCase([...byOperation.values()], roleOf)];
}
