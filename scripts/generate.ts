// Regenerates every artifact derived from schemas/proto, or checks that the
// committed ones are current.
//
//   node --import tsx scripts/generate.ts          buf lint, buf generate (in place), splice spec/**/*.md,
//                                                  index requirement IDs into spec/requirements.json
//   node --import tsx scripts/generate.ts --check  the same into a scratch folder; compare byte for byte
//
// Both also regenerate the test-vector corpus (vectors/v1) with its generator,
// which runs after buf so that it reads the fresh bindings, and then the
// requirement coverage table (conformance/coverage.md) from the requirements,
// the corpus, the harness's cases and the unit tests.
//
// The outputs are the `out` folders of buf.gen.yaml (each holds generated
// files only: buf's `clean: true` empties them first) plus the generated
// blocks of the spec files. --check never writes to the work tree.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { specFiles, spliceSpecTree } from "./splice-generated.js";
import { specExamples } from "./spec-examples.js";
import { extractRequirements, formatProblem, renderRequirementsJson } from "./requirements.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "node_modules", ".bin");
const BUF = join(BIN, process.platform === "win32" ? "buf.cmd" : "buf");
const TEMPLATE = "buf.gen.yaml";
const SPEC_DIR = "spec";
const FIELDS_DIR = "spec/fields";
const REQUIREMENTS = "spec/requirements.json";
const VECTORS_DIR = "vectors/v1";
const VECTORS_GENERATOR = "vectors/generator/main.ts";
const COVERAGE = "conformance/coverage.md";
const COVERAGE_GENERATOR = "scripts/coverage-matrix.ts";

/** The requirement index of a spec folder; throws on malformed or duplicate IDs and untagged keywords. */
function requirementsJson(specDir: string): string {
  const { requirements, problems } = extractRequirements(specDir);
  if (problems.length > 0) {
    throw new GenerateError(`requirement IDs:\n${problems.map((p) => `  ${formatProblem(p, specDir)}`).join("\n")}`);
  }
  return renderRequirementsJson(requirements);
}

class GenerateError extends Error {
  override readonly name = "GenerateError";
}

/** The `out:` folders of buf.gen.yaml, relative to the repository root. */
export function outputDirs(template: string): string[] {
  const dirs: string[] = [];
  for (const line of template.split(/\r?\n/)) {
    const m = /^\s*(?:-\s+)?out:\s*["']?([^"'#\s]+)["']?\s*(?:#.*)?$/.exec(line);
    if (m !== null) dirs.push(m[1]!.replace(/\/+$/, ""));
  }
  return dirs;
}

function runBuf(args: string[]): void {
  if (!existsSync(BUF)) throw new GenerateError(`${relative(ROOT, BUF)} not found: run npm install first`);
  const result = spawnSync(BUF, args, {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    // buf.gen.yaml names local plugins (protoc-gen-es) that npm installs in node_modules/.bin.
    env: { ...process.env, PATH: `${BIN}${delimiter}${process.env["PATH"] ?? ""}` },
  });
  if (result.error !== undefined) throw new GenerateError(`could not run buf ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new GenerateError(`buf ${args[0]} failed (${result.signal ?? `exit status ${result.status}`})`);
  }
}

/** Writes the test-vector corpus into `out` (vectors/generator/main.ts, in its own process). */
function runVectors(out: string): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, VECTORS_GENERATOR), "--out", out], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.error !== undefined) throw new GenerateError(`could not run the vector generator: ${result.error.message}`);
  if (result.status !== 0) throw new GenerateError(`the vector generator failed (${result.signal ?? `exit status ${result.status}`})`);
}

/** Writes the requirement coverage table to `out` (scripts/coverage-matrix.ts, in its own process, after the bindings and vectors). */
function runCoverage(requirements: string, vectors: string, out: string): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, COVERAGE_GENERATOR), "--requirements", requirements, "--vectors", vectors, "--out", out], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.error !== undefined) throw new GenerateError(`could not run the coverage table generator: ${result.error.message}`);
  if (result.status !== 0) throw new GenerateError(`the coverage table generator failed (${result.signal ?? `exit status ${result.status}`})`);
}

/** Files under `dir`, recursively, as sorted paths relative to `dir` with forward slashes. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

interface Difference {
  path: string;
  kind: "differs" | "missing from the work tree" | "not generated";
}

/** Compares the files of `expectedDir` (freshly generated) and `actualDir` (the work tree). */
function compareDirs(expectedDir: string, actualDir: string, label: string, only?: (rel: string) => boolean): {
  compared: number;
  differences: Difference[];
} {
  const keep = only ?? (() => true);
  const expected = new Set(listFiles(expectedDir).filter(keep));
  const actual = new Set(listFiles(actualDir).filter(keep));
  const differences: Difference[] = [];
  for (const rel of [...new Set([...expected, ...actual])].sort()) {
    const path = `${label}/${rel}`;
    if (!actual.has(rel)) differences.push({ path, kind: "missing from the work tree" });
    else if (!expected.has(rel)) differences.push({ path, kind: "not generated" });
    else if (!readFileSync(join(expectedDir, rel)).equals(readFileSync(join(actualDir, rel)))) {
      differences.push({ path, kind: "differs" });
    }
  }
  return { compared: expected.size, differences };
}

function templateOutputs(): string[] {
  const templatePath = join(ROOT, TEMPLATE);
  if (!existsSync(templatePath)) throw new GenerateError(`${TEMPLATE} not found`);
  const outs = outputDirs(readFileSync(templatePath, "utf8"));
  if (outs.length === 0) throw new GenerateError(`${TEMPLATE} names no out folders`);
  if (!outs.includes(FIELDS_DIR)) throw new GenerateError(`${TEMPLATE} has no plugin writing to ${FIELDS_DIR}`);
  for (const out of outs) {
    if (out === "." || out.startsWith("..") || out === SPEC_DIR) {
      throw new GenerateError(`${TEMPLATE}: out folder ${out} would let clean: true delete hand-written files`);
    }
  }
  return outs;
}

function generate(): void {
  const outs = templateOutputs();
  runBuf(["lint"]);
  runBuf(["generate"]);
  const generated = outs.reduce((n, out) => n + listFiles(join(ROOT, out)).length, 0);
  const { files, changed } = spliceSpecTree(join(ROOT, SPEC_DIR), join(ROOT, FIELDS_DIR), { displayRoot: SPEC_DIR, extra: specExamples() });
  for (const path of changed) console.log(`spliced ${relative(ROOT, path)}`);
  writeFileSync(join(ROOT, REQUIREMENTS), requirementsJson(join(ROOT, SPEC_DIR)));
  runVectors(join(ROOT, VECTORS_DIR));
  runCoverage(join(ROOT, REQUIREMENTS), join(ROOT, VECTORS_DIR), join(ROOT, COVERAGE));
  console.log(
    `generate: ${generated} generated files in ${outs.join(", ")}; ` +
      `${files.length} spec files, ${changed.length} re-spliced`,
  );
}

function check(): boolean {
  const outs = templateOutputs();
  runBuf(["lint"]);
  const scratch = mkdtempSync(join(tmpdir(), "ap2p-generate-check-"));
  try {
    runBuf(["generate", "--output", scratch]);
    const differences: Difference[] = [];
    let generated = 0;
    for (const out of outs) {
      const r = compareDirs(join(scratch, out), join(ROOT, out), out);
      generated += r.compared;
      differences.push(...r.differences);
    }

    // Splice copies of the spec files against the freshly generated tables.
    const scratchSpec = join(scratch, SPEC_DIR);
    const sources = specFiles(join(ROOT, SPEC_DIR), join(ROOT, FIELDS_DIR));
    for (const path of sources) {
      const copy = join(scratchSpec, relative(join(ROOT, SPEC_DIR), path));
      mkdirSync(dirname(copy), { recursive: true });
      cpSync(path, copy);
    }
    spliceSpecTree(scratchSpec, join(scratch, FIELDS_DIR), { displayRoot: SPEC_DIR, extra: specExamples() });
    const fieldsPrefix = relative(SPEC_DIR, FIELDS_DIR) + "/";
    const isSpecSource = (rel: string) => rel.endsWith(".md") && !rel.startsWith(fieldsPrefix);
    const spec = compareDirs(scratchSpec, join(ROOT, SPEC_DIR), SPEC_DIR, isSpecSource);
    differences.push(...spec.differences);
    const requirements = join(ROOT, REQUIREMENTS);
    const freshRequirements = requirementsJson(scratchSpec);
    if (!existsSync(requirements) || readFileSync(requirements, "utf8") !== freshRequirements) {
      differences.push({ path: REQUIREMENTS, kind: "differs" });
    }

    runVectors(join(scratch, VECTORS_DIR));
    const vectors = compareDirs(join(scratch, VECTORS_DIR), join(ROOT, VECTORS_DIR), VECTORS_DIR);
    differences.push(...vectors.differences);

    const scratchRequirements = join(scratch, "requirements.json");
    writeFileSync(scratchRequirements, freshRequirements);
    const scratchCoverage = join(scratch, "coverage.md");
    runCoverage(scratchRequirements, join(scratch, VECTORS_DIR), scratchCoverage);
    const coverage = join(ROOT, COVERAGE);
    if (!existsSync(coverage) || !readFileSync(coverage).equals(readFileSync(scratchCoverage))) differences.push({ path: COVERAGE, kind: "differs" });

    if (differences.length > 0) {
      for (const d of differences) console.error(`${d.path}: ${d.kind}`);
      console.error(`check: ${differences.length} file(s) out of date; run \`npm run generate\` and commit the result`);
      return false;
    }
    console.log(`check: OK, ${generated} generated files, ${spec.compared} spec files, ${vectors.compared} vector files and ${COVERAGE} are up to date`);
    return true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`usage: generate [--check]\nunexpected argument: ${unknown.join(" ")}`);
    return 2;
  }
  try {
    if (argv.includes("--check")) return check() ? 0 : 1;
    generate();
    return 0;
  } catch (e) {
    console.error(`${argv.includes("--check") ? "check" : "generate"}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
