// The error registry (spec/11-errors.md): one list, stable, fully used.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { ErrorCodeSchema } from "../gen/ts/ap2p/v1/errors_pb.js";
import { decodeMessage } from "../reference/src/codec/message-codec.js";
import { parseSign1 } from "../reference/src/cose/sign1.js";
import { parseDidKey } from "../reference/src/crypto/did-key.js";
import { verifyDescriptor } from "../reference/src/descriptor/verify.js";
import { isErrorCodeName } from "../reference/src/errors.js";

const codes = ErrorCodeSchema.values.map((v) => ({ name: v.name.replace(/^ERROR_CODE_/, ""), number: v.number }));
const requirements = (JSON.parse(readFileSync("spec/requirements.json", "utf8")) as { requirements: { id: string; text: string }[] }).requirements;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

describe("error registry", () => {
  it("ERR-001: every code (but the zero value and INVALID_ARGUMENT) is assigned to a rejection by some requirement", () => {
    const unassigned = codes
      .filter((c) => c.name !== "UNSPECIFIED" && c.name !== "INVALID_ARGUMENT")
      .filter((c) => !requirements.some((r) => r.text.includes(`\`${c.name}\``)))
      .map((c) => c.name);
    expect(unassigned).toEqual([]);
  });

  it("ERR-001: every code the reference implementation reports is a registered code", () => {
    const used = new Set<string>();
    for (const file of sources("reference/src")) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:fail|reject|Ap2pError)\(\s*"([A-Z][A-Z0-9_]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((c) => !isErrorCodeName(c))).toEqual([]);
  });

  it("ERR-002: published codes keep their names and numbers (schemas/error-codes.lock is append-only)", () => {
    const lock = readFileSync("schemas/error-codes.lock", "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"))
      .map((l) => {
        const [name, number] = l.trim().split(/\s+/);
        return { name: name!, number: Number(number) };
      });
    const byName = new Map(codes.map((c) => [c.name, c.number]));
    const changed = lock.filter((l) => byName.get(l.name) !== l.number).map((l) => `${l.name} ${l.number} → ${byName.get(l.name) ?? "removed"}`);
    expect(changed).toEqual([]);
    const unlisted = codes.filter((c) => !lock.some((l) => l.name === c.name)).map((c) => `${c.name} ${c.number}`);
    expect(unlisted, "new codes must be appended to schemas/error-codes.lock").toEqual([]);
    expect(new Set(codes.map((c) => c.number)).size).toBe(codes.length);
  });

  it("ERR-003: bytes from the wire never yield INVALID_ARGUMENT, and never throw", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 80 }), (bytes, text) => {
        const tagged = new Uint8Array([0xd2, 0x84, ...bytes]);
        const verdicts = [
          verifyDescriptor(bytes, { now: 0n }),
          verifyDescriptor(tagged, { now: 0n }),
          parseSign1(tagged, "application/ap2p.descriptor.v1+cbor"),
          decodeMessage(CapabilityDescriptorSchema, bytes),
          parseDidKey(text),
          parseDidKey(`did:key:z${text}`),
        ];
        for (const v of verdicts) if (!v.ok) expect(v.error.code).not.toBe("INVALID_ARGUMENT");
      }),
      { numRuns: 3000 },
    );
  });
});
