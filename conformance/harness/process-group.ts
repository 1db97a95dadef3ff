// Launching an implementation as `sh -c "<command>"` in its own process
// group, and ending it: SIGTERM to the whole group, then SIGKILL after a
// grace period. Signalling the group, not the shell, reaches whatever the
// command started (a runtime, a wrapper script, its children), so a hung
// implementation never outlives the case that found it, nor the harness.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { TailBuffer } from "./text.js";

/** How a launched process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Says how a process ended, in words. */
export function describeExit(e: ExitInfo): string {
  if (e.signal !== null) return `was killed by ${e.signal}`;
  return `exited with code ${e.code}`;
}

/** Process groups still alive, killed outright if the harness itself exits. */
const LIVE_GROUPS = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of LIVE_GROUPS) killGroup(pid, "SIGKILL");
  });
}

/** A launched implementation. */
export class LaunchedProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly command: string;
  /** Resolves when the shell (the group leader) has exited. */
  readonly exited: Promise<ExitInfo>;
  /** The last bytes of stderr, for crash messages. */
  readonly stderrTail = new TailBuffer(4096);
  #exit: ExitInfo | undefined;
  #terminating: Promise<void> | undefined;

  constructor(command: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    installExitHook();
    this.command = command;
    this.child = spawn("sh", ["-c", command], {
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: options.env ?? process.env,
    });
    const pid = this.child.pid;
    if (pid !== undefined) LIVE_GROUPS.add(pid);
    this.exited = new Promise<ExitInfo>((resolve) => {
      const done = (info: ExitInfo) => {
        if (this.#exit !== undefined) return;
        this.#exit = info;
        resolve(info);
      };
      this.child.once("exit", (code, signal) => done({ code, signal }));
      this.child.once("error", () => done({ code: 127, signal: null }));
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => this.stderrTail.append(chunk));
    // Writing to a process that has exited fails with EPIPE; the exit is reported, not the write.
    this.child.stdin.on("error", () => {});
  }

  /** How the process ended, once it has. */
  get exit(): ExitInfo | undefined {
    return this.#exit;
  }

  /**
   * Ends the process group: SIGTERM, then SIGKILL once graceMs have passed
   * without the leader exiting. Stragglers of the group get SIGKILL too.
   */
  terminate(graceMs: number): Promise<void> {
    this.#terminating ??= (async () => {
      const pid = this.child.pid;
      if (pid === undefined) return;
      if (this.#exit === undefined) {
        killGroup(pid, "SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          this.exited.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), graceMs);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          killGroup(pid, "SIGKILL");
          await this.exited;
        }
      }
      killGroup(pid, "SIGKILL");
      LIVE_GROUPS.delete(pid);
      this.child.stdout.destroy();
      this.child.stderr.destroy();
      this.child.stdin.destroy();
    })();
    return this.#terminating;
  }
}
