// One driver session, independent of the transport: text in (a line or a
// frame), text out (one DriverResponse each), answers sent as they complete
// and matched by id (DRV-003), shutdown last (DRV-012).
import { fromJson, toJsonString, type JsonValue } from "@bufbuild/protobuf";
import { DriverRequestSchema, DriverResponseSchema, type DriverRequest, type DriverResponse } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { errorResponse, unsupported, type Handler } from "./dispatch.js";

/** What a received text turned out to be. */
export type Received =
  | { readonly request: DriverRequest }
  /** A request we cannot run but whose id we could read: answer it (DRV-010). */
  | { readonly reply: DriverResponse }
  /** Not even an id: say so on the diagnostic channel (DRV-010). */
  | { readonly diagnostic: string };

const UINT64_MAX = (1n << 64n) - 1n;

/** The id of a request we could not parse, if it has a usable one. */
function readId(value: unknown): bigint | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>)["id"];
  let n: bigint | undefined;
  if (typeof id === "string" && /^[1-9][0-9]{0,19}$/.test(id)) n = BigInt(id);
  else if (typeof id === "number" && Number.isSafeInteger(id) && id > 0) n = BigInt(id);
  return n !== undefined && n <= UINT64_MAX ? n : undefined;
}

/** Shows at most the first 200 characters of what was received. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/** Reads one request from its proto3 JSON text. Never throws. */
export function parseRequest(text: string): Received {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { diagnostic: `request is not JSON (${(e as Error).message}): ${quote(text)}` };
  }
  let request: DriverRequest;
  try {
    // Unknown fields fail here, so a request of a kind we do not know is answered unsupported (DRV-010).
    request = fromJson(DriverRequestSchema, json as JsonValue);
  } catch (e) {
    const id = readId(json);
    const why = `malformed request: ${(e as Error).message}`;
    return id === undefined ? { diagnostic: `${why}: ${quote(text)}` } : { reply: unsupported(id, why) };
  }
  if (request.id === 0n) return { diagnostic: `request without an id: ${quote(text)}` };
  if (request.body.case === undefined) return { reply: unsupported(request.id, "request has no body") };
  return { request };
}

/** The text of a response: proto3 JSON on one line (JSON.stringify escapes every line feed). */
export function responseText(response: DriverResponse): string {
  return toJsonString(DriverResponseSchema, response);
}

/** Where a session's output goes. */
export interface SessionIo {
  /** Sends one response (the transport adds its framing). */
  readonly send: (text: string) => void;
  /** Writes a diagnostic for people (standard error). */
  readonly log: (text: string) => void;
}

/** A driver session over some transport. */
export class DriverSession {
  private readonly pending = new Set<Promise<void>>();
  private ending = false;
  private resolveEnded!: (how: "shutdown") => void;
  /** Resolves once shutdown has been answered. */
  readonly ended: Promise<"shutdown">;

  constructor(
    private readonly handler: Handler,
    private readonly io: SessionIo,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Takes one received line or frame. */
  receive(text: string): void {
    if (this.ending) {
      this.io.log(`ignored a request received after shutdown: ${quote(text)}`);
      return;
    }
    const received = parseRequest(text);
    if ("diagnostic" in received) return this.io.log(received.diagnostic);
    if ("reply" in received) return this.io.send(responseText(received.reply));
    const { request } = received;
    if (request.body.case === "shutdown") {
      // DRV-004, DRV-012: every request is answered before the session ends.
      this.ending = true;
      void this.idle().then(async () => {
        const response = await this.handler(request);
        if (response !== undefined) this.io.send(responseText(response));
        this.resolveEnded("shutdown");
      });
      return;
    }
    // DRV-003: each answer goes out when it is ready, carrying its request's id.
    const emit = (response: DriverResponse): void => this.io.send(responseText(response));
    const task: Promise<void> = this.handler(request, emit).then(
      (response) => {
        if (response !== undefined) this.io.send(responseText(response));
      },
      (e: unknown) => {
        // Still one answer per request (DRV-004), reported as the adapter's own fault (DRV-014).
        this.io.log(`request ${request.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        this.io.send(responseText(errorResponse(request.id, "INVALID_ARGUMENT", `the adapter failed: ${e instanceof Error ? e.message : String(e)}`)));
      },
    );
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Resolves when no request is waiting for its answer. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
