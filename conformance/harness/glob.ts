// Glob patterns over case ids, for --filter and baseline entries: `*` stands
// for any run of characters (slashes included), `?` for one character;
// everything else is literal. "descriptor/expiry/*" selects a topic,
// "*/tombstone-*" one kind of case across files.

/** A matcher for one pattern. */
export function globMatcher(pattern: string): (id: string) => boolean {
  if (!/[*?]/.test(pattern)) return (id) => id === pattern;
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  const re = new RegExp(`^${source}$`, "s");
  return (id) => re.test(id);
}

/** True if the pattern has wildcards. */
export const isGlob = (pattern: string): boolean => /[*?]/.test(pattern);

/** A matcher for a list of patterns (any of them); everything matches an empty list. */
export function anyOf(patterns: readonly string[]): (id: string) => boolean {
  if (patterns.length === 0) return () => true;
  const ms = patterns.map(globMatcher);
  return (id) => ms.some((m) => m(id));
}
