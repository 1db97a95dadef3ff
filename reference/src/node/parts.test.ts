// The small parts of a node: key files, built-in capabilities, origins, the seeded random source.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { Modality } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { judgeOutput } from "../canary/oracle.js";
import { SHA256_TEST_CAPABILITY } from "../canary/oracles.js";
import { issueDescriptor } from "../descriptor/issue.js";
import { verifyDescriptor } from "../descriptor/verify.js";
import { BUILTIN_CAPABILITIES, builtinCanaries, builtinCapability, GENERATE_CAPABILITY, offerOf, parseCapabilityRef, PUBLISH_CAPABILITY, receiptUri, renderImage } from "./capabilities.js";
import { identityOf, KeyFileError, parseKeyFile, readKeyFile, writeKeyFile } from "./keyfile.js";
import { addressOrigin, originOf } from "./origin.js";
import { seededRandom } from "./random.js";
import { tempDir } from "../testing/temp-dir.js";

const utf8 = new TextEncoder();
const key = sha256(utf8.encode("parts test key"));

describe("key files", () => {
  it("are written with mode 0600, hold the did, and read back to the same identity", () => {
    const dir = tempDir("ap2p-key-");
    const path = join(dir, "node.key");
    const written = writeKeyFile(path, key);
    if (process.platform !== "win32") expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ type: "ap2p-ed25519-secret-key", did: written.did, secret_key_hex: Buffer.from(key).toString("hex") });
    const warnings: string[] = [];
    expect(readKeyFile(path, (w) => warnings.push(w)).did).toBe(identityOf(key).did);
    expect(warnings).toEqual([]);
  });

  it("are never overwritten", () => {
    const dir = tempDir("ap2p-key-");
    const path = join(dir, "node.key");
    writeKeyFile(path, key);
    expect(() => writeKeyFile(path, sha256(key))).toThrow(/already exists/);
    expect(readKeyFile(path).did).toBe(identityOf(key).did);
  });

  it("are refused when the did is not the key's, the key is malformed, or the type is wrong", () => {
    const text = (o: object) => JSON.stringify(o);
    const did = identityOf(key).did;
    const hex = Buffer.from(key).toString("hex");
    expect(() => parseKeyFile(text({ type: "ap2p-ed25519-secret-key", did: identityOf(sha256(key)).did, secret_key_hex: hex }))).toThrow(KeyFileError);
    expect(() => parseKeyFile(text({ type: "ap2p-ed25519-secret-key", did, secret_key_hex: hex.slice(2) }))).toThrow(/64 lower-case hex/);
    expect(() => parseKeyFile(text({ type: "pkcs8", did, secret_key_hex: hex }))).toThrow(/"type"/);
    expect(() => parseKeyFile("not json")).toThrow(/not JSON/);
  });

  it("readable by others draw a warning", () => {
    if (process.platform === "win32") return;
    const path = join(tempDir("ap2p-key-"), "open.key");
    writeFileSync(path, JSON.stringify({ type: "ap2p-ed25519-secret-key", did: identityOf(key).did, secret_key_hex: Buffer.from(key).toString("hex") }), { mode: 0o644 });
    const warnings: string[] = [];
    readKeyFile(path, (w) => warnings.push(w));
    expect(warnings.join()).toMatch(/chmod 600/);
  });
});

describe("built-in capabilities", () => {
  it("are deterministic, and each oracle accepts exactly the honest output", () => {
    for (const b of BUILTIN_CAPABILITIES) {
      const input = b.test.sampleInput(seededRandom(`sample ${b.test.capability.id}`));
      const honest = b.test.compute(input);
      expect(b.test.compute(input)).toEqual(honest);
      expect(judgeOutput(b.test.oracle(input), honest)).toBe(true);
      expect(judgeOutput(b.test.oracle(input), { ...honest, bytes: utf8.encode("made-up answer") })).toBe(false);
      expect(judgeOutput(b.test.oracle(input), { ...honest, mediaType: "application/x-other" })).toBe(false);
    }
  });

  it("generate makes a small SVG from SHA-256 of the prompt; publish returns the content address of its input", () => {
    const svg = new TextDecoder().decode(renderImage(utf8.encode("a red fox")));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="64" height="64"/);
    expect(svg).toContain(`fill="#${Buffer.from(sha256(utf8.encode("a red fox")).subarray(0, 3)).toString("hex")}"`);
    expect(renderImage(utf8.encode("a red fox"))).not.toEqual(renderImage(utf8.encode("a red fix")));
    expect(new TextDecoder().decode(receiptUri(utf8.encode("abc")))).toBe("ap2p-demo:sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(GENERATE_CAPABILITY.outputMediaType).toBe("image/svg+xml");
    expect(PUBLISH_CAPABILITY.deterministic).toBe(true);
  });

  it("are offered with their tools and described in a descriptor that verifies", () => {
    const offers = BUILTIN_CAPABILITIES.map((b) => offerOf(b, { latencyMs: 50 }));
    const { bytes } = issueDescriptor(key, { capabilities: offers.map((o) => o.capability) }, 1n, { now: 1_000n, ttlMs: 60_000n });
    const v = verifyDescriptor(bytes, { now: 1_000n });
    if (!v.ok) throw v.error;
    const generate = v.value.message.capabilities.find((c) => c.id === "generate")!;
    expect(generate.inputs[0]!.modality).toBe(Modality.TEXT);
    expect(generate.outputs[0]!.modality).toBe(Modality.IMAGE);
    expect(generate.constraints?.maxLatencyMs).toBe(50);
    expect(generate.supportedTiers.length).toBe(3);
  });

  it("have canaries, as do the test capabilities of spec/08 §8.8; other capabilities have none", () => {
    expect(builtinCanaries(GENERATE_CAPABILITY.capability, seededRandom("c"))).toBeDefined();
    expect(builtinCanaries({ namespace: "ap2p.test", id: "factor", version: "1.0.0" }, seededRandom("c"))).toBeDefined();
    expect(builtinCanaries({ namespace: "example", id: "translate", version: "1.0.0" }, seededRandom("c"))).toBeUndefined();
    expect(builtinCapability(SHA256_TEST_CAPABILITY.capability)?.test).toBe(SHA256_TEST_CAPABILITY);
  });

  it("are named NAMESPACE/ID@VERSION", () => {
    expect(parseCapabilityRef("ap2p.demo/generate@1.0.0")).toEqual({ namespace: "ap2p.demo", id: "generate", version: "1.0.0" });
    for (const bad of ["ap2p.demo/generate", "ap2p.demo/generate@1.0", "Ap2p/x@1.0.0", "ap2p.demo/@1.0.0", "ap2p.demo/x@01.0.0"]) expect(parseCapabilityRef(bad)).toBeUndefined();
  });
});

describe("origins (DISC-017)", () => {
  it("group IPv4 sources by /24 and IPv6 sources by /48, mapped IPv4 as IPv4", () => {
    expect(addressOrigin("203.0.113.7")).toBe("203.0.113.0/24");
    expect(addressOrigin("203.0.113.7:5000")).toBe("203.0.113.0/24");
    expect(addressOrigin("::ffff:203.0.113.9")).toBe("203.0.113.0/24");
    expect(addressOrigin("2001:db8:aa:1::5")).toBe("2001:db8:aa::/48");
    expect(addressOrigin("[2001:db8:aa:1::5]:443")).toBe("2001:db8:aa::/48");
    expect(addressOrigin("::1")).toBe("0:0:0::/48");
  });

  it("are the connection's peer id in peer mode", () => {
    expect(originOf("peer", { peerId: "did:key:z6Mkexample", remoteAddress: "127.0.0.1" })).toBe("did:key:z6Mkexample");
    expect(originOf("address", { peerId: "did:key:z6Mkexample", remoteAddress: "127.0.0.1" })).toBe("127.0.0.0/24");
  });
});

describe("the seeded random source", () => {
  it("gives the same bytes for the same label, however they are requested", () => {
    const a = seededRandom("x");
    const b = seededRandom("x");
    const joined = new Uint8Array([...a(10), ...a(40)]);
    expect(joined).toEqual(b(50));
    expect(seededRandom("y")(16)).not.toEqual(seededRandom("x")(16));
  });
});
