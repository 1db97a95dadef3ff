// `npm run vectors`: writes the test-vector corpus.
//
//   node --import tsx vectors/generator/main.ts [--out DIR] [--lock-new] [--check]
//
//   --out DIR    where to write (default vectors/v1); the folder holds generated files only
//   --lock-new   append ids not yet in vectors/ids.lock to it (ids are never removed)
//   --check      write nothing; compare the folder with a fresh generation, naming each file that differs
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildCorpus, type Corpus } from "./build.js";
import { compareWithLock, readLock } from "./ids-lock.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The corpus folder and the id lock, relative to the repository root. */
export const CORPUS_DIR = "vectors/v1";
export const IDS_LOCK = "vectors/ids.lock";

/** Names of the files in dir (not recursive). */
function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort() : [];
}

/** Differences between a generated corpus and a folder, one line per file. */
export function differences(corpus: Corpus, dir: string): string[] {
  const out: string[] = [];
  const generated = new Map(corpus.entries.map((e) => [e.name, e.bytes]));
  for (const name of [...new Set([...generated.keys(), ...filesIn(dir)])].sort()) {
    const want = generated.get(name);
    const path = join(dir, name);
    if (want === undefined) out.push(`${name}: not generated (remove it, or regenerate)`);
    else if (!existsSync(path)) out.push(`${name}: missing`);
    else if (!Buffer.from(want).equals(readFileSync(path))) out.push(`${name}: differs from a fresh generation`);
  }
  return out;
}

function main(argv: string[]): number {
  let out = join(ROOT, CORPUS_DIR);
  let lockNew = false;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--out" && i + 1 < argv.length) out = resolve(argv[++i]!);
    else if (a === "--lock-new") lockNew = true;
    else if (a === "--check") check = true;
    else {
      console.error(`usage: vectors [--out DIR] [--lock-new] [--check]\nunexpected argument: ${a}`);
      return 2;
    }
  }
  const corpus = buildCorpus();
  const shown = relative(process.cwd(), out) || ".";

  if (check) {
    const diffs = differences(corpus, out);
    for (const d of diffs) console.error(`${shown}/${d}`);
    if (diffs.length > 0) {
      console.error(`vectors: ${diffs.length} file(s) out of date; run \`npm run vectors\``);
      return 1;
    }
    console.log(`vectors: OK, ${corpus.entries.length} files in ${shown} are up to date`);
    return 0;
  }

  // The folder holds generated files only: clear it, then write.
  mkdirSync(out, { recursive: true });
  for (const name of filesIn(out)) rmSync(join(out, name));
  for (const e of corpus.entries) writeFileSync(join(out, e.name), e.bytes);

  const lockPath = join(ROOT, IDS_LOCK);
  const { unlocked, missing } = compareWithLock(corpus.ids, readLock(lockPath));
  if (lockNew && unlocked.length > 0) {
    const existing = existsSync(lockPath) ? readFileSync(lockPath, "utf8") : "";
    const sep = existing === "" || existing.endsWith("\n") ? "" : "\n";
    appendFileSync(lockPath, `${sep}${unlocked.join("\n")}\n`);
    console.log(`vectors: locked ${unlocked.length} new id(s) in ${IDS_LOCK}`);
  } else if (unlocked.length > 0) {
    console.warn(`vectors: ${unlocked.length} id(s) not yet in ${IDS_LOCK}; run \`npm run vectors -- --lock-new\` to lock them`);
  }
  if (missing.length > 0) console.error(`vectors: ${missing.length} locked id(s) are missing from the corpus (ids are never removed): ${missing.join(", ")}`);
  const tests = corpus.ids.length;
  console.log(`vectors: wrote ${corpus.entries.length} files (${tests} tests) to ${shown}`);
  return missing.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
