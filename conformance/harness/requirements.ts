// The requirement index (spec/requirements.json, generated from the spec):
// the level of a case comes from the strongest BCP 14 keyword among the
// requirements it cites, and coverage is measured against the whole index.
import { readFileSync } from "node:fs";
import type { Level } from "./case.js";

/** One requirement of the index. */
export interface Requirement {
  readonly id: string;
  /** The BCP 14 keyword as the index states it ("MUST", "SHOULD", "MAY", …). */
  readonly keyword: string;
  readonly level: Level;
  readonly file: string;
  readonly section: string;
  readonly text: string;
}

/** The index, by id. */
export type RequirementIndex = ReadonlyMap<string, Requirement>;

/** The level a BCP 14 keyword gives (RFC 2119: MUST/REQUIRED/SHALL, SHOULD/RECOMMENDED, MAY/OPTIONAL). */
export function levelOfKeyword(keyword: string): Level {
  const k = keyword.toUpperCase();
  if (k.startsWith("MUST") || k.startsWith("SHALL") || k === "REQUIRED") return "required";
  if (k.startsWith("SHOULD") || k === "RECOMMENDED" || k === "NOT RECOMMENDED") return "recommended";
  return "optional";
}

const RANK: Record<Level, number> = { required: 3, recommended: 2, optional: 1 };

/** The strongest of some levels; undefined for none. */
export function strongest(levels: readonly Level[]): Level | undefined {
  let best: Level | undefined;
  for (const l of levels) if (best === undefined || RANK[l] > RANK[best]) best = l;
  return best;
}

/** Reads spec/requirements.json. */
export function readRequirements(file: string): RequirementIndex {
  const data = JSON.parse(readFileSync(file, "utf8")) as { requirements?: { id: string; level: string; file: string; section: string; text: string }[] };
  if (!Array.isArray(data.requirements)) throw new Error(`${file}: no "requirements" array`);
  return new Map(
    data.requirements.map((r) => [r.id, { id: r.id, keyword: r.level, level: levelOfKeyword(r.level), file: r.file, section: r.section, text: r.text }]),
  );
}

/** Requirement coverage: a requirement is covered when at least one case cites it. */
export interface Coverage {
  readonly total: number;
  readonly covered: number;
  readonly uncovered: readonly string[];
  /** Cited ids that the index does not hold (a stale corpus or index). */
  readonly unknown: readonly string[];
}

/** Coverage of the index by the requirements some cases cite. */
export function coverage(index: RequirementIndex, cases: readonly { readonly requirements: readonly string[] }[]): Coverage {
  const cited = new Set(cases.flatMap((c) => c.requirements));
  const uncovered = [...index.keys()].filter((id) => !cited.has(id)).sort();
  const unknown = [...cited].filter((id) => !index.has(id)).sort();
  return { total: index.size, covered: index.size - uncovered.length, uncovered, unknown };
}
