// `ap2p delegate` against nodes on 127.0.0.1, and the usage errors of the node commands.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderImage } from "../node/capabilities.js";
import { writeKeyFile } from "../node/keyfile.js";
import { keyFrom, TestNetwork } from "../node/testing.js";
import { runAgentCommand } from "./agent.js";
import { runDelegateCommand } from "./delegate.js";
import type { CliIo } from "./options.js";
import { runRegistryCommand } from "./registry.js";
import { tempDir } from "../testing/temp-dir.js";

function capture(): CliIo & { readonly text: () => string; readonly errors: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), text: () => out, errors: () => err };
}

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.stop();
  net = undefined;
});

describe("ap2p delegate", () => {
  it("prints what each tier decided about each candidate, the chosen provider, the output and the attestations", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    await net.startAgent("liar", "lacks-capability", { latencyMs: 10 });
    const honest = await net.startAgent("honest", "honest", { latencyMs: 100 });
    const dir = tempDir("ap2p-delegate-");
    writeKeyFile(join(dir, "me.key"), keyFrom("cli delegator"));
    const io = capture();
    const args = ["--key", join(dir, "me.key"), "--registry", net.registry.url, "--registry-id", net.registry.peerId, "--capability", "ap2p.demo/generate@1.0.0", "--input", "a red fox", "--level", "2"];
    const status = await runDelegateCommand([...args, "--output-file", join(dir, "fox.svg"), "--history", join(dir, "history")], io);
    expect(io.errors()).toBe("");
    expect(status).toBe(0);
    const text = io.text();
    expect(text).toMatch(/^delegating ap2p\.demo\/generate@1\.0\.0 at level 2 \(CANARY\): risk MEDIUM/);
    expect(text).toMatch(/CANARY\s+CANARY_WRONG_OUTPUT: the verifier's oracle rejects/);
    expect(text).toMatch(/CANARY\s+passed: canary answered correctly and on time/);
    expect(text).toMatch(/TASK\s+passed: result accepted/);
    expect(text).toContain(`chosen: ${honest.peerId.slice(8, 14)}…`);
    expect(text).toMatch(/CANARY_FAILED at CANARY/);
    expect(text).toMatch(/SUCCESS at CANARY/);
    expect(text).toMatch(/^output: <svg /m);
    expect(readFileSync(join(dir, "fox.svg"))).toEqual(Buffer.from(renderImage(new TextEncoder().encode("a red fox"))));
    expect(readFileSync(join(dir, "history"), "utf8").trim().split("\n")).toHaveLength(2);

    // With its own history, the delegator ranks the liar (one canary failure) below the honest provider (one success).
    const again = capture();
    expect(await runDelegateCommand([...args, "--history", join(dir, "history"), "--json"], again)).toBe(0);
    const json = JSON.parse(again.text()) as { chosen: string; candidates: { peer_id: string }[]; attestations: { outcome: string }[] };
    expect(json.chosen).toBe(honest.peerId);
    expect(json.candidates.map((c) => c.peer_id)).toEqual([honest.peerId]);
    expect(json.attestations.map((a) => a.outcome)).toEqual(["SUCCESS"]);
  });

  it("exits 1 and names the code when no provider can be used", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    await net.startAgent("liar", "lacks-capability");
    const io = capture();
    const status = await runDelegateCommand(["--registry", net.registry.url, "--registry-id", net.registry.peerId, "--capability", "ap2p.demo/publish@1.0.0", "--input", "x", "--risk", "high", "--json"], io);
    expect(status).toBe(1);
    const json = JSON.parse(io.text()) as { error: string; explanation: { requirements: string[] }; candidates: { decisions: { error: string }[] }[] };
    expect(json.error).toBe("DELEGATION_FAILED");
    expect(json.candidates[0]!.decisions[0]!.error).toBe("CANARY_WRONG_OUTPUT");
  });
});

describe("usage errors of the node commands", () => {
  it("exit 2 with the reason, and --help exits 0", async () => {
    const cases: [(argv: string[], io: CliIo) => Promise<number>, string[], RegExp][] = [
      [runDelegateCommand, ["--registry", "ws://127.0.0.1:1/"], /--registry-id is required/],
      [runDelegateCommand, ["--registry", "http://x", "--registry-id", "did:key:z6Mkx"], /--registry takes a ws:\/\/ URL/],
      [runDelegateCommand, ["--registry", "ws://127.0.0.1:1/", "--registry-id", "did:key:z6MkhyP5jfTFQaRMPx8GcQZrXanjmL9a5o9RpmSjyNFsAE1K", "--capability", "a.b/c@1.0.0", "--input", "x"], /exactly one of --level and --risk/],
      [runDelegateCommand, ["--registry", "ws://127.0.0.1:1/", "--registry-id", "did:key:z6MkhyP5jfTFQaRMPx8GcQZrXanjmL9a5o9RpmSjyNFsAE1K", "--capability", "a.b/c@1.0.0", "--input", "x", "--level", "4"], /--level takes 1, 2 or 3/],
      [runRegistryCommand, ["serve", "--origin", "planet"], /--origin takes address or peer/],
      [runRegistryCommand, ["serve", "--port", "70000"], /--port takes a whole number up to 65535/],
      [runRegistryCommand, ["listen"], /unknown command "listen"/],
      [runAgentCommand, ["serve", "--key", "k"], /--registry is required/],
      [runAgentCommand, ["serve", "--key", "k", "--registry", "ws://127.0.0.1:1/", "--registry-id", "did:key:z6MkhyP5jfTFQaRMPx8GcQZrXanjmL9a5o9RpmSjyNFsAE1K", "--behaviour", "evil"], /--behaviour takes one of honest/],
      [runAgentCommand, ["serve", "--key", "k", "--registry", "ws://127.0.0.1:1/", "--registry-id", "did:key:z6MkhyP5jfTFQaRMPx8GcQZrXanjmL9a5o9RpmSjyNFsAE1K", "--capability", "example/translate@1.0.0"], /--capability takes a built-in capability/],
    ];
    for (const [run, argv, why] of cases) {
      const io = capture();
      expect(await run(argv, io), argv.join(" ")).toBe(2);
      expect(io.errors()).toMatch(why);
    }
    for (const [run, argv] of [[runDelegateCommand, ["--help"]], [runRegistryCommand, ["serve", "--help"]], [runAgentCommand, ["serve", "--help"]]] as const) {
      const io = capture();
      expect(await run([...argv], io)).toBe(0);
      expect(io.text()).toMatch(/^Usage: ap2p /);
    }
  });
});
