// Splices the generated field tables (spec/fields/<full.Name>.md) into the
// specification. A spec file asks for a table with a marker block:
//
//   <!-- BEGIN GENERATED: ap2p.v1.CapabilityDescriptor -->
//   ...replaced on every run...
//   <!-- END GENERATED -->
//
// Blocks named with a slash (example/descriptor-hex) are worked examples that
// scripts/spec-examples.ts computes with the reference implementation.
//
// Markers inside fenced code blocks are left alone, so the spec can show them.
// A marker naming a table that does not exist is an error.
//
// CLI: node --import tsx scripts/splice-generated.ts [--spec-dir DIR] [--fields-dir DIR]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const BEGIN = /^<!-- BEGIN GENERATED: ([A-Za-z0-9_./-]+) -->\s*$/;
const END = /^<!-- END GENERATED -->\s*$/;
const ANY_MARKER = /^\s*<!-- (BEGIN|END) GENERATED\b/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class SpliceError extends Error {
  override readonly name = "SpliceError";
}

/** Looks up the content of a generated table by full type name; undefined if there is none. */
export type TableLookup = (typeName: string) => string | undefined;

/** The text to splice for a generated table file: without its first (banner) line and surrounding blank lines. */
export function tableBody(fileContent: string): string {
  const lines = fileContent.replace(/\r\n/g, "\n").split("\n");
  if (!lines[0]?.startsWith("<!--")) throw new SpliceError("a generated table must start with its banner comment");
  return lines.slice(1).join("\n").replace(/^\n+/, "").replace(/\s+$/, "");
}

/**
 * Replaces the body of every marker block in `markdown`. `source` names the
 * file in error messages. Returns the new text; line endings follow the input.
 */
export function spliceMarkdown(markdown: string, lookup: TableLookup, source = "<input>"): string {
  const eol = markdown.includes("\r\n") ? "\r\n" : "\n";
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  let fence: string | undefined;
  let open: { name: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `${source}:${i + 1}`;
    if (open === undefined) {
      const f = FENCE.exec(line);
      if (f !== null) {
        const marker = f[1]!;
        if (fence === undefined) fence = marker;
        else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
        out.push(line);
        continue;
      }
      if (fence !== undefined) {
        out.push(line);
        continue;
      }
    }
    const begin = BEGIN.exec(line);
    if (begin !== null) {
      if (open !== undefined) throw new SpliceError(`${where}: BEGIN GENERATED inside the block opened on line ${open.line}`);
      const name = begin[1]!;
      const table = lookup(name);
      if (table === undefined) throw new SpliceError(`${where}: no generated table for ${name}`);
      open = { name, line: i + 1 };
      // Blank lines around the table keep it a separate markdown block.
      out.push(line, "", ...table.split("\n"), "");
      continue;
    }
    if (END.test(line)) {
      if (open === undefined) throw new SpliceError(`${where}: END GENERATED without a matching BEGIN`);
      open = undefined;
      out.push(line);
      continue;
    }
    if (ANY_MARKER.test(line)) throw new SpliceError(`${where}: malformed GENERATED marker: ${line.trim()}`);
    if (open === undefined) out.push(line);
  }
  if (open !== undefined) throw new SpliceError(`${source}:${open.line}: BEGIN GENERATED for ${open.name} is never closed`);
  return out.join(eol);
}

/** Markdown files under `specDir`, recursively, minus `fieldsDir`; sorted, as absolute paths. */
export function specFiles(specDir: string, fieldsDir: string): string[] {
  const skip = resolve(fieldsDir);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (resolve(path) !== skip) walk(path);
      } else if (entry.isFile() && entry.name.endsWith(".md")) {
        found.push(resolve(path));
      }
    }
  };
  if (existsSync(specDir)) walk(specDir);
  return found.sort();
}

/** Reads generated tables from `fieldsDir` (<full.Name>.md), caching them. */
export function tablesFromDir(fieldsDir: string): TableLookup {
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (!cache.has(name)) {
      const path = join(fieldsDir, `${name}.md`);
      cache.set(name, existsSync(path) && statSync(path).isFile() ? tableBody(readFileSync(path, "utf8")) : undefined);
    }
    return cache.get(name);
  };
}

/**
 * Splices every spec file under `specDir` in place. Returns the files that
 * changed. Nothing is written unless every file splices cleanly.
 */
export function spliceSpecTree(
  specDir: string,
  fieldsDir: string,
  options: { displayRoot?: string; extra?: TableLookup } = {},
): { files: string[]; changed: string[] } {
  const tables = tablesFromDir(fieldsDir);
  const extra = options.extra;
  // Names with a "/" (example/descriptor-hex) come from the extra lookup; type names from the tables.
  const lookup: TableLookup = (name) => (name.includes("/") ? extra?.(name) : tables(name));
  const files = specFiles(specDir, fieldsDir);
  // How error messages name the folder: "spec" even when splicing a scratch copy.
  const displayRoot = options.displayRoot ?? (relative(process.cwd(), specDir) || ".");
  const updates: { path: string; text: string }[] = [];
  for (const path of files) {
    const before = readFileSync(path, "utf8");
    const source = join(displayRoot, relative(specDir, path)).split(sep).join("/");
    const after = spliceMarkdown(before, lookup, source);
    if (after !== before) updates.push({ path, text: after });
  }
  for (const u of updates) writeFileSync(u.path, u.text);
  return { files, changed: updates.map((u) => u.path) };
}

function main(argv: string[]): number {
  let specDir = "spec";
  let fieldsDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === "--spec-dir" || arg === "--fields-dir") && argv[i + 1] !== undefined) {
      if (arg === "--spec-dir") specDir = argv[++i]!;
      else fieldsDir = argv[++i]!;
    } else {
      process.stderr.write(`usage: splice-generated [--spec-dir DIR] [--fields-dir DIR]\nunexpected argument: ${arg}\n`);
      return 2;
    }
  }
  fieldsDir ??= join(specDir, "fields");
  if (!existsSync(fieldsDir)) {
    process.stderr.write(`splice-generated: ${fieldsDir} does not exist; run the generator first\n`);
    return 1;
  }
  try {
    const { files, changed } = spliceSpecTree(specDir, fieldsDir);
    for (const path of changed) process.stdout.write(`spliced ${relative(process.cwd(), path)}\n`);
    process.stdout.write(`splice-generated: ${files.length} spec files, ${changed.length} changed\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`splice-generated: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
