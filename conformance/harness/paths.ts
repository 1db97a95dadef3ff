// Where the harness finds the corpus, the requirement index and the report
// schema. The same code runs from the sources (conformance/harness/*.ts) and
// from the build (dist/conformance/harness/*.js), so the package root is
// found by walking up, not by a fixed number of "..".
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the nearest folder above this module holding vectors/v1 and spec/requirements.json. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "vectors", "v1")) && existsSync(join(dir, "spec", "requirements.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the AP2P package root (vectors/v1 and spec/requirements.json) above ${from}`);
    dir = up;
  }
}

/** The corpus folder of the package. */
export const defaultVectorsDir = (): string => join(packageRoot(), "vectors", "v1");
/** The requirement index of the package. */
export const defaultRequirementsFile = (): string => join(packageRoot(), "spec", "requirements.json");
/** The JSON Schema of report.json. */
export const reportSchemaFile = (): string => join(packageRoot(), "conformance", "report", "report.schema.json");
/** True when this module runs from the build (dist/…/*.js) rather than from the sources. */
export const runningFromBuild = (): boolean => fileURLToPath(import.meta.url).endsWith(".js");
