// Baselines: the failures an implementation already knows about, so that CI
// fails on what changed and not on what is known. A baseline file lists one
// case id (or glob) per line, optionally followed by the prefix of what the
// implementation is expected to do instead (an error code, "valid",
// "output", or an outcome such as "timeout"):
//
//   # known: we report expiry before the signature
//   descriptor/expiry/expired-001  DESC_
//   canary/*                       # not implemented yet
//
// As in the protobuf conformance runner, the baseline must stay true: a
// baselined case that passes, a failure that no longer matches its prefix,
// and an entry that matches no case of the corpus all fail the run, so the
// file never silently goes stale. A glob expands to at most a fixed number
// of cases, so that a stray `*` cannot excuse a whole corpus by accident.
import { FAILING_OUTCOMES, type Outcome } from "./case.js";
import { globMatcher, isGlob } from "./glob.js";

/** The most cases one glob entry may match. */
export const MAX_GLOB_MATCHES = 1000;

/** One line of a baseline file. */
export interface BaselineEntry {
  readonly line: number;
  readonly pattern: string;
  /** What the implementation's observed token must start with, if given. */
  readonly prefix?: string;
}

/** A baseline the harness cannot use (reported as a usage error, before anything runs). */
export class BaselineError extends Error {
  override readonly name = "BaselineError";
}

/** Parses a baseline file. */
export function parseBaseline(text: string, file = "baseline"): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line.length === 0) return;
    const parts = line.split(/\s+/);
    if (parts.length > 2) throw new BaselineError(`${file}:${i + 1}: expected "<case id or glob> [expected prefix]", got ${JSON.stringify(raw.trim())}`);
    entries.push({ line: i + 1, pattern: parts[0]!, ...(parts[1] === undefined ? {} : { prefix: parts[1] }) });
  });
  return entries;
}

/** A baseline with each entry's matches among the corpus's case ids. */
export interface ExpandedBaseline {
  readonly entries: readonly BaselineEntry[];
  /** Entry for each case id it covers; an exact entry wins over a glob, an earlier glob over a later one. */
  readonly byCase: ReadonlyMap<string, BaselineEntry>;
  /** Entries that match no case of the corpus. */
  readonly stale: readonly BaselineEntry[];
}

/** Expands the entries against every case id of the corpus (before any --filter). */
export function expandBaseline(entries: readonly BaselineEntry[], allIds: readonly string[], file = "baseline", cap: number = MAX_GLOB_MATCHES): ExpandedBaseline {
  const byCase = new Map<string, BaselineEntry>();
  const stale: BaselineEntry[] = [];
  const known = new Set(allIds);
  for (const e of entries.filter((e) => !isGlob(e.pattern))) {
    if (!known.has(e.pattern)) stale.push(e);
    else if (!byCase.has(e.pattern)) byCase.set(e.pattern, e);
  }
  for (const e of entries.filter((e) => isGlob(e.pattern))) {
    const match = globMatcher(e.pattern);
    const ids = allIds.filter(match);
    if (ids.length > cap) throw new BaselineError(`${file}:${e.line}: "${e.pattern}" matches ${ids.length} cases, more than the limit of ${cap}; list the cases, or use a narrower glob`);
    if (ids.length === 0) stale.push(e);
    for (const id of ids) if (!byCase.has(id)) byCase.set(id, e);
  }
  return { entries, byCase, stale: stale.sort((a, b) => a.line - b.line) };
}

/** What a baseline says about one run. */
export interface BaselineVerdict {
  /** Failing cases the baseline expects (not counted against the verdict). */
  readonly expected: ReadonlySet<string>;
  /** Baselined cases that passed (exact entries), and glob entries all of whose cases passed. */
  readonly unexpectedPasses: readonly { readonly entry: BaselineEntry; readonly cases: readonly string[] }[];
  /** Baselined failures whose observed token does not start with the entry's prefix. */
  readonly changed: readonly { readonly entry: BaselineEntry; readonly case: string; readonly observed: string }[];
  readonly stale: readonly BaselineEntry[];
}

/** Applies a baseline to the records of a run. */
export function applyBaseline(baseline: ExpandedBaseline, records: readonly { readonly id: string; readonly outcome: Outcome; readonly observed: string }[]): BaselineVerdict {
  const expected = new Set<string>();
  const changed: { entry: BaselineEntry; case: string; observed: string }[] = [];
  const unexpectedPasses: { entry: BaselineEntry; cases: string[] }[] = [];
  const globs = new Map<BaselineEntry, { passed: string[]; failed: number }>();
  for (const r of records) {
    const entry = baseline.byCase.get(r.id);
    if (entry === undefined) continue;
    const failing = FAILING_OUTCOMES.has(r.outcome);
    if (failing) {
      if (entry.prefix !== undefined && !r.observed.startsWith(entry.prefix)) changed.push({ entry, case: r.id, observed: r.observed });
      else expected.add(r.id);
    }
    if (isGlob(entry.pattern)) {
      const g = globs.get(entry) ?? { passed: [], failed: 0 };
      if (failing) g.failed++;
      else if (r.outcome === "pass") g.passed.push(r.id);
      globs.set(entry, g);
    } else if (r.outcome === "pass") unexpectedPasses.push({ entry, cases: [r.id] });
  }
  // A glob tolerates passes among its cases, but not a glob whose run cases all pass: it excuses nothing.
  for (const [entry, g] of globs) if (g.failed === 0 && g.passed.length > 0) unexpectedPasses.push({ entry, cases: g.passed });
  unexpectedPasses.sort((a, b) => a.entry.line - b.entry.line);
  return { expected, unexpectedPasses, changed, stale: baseline.stale };
}

/**
 * A baseline file that expects exactly the given failures: one exact id per
 * failing case with its observed token. Entries of the old baseline that
 * cover none of the cases this run selected (a --filter run) are kept.
 */
export function renderBaseline(
  failures: readonly { readonly id: string; readonly observed: string }[],
  keep: readonly BaselineEntry[] = [],
  header = "AP2P conformance baseline: the failures this implementation is known to have.",
): string {
  const lines = [`# ${header}`, "# One case id or glob per line, optionally followed by the expected prefix of the error code or outcome.", ""];
  const rows = [
    ...keep.map((e) => ({ pattern: e.pattern, prefix: e.prefix })),
    ...failures.map((f) => ({ pattern: f.id, prefix: f.observed })),
  ].sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
  const width = Math.min(72, Math.max(0, ...rows.map((r) => r.pattern.length)));
  for (const r of rows) lines.push(r.prefix === undefined ? r.pattern : `${r.pattern.padEnd(width)}  ${r.prefix}`);
  return `${lines.join("\n")}\n`;
}
