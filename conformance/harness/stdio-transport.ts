// The stdio transport: one DriverRequest per line on the implementation's
// stdin, one DriverResponse per line on its stdout (newline-delimited JSON);
// stderr is free text for humans and is captured.
import { LaunchedProcess, describeExit } from "./process-group.js";
import { quote } from "./protocol.js";
import type { LaunchOptions, Launcher, Transport, TransportEvents } from "./transport.js";

/** The longest line accepted from stdout; longer is a framing error, so that a runaway writer cannot exhaust memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Splits a character stream into lines; a final partial line is reported by flush(). */
export class LineSplitter {
  #buffer = "";
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (head: string) => void,
    private readonly maxChars: number = MAX_LINE_CHARS,
  ) {}
  push(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf("\n")) >= 0) {
      // DRV-018: a carriage return before the line feed is ignored.
      const line = this.#buffer.slice(0, nl > 0 && this.#buffer[nl - 1] === "\r" ? nl - 1 : nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      this.onLine(line);
    }
    if (this.#buffer.length > this.maxChars) {
      const head = this.#buffer;
      this.#buffer = "";
      this.onOverflow(head);
    }
  }
  /** What is left without a line feed. */
  rest(): string {
    return this.#buffer;
  }
}

class StdioTransport implements Transport {
  #ended = false;
  constructor(
    readonly process: LaunchedProcess,
    readonly events: TransportEvents,
    readonly graceMs: number,
  ) {
    const lose = (kind: "crash" | "framing", message: string) => {
      if (this.#ended) return;
      this.#ended = true;
      events.lost(kind, message);
    };
    const lines = new LineSplitter(
      (line) => {
        if (!this.#ended) events.message(line);
      },
      (head) => lose("framing", `a stdout line longer than ${MAX_LINE_CHARS} characters: ${quote(head)}`),
    );
    const child = process.child;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => lines.push(chunk));
    child.stderr.on("data", (chunk: string) => {
      if (!this.#ended) events.stderr(chunk);
    });
    const ended = (how: string) => {
      const rest = lines.rest();
      if (rest.length > 0) lose("framing", `stdout ended inside a line (no line feed after ${quote(rest)}); the implementation ${how}`);
      else lose("crash", `the implementation ${how}`);
    };
    // The exit may be seen before the last stdout bytes; give them a moment to arrive.
    void process.exited.then((info) => setTimeout(() => ended(describeExit(info)), 50).unref());
    child.stdout.on("end", () => {
      setTimeout(() => ended(process.exit === undefined ? "closed its stdout" : describeExit(process.exit)), 50).unref();
    });
  }

  send(text: string): void {
    if (this.#ended) return;
    this.process.child.stdin.write(`${text}\n`);
  }

  stderrTail(): string {
    return this.process.stderrTail.text;
  }

  terminate(): Promise<void> {
    this.#ended = true;
    return this.process.terminate(this.graceMs);
  }

  async close(): Promise<string | undefined> {
    this.#ended = true;
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([this.process.exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.graceMs)))]);
    clearTimeout(timer);
    await this.process.terminate(this.graceMs);
    if (exit === undefined) return `DRV-012: the implementation did not exit within ${Math.round(this.graceMs)} ms of answering shutdown; its process group was ended`;
    if (exit.code !== 0) return `DRV-012: after shutdown the implementation ${describeExit(exit)}, not with status 0`;
    return undefined;
  }
}

/** Launches `sh -c "<command>"` for each session and speaks NDJSON over its stdio. */
export function stdioLauncher(command: string, options: LaunchOptions): Launcher {
  return {
    transport: "stdio",
    target: command,
    open: async (events) => {
      const launched = new LaunchedProcess(command, options);
      return new StdioTransport(launched, events, options.graceMs);
    },
  };
}
