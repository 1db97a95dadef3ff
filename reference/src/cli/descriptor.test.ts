// `ap2p descriptor sign | verify | inspect`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { issueDescriptor } from "../descriptor/issue.js";
import { writeKeyFile } from "../node/keyfile.js";
import { runDescriptorCommand } from "./descriptor.js";
import type { CliIo } from "./options.js";
import { tempDir } from "../testing/temp-dir.js";

function capture(): CliIo & { readonly text: () => string; readonly errors: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), text: () => out, errors: () => err };
}

const NOW = 1_767_225_600_000n; // 2026-01-01T00:00:00Z
const key = sha256(new TextEncoder().encode("descriptor command test"));

function setup(): { dir: string; keyFile: string; did: string } {
  const dir = tempDir("ap2p-descriptor-");
  const keyFile = join(dir, "k.key");
  const { did } = writeKeyFile(keyFile, key);
  return { dir, keyFile, did };
}

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const io = capture();
  const status = await runDescriptorCommand(args, io);
  return { status, out: io.text(), err: io.errors() };
}

describe("ap2p descriptor", () => {
  it("signs a descriptor that verify accepts and inspect shows", async () => {
    const { dir, keyFile, did } = setup();
    const file = join(dir, "d.cose");
    const signed = await run(["sign", "--key", keyFile, "--capability", "ap2p.demo/generate@1.0.0", "--capability", "ap2p.demo/publish@1.0.0", "--tiers", "reputation,canary", "--latency-ms", "50", "--endpoint", "ws://127.0.0.1:7401/", "--name", "alice", "--ttl", "60s", "--now", String(NOW), "--out", file]);
    expect(signed.status).toBe(0);
    expect(signed.out).toContain(did);
    const ok = await run(["verify", file, "--now", String(NOW + 1000n)]);
    expect(ok.status).toBe(0);
    expect(ok.out).toMatch(/^valid: descriptor of did:key:/);
    const shown = await run(["inspect", file, "--now", String(NOW + 1000n)]);
    expect(shown.status).toBe(0);
    expect(shown.out).toContain(`issuer:     ${did}`);
    expect(shown.out).toContain("ap2p.demo/publish@1.0.0");
    expect(shown.out).toContain("tiers:        REPUTATION, CANARY");
    expect(shown.out).toContain("latency:      at most 50 ms");
    expect(shown.out).toContain("endpoint:   ws://127.0.0.1:7401/");
    expect(shown.out).toContain("signature:  verifies");
    expect(shown.out).toContain("2026-01-01T00:01:00.000Z");
    const json = JSON.parse((await run(["inspect", file, "--now", String(NOW), "--json"])).out) as { valid: boolean; descriptor: { peerId: string; capabilities: unknown[] } };
    expect(json.valid).toBe(true);
    expect(json.descriptor.peerId).toBe(did);
    expect(json.descriptor.capabilities).toHaveLength(2);
  });

  it("signs content given as proto3 JSON with --from", async () => {
    const { dir, keyFile } = setup();
    const content = join(dir, "content.json");
    writeFileSync(content, JSON.stringify({ capabilities: [{ namespace: "example", id: "translate", version: "2.1.0", tags: ["text"], supportedTiers: ["VERIFICATION_TIER_REPUTATION"], constraints: { regions: ["DE"], onDevice: true } }], displayName: "translator" }));
    const file = join(dir, "d.cose");
    expect((await run(["sign", "--key", keyFile, "--from", content, "--now", String(NOW), "--out", file])).status).toBe(0);
    const shown = (await run(["inspect", file, "--now", String(NOW)])).out;
    expect(shown).toContain("example/translate@2.1.0");
    expect(shown).toContain("regions:      DE");
    expect(shown).toContain("on device:    yes");
    expect(shown).toContain("name:       translator (a label, not an identity)");
    writeFileSync(content, JSON.stringify({ capabilities: [{ namespace: "example", id: "translate", version: "2.1.0", unknownField: 1 }] }));
    expect((await run(["sign", "--key", keyFile, "--from", content, "--out", file])).err).toMatch(/not descriptor content in proto3 JSON/);
  });

  it("explains an expired descriptor by its code, field, meaning and requirement", async () => {
    const { dir, keyFile } = setup();
    const file = join(dir, "d.cose");
    await run(["sign", "--key", keyFile, "--capability", "ap2p.test/sha256@1.0.0", "--ttl", "60s", "--now", String(NOW), "--out", file]);
    const late = await run(["verify", file, "--now", String(NOW + 3_600_000n)]);
    expect(late.status).toBe(1);
    expect(late.out).toMatch(/^rejected: DESC_EXPIRED \(500\)/);
    expect(late.out).toContain("field: expires_at");
    expect(late.out).toContain("meaning: The descriptor's expiry time");
    expect(late.out).toContain("DESC-009 (spec/05-descriptors.md)");
    const json = JSON.parse((await run(["verify", file, "--now", String(NOW + 3_600_000n), "--json"])).out) as { valid: boolean; error: { code: string; requirements: { id: string }[] } };
    expect(json.valid).toBe(false);
    expect(json.error.code).toBe("DESC_EXPIRED");
    expect(json.error.requirements.map((r) => r.id)).toContain("DESC-009");
  });

  it("reports every failing check: a tampered signature and a rollback together, the first in the order of DESC-017", async () => {
    const { dir } = setup();
    const { bytes } = issueDescriptor(key, { capabilities: [{ namespace: "ap2p.test", id: "sha256", version: "1.0.0" }] }, 2n, { now: NOW, ttlMs: 60_000n });
    const tampered = bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    const file = join(dir, "t.cose");
    writeFileSync(file, Buffer.from(tampered).toString("hex")); // hex text is read too
    const r = JSON.parse((await run(["verify", file, "--now", String(NOW), "--last-seq", "5", "--json"])).out) as { error: { code: string }; checks: { check: string; ok: boolean; error?: { code: string } }[] };
    expect(r.error.code).toBe("SIG_INVALID");
    expect(r.checks.map((c) => [c.check, c.ok, c.error?.code])).toEqual([
      ["well-formed", true, undefined],
      ["signature", false, "SIG_INVALID"],
      ["validity", false, "DESC_SEQ_ROLLBACK"],
    ]);
  });

  it("explains bytes that are not a descriptor", async () => {
    const { dir } = setup();
    const file = join(dir, "junk.cose");
    writeFileSync(file, "this is not CBOR at all");
    const r = await run(["verify", file]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^rejected: (CBOR|COSE)_[A-Z_]+ \([0-9]+\)/);
    expect((await run(["inspect", file])).status).toBe(1);
  });

  it("exits 2 on bad usage, with the reason", async () => {
    const { dir, keyFile } = setup();
    const out = join(dir, "x.cose");
    for (const [args, why] of [
      [["sign", "--key", keyFile, "--out", out], /either --capability/],
      [["sign", "--key", keyFile, "--capability", "generate", "--out", out], /NAMESPACE\/ID@MAJOR.MINOR.PATCH/],
      [["sign", "--key", keyFile, "--capability", "a.b/c@1.0.0", "--ttl", "soon", "--out", out], /--ttl takes a duration/],
      [["sign", "--key", keyFile, "--capability", "a.b/c@1.0.0", "--ttl", "2d", "--out", out], /cannot sign this descriptor/],
      [["verify"], /needs a FILE/],
      [["frobnicate"], /unknown command/],
    ] as const) {
      const r = await run([...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.err).toMatch(why);
    }
    expect((await run(["sign", "--key", join(dir, "missing.key"), "--capability", "a.b/c@1.0.0", "--out", out])).status).toBe(1);
  });
});
