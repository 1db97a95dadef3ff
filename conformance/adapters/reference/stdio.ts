// The driver protocol over standard input and output (spec §13.6.1): one
// request per line in, one response per line out, and nothing else on the
// output (DRV-018). Diagnostics go to standard error.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Handler } from "./dispatch.js";
import { DriverSession } from "./session.js";

/** The streams of a stdio session; the process's own by default. */
export interface StdioOptions {
  readonly handler: Handler;
  readonly input?: Readable;
  readonly output?: Writable;
  readonly errors?: Writable;
  /** Prefix of diagnostic lines. */
  readonly name?: string;
  /** Called with each response line before it is written; deliberately broken implementations hook in here. */
  readonly write?: (line: string, output: Writable) => void;
}

/** How a stdio session ended. */
export type StdioEnd = "shutdown" | "eof";

/**
 * Serves one session. Resolves after shutdown has been answered, or, when the
 * input ends, after every request received has been answered (DRV-012); the
 * caller then exits with status 0.
 */
export function serveStdio(options: StdioOptions): Promise<StdioEnd> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errors = options.errors ?? process.stderr;
  const name = options.name ?? "ap2p driver";
  const write = options.write ?? ((line: string, out: Writable) => void out.write(`${line}\n`));

  const session = new DriverSession(options.handler, {
    send: (text) => write(text, output),
    log: (text) => void errors.write(`${name}: ${text}\n`),
  });
  // crlfDelay: a CR before the LF belongs to the line ending, not to the request.
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  lines.on("line", (line) => session.receive(line));

  return new Promise<StdioEnd>((resolve) => {
    void session.ended.then(() => {
      lines.close();
      resolve("shutdown");
    });
    lines.once("close", () => {
      void session.idle().then(() => resolve("eof"));
    });
  });
}
