import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fixture } from "../../../conformance/harness/testing/run.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { SHA256_TEST_CAPABILITY } from "../canary/oracles.js";
import { AgentService } from "../node/agent-service.js";
import { secureRandom, systemClock } from "../node/random.js";
import { RegistryService } from "../node/registry-service.js";
import { parseDuration, runConformanceCommand } from "./conformance.js";
import { tempDir } from "../testing/temp-dir.js";

/** The RFC 8032 §7.1 TEST 1 key's did:key: a node that is not it cannot prove it. */
const DID = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw";

const MAIN = join(import.meta.dirname, "main.ts");
const tmp = () => tempDir("ap2p-cli-");

/** Runs the command in this process, capturing what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((t) => ((out += String(t)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((t) => ((err += String(t)), true));
  try {
    const code = await runConformanceCommand(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("ap2p conformance: arguments", () => {
  it("parses durations: ms, s, m, and bare seconds", () => {
    expect(parseDuration("500ms", "--x")).toBe(500);
    expect(parseDuration("10s", "--x")).toBe(10_000);
    expect(parseDuration("2m", "--x")).toBe(120_000);
    expect(parseDuration("1.5", "--x")).toBe(1500);
    expect(() => parseDuration("soon", "--x")).toThrow(/--x soon/);
    expect(() => parseDuration("0", "--x")).toThrow(/more than zero/);
  });

  it("usage errors exit with 2 before anything runs", async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli("--stdio", "x", "--ws", "ws://127.0.0.1:1/")).err).toMatch(/exactly one of/);
    expect((await cli("--stdio", "x", "--format", "pdf")).err).toMatch(/--format pdf/);
    expect((await cli("--stdio", "x", "--transport", "ws")).err).toMatch(/--transport goes with --reference/);
    expect((await cli("--stdio", "x", "--filter", "no/such/case-*")).err).toMatch(/matches no case/);
    expect((await cli("--stdio", "x", "--samples", "3")).err).toMatch(/at least 5/);
    expect((await cli("--stdio", "x", "--time-scale", "0")).err).toMatch(/positive number/);
    expect((await cli("--ws", "ws://192.0.2.1:9/")).err).toMatch(/loopback only/);
    expect((await cli("--stdio", "x", "--baseline", join(tmp(), "none.txt"))).err).toMatch(/no such file/);
    expect((await cli("--bogus")).code).toBe(2);
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--stdio CMD/);
  });

  it("a baseline glob that matches too many cases is a usage error", async () => {
    const file = join(tmp(), "baseline.txt");
    writeFileSync(file, "*\n");
    const r = await cli("--stdio", "x", "--baseline", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/baseline\.txt:1: "\*" matches \d+ cases, more than the limit of 1000/);
  });
});

describe("ap2p conformance: runs", () => {
  it("writes the formats asked for, prints per-file lines and the summary, and exits 0 when nothing required fails", async () => {
    const dir = tmp();
    const r = await cli("--stdio", fixture(), "--filter", "cbor/valid/uint-*", "--report-dir", dir, "--format", "json,junit");
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["junit.xml", "report.json"]);
    expect(r.out).toMatch(/^ {2}cbor +\d+ cases {2}\d+ pass/m);
    expect(r.out).toMatch(/verdict: PASS \(exit 0\)/);
  });

  it("--update-baseline records the failures; the baseline then excuses them, and fails the run once they pass", async () => {
    const dir = tmp();
    const baseline = join(dir, "baseline.txt");
    const failing = fixture("--answer", "error:CBOR_MALFORMED");
    const args = ["--filter", "cbor/valid/uint-0-001,cbor/valid/uint-23-001", "--report-dir", dir, "--quiet"];
    expect((await cli("--stdio", failing, ...args)).code).toBe(1);
    expect((await cli("--stdio", failing, ...args, "--baseline", baseline, "--update-baseline")).code).toBe(0);
    expect(readFileSync(baseline, "utf8")).toMatch(/^cbor\/valid\/uint-0-001 +CBOR_MALFORMED$/m);
    expect((await cli("--stdio", failing, ...args, "--baseline", baseline)).code).toBe(0);
    const fixed = await cli("--stdio", fixture(), ...args, "--baseline", baseline);
    expect(fixed.code).toBe(1);
    expect(fixed.out).toMatch(/baseline: 2 entries pass now/);
    const changed = await cli("--stdio", fixture("--answer", "error:SIG_INVALID"), ...args, "--baseline", baseline);
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(/baseline: 2 cases failed differently from the expected prefix/);
  });

  it("SIGINT stops the run, writes the reports, and exits non-zero", async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "conformance", "--stdio", fixture("--delay-ms", "100"), "--filter", "cbor/valid/*", "--jobs", "1", "--report-dir", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      // Interrupt once the run has started.
      if (out.includes("AP2P conformance:") && !child.killed) setTimeout(() => child.kill("SIGINT"), 300);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(existsSync(join(dir, "report.html"))).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { run: { aborted: string }; summary: { skipped: number } };
    expect(report.run.aborted).toBe("interrupted by SIGINT");
    expect(report.summary.skipped).toBeGreaterThan(0);
  }, 20_000);
});

describe("ap2p conformance --wire", () => {
  const byOutcome = (dir: string): Record<string, string[]> => {
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { cases: { id: string; outcome: string }[] };
    const out: Record<string, string[]> = {};
    for (const c of report.cases) (out[c.outcome] ??= []).push(c.id.replace("scenario/wire/", ""));
    return out;
  };

  it("usage errors name the option", async () => {
    expect((await cli("--wire", "ws://127.0.0.1:1/")).err).toMatch(/--wire needs --wire-peer/);
    expect((await cli("--stdio", "x", "--wire-peer", "did:key:x")).err).toMatch(/--wire-peer and --wire-role go with --wire/);
    expect((await cli("--wire", "ws://127.0.0.1:1/", "--wire-peer", "did:key:nope")).err).toMatch(/--wire-peer did:key:nope: expected an Ed25519 did:key/);
    expect((await cli("--wire", "wss://127.0.0.1:1/", "--wire-peer", DID)).err).toMatch(/wss: is not supported yet/);
    expect((await cli("--wire", "ws://127.0.0.1:1/", "--wire-peer", DID, "--wire-role", "delegator")).err).toMatch(/--wire-role delegator/);
    expect((await cli("--help")).out).toMatch(/--wire URL/);
  });

  it("runs the wire cases against a running registry node; cases that need a limit are skipped, the shutdown case not sent", async () => {
    const service = await RegistryService.start({ secretKey: new Uint8Array(32).fill(91), sweepIntervalMs: 0, clock: systemClock, random: secureRandom });
    try {
      const dir = tmp();
      const r = await cli("--wire", service.url, "--wire-peer", service.peerId, "--report-dir", dir, "--format", "json", "--quiet");
      expect(r.code).toBe(0);
      const got = byOutcome(dir);
      expect(got["skipped"]?.sort()).toEqual(["connection-limit-001", "handshake-timeout-001", "idle-timeout-001"]);
      expect(got["unsupported"]).toEqual(["goaway-001"]);
      expect(got["pass"]).toContain("registry-calls-001");
      expect(got["pass"]).toHaveLength(15);
    } finally {
      await service.close();
    }
  }, 30_000);

  it("with --wire-role provider, calls a running provider's canary and task methods", async () => {
    const service = await AgentService.start({
      secretKey: new Uint8Array(32).fill(92),
      offers: [{ capability: { ...SHA256_TEST_CAPABILITY.capability, supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY] }, tools: [{ id: "ap2p.test/sha256@1", run: (input: Uint8Array) => sha256(input) }], compute: SHA256_TEST_CAPABILITY.compute }],
      clock: systemClock,
      random: secureRandom,
    });
    try {
      const dir = tmp();
      const r = await cli("--wire", service.url, "--wire-peer", service.peerId, "--wire-role", "provider", "--report-dir", dir, "--format", "json", "--quiet");
      expect(r.code).toBe(0);
      const got = byOutcome(dir);
      expect(got["pass"]).toContain("provider-calls-001");
      expect(got["pass"]).toContain("methods-001");
      expect(got["fail"]).toBeUndefined();
    } finally {
      await service.close();
    }
  }, 30_000);

  it("a node that does not prove the did:key given fails the handshake case", async () => {
    const service = await RegistryService.start({ secretKey: new Uint8Array(32).fill(93), sweepIntervalMs: 0, clock: systemClock, random: secureRandom });
    try {
      const dir = tmp();
      const r = await cli("--wire", service.url, "--wire-peer", DID, "--filter", "scenario/wire/handshake-001", "--report-dir", dir, "--format", "json", "--quiet");
      expect(r.code).toBe(1);
      expect(byOutcome(dir)["fail"]).toEqual(["handshake-001"]);
    } finally {
      await service.close();
    }
  }, 30_000);
});
