// Command-line plumbing shared by the node commands (keygen, descriptor,
// registry, agent, delegate, demo): where output goes, a small option parser,
// and the value formats (durations, times, ports) they have in common.

/** Where a command writes. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Standard output and standard error. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** A bad command line: the message for the user; the command exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Which options a command takes: true for an option with a value, false for a switch. */
export type OptionSpec = Readonly<Record<string, boolean>>;

/** A parsed command line: each option's values in order, and the positional arguments. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
  /** The last value of an option, if given. */
  get(name: string): string | undefined;
  /** Every value of a repeatable option. */
  all(name: string): readonly string[];
  /** True if a switch (or an option) was given. */
  has(name: string): boolean;
}

/** Parses `--name value`, `--name=value` and `--switch` options; throws UsageError. */
export function parseArgs(argv: readonly string[], spec: OptionSpec, maxPositionals = 0): ParsedArgs {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--") || arg === "--") {
      if (positionals.length >= maxPositionals) throw new UsageError(`unexpected argument ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!Object.hasOwn(spec, name)) throw new UsageError(`unknown option --${name}`);
    let value: string;
    if (spec[name]) {
      const next = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      value = next;
    } else {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      value = "";
    }
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  return {
    values,
    positionals,
    get: (name) => values.get(name)?.at(-1),
    all: (name) => values.get(name) ?? [],
    has: (name) => values.has(name),
  };
}

/** The value of a required option; throws UsageError when it is missing. */
export function required(args: ParsedArgs, name: string): string {
  const v = args.get(name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

const UNITS: Readonly<Record<string, bigint>> = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n, d: 86_400_000n };

/** A duration such as "500ms", "60s", "5m", "1h" or "1d"; a bare number is milliseconds. Throws UsageError. */
export function parseDuration(text: string, option: string): bigint {
  const m = /^([0-9]{1,15})(ms|s|m|h|d)?$/.exec(text);
  if (m === null) throw new UsageError(`--${option} takes a duration such as 500ms, 60s, 5m or 1h, not ${JSON.stringify(text)}`);
  return BigInt(m[1]!) * UNITS[m[2] ?? "ms"]!;
}

/** A time in milliseconds since the Unix epoch, or an ISO 8601 date and time. Throws UsageError. */
export function parseTime(text: string, option: string): bigint {
  if (/^[0-9]{1,16}$/.test(text)) return BigInt(text);
  const ms = Date.parse(text);
  if (!/^[0-9]{4}-/.test(text) || Number.isNaN(ms)) throw new UsageError(`--${option} takes milliseconds since the Unix epoch or an ISO 8601 time, not ${JSON.stringify(text)}`);
  return BigInt(ms);
}

/** A non-negative integer up to max. Throws UsageError. */
export function parseCount(text: string, option: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^[0-9]{1,16}$/.test(text) || Number(text) > max) throw new UsageError(`--${option} takes a whole number up to ${max}, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** A TCP port, 0 for an ephemeral one. Throws UsageError. */
export function parsePort(text: string, option = "port"): number {
  return parseCount(text, option, 65_535);
}

/** A time for people: ISO 8601 in UTC, and how far it is from now ("in 59 s", "3 min ago"). */
export function humanTime(ms: bigint, now: bigint): string {
  const iso = ms >= 0n && ms <= 8_640_000_000_000_000n ? new Date(Number(ms)).toISOString() : `${ms} ms`;
  return `${iso} (${relative(ms - now)})`;
}

/** A signed duration for people: "in 59 s", "3 min ago", "now". */
export function relative(deltaMs: bigint): string {
  if (deltaMs === 0n) return "now";
  const abs = deltaMs < 0n ? -deltaMs : deltaMs;
  const text = humanDuration(abs);
  return deltaMs > 0n ? `in ${text}` : `${text} ago`;
}

/** A positive duration for people: "850 ms", "59 s", "12 min", "3 h", "2 d". */
export function humanDuration(ms: bigint): string {
  if (ms < 1000n) return `${ms} ms`;
  if (ms < 120_000n) return `${ms / 1000n} s`;
  if (ms < 7_200_000n) return `${ms / 60_000n} min`;
  if (ms < 172_800_000n) return `${ms / 3_600_000n} h`;
  return `${ms / 86_400_000n} d`;
}

/** Runs a command body, turning a UsageError into exit status 2 with the message and the help text. */
export async function withUsage(io: CliIo, command: string, help: string, body: () => number | Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${command}: ${e.message}\n\n${help}`);
      return 2;
    }
    throw e;
  }
}

/** A did:key shortened for log lines: "z6Mk…" and its last six characters. */
export function shortDid(did: string): string {
  const id = did.startsWith("did:key:") ? did.slice(8) : did;
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

/**
 * Waits for SIGINT or SIGTERM, then runs stop; resolves with exit status 0
 * once it has finished (a server that stops when asked stops successfully).
 */
export function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      void stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
