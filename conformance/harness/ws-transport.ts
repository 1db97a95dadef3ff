// The WebSocket transport: one DriverRequest or DriverResponse per text
// frame. The harness either connects to an implementation that is already
// running (--ws URL), or launches one (--ws-command): a launched
// implementation listens on loopback and prints exactly one line,
// `AP2P-DRIVER-LISTENING <ws-url>`, to stdout, and nothing else after it.
import WebSocket from "ws";
import { LaunchedProcess, describeExit } from "./process-group.js";
import { quote } from "./protocol.js";
import { LineSplitter } from "./stdio-transport.js";
import { StartFailure, type LaunchOptions, type Launcher, type Transport, type TransportEvents } from "./transport.js";

/** The line a launched implementation prints when it is ready. */
export const LISTENING_PREFIX = "AP2P-DRIVER-LISTENING ";

/** The largest frame accepted from the implementation. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** True if a ws:// URL names a loopback host. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== "ws:" && u.protocol !== "wss:") return false;
    const host = u.hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

class WsTransport implements Transport {
  #ended = false;
  constructor(
    readonly socket: WebSocket,
    readonly events: TransportEvents,
    readonly graceMs: number,
    readonly launched: LaunchedProcess | undefined,
  ) {
    socket.on("message", (data, isBinary) => {
      if (this.#ended) return;
      const text = Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data).toString("utf8");
      if (isBinary) this.lose("framing", `a binary frame (driver messages are text frames): ${quote(text)}`);
      else events.message(text);
    });
    socket.on("close", (code, reason) => this.lose("crash", `the connection closed (code ${code}${reason.length > 0 ? `, ${reason.toString("utf8")}` : ""})`));
    socket.on("error", (e) => this.lose("crash", `the connection failed: ${e.message}`));
    if (launched !== undefined) {
      launched.child.stderr.on("data", (chunk: string) => {
        if (!this.#ended) events.stderr(chunk);
      });
      void launched.exited.then((info) => this.lose("crash", `the implementation ${describeExit(info)}`));
    }
  }

  lose(kind: "crash" | "framing", message: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.events.lost(kind, message);
  }

  send(text: string): void {
    if (this.#ended || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(text);
  }

  stderrTail(): string {
    return this.launched?.stderrTail.text ?? "";
  }

  async terminate(): Promise<void> {
    this.#ended = true;
    this.socket.terminate();
    await this.launched?.terminate(this.graceMs);
  }

  async close(): Promise<string | undefined> {
    this.#ended = true;
    const closed = new Promise<true>((resolve) => this.socket.once("close", () => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const byImplementation =
      this.socket.readyState === WebSocket.CLOSED ||
      (await Promise.race([closed, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.graceMs)))]));
    clearTimeout(timer);
    this.socket.terminate();
    await this.launched?.terminate(this.graceMs);
    return byImplementation ? undefined : `DRV-012: the implementation did not close the connection within ${Math.round(this.graceMs)} ms of answering shutdown`;
  }
}

/** Connects, within the deadline. */
function connect(url: string, deadlineMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES, handshakeTimeout: Math.max(1, Math.round(deadlineMs)) });
    const fail = (message: string) => {
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.terminate();
      reject(new StartFailure("crash", message));
    };
    socket.once("open", () => {
      socket.removeAllListeners();
      resolve(socket);
    });
    socket.once("error", (e) => fail(`cannot connect to ${url}: ${e.message}`));
    socket.once("unexpected-response", (_req, res) => fail(`cannot connect to ${url}: HTTP ${res.statusCode} instead of a WebSocket upgrade`));
  });
}

/** Connects to an implementation that is already running, for each session. */
export function wsLauncher(url: string, options: LaunchOptions): Launcher {
  return {
    transport: "ws",
    target: url,
    open: async (events, deadlineMs) => new WsTransport(await connect(url, deadlineMs), events, options.graceMs, undefined),
  };
}

/**
 * Watches a launched implementation's stdout: first for the LISTENING line
 * (within the deadline), then for anything else, which is a framing error
 * (DRV-020) whenever it comes, even while the harness is still connecting.
 */
class StdoutWatch {
  #noise: string | undefined;
  #onNoise: ((text: string) => void) | undefined;
  readonly url: Promise<string>;

  constructor(launched: LaunchedProcess, deadlineMs: number) {
    const child = launched.child;
    let listening = false;
    let timer: NodeJS.Timeout | undefined;
    let settle: { resolve(url: string): void; reject(e: Error): void } | undefined;
    this.url = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    const fail = (e: StartFailure) => {
      clearTimeout(timer);
      settle?.reject(e);
      settle = undefined;
    };
    const noise = (text: string) => {
      if (this.#noise !== undefined) return;
      this.#noise = text;
      this.#onNoise?.(text);
    };
    const lines = new LineSplitter(
      (line) => {
        if (listening) return noise(`${line}\n`);
        if (!line.startsWith(LISTENING_PREFIX)) {
          return fail(new StartFailure("framing", `stdout must hold only "${LISTENING_PREFIX}<ws-url>", but the implementation printed ${quote(line)}`));
        }
        const url = line.slice(LISTENING_PREFIX.length).trim();
        // DRV-020, DRV-021: the harness connects to loopback only.
        if (!isLoopbackUrl(url)) return fail(new StartFailure("framing", `the implementation listens on ${quote(url)}, which is not a ws:// URL on loopback`));
        listening = true;
        clearTimeout(timer);
        settle?.resolve(url);
        settle = undefined;
      },
      (head) => (listening ? noise(head) : fail(new StartFailure("framing", `stdout must hold only "${LISTENING_PREFIX}<ws-url>", but the implementation printed ${quote(head)}`))),
      64 * 1024,
    );
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      lines.push(chunk);
      // A partial line after the LISTENING line is noise too.
      if (listening && lines.rest().length > 0) noise(lines.rest());
    });
    timer = setTimeout(() => fail(new StartFailure("timeout", `no "${LISTENING_PREFIX}<ws-url>" line on stdout within ${Math.round(deadlineMs)} ms`)), deadlineMs);
    void launched.exited.then((info) =>
      setTimeout(() => fail(new StartFailure("crash", `the implementation ${describeExit(info)} before printing "${LISTENING_PREFIX}<ws-url>"`)), 50),
    );
  }

  /** Calls back on stdout after the LISTENING line: at once if some has already come. */
  onNoise(callback: (text: string) => void): void {
    this.#onNoise = callback;
    if (this.#noise !== undefined) callback(this.#noise);
  }
}

/** Launches `sh -c "<command>"` for each session, waits for its LISTENING line, and connects. */
export function wsCommandLauncher(command: string, options: LaunchOptions): Launcher {
  return {
    transport: "ws",
    target: command,
    open: async (events, deadlineMs) => {
      const launched = new LaunchedProcess(command, options);
      const started = performance.now();
      try {
        const watch = new StdoutWatch(launched, deadlineMs);
        const url = await watch.url;
        const socket = await connect(url, Math.max(1, deadlineMs - (performance.now() - started)));
        const transport = new WsTransport(socket, events, options.graceMs, launched);
        watch.onNoise((text) => queueMicrotask(() => transport.lose("framing", `stdout after the ${LISTENING_PREFIX.trim()} line: ${quote(text)}`)));
        return transport;
      } catch (e) {
        await launched.terminate(options.graceMs);
        throw e;
      }
    },
  };
}
