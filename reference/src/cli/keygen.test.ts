// `ap2p keygen`: a key file with mode 0600, never overwritten.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKeyFile } from "../node/keyfile.js";
import { runKeygenCommand } from "./keygen.js";
import type { CliIo } from "./options.js";
import { tempDir } from "../testing/temp-dir.js";

function capture(): CliIo & { readonly text: () => string; readonly errors: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), text: () => out, errors: () => err };
}

describe("ap2p keygen", () => {
  it("writes a key file readable by its owner only and prints the did", async () => {
    const path = join(tempDir("ap2p-keygen-"), "a.key");
    const io = capture();
    expect(await runKeygenCommand(["--out", path], io)).toBe(0);
    const did = io.text().trim();
    expect(did).toMatch(/^did:key:z6Mk/);
    expect(readKeyFile(path).did).toBe(did);
    if (process.platform !== "win32") expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("refuses to overwrite an existing file, with exit status 1 and a message", async () => {
    const path = join(tempDir("ap2p-keygen-"), "a.key");
    expect(await runKeygenCommand(["--out", path], capture())).toBe(0);
    const before = readFileSync(path, "utf8");
    const io = capture();
    expect(await runKeygenCommand(["--out", path], io)).toBe(1);
    expect(io.errors()).toMatch(/already exists/);
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  it("prints JSON with --json, help with --help, and exits 2 without --out", async () => {
    const path = join(tempDir("ap2p-keygen-"), "a.key");
    const io = capture();
    expect(await runKeygenCommand(["--out", path, "--json"], io)).toBe(0);
    expect(JSON.parse(io.text())).toEqual({ did: readKeyFile(path).did, key_file: path });
    const help = capture();
    expect(await runKeygenCommand(["--help"], help)).toBe(0);
    expect(help.text()).toMatch(/^Usage: ap2p keygen/);
    const bad = capture();
    expect(await runKeygenCommand([], bad)).toBe(2);
    expect(bad.errors()).toMatch(/--out is required/);
  });
});
