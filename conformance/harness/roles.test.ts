import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "./corpus.js";
import { defaultRequirementsFile, defaultVectorsDir, packageRoot } from "./paths.js";
import { levelOfKeyword, readRequirements, strongest } from "./requirements.js";
import { CONFORMANCE_SPEC, isDeclared, parseRoleTable, readRoleTable } from "./roles.js";

describe("roles and declarations", () => {
  it("reads the operation → role table of spec §13.1", () => {
    const table = readRoleTable();
    expect(table.get("cbor.decode")).toBe("codec");
    expect(table.get("ed25519.sign")).toBe("signer");
    expect(table.get("descriptor.verify")).toBe("verifier");
    const text = readFileSync(join(packageRoot(), "spec", CONFORMANCE_SPEC), "utf8");
    expect(parseRoleTable(text)).toEqual(table);
    expect(parseRoleTable("# nothing here")).toEqual(new Map());
  });

  it("DRV-005: an operation is declared by name, or by its role when no operations are named", () => {
    const roleOf = (op: string) => ({ "cbor.decode": "codec", "ed25519.sign": "signer" })[op];
    expect(isDeclared({ roles: ["codec"], operations: [] }, "cbor.decode", roleOf)).toBe(true);
    expect(isDeclared({ roles: ["codec"], operations: [] }, "ed25519.sign", roleOf)).toBe(false);
    // Named operations override roles entirely.
    expect(isDeclared({ roles: ["codec"], operations: ["ed25519.sign"] }, "cbor.decode", roleOf)).toBe(false);
    expect(isDeclared({ roles: ["codec"], operations: ["ed25519.sign"] }, "ed25519.sign", roleOf)).toBe(true);
    // An operation without a role is sent only when named.
    expect(isDeclared({ roles: ["codec", "signer"], operations: [] }, "future.op", roleOf)).toBe(false);
    expect(isDeclared({ roles: [], operations: ["future.op"] }, "future.op", roleOf)).toBe(true);
  });

  it("levels come from the strongest BCP 14 keyword a case cites", () => {
    expect(levelOfKeyword("MUST NOT")).toBe("required");
    expect(levelOfKeyword("SHOULD")).toBe("recommended");
    expect(levelOfKeyword("MAY")).toBe("optional");
    expect(strongest(["optional", "recommended"])).toBe("recommended");
    expect(strongest(["recommended", "required"])).toBe("required");
    expect(strongest([])).toBeUndefined();
    const index = readRequirements(defaultRequirementsFile());
    const corpus = loadCorpus(defaultVectorsDir(), index);
    for (const c of corpus.cases) {
      const levels = c.requirements.filter((id) => index.has(id)).map((id) => index.get(id)!.level);
      expect(c.level).toBe(strongest(levels) ?? "required");
    }
  });
});
