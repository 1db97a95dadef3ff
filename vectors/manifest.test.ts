// The signed manifest and `ap2p vectors verify`: the committed corpus
// verifies; a change to any byte of any file fails, naming the file.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";
import { VectorManifestSchema, type VectorManifest } from "../gen/ts/ap2p/v1/vectors_pb.js";
import { decodeMessage } from "../reference/src/codec/message-codec.js";
import { parseSign1 } from "../reference/src/cose/sign1.js";
import { corpusDigest, corpusLines, MANIFEST_COSE_FILE, MANIFEST_FILE, runVectorsCommand, VECTOR_SIGNING_DID, verifyCorpus } from "../reference/src/cli/vectors.js";
import { signMessage } from "../reference/src/signed/signed-message.js";
import { CORPUS, ROOT, vectorFileNames } from "./corpus.js";
import { ALICE, MANIFEST_CT, VECTOR_SIGNER } from "./generator/fixtures.js";
import { sha256Of } from "./generator/bytes.js";

const scratch = mkdtempSync(join(tmpdir(), "ap2p-vectors-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh copy of the committed corpus. */
function copy(name: string): string {
  const dir = join(scratch, name);
  cpSync(CORPUS, dir, { recursive: true });
  return dir;
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = runVectorsCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const allFiles = [...vectorFileNames(), MANIFEST_FILE, MANIFEST_COSE_FILE];

describe("the committed corpus and its signed manifest", () => {
  it("verifies: signature under the pinned key, every file's digest, the corpus digest, MANIFEST = MANIFEST.cose", () => {
    const report = verifyCorpus(CORPUS);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signer).toBe(VECTOR_SIGNING_DID);
    expect(report.files.map((f) => f.name)).toEqual(vectorFileNames());
  });

  it("the pinned did:key is the generator's vector-signing key, and vectors/README.md prints it", () => {
    expect(VECTOR_SIGNER.did).toBe(VECTOR_SIGNING_DID);
    expect(readFileSync(join(ROOT, "vectors", "README.md"), "utf8")).toContain(VECTOR_SIGNING_DID);
  });

  it("MANIFEST.cose is a COSE_Sign1 under the vector-manifest content type over the canonical VectorManifest", () => {
    const parsed = parseSign1(new Uint8Array(readFileSync(join(CORPUS, MANIFEST_COSE_FILE))), MANIFEST_CT);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const manifest = decodeMessage<VectorManifest>(VectorManifestSchema, parsed.value.payload);
    expect(manifest.ok).toBe(true);
    if (!manifest.ok) return;
    expect(manifest.value.files.map((f) => f.name)).toEqual(vectorFileNames());
  });

  it("the corpus digest is SHA-256 over the sha256sum lines of the files, in order of name", () => {
    const files = vectorFileNames().map((name) => ({ name, sha256: sha256Of(readFileSync(join(CORPUS, name))) }));
    const lines = corpusLines(files);
    expect(lines.split("\n").slice(0, -1)).toEqual(files.map((f) => `${Buffer.from(f.sha256).toString("hex")}  ${f.name}`));
    expect(Buffer.from(corpusDigest(files)).toString("hex")).toBe(Buffer.from(sha256Of(new TextEncoder().encode(lines))).toString("hex"));
    expect(readFileSync(join(CORPUS, MANIFEST_FILE), "utf8")).toContain(`corpus_digest: ${Buffer.from(corpusDigest(files)).toString("hex")}\n`);
    expect(readFileSync(join(CORPUS, MANIFEST_FILE), "utf8").endsWith(lines)).toBe(true);
  });
});

describe("ap2p vectors verify", () => {
  it("exits 0 on the committed corpus and lists every file", () => {
    const r = run(["verify", "--dir", CORPUS]);
    expect(r.code, r.err).toBe(0);
    for (const f of vectorFileNames()) expect(r.out).toContain(`✓ ${f}`);
    expect(r.out).toContain(VECTOR_SIGNING_DID);
  });

  it("--json prints the report", () => {
    const r = run(["verify", `--dir=${CORPUS}`, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { ok: boolean; signer: string; files: unknown[]; problems: unknown[] };
    expect(report).toMatchObject({ ok: true, signer: VECTOR_SIGNING_DID, problems: [] });
    expect(report.files).toHaveLength(vectorFileNames().length);
  });

  it("--help exits 0; no arguments, an unknown subcommand or argument exits 2", () => {
    expect(run(["--help"]).code).toBe(0);
    expect(run(["verify", "--help"]).out).toContain("Usage: ap2p vectors verify");
    expect(run([]).code).toBe(2);
    expect(run(["check"]).code).toBe(2);
    expect(run(["verify", "--bogus"]).code).toBe(2);
  });

  it("fails when the folder does not exist", () => {
    const r = run(["verify", "--dir", join(scratch, "nowhere")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("not a folder");
  });

  it("a flipped byte (first, middle or last) in any file fails, naming that file", () => {
    const dir = copy("flips");
    const failures: string[] = [];
    for (const name of allFiles) {
      const path = join(dir, name);
      const original = readFileSync(path);
      for (const at of [0, original.length >> 1, original.length - 1]) {
        const flipped = Buffer.from(original);
        flipped[at] = flipped[at]! ^ 0x01;
        writeFileSync(path, flipped);
        const r = run(["verify", "--dir", dir]);
        if (r.code !== 1 || !r.err.includes(`✗ ${name}:`)) failures.push(`${name} byte ${at}: exit ${r.code}, ${r.err.trim() || "no problem reported"}`);
      }
      writeFileSync(path, original);
    }
    expect(failures).toEqual([]);
    expect(run(["verify", "--dir", dir]).code).toBe(0);
  });

  it("a missing file, an unlisted vector file, or a missing MANIFEST fails, naming the file", () => {
    const missing = copy("missing");
    unlinkSync(join(missing, "cbor.json"));
    expect(run(["verify", "--dir", missing]).err).toContain("✗ cbor.json: listed in the manifest but missing");
    const extra = copy("extra");
    writeFileSync(join(extra, "extra.json"), "{}\n");
    expect(run(["verify", "--dir", extra]).err).toContain("✗ extra.json: a vector file that the manifest does not list");
    const noText = copy("no-text");
    unlinkSync(join(noText, MANIFEST_FILE));
    expect(run(["verify", "--dir", noText]).err).toContain(`✗ ${MANIFEST_FILE}: missing`);
    const noCose = copy("no-cose");
    unlinkSync(join(noCose, MANIFEST_COSE_FILE));
    expect(run(["verify", "--dir", noCose]).err).toContain(`✗ ${MANIFEST_COSE_FILE}: missing`);
  });

  it("a consistent corpus re-signed by another key fails: the key is pinned", () => {
    const dir = copy("other-key");
    const parsed = parseSign1(new Uint8Array(readFileSync(join(dir, MANIFEST_COSE_FILE))), MANIFEST_CT);
    if (!parsed.ok) throw parsed.error;
    const manifest = decodeMessage<VectorManifest>(VectorManifestSchema, parsed.value.payload);
    if (!manifest.ok) throw manifest.error;
    writeFileSync(join(dir, MANIFEST_COSE_FILE), signMessage(VectorManifestSchema, create(VectorManifestSchema, manifest.value), ALICE.seed));
    const r = run(["verify", "--dir", dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`✗ ${MANIFEST_COSE_FILE}: signed by ${ALICE.did}, not by the pinned vector-signing key`);
  });
});
