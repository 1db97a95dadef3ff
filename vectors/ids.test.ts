// Test ids are stable: vectors/ids.lock lists every id ever published, and is
// append-only. A locked id must stay in the corpus; a new id must be locked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allTests, ROOT } from "./corpus.js";
import { compareWithLock, parseLock } from "./generator/ids-lock.js";

const LOCK = join(ROOT, "vectors", "ids.lock");
const locked = parseLock(readFileSync(LOCK, "utf8"));
const ids = allTests().map((t) => t.test.id);

describe("vectors/ids.lock", () => {
  it("holds well-formed ids, each once, one per line", () => {
    const text = readFileSync(LOCK, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n").slice(0, -1)).toEqual(locked);
    expect(locked.filter((id) => !/^[a-z0-9-]+(\/[a-z0-9-]+)+-[0-9]{3}$/.test(id))).toEqual([]);
    expect(locked.filter((id, i) => locked.indexOf(id) !== i)).toEqual([]);
  });

  it("every locked id is still in the corpus (ids are never removed or renamed)", () => {
    const { missing } = compareWithLock(ids, locked);
    expect(missing, `locked ids missing from vectors/v1:\n${missing.join("\n")}`).toEqual([]);
  });

  it("every id of the corpus is locked", () => {
    const { unlocked } = compareWithLock(ids, locked);
    expect(unlocked, `ids not yet in vectors/ids.lock; run \`npm run vectors -- --lock-new\`, or add these lines:\n${unlocked.join("\n")}`).toEqual([]);
  });
});
