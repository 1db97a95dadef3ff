// The reference implementation against every vector. The vectors state their
// expected results declaratively (the generator never asks the reference
// verifier), so this is a comparison between two sources, not the reference
// grading itself.
import { describe, expect, it } from "vitest";
import { ed25519Backends, verifyEd25519, type Ed25519Backend } from "../reference/src/crypto/ed25519.js";
import { allTests, readCorpus, type FileGroup, type FileTest } from "./corpus.js";
import { disagreement } from "./runner/compare.js";
import { runReference } from "./runner/reference-operations.js";

function run(group: FileGroup, test: FileTest): string | undefined {
  return disagreement(test, runReference(group.operation, test.inputs, group.shared));
}

describe("comparing outcomes with expectations", () => {
  it("needs the exact code for invalid, the exact output for valid, and takes either verdict for acceptable", () => {
    expect(disagreement({ result: "invalid", error: "SIG_INVALID" }, { result: "invalid", error: "SIG_INVALID" })).toBeUndefined();
    expect(disagreement({ result: "invalid", error: "SIG_INVALID" }, { result: "invalid", error: "SIG_MALFORMED" })).toContain("expected invalid SIG_INVALID");
    expect(disagreement({ result: "invalid", error: "SIG_INVALID" }, { result: "valid" })).toContain("got valid");
    expect(disagreement({ result: "valid", output: { a: ["1"] } }, { result: "valid", output: { a: ["1"] } })).toBeUndefined();
    expect(disagreement({ result: "valid", output: { a: ["1"] } }, { result: "valid", output: { a: ["2"] } })).toContain("output differs");
    expect(disagreement({ result: "valid" }, { result: "valid", output: { anything: true } })).toBeUndefined();
    expect(disagreement({ result: "acceptable" }, { result: "invalid", error: "SIG_INVALID" })).toBeUndefined();
    expect(disagreement({ result: "acceptable" }, { result: "valid" })).toBeUndefined();
  });
});

describe("the reference implementation agrees with every vector", () => {
  for (const { file, data } of readCorpus()) {
    it(`${file}: ${data.number_of_tests} tests`, () => {
      const problems: string[] = [];
      for (const group of data.test_groups) {
        for (const test of group.tests) {
          const why = run(group, test);
          if (why !== undefined) problems.push(`${test.id} (${group.operation}): ${why}`);
        }
      }
      expect(problems, problems.join("\n")).toEqual([]);
    });
  }

  it("SIG-014: the reference rejects every acceptable (mixed-order) signature with SIG_INVALID, as libsodium does", () => {
    const acceptable = allTests().filter((t) => t.test.result === "acceptable");
    expect(acceptable.length).toBeGreaterThan(0);
    for (const { group, test } of acceptable) {
      expect(test.flags.some((f) => f === "MixedOrderR" || f === "MixedOrderKey"), test.id).toBe(true);
      // toMatchObject: an outcome may carry a message for reports, which is never compared.
      expect(runReference(group.operation, test.inputs, group.shared), test.id).toMatchObject({ result: "invalid", error: "SIG_INVALID" });
    }
  });

  it("SIG-011: both Ed25519 backends give every ed25519.verify vector the same verdict", () => {
    const backends: Ed25519Backend[] = ed25519Backends().node ? ["noble", "node"] : ["noble"];
    const hexIn = (t: FileTest, k: string) => new Uint8Array(Buffer.from(t.inputs[k] as string, "hex"));
    const problems: string[] = [];
    for (const { test } of allTests().filter((t) => t.group.operation === "ed25519.verify")) {
      const verdicts = backends.map((backend) => {
        const v = verifyEd25519(hexIn(test, "public_key"), hexIn(test, "message"), hexIn(test, "signature"), { backend });
        return v.ok ? "valid" : v.error.code;
      });
      if (new Set(verdicts).size !== 1) problems.push(`${test.id}: ${backends.map((b, i) => `${b} ${verdicts[i]}`).join(", ")}`);
    }
    expect(problems).toEqual([]);
  });
});
