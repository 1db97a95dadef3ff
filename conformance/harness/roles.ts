// Which role each operation belongs to (spec §13.1). The table is read from
// the specification itself, so that an operation added there with a new
// vector file needs no change here. An operation the table does not list
// belongs to no role and is sent only to an implementation that names it
// (DRV-005).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./paths.js";

/** The conformance section of the specification. */
export const CONFORMANCE_SPEC = "13-conformance.md";

/** Reads the operation → role table of §13.1 from the specification text. Role names are short and lower case ("codec"). */
export function parseRoleTable(markdown: string): Map<string, string> {
  const table = new Map<string, string>();
  const start = markdown.indexOf("## 13.1");
  if (start < 0) return table;
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  for (const line of section.split("\n")) {
    const m = /^\|(.*)\|\s*`DRIVER_ROLE_([A-Z_]+)`\s*\|\s*$/.exec(line);
    if (m === null) continue;
    const role = m[2]!.toLowerCase();
    for (const op of m[1]!.matchAll(/`([^`]+)`/g)) table.set(op[1]!, role);
  }
  return table;
}

/** The role table of the package's specification (empty if the specification is not there). */
export function readRoleTable(specDir: string = join(packageRoot(), "spec")): Map<string, string> {
  const path = join(specDir, CONFORMANCE_SPEC);
  return existsSync(path) ? parseRoleTable(readFileSync(path, "utf8")) : new Map();
}

/** What the implementation declared in its hello. */
export interface Declaration {
  readonly roles: readonly string[];
  readonly operations: readonly string[];
}

/**
 * DRV-005: an operation is declared when the hello's `operations` name it or,
 * when `operations` is empty, when its role is among the hello's `roles`.
 */
export function isDeclared(declaration: Declaration, operation: string, roleOf: (operation: string) => string | undefined): boolean {
  if (declaration.operations.length > 0) return declaration.operations.includes(operation);
  const role = roleOf(operation);
  return role !== undefined && declaration.roles.includes(role);
}
