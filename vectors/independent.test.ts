// Runs vectors/independent/check.py: the signed parts of the corpus checked
// with libsodium (PyNaCl) and cbor2, implementations this project did not
// write. Skipped, with the reason, where Python lacks those modules.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CORPUS, ROOT } from "./corpus.js";

const SCRIPT = join(ROOT, "vectors", "independent", "check.py");

function findPython(): string | undefined {
  const candidates = [process.env["PYTHON"], "/usr/bin/python3", "python3"].filter((c): c is string => !!c);
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import nacl.signing, nacl.bindings, cbor2"], { encoding: "utf8" });
    if (probe.status === 0) return python;
  }
  return undefined;
}

const python = findPython();
if (python === undefined) {
  console.warn("independent vector check skipped: no Python 3 with PyNaCl and cbor2 (apt-get install python3-nacl python3-cbor2, or set PYTHON)");
}

interface Report {
  ok: boolean;
  counts: Record<string, number>;
  disagreements: string[];
  corpus_digest: string;
}

function check(dir: string): Report {
  const run = spawnSync(python!, [SCRIPT, dir, "--json"], { encoding: "utf8" });
  expect([0, 1], run.stderr).toContain(run.status);
  return JSON.parse(run.stdout) as Report;
}

const scratch = mkdtempSync(join(tmpdir(), "ap2p-independent-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(python === undefined)("independent check of the corpus (PyNaCl/libsodium and cbor2)", () => {
  it("agrees with every signed vector, the produce outputs and the manifest", () => {
    const report = check(CORPUS);
    console.log(`independent check: ${Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join("; ")}`);
    expect(report.disagreements).toEqual([]);
    expect(report.ok).toBe(true);
    // The check must have had something to check.
    expect(report.counts["ed25519.verify verdicts"]).toBeGreaterThan(50);
    expect(report.counts["manifest signature"]).toBe(1);
    expect(report.counts["ed25519.sign outputs"]).toBeGreaterThan(0);
    expect(report.counts["cose.sign outputs"]).toBeGreaterThan(0);
    expect(report.counts["descriptor.sign outputs"]).toBeGreaterThan(0);
    expect(report.counts["envelope signatures valid under another defect"]).toBeGreaterThan(20);
  });

  it("catches a wrong verdict and a wrong produce output (the check can fail)", () => {
    const dir = join(scratch, "mutated");
    cpSync(CORPUS, dir, { recursive: true });
    const path = join(dir, "ed25519.json");
    const file = JSON.parse(readFileSync(path, "utf8")) as { test_groups: { tests: { id: string; result: string; error?: string; output?: { signature: string } }[] }[] };
    const tests = file.test_groups.flatMap((g) => g.tests);
    const wrongVerdict = tests.find((t) => t.id === "ed25519/s/s-plus-l-001")!;
    wrongVerdict.result = "valid";
    delete wrongVerdict.error;
    const wrongOutput = tests.find((t) => t.id === "ed25519/sign/derived-text-001")!;
    wrongOutput.output!.signature = wrongOutput.output!.signature.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    writeFileSync(path, JSON.stringify(file, null, 2));
    const report = check(dir);
    expect(report.ok).toBe(false);
    const text = report.disagreements.join("\n");
    expect(text).toContain("ed25519.json: SHA-256 differs from the manifest");
    expect(text).toContain("ed25519/s/s-plus-l-001");
    expect(text).toContain("ed25519/sign/derived-text-001");
  });
});
