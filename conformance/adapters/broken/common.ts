// What every deliberately broken implementation shares: the reference
// adapter over stdio, with one hook that breaks one rule. Each program in this
// folder is the reference plus one misbehaviour, so a harness that classifies
// it correctly has shown it can tell that misbehaviour from a conforming
// implementation.
import type { Writable } from "node:stream";
import type { DriverRequest, DriverResponse } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { createDispatcher, okResponse, type Handler } from "../reference/dispatch.js";
import { serveStdio } from "../reference/stdio.js";

/** The banner prints-banner writes first (tests look for it in reports). */
export const BANNER = "AP2P driver (broken/prints-banner) ready";
/** The line emits-garbage writes (tests look for it in reports). */
export const GARBAGE = "<<< not a DriverResponse: broken/emits-garbage >>>";

/** Where a broken implementation hooks into the reference adapter. */
export interface Misbehaviour {
  /**
   * Rewrites the reference's answer to a request. `calls` counts the calls
   * (OperationCall requests) received so far, this one included. Returning
   * undefined sends no answer at all.
   */
  readonly answer?: (request: DriverRequest, response: DriverResponse, calls: number) => DriverResponse | undefined | Promise<DriverResponse | undefined>;
  /** Runs before the first request is read. */
  readonly start?: (stdout: Writable) => void;
  /** Writes one response line (the default writes it followed by a line feed). */
  readonly write?: (line: string, stdout: Writable) => void;
  /** Runs after the session ended, before the process exits (to flush what write() held back). */
  readonly finish?: (stdout: Writable) => Promise<void> | void;
  /** The source of the handshake nonces of the nodes' endpoints (spec §13.11), instead of a secure one. */
  readonly random?: (n: number) => Uint8Array;
}

/** The value of `--name VALUE` on the command line, or the default. */
export function knob(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`--${name} takes a non-negative number\n`);
    process.exit(2);
  }
  return value;
}

/** The value of `--name VALUE` as text, or the default. */
export function textKnob(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 || process.argv[i + 1] === undefined ? fallback : process.argv[i + 1]!;
}

/** An ok answer with no output, in place of whatever the reference said. */
export function acceptInstead(response: DriverResponse): DriverResponse {
  return okResponse(response.id);
}

/** The error code of an answer, if it is an error. */
export function errorCode(response: DriverResponse): string | undefined {
  return response.result.case === "error" ? response.result.value.code : undefined;
}

/** Serves one stdio session with the misbehaviour, then exits. */
export async function runBroken(name: string, m: Misbehaviour): Promise<void> {
  const log = (text: string): void => void process.stderr.write(`broken/${name}: ${text}\n`);
  const dispatcher = createDispatcher({ name: `broken-${name}`, log, ...(m.random === undefined ? {} : { random: m.random }) });
  let calls = 0;
  const handler: Handler = async (request, emit) => {
    if (request.body.case === "call") calls++;
    const seen = calls;
    const response = await dispatcher.handle(request, emit);
    if (response === undefined || m.answer === undefined) return response;
    return m.answer(request, response, seen);
  };
  m.start?.(process.stdout);
  await serveStdio({ handler, name: `broken/${name}`, ...(m.write ? { write: m.write } : {}) });
  // The nodes' endpoints close with the session, however it ended (DRV-029).
  await dispatcher.close();
  await m.finish?.(process.stdout);
  process.stdin.destroy();
}
