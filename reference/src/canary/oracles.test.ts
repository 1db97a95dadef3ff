import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toJsonString } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CanaryChallengeSchema, CanaryResponseSchema } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { EXAMPLE_SECRET_KEY } from "../descriptor/example.js";
import { EXAMPLE_RESPONSE_TIME, EXAMPLE_WINDOW_MS, exampleCanary } from "./example.js";
import { checkCanaryOutput, judgeOutput } from "./oracle.js";
import { FACTOR_TEST_CAPABILITY, REVERSE_TEST_CAPABILITY, SHA256_TEST_CAPABILITY, TEST_CAPABILITIES, testCapability } from "./oracles.js";
import { minimumCanaryRatePpm } from "./rate.js";
import { CanaryVerifier } from "./verifier.js";

const text = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const SPEC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "spec", "08-canaries.md");

describe("test capabilities (spec §8.8)", () => {
  it("ap2p.test/sha256@1.0.0 answers with SHA-256 of the input (FIPS 180-2 'abc')", () => {
    const out = SHA256_TEST_CAPABILITY.compute(text("abc"));
    expect(hex(out.bytes)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(out.mediaType).toBe("application/octet-stream");
    expect(judgeOutput(SHA256_TEST_CAPABILITY.oracle(text("abc")), out)).toBe(true);
  });
  it("ap2p.test/reverse@1.0.0 answers with the input bytes reversed", () => {
    expect(hex(REVERSE_TEST_CAPABILITY.compute(Uint8Array.of(1, 2, 3)).bytes)).toBe("030201");
    expect(judgeOutput(REVERSE_TEST_CAPABILITY.oracle(Uint8Array.of(1, 2, 3)), { bytes: Uint8Array.of(1, 2, 3), mediaType: "application/octet-stream" })).toBe(false);
  });
  it("ap2p.test/factor@1.0.0 is judged by a check function that accepts every factorisation", () => {
    const f = FACTOR_TEST_CAPABILITY;
    const oracle = f.oracle(text("4294836225")); // 65535²
    const says = (s: string) => checkCanaryOutput(oracle, { bytes: text(s), mediaType: "text/plain" }).ok;
    expect(says("65535 65535")).toBe(true);
    expect(says("3 1431612075")).toBe(true);
    expect(says("5 858967245")).toBe(true);
    expect(says("65535 65536")).toBe(false);
    expect(checkCanaryOutput(oracle, { bytes: text("65535 65535"), mediaType: "text/csv" }).ok).toBe(false);
    expect(f.compute(text("4294836225")).bytes).toEqual(text("3 1431612075"));
    expect(f.compute(text("13")).bytes).toEqual(new Uint8Array(0)); // prime: no correct answer
    expect(() => f.oracle(text("4294967296"))).toThrow(/4\.\.2\^32-1/);
    expect(f.deterministic).toBe(false);
  });
  it("sampled inputs are fresh and valid", () => {
    let i = 0;
    const random = (n: number) => Uint8Array.from({ length: n }, () => (i = (i * 1103515245 + 12345) & 0x7fffffff) >> 16);
    for (const t of TEST_CAPABILITIES) {
      const inputs = Array.from({ length: 20 }, () => t.sampleInput(random));
      expect(new Set(inputs.map(hex)).size).toBeGreaterThan(15);
      for (const input of inputs) expect(judgeOutput(t.oracle(input), t.compute(input))).toBe(true);
    }
  });
  it("looks a test capability up by its identity", () => {
    expect(testCapability({ namespace: "ap2p.test", id: "reverse", version: "1.0.0" })).toBe(REVERSE_TEST_CAPABILITY);
    expect(testCapability({ namespace: "ap2p.test", id: "reverse", version: "2.0.0" })).toBeUndefined();
  });
});

describe("canary rate (spec §8.9.4)", () => {
  it("gives the worked example: f = 20%, n = 100, ε = 1% needs 91,970 ppm", () => {
    expect(minimumCanaryRatePpm({ cheaterFractionPpm: 200_000n, tasksPerProvider: 100n, targetErrorPpm: 10_000n })).toBe(91_970n);
  });
  it("rounds up, is zero without cheaters and never exceeds one", () => {
    expect(minimumCanaryRatePpm({ cheaterFractionPpm: 0n, tasksPerProvider: 1n, targetErrorPpm: 1n })).toBe(0n);
    expect(minimumCanaryRatePpm({ cheaterFractionPpm: 999_999n, tasksPerProvider: 1n, targetErrorPpm: 1n })).toBe(1_000_000n);
    // f = 50%, n = 1, ε = 100%: 1/e = 0.3678794… → 367,880 ppm rounded up.
    expect(minimumCanaryRatePpm({ cheaterFractionPpm: 500_000n, tasksPerProvider: 1n, targetErrorPpm: 1_000_000n })).toBe(367_880n);
    expect(() => minimumCanaryRatePpm({ cheaterFractionPpm: 1_000_000n, tasksPerProvider: 1n, targetErrorPpm: 1n })).toThrow(/cheaterFractionPpm/);
    expect(() => minimumCanaryRatePpm({ cheaterFractionPpm: 1n, tasksPerProvider: 0n, targetErrorPpm: 1n })).toThrow(/tasksPerProvider/);
  });
});

describe("the worked example (spec §8.11.2)", () => {
  const spec = readFileSync(SPEC, "utf8");
  const section = spec.slice(spec.indexOf("### 8.11.2"));
  const jsonBlocks = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  const { challenge, response } = exampleCanary();

  it("prints the challenge and response the reference implementation produces", () => {
    expect(jsonBlocks).toEqual([
      toJsonString(CanaryChallengeSchema, challenge.challenge, { prettySpaces: 2 }),
      toJsonString(CanaryResponseSchema, response.response, { prettySpaces: 2 }),
    ]);
    expect(section).toContain(hex(challenge.hash));
  });
  it("behaves as the text says: on time up to the deadline, late after, a replay the second time", () => {
    const deadline = challenge.challenge.deadline;
    expect(deadline - challenge.challenge.issuedAt).toBe(EXAMPLE_WINDOW_MS);
    expect(response.response.respondedAt).toBe(EXAMPLE_RESPONSE_TIME);
    expect(section).toContain(String(deadline));
    expect(section).toContain(String(deadline + 1n));
    const oracle = SHA256_TEST_CAPABILITY.oracle(text("abc"));
    const late = new CanaryVerifier();
    late.track(challenge, oracle);
    const v = late.verify(response.bytes, deadline + 1n);
    expect(!v.ok && v.error.code).toBe("CANARY_RESPONSE_LATE");
    const cv = new CanaryVerifier();
    cv.track(challenge, oracle);
    expect(cv.verify(response.bytes, deadline).ok).toBe(true);
    const again = cv.verify(response.bytes, deadline);
    expect(!again.ok && again.error.code).toBe("CANARY_REPLAYED");
    expect(EXAMPLE_SECRET_KEY.length).toBe(32);
  });
});
