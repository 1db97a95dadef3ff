// Explaining an error code to a person: what the error registry says it
// means (spec/11-errors.md) and the requirements that name it
// (spec/requirements.json). Both come from the package's own spec folder,
// the one source of truth, so nothing here restates them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../conformance/harness/paths.js";
import { readRequirements, type Requirement } from "../../../conformance/harness/requirements.js";
import { ErrorCode, type Ap2pError, type ErrorCodeName } from "../errors.js";

/** A requirement that names a code. */
export interface CitedRequirement {
  readonly id: string;
  readonly file: string;
  readonly text: string;
}

/** Everything known about one rejection. */
export interface Explanation {
  readonly code: ErrorCodeName;
  readonly number: number;
  readonly message: string;
  /** The field path the rejection is about, if known. */
  readonly path?: string;
  /** The registry's description of the code. */
  readonly meaning?: string;
  /** The requirements that name the code, the most relevant first. */
  readonly requirements: readonly CitedRequirement[];
}

interface Sources {
  readonly meanings: ReadonlyMap<string, string>;
  readonly requirements: readonly Requirement[];
}

let sources: Sources | undefined;

function load(): Sources {
  if (sources !== undefined) return sources;
  const meanings = new Map<string, string>();
  let requirements: Requirement[] = [];
  try {
    const root = packageRoot();
    const errors = join(root, "spec", "11-errors.md");
    if (existsSync(errors)) {
      for (const m of readFileSync(errors, "utf8").matchAll(/^\| `ERROR_CODE_([A-Z0-9_]+)` \| [0-9]+ \| (.*) \|$/gm)) {
        // The first row of a range starts with the range's own heading ("600-699: discovery (...)."): drop it.
        meanings.set(m[1]!, m[2]!.replace(/^[0-9]+-[0-9]+: [^.]*\. /, ""));
      }
    }
    requirements = [...readRequirements(join(root, "spec", "requirements.json")).values()];
  } catch {
    // Without the spec folder, codes are explained by their messages alone.
  }
  sources = { meanings, requirements };
  return sources;
}

/**
 * Explains a rejection. `preferFiles` names the spec files whose requirements
 * come first (a descriptor's codes are explained by spec/05 before spec/06);
 * at most `limit` requirements are listed.
 */
export function explain(error: Pick<Ap2pError, "code" | "message" | "path">, preferFiles: readonly string[] = [], limit = 2): Explanation {
  const { meanings, requirements } = load();
  const quoted = `\`${error.code}\``;
  const rank = (r: Requirement): number => {
    const i = preferFiles.indexOf(r.file);
    return i === -1 ? preferFiles.length : i;
  };
  const cited = requirements
    .filter((r) => r.text.includes(quoted))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, limit)
    .map((r) => ({ id: r.id, file: r.file, text: r.text }));
  const meaning = meanings.get(error.code);
  return {
    code: error.code,
    number: ErrorCode[error.code],
    message: error.message,
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(meaning === undefined ? {} : { meaning }),
    requirements: cited,
  };
}

/** An explanation as indented lines for a terminal. */
export function explanationText(e: Explanation, indent = "  "): string {
  const lines = [`${e.code} (${e.number}): ${e.message}`];
  if (e.path !== undefined) lines.push(`${indent}field: ${e.path}`);
  if (e.meaning !== undefined) lines.push(`${indent}meaning: ${e.meaning}`);
  for (const r of e.requirements) lines.push(`${indent}${r.id} (spec/${r.file}): ${r.text.length > 300 ? `${r.text.slice(0, 299)}…` : r.text}`);
  return lines.join("\n");
}
