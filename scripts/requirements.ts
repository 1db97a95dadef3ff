// Extracts the requirement index from the specification (spec/01-conventions.md §1.2).
//
// A requirement is a markdown paragraph or list item that begins with its bold
// ID, for example:
//
//   - **DESC-007** A verifier MUST reject a descriptor whose `issued_at` ...
//
// Its level is the strongest BCP 14 keyword in it (RFC 2119, RFC 8174). Every
// uppercase keyword outside code spans, quotations and HTML comments must sit
// inside a requirement. Besides its own text, a requirement owns:
//   - the content nested inside it, when it is a list item (continuation
//     paragraphs, nested items, tables), and
//   - the list that immediately follows it, when it is a paragraph ending in a
//     colon ("... in this order:").
// A nested block that begins with its own ID is a requirement of its own.
//
// Not read: spec/fields/ (generated field tables), fenced code blocks, HTML
// comments, and the body of spliced blocks (<!-- BEGIN GENERATED: … --> and
// <!-- BEGIN EXAMPLE: … -->): field tables and examples derived from the schema
// and the vectors, whose rules are stated by the requirements that cite them.
//
// CLI: node --import tsx scripts/requirements.ts [--check] [--spec-dir DIR] [--out FILE]
//   writes DIR/requirements.json (default spec/requirements.json), or with
//   --check compares it with the file on disk. Exits 1 if the file differs
//   (--check) or if the specification has any problem.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Conformance level of a requirement: its strongest keyword. */
export type Level = "MUST" | "SHOULD" | "MAY";

/** One requirement of the specification. */
export interface Requirement {
  /** The requirement ID, for example "DESC-007". */
  readonly id: string;
  readonly level: Level;
  /** The spec file, relative to the spec directory, with "/" separators. */
  readonly file: string;
  /** The text of the nearest heading above the requirement ("" if none). */
  readonly section: string;
  /** The requirement's text after its ID, on one line. */
  readonly text: string;
  /** The 1-based line of the requirement's first line. Not written to requirements.json. */
  readonly line: number;
}

/** The kinds of defect the extractor reports. */
export type ProblemKind = "malformed-id" | "duplicate-id" | "untagged-keyword" | "no-keyword";

/** A defect in the specification, located by file and line. */
export interface Problem {
  readonly kind: ProblemKind;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The result of an extraction: requirements in document order, and problems. */
export interface Extraction {
  readonly requirements: Requirement[];
  readonly problems: Problem[];
}

/** A markdown document to extract from: its name (for messages) and text. */
export interface SpecDocument {
  readonly file: string;
  readonly text: string;
}

/** The exact form of a requirement ID. */
export const REQUIREMENT_ID = /^[A-Z]{2,5}-[0-9]{3}$/;

// Bold text that was meant as an ID but is not in the exact form: "DESC-07",
// "DESC-0007", "desc-007", "DESC_007", "DESCRIPT-001", "DESC 007", "DESC-007:".
// Bold text such as "Note 1", "Tier-1" or "RFC 8949" is not ID-like.
const ID_LIKE = /^(?:(?:[A-Z]+|[a-z]+)[-_\u2010-\u2014][0-9]+|[A-Z]{2,5} ?[0-9]{3})[.:)]?$/;

// BCP 14 keywords, longest first so "MUST NOT" is reported as one keyword.
const KEYWORD = /\b(?:MUST\s+NOT|MUST|REQUIRED|SHALL\s+NOT|SHALL|SHOULD\s+NOT|SHOULD|NOT\s+RECOMMENDED|RECOMMENDED|MAY|OPTIONAL)\b/g;

const LEVEL_RANK: Record<Level, number> = { MAY: 1, SHOULD: 2, MUST: 3 };

/** The level a single keyword sets (RFC 2119 §1–5). */
export function keywordLevel(keyword: string): Level {
  const k = keyword.replace(/\s+/g, " ");
  switch (k) {
    case "MUST":
    case "MUST NOT":
    case "REQUIRED":
    case "SHALL":
    case "SHALL NOT":
      return "MUST";
    case "SHOULD":
    case "SHOULD NOT":
    case "RECOMMENDED":
    case "NOT RECOMMENDED":
      return "SHOULD";
    case "MAY":
    case "OPTIONAL":
      return "MAY";
    default:
      throw new TypeError(`expected a BCP 14 keyword, got ${JSON.stringify(keyword)}`);
  }
}

/** The strongest level among keywords; undefined if there are none. */
export function strongestLevel(keywords: readonly string[]): Level | undefined {
  let best: Level | undefined;
  for (const k of keywords) {
    const level = keywordLevel(k);
    if (best === undefined || LEVEL_RANK[level] > LEVEL_RANK[best]) best = level;
  }
  return best;
}

/**
 * Blanks out what does not count as normative text: code spans, HTML comments
 * and quotations ("…", “…”, ‘…’). Every masked character becomes a space
 * except line breaks, so offsets and line numbers are kept.
 */
export function maskNonNormative(text: string): string {
  // UTF-16 code units, so offsets agree with String.prototype.matchAll.
  const chars = text.split("");
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (chars[i] !== "\n") chars[i] = " ";
  };
  // Code spans first: a quote inside a code span is not a quotation mark.
  // A run of n backticks opens a span that the next run of exactly n closes
  // (CommonMark §6.1); an unmatched run is literal.
  for (let i = 0; i < chars.length; ) {
    if (chars[i] !== "`") {
      i++;
      continue;
    }
    let n = 0;
    while (chars[i + n] === "`") n++;
    let close = -1;
    for (let j = i + n; j < chars.length; ) {
      if (chars[j] !== "`") {
        j++;
        continue;
      }
      let m = 0;
      while (chars[j + m] === "`") m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      i += n;
      continue;
    }
    blank(i, close + n);
    i = close + n;
  }
  const masked = () => chars.join("");
  const blankAll = (re: RegExp) => {
    const s = masked();
    for (const m of s.matchAll(re)) blank(m.index, m.index + m[0].length);
  };
  blankAll(/<!--[\s\S]*?-->/g);
  blankAll(/"[^"]*"/g);
  blankAll(/\u201c[^\u201d]*\u201d/g);
  blankAll(/\u2018[^\u2019]*\u2019/g);
  return masked();
}

/** The BCP 14 keywords in text, with their offsets; text is searched as given (mask it first). */
export function findKeywords(text: string): { keyword: string; index: number }[] {
  return [...text.matchAll(KEYWORD)].map((m) => ({ keyword: m[0].replace(/\s+/g, " "), index: m.index }));
}

// ---------------------------------------------------------------------------
// Block structure: just enough of CommonMark to tell paragraphs, list items,
// tables and headings apart, and which list item a block is nested in.

interface Line {
  readonly no: number;
  readonly text: string;
}

interface Block {
  readonly kind: "heading" | "paragraph" | "item" | "table";
  /** The block's lines; for an item, the first line without its marker. */
  readonly lines: Line[];
  /** The list marker ("-", "1.") of an item, else "". */
  readonly marker: string;
  /** Column where an item's content starts: deeper lines belong to the item. */
  readonly contentIndent: number;
  /** The list item this block is nested in, if any. */
  readonly parent: Block | undefined;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
// Spliced blocks: <!-- BEGIN GENERATED: name --> … <!-- END GENERATED -->, and
// likewise for other upper-case kinds such as EXAMPLE.
const SPLICE_BEGIN = /^<!-- BEGIN ([A-Z]+)\b.*-->\s*$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:\s+|$)(.*)$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)\s*$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$/;
const LIST_ITEM = /^(\s*)([-*+]|[0-9]{1,9}[.)])( +|$)(.*)$/;
const TABLE_ROW = /^\s*\|/;
const BLOCKQUOTE = /^\s{0,3}>\s?/;

function indentOf(s: string): number {
  let n = 0;
  for (const c of s) {
    if (c === " ") n++;
    else if (c === "\t") n += 4 - (n % 4);
    else break;
  }
  return n;
}

function splitBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const source = markdown.replace(/\r\n?/g, "\n").split("\n");
  let fence: string | undefined;
  let spliced: RegExp | undefined;
  let inComment = false;
  let current: Block | undefined;
  let items: Block[] = [];
  let blankBefore = true;

  const close = () => {
    current = undefined;
  };
  const parentFor = (indent: number): Block | undefined => {
    while (items.length > 0 && items[items.length - 1]!.contentIndent > indent) items.pop();
    return items[items.length - 1];
  };
  const open = (block: Block) => {
    blocks.push(block);
    current = block;
  };

  for (let i = 0; i < source.length; i++) {
    const no = i + 1;
    let text = source[i]!;

    if (fence !== undefined) {
      const t = text.trim();
      if (t.startsWith(fence) && /^(`+|~+)$/.test(t) && t[0] === fence[0]) fence = undefined;
      continue;
    }
    if (spliced !== undefined) {
      if (spliced.test(text)) spliced = undefined;
      continue;
    }
    if (inComment) {
      if (text.includes("-->")) inComment = false;
      continue;
    }
    const f = FENCE.exec(text);
    if (f !== null) {
      close();
      fence = f[1]!;
      blankBefore = false;
      continue;
    }
    const sb = SPLICE_BEGIN.exec(text);
    if (sb !== null) {
      close();
      spliced = new RegExp(`^<!-- END ${sb[1]}\\b.*-->\\s*$`);
      blankBefore = true;
      continue;
    }
    if (current === undefined && /^\s*<!--/.test(text)) {
      // An HTML block: skipped up to the line that ends the comment.
      if (!text.includes("-->")) inComment = true;
      blankBefore = true;
      continue;
    }
    // A block quote is read as the text it quotes.
    while (BLOCKQUOTE.test(text)) text = text.replace(BLOCKQUOTE, "");

    if (text.trim() === "") {
      close();
      blankBefore = true;
      continue;
    }
    const indent = indentOf(text);
    const wasBlank = blankBefore;
    blankBefore = false;

    if (current?.kind === "paragraph" && !wasBlank && SETEXT_UNDERLINE.test(text)) {
      // The paragraph above was a setext heading.
      blocks[blocks.length - 1] = { ...current, kind: "heading" };
      close();
      continue;
    }
    const h = ATX_HEADING.exec(text);
    if (h !== null) {
      close();
      items = [];
      blocks.push({ kind: "heading", lines: [{ no, text: h[2]!.replace(/\s+#+\s*$/, "").trim() }], marker: "", contentIndent: 0, parent: undefined });
      continue;
    }
    if (THEMATIC_BREAK.test(text)) {
      close();
      items = [];
      continue;
    }
    const li = LIST_ITEM.exec(text);
    if (li !== null) {
      close();
      const markerIndent = indentOf(li[1]!);
      const marker = li[2]!;
      const spaces = li[3]!.length;
      const contentIndent = markerIndent + marker.length + (spaces === 0 || spaces > 4 ? 1 : spaces);
      const parent = parentFor(markerIndent);
      const block: Block = { kind: "item", lines: [{ no, text: li[4]! }], marker, contentIndent, parent };
      items.push(block);
      open(block);
      continue;
    }
    if (TABLE_ROW.test(text)) {
      if (current?.kind === "table" && !wasBlank) {
        current.lines.push({ no, text: text.trim() });
        continue;
      }
      close();
      open({ kind: "table", lines: [{ no, text: text.trim() }], marker: "", contentIndent: 0, parent: parentFor(indent) });
      continue;
    }
    if (current !== undefined && !wasBlank) {
      // Continuation line (including CommonMark's lazy continuation).
      current.lines.push({ no, text: text.trim() });
      continue;
    }
    open({ kind: "paragraph", lines: [{ no, text: text.trim() }], marker: "", contentIndent: 0, parent: parentFor(indent) });
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Extraction.

const LEADING_BOLD = /^(\*\*|__)(.+?)\1/;

interface Draft {
  id: string;
  file: string;
  section: string;
  line: number;
  parts: string[];
  keywords: string[];
}

/** Joins a block's lines into one text with "\n", and returns the line number of each offset. */
function blockText(block: Block): { text: string; lineAt: (offset: number) => number } {
  const text = block.lines.map((l) => l.text.trim()).join("\n");
  const starts: number[] = [];
  let at = 0;
  for (const l of block.lines) {
    starts.push(at);
    at += l.text.trim().length + 1;
  }
  const lineAt = (offset: number) => {
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1]! <= offset) k++;
    return block.lines[k]!.no;
  };
  return { text, lineAt };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** Extracts requirements from documents given as text; IDs must be unique across all of them. */
export function extractFromDocuments(documents: readonly SpecDocument[]): Extraction {
  const problems: Problem[] = [];
  const drafts: Draft[] = [];
  const seen = new Map<string, { file: string; line: number }>();

  for (const doc of documents) {
    const blocks = splitBlocks(doc.text);
    // The owner of each block: a requirement, "malformed" (keywords not
    // reported twice), or undefined (free prose).
    const owner = new Map<Block, Draft | "malformed" | undefined>();
    let section = "";
    let colonOwner: Draft | undefined;

    for (const block of blocks) {
      const { text, lineAt } = blockText(block);
      const first = block.lines[0]!.no;
      if (block.kind === "heading") {
        section = oneLine(text);
        colonOwner = undefined;
      }
      const bold = block.kind === "paragraph" || block.kind === "item" ? LEADING_BOLD.exec(text) : null;
      const boldText = bold?.[2]?.trim();

      let own: Draft | "malformed" | undefined;
      if (boldText !== undefined && REQUIREMENT_ID.test(boldText)) {
        const draft: Draft = { id: boldText, file: doc.file, section, line: first, parts: [oneLine(text.slice(bold![0].length))], keywords: [] };
        const prior = seen.get(boldText);
        if (prior !== undefined) {
          problems.push({
            kind: "duplicate-id",
            file: doc.file,
            line: first,
            message: `duplicate requirement ID ${boldText} (first defined at ${prior.file}:${prior.line})`,
          });
          own = "malformed";
        } else {
          seen.set(boldText, { file: doc.file, line: first });
          drafts.push(draft);
          own = draft;
        }
      } else if (boldText !== undefined && ID_LIKE.test(boldText)) {
        problems.push({
          kind: "malformed-id",
          file: doc.file,
          line: first,
          message: `malformed requirement ID ${JSON.stringify(boldText)}: an ID is 2 to 5 capital letters, a hyphen and 3 digits`,
        });
        own = "malformed";
      }

      let inherited: Draft | "malformed" | undefined;
      if (block.parent !== undefined) inherited = owner.get(block.parent);
      else if (block.kind === "item") inherited = colonOwner;
      if (block.parent === undefined && block.kind !== "item") {
        colonOwner = own !== undefined && own !== "malformed" && /:\s*$/.test(text) ? own : undefined;
      }

      const effective = own ?? inherited;
      owner.set(block, effective);
      if (effective === "malformed") continue;
      if (own === undefined && effective !== undefined) {
        effective.parts.push(oneLine(block.marker === "" ? text : `${block.marker} ${text}`));
      }
      for (const { keyword, index } of findKeywords(maskNonNormative(text))) {
        if (effective !== undefined) {
          effective.keywords.push(keyword);
        } else {
          problems.push({
            kind: "untagged-keyword",
            file: doc.file,
            line: lineAt(index),
            message: `${keyword} outside a requirement block (begin the paragraph or list item with its bold ID, or quote the keyword)`,
          });
        }
      }
    }
  }

  const requirements: Requirement[] = [];
  for (const d of drafts) {
    const level = strongestLevel(d.keywords);
    if (level === undefined) {
      problems.push({ kind: "no-keyword", file: d.file, line: d.line, message: `requirement ${d.id} has no BCP 14 keyword` });
      continue;
    }
    requirements.push({ id: d.id, level, file: d.file, section: d.section, text: d.parts.filter((p) => p !== "").join(" "), line: d.line });
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { requirements, problems };
}

/** Extracts requirements from one markdown document. */
export function extractFromMarkdown(markdown: string, file = "<input>"): Extraction {
  return extractFromDocuments([{ file, text: markdown }]);
}

/** The markdown files of a spec directory, relative to it with "/" separators, sorted; spec/fields/ is left out. */
export function specMarkdownFiles(specDir: string): string[] {
  const root = resolve(specDir);
  const skip = join(root, "fields");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== skip) walk(path);
      } else if (entry.isFile() && entry.name.endsWith(".md")) {
        found.push(relative(root, path).split("\\").join("/"));
      }
    }
  };
  if (existsSync(root)) walk(root);
  return found.sort();
}

/** Extracts the requirements of every markdown file under specDir (except spec/fields/). */
export function extractRequirements(specDir: string): Extraction {
  const documents = specMarkdownFiles(specDir).map((file) => ({ file, text: readFileSync(join(specDir, file), "utf8") }));
  return extractFromDocuments(documents);
}

/** The text of requirements.json: sorted by ID, 2-space indent, trailing newline. */
export function renderRequirementsJson(requirements: readonly Requirement[]): string {
  const sorted = [...requirements].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = {
    $comment: "Generated from the spec/*.md files by scripts/requirements.ts; do not edit. Regenerate with `npm run generate`.",
    count: sorted.length,
    requirements: sorted.map(({ id, level, file, section, text }) => ({ id, level, file, section, text })),
  };
  return JSON.stringify(index, null, 2) + "\n";
}

/** Formats a problem as "path:line: message", with the path relative to the working directory. */
export function formatProblem(problem: Problem, specDir: string): string {
  return `${relative(process.cwd(), join(specDir, problem.file))}:${problem.line}: ${problem.message}`;
}

function main(argv: string[]): number {
  let specDir = "spec";
  let out: string | undefined;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--check") check = true;
    else if ((arg === "--spec-dir" || arg === "--out") && argv[i + 1] !== undefined) {
      if (arg === "--spec-dir") specDir = argv[++i]!;
      else out = argv[++i]!;
    } else {
      process.stderr.write(`usage: requirements [--check] [--spec-dir DIR] [--out FILE]\nunexpected argument: ${arg}\n`);
      return 2;
    }
  }
  out ??= join(specDir, "requirements.json");
  if (!existsSync(specDir)) {
    process.stderr.write(`requirements: ${specDir} does not exist\n`);
    return 1;
  }
  const { requirements, problems } = extractRequirements(specDir);
  for (const p of problems) process.stderr.write(`${formatProblem(p, specDir)}\n`);
  const json = renderRequirementsJson(requirements);
  const shown = relative(process.cwd(), out);
  let status = problems.length > 0 ? 1 : 0;
  if (check) {
    const committed = existsSync(out) ? readFileSync(out, "utf8") : undefined;
    if (committed !== json) {
      process.stderr.write(`requirements: ${shown} is ${committed === undefined ? "missing" : "out of date"}; run npm run generate\n`);
      status = 1;
    }
  } else {
    writeFileSync(out, json);
    process.stdout.write(`requirements: wrote ${shown}\n`);
  }
  process.stdout.write(`requirements: ${requirements.length} requirements, ${problems.length} problems\n`);
  return status;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
