// vectors/ids.lock: every test id ever published, one per line, in the order
// they were locked. Append-only: an id is never removed, renumbered or
// reused, so that results can be compared across versions of the corpus.
import { existsSync, readFileSync } from "node:fs";

/** The ids of a lock file's text. */
export function parseLock(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** The ids in the lock file at path (none if it does not exist). */
export function readLock(path: string): string[] {
  return existsSync(path) ? parseLock(readFileSync(path, "utf8")) : [];
}

/** Ids of the corpus not yet locked (in corpus order), and locked ids the corpus lacks (in lock order). */
export function compareWithLock(ids: readonly string[], locked: readonly string[]): { unlocked: string[]; missing: string[] } {
  const inCorpus = new Set(ids);
  const inLock = new Set(locked);
  return { unlocked: ids.filter((id) => !inLock.has(id)), missing: locked.filter((id) => !inCorpus.has(id)) };
}
