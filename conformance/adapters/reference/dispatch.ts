// The reference implementation's side of the driver protocol (spec/13-conformance.md):
// one DriverRequest in, one DriverResponse out, with the operations of the
// test-vector corpus taken from REFERENCE_OPERATIONS. Transports (stdio.ts,
// ws.ts) and the session rules (session.ts) live elsewhere; this module only
// decides what to answer.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  DriverHelloResultSchema,
  DriverResponseSchema,
  DriverRole,
  PeerCallKind,
  type DriverRequest,
  type DriverResponse,
  type OperationCall,
} from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { isAp2pError, isErrorCodeName } from "../../../reference/src/errors.js";
import { REFERENCE_OPERATIONS, type Json, type JsonObject, type Outcome } from "../../../vectors/runner/reference-operations.js";
import { Endpoints } from "./endpoints.js";
import { nodeOperations } from "./nodes.js";

/** The driver protocol version this adapter speaks (DRV-002). */
export const DRIVER_PROTOCOL_VERSION = 1;

/**
 * Answers one request; undefined means "never answer" (only deliberately
 * broken implementations do that). `emit` sends a message that is not the
 * answer, before it: the PeerCalls of an operation that calls peers the
 * harness plays (§13.10).
 */
export type Handler = (request: DriverRequest, emit?: (response: DriverResponse) => void) => Promise<DriverResponse | undefined>;

/** What a peer the harness plays answered: its bytes, or nothing (it was silent). */
export type PeerAnswer = { readonly payload: Uint8Array; readonly output?: Uint8Array } | undefined;

/** A call to a peer the harness plays (a PeerCall without its id). */
export interface PeerRequest {
  readonly peerId: string;
  readonly kind: PeerCallKind;
  readonly queryJson?: string;
  readonly payload?: Uint8Array;
  readonly input?: Uint8Array;
}

/** What an operation may do besides computing: call the peers the harness plays (DRV-027). */
export interface OperationContext {
  readonly peer: (call: PeerRequest) => Promise<PeerAnswer>;
}

/** An operation as the adapter runs it: the corpus operations are synchronous, later ones may not be. */
export type AdapterOperation = (inputs: JsonObject, shared: JsonObject, context?: OperationContext) => Outcome | Promise<Outcome>;

/** How a dispatcher presents itself and what it runs. */
export interface DispatcherOptions {
  /**
   * The operations, by name. By default REFERENCE_OPERATIONS, read at each
   * call so that later additions count, and the session's node operations
   * (a registry and a provider that keep their state for the session, §13.10).
   */
  readonly operations?: Readonly<Record<string, AdapterOperation>>;
  /** The name in the hello result. */
  readonly name?: string;
  /** The version in the hello result. */
  readonly version?: string;
  /** The roles in the hello result; every role by default. */
  readonly roles?: readonly DriverRole[];
  /** Where diagnostics go (standard error in the CLI). */
  readonly log?: (text: string) => void;
  /** The source of the handshake nonces of the nodes' endpoints (§13.11); the machine's secure generator by default. */
  readonly random?: (n: number) => Uint8Array;
}

/** The reference side of a session: it keeps the test clock (DRV-007) and answers requests. */
export interface Dispatcher {
  readonly handle: Handler;
  /** The time of the last clock request answered, if any. */
  readonly clock: () => bigint | undefined;
  /** Closes the endpoints the session's nodes opened (DRV-029); also done before shutdown is answered. */
  readonly close: () => Promise<void>;
}

const EVERY_ROLE: readonly DriverRole[] = [
  DriverRole.CODEC,
  DriverRole.SIGNER,
  DriverRole.VERIFIER,
  DriverRole.REGISTRY,
  DriverRole.PROVIDER,
  DriverRole.DELEGATOR,
];

/** A response with the given id and result. */
export function respond(id: bigint, result: MessageInitShape<typeof DriverResponseSchema>["result"]): DriverResponse {
  return create(DriverResponseSchema, { id, result });
}

/** An Unsupported response (DRV-006, DRV-010). */
export function unsupported(id: bigint, reason: string): DriverResponse {
  return respond(id, { case: "unsupported", value: { reason: cap(reason, 1024) } });
}

/** An OperationError response. */
export function errorResponse(id: bigint, code: string, message: string): DriverResponse {
  return respond(id, { case: "error", value: { code, message: cap(message, 4096) } });
}

/** An OperationOk response carrying a JSON output. */
export function okResponse(id: bigint, output: Json = {}): DriverResponse {
  return respond(id, { case: "ok", value: { outputJson: JSON.stringify(output) } });
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Parses inputs_json or shared_json: a JSON object, or "" for none. */
function parseObject(text: string, name: string): JsonObject {
  if (text === "") return {};
  const value = JSON.parse(text) as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${name} is not a JSON object`);
  return value as JsonObject;
}

/**
 * DRV-007: a call whose inputs and shared inputs carry no `now` runs at the
 * test clock. The reference operations take time only as an input, so the
 * clock reaches them as the group's `now` (a decimal string, as the corpus
 * writes times).
 */
export function withClock(inputs: JsonObject, shared: JsonObject, clock: bigint | undefined): JsonObject {
  if (clock === undefined || "now" in inputs || "now" in shared) return shared;
  return { ...shared, now: clock.toString() };
}

/** Turns an operation's outcome into a result. A code outside the registry is the reference's own fault (DRV-014). */
function fromOutcome(id: bigint, outcome: Outcome): DriverResponse {
  if (outcome.result === "valid") return okResponse(id, outcome.output ?? {});
  const code = outcome.error;
  if (code !== undefined && isErrorCodeName(code)) return errorResponse(id, code, outcome.message ?? "");
  // descriptor.store reports a refused history as "PRECONDITION ...": not a verdict about the input.
  return errorResponse(id, "INVALID_ARGUMENT", `the reference gave no registry code: ${code ?? "(none)"}`);
}

/** Creates the reference dispatcher for one session. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const log = options.log ?? (() => {});
  let clock: bigint | undefined;
  // Node operations run on the session's test clock (DRV-007) and keep state for the session.
  const endpoints = new Endpoints({ clock: () => clock ?? 0n, ...(options.random === undefined ? {} : { random: options.random }) });
  const nodes = nodeOperations(() => clock, { endpoints });
  const operations = (): Readonly<Record<string, AdapterOperation>> => options.operations ?? { ...REFERENCE_OPERATIONS, ...nodes };

  // DRV-027: the PeerCalls waiting for their PeerReply, by call_id, unique for the session.
  const waiting = new Map<bigint, (answer: PeerAnswer) => void>();
  let nextCallId = 0n;
  const contextFor = (id: bigint, emit: ((response: DriverResponse) => void) | undefined): OperationContext => ({
    peer: (p) => {
      if (emit === undefined) return Promise.reject(new Error("this transport cannot call peers"));
      const callId = ++nextCallId;
      return new Promise<PeerAnswer>((resolve) => {
        waiting.set(callId, resolve);
        emit(
          respond(id, {
            case: "peerCall",
            value: { callId, peerId: p.peerId, kind: p.kind, queryJson: p.queryJson ?? "", payload: p.payload ?? new Uint8Array(), input: p.input ?? new Uint8Array() },
          }),
        );
      });
    },
  });

  async function call(id: bigint, c: OperationCall, emit: ((response: DriverResponse) => void) | undefined): Promise<DriverResponse> {
    const table = operations();
    const op = Object.hasOwn(table, c.operation) ? table[c.operation] : undefined;
    if (op === undefined) return unsupported(id, `operation "${c.operation}" is not implemented`);
    let inputs: JsonObject;
    let shared: JsonObject;
    try {
      inputs = parseObject(c.inputsJson, "inputs_json");
      shared = withClock(inputs, parseObject(c.sharedJson, "shared_json"), clock);
    } catch (e) {
      return errorResponse(id, "INVALID_ARGUMENT", `cannot read the call: ${(e as Error).message}`);
    }
    try {
      return fromOutcome(id, await op(inputs, shared, contextFor(id, emit)));
    } catch (e) {
      // Caller misuse surfaces as INVALID_ARGUMENT, as in runReference; anything
      // else is a fault of the adapter or the reference, reported as such (DRV-014).
      if (isAp2pError(e)) return errorResponse(id, e.code, e.message);
      const message = e instanceof Error ? e.message : String(e);
      log(`${c.operation} (request ${id}) failed: ${e instanceof Error && e.stack !== undefined ? e.stack : message}`);
      return errorResponse(id, "INVALID_ARGUMENT", `the reference could not run ${c.operation}: ${message}`);
    }
  }

  const handle: Handler = async (request, emit) => {
    const id = request.id;
    switch (request.body.case) {
      case "hello":
        // DRV-002: answer with our version, whatever the harness speaks; the harness decides.
        return respond(id, {
          case: "hello",
          value: create(DriverHelloResultSchema, {
            driverProtocolVersion: DRIVER_PROTOCOL_VERSION,
            implementationName: options.name ?? "ap2p-reference",
            implementationVersion: options.version ?? "0.1.0",
            roles: [...(options.roles ?? EVERY_ROLE)],
            // DRV-009: name every operation, so that operations added later are announced.
            operations: Object.keys(operations()).sort(),
          }),
        });
      case "clock":
        clock = request.body.value.nowMs;
        return okResponse(id);
      case "call":
        return call(id, request.body.value, emit);
      case "peerReply": {
        const reply = request.body.value;
        const resolve = waiting.get(reply.callId);
        if (resolve === undefined) return errorResponse(id, "INVALID_ARGUMENT", `no peer call ${reply.callId} is waiting for a reply`);
        waiting.delete(reply.callId);
        resolve(reply.silent ? undefined : { payload: reply.payload, ...(reply.output.length > 0 ? { output: reply.output } : {}) });
        return okResponse(id);
      }
      case "shutdown":
        // DRV-029: no endpoint of the session outlives it.
        await endpoints.closeAll();
        return okResponse(id);
      default:
        return unsupported(id, "request has no body");
    }
  };

  return { handle, clock: () => clock, close: () => endpoints.closeAll() };
}
