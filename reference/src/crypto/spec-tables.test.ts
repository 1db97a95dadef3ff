// The tables printed in spec/04-identity-and-signing.md must be the ones the code uses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SMALL_ORDER_ENCODINGS } from "./ed25519.js";

describe("spec/04-identity-and-signing.md", () => {
  it("ID-003: the small-order encodings listed in §4.1 are exactly the reference's table", () => {
    const spec = readFileSync("spec/04-identity-and-signing.md", "utf8");
    const listed = [...spec.matchAll(/^([0-9a-f]{64})\s+(?:identity|order)/gm)].map((m) => m[1]);
    expect(listed).toEqual([...SMALL_ORDER_ENCODINGS]);
  });
});
