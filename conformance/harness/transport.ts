// What a session needs from a transport: send one message, receive messages,
// hear about stderr, and learn that the channel is gone. stdio and WebSocket
// are parallel implementations (stdio-transport.ts, ws-transport.ts).

/** What a transport reports. */
export interface TransportEvents {
  /** One message from the implementation (a line, or a text frame). */
  message(text: string): void;
  /** Some of the implementation's stderr. */
  stderr(text: string): void;
  /**
   * The channel is unusable: the process ended, the connection closed
   * ("crash"), or the transport itself saw bytes that are not a message
   * ("framing"). Reported at most once, and never after terminate().
   */
  lost(kind: "crash" | "framing", message: string): void;
}

/** An open channel to the implementation. */
export interface Transport {
  /** Sends one message. */
  send(text: string): void;
  /** Ends the channel now, and what was launched for it (SIGTERM, then SIGKILL after the grace period). */
  terminate(): Promise<void>;
  /**
   * Ends the channel after Shutdown: gives the implementation the grace
   * period to exit (stdio) or close the connection (WebSocket), then
   * terminates. Resolves with a warning when it did not, or exited with a
   * status other than 0 (DRV-012).
   */
  close(): Promise<string | undefined>;
  /** The last of the implementation's stderr, for crash messages. */
  stderrTail(): string;
}

/** Opens transports to one implementation: the first for the run, and a new one after each crash. */
export interface Launcher {
  readonly transport: "stdio" | "ws";
  /** How the implementation is reached, for the report ("sh -c '…'", "ws://127.0.0.1:…"). */
  readonly target: string;
  /** Opens a channel; rejects (with a StartFailure) if it cannot within the deadline. */
  open(events: TransportEvents, deadlineMs: number): Promise<Transport>;
}

/** Why a channel could not be opened. */
export class StartFailure extends Error {
  override readonly name = "StartFailure";
  constructor(
    readonly kind: "crash" | "framing" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

/** Settings shared by the launchers. */
export interface LaunchOptions {
  /** Time allowed between SIGTERM and SIGKILL, and for a polite exit after Shutdown. */
  readonly graceMs: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}
