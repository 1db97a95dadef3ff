// Generates Python bindings from schemas/proto with protoc and reads the
// examples with them (bindings/python/check.py): the schema is usable from a
// protobuf implementation this project did not write, and that implementation
// encodes an example to the same bytes as the TypeScript bindings in gen/ts.
// Skipped, with the reason, where protoc or Python's protobuf module is absent.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { fromJson, toBinary, type JsonValue } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema } from "../gen/ts/ap2p/v1/descriptor_pb.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PROTO = join(ROOT, "schemas", "proto");
const EXAMPLES = join(ROOT, "schemas", "examples");
const SCRIPT = join(ROOT, "bindings", "python", "check.py");
// Debian's protobuf-compiler ships descriptor.proto (imported by options.proto) here.
const PROTOC_INCLUDE = "/usr/include";

function findProtoc(): string | undefined {
  const probe = spawnSync(process.env["PROTOC"] ?? "protoc", ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? (process.env["PROTOC"] ?? "protoc") : undefined;
}

function findPython(): string | undefined {
  const candidates = [process.env["PYTHON"], "/usr/bin/python3", "python3"].filter((c): c is string => !!c);
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import google.protobuf.json_format"], { encoding: "utf8" });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** The .proto files under schemas/proto, as import paths (ap2p/v1/descriptor.proto). */
function protoFiles(): string[] {
  return readdirSync(PROTO, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(".proto"))
    .map((p) => p.split(sep).join("/"))
    .sort();
}

const protoc = findProtoc();
const python = findPython();
const skipReason =
  protoc === undefined
    ? "no protoc (apt-get install protobuf-compiler, or set PROTOC)"
    : python === undefined
      ? "no Python 3 with the protobuf module (apt-get install python3-protobuf, or set PYTHON)"
      : undefined;
if (skipReason !== undefined) console.warn(`Python bindings check skipped: ${skipReason}`);

const out = mkdtempSync(join(tmpdir(), "ap2p-python-bindings-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface CheckResult {
  message: string;
  peer_id?: string;
  binary_hex: string;
  json_round_trip: boolean;
}

function check(example: string, message?: string): { status: number | null; result?: CheckResult; stderr: string } {
  const args = [SCRIPT, out, join(EXAMPLES, example), ...(message === undefined ? [] : [message])];
  const run = spawnSync(python!, args, { encoding: "utf8" });
  return { status: run.status, stderr: run.stderr, ...(run.status === 0 ? { result: JSON.parse(run.stdout) as CheckResult } : {}) };
}

// Each check starts a Python process; allow for a loaded machine.
const SLOW = { timeout: 60_000 };

describe.skipIf(skipReason !== undefined)("Python bindings generated with protoc --python_out", SLOW, () => {
  const files = protoFiles();
  let compiled: { status: number | null; stderr: string };
  beforeAll(() => {
    compiled = spawnSync(protoc!, [`-I${PROTO}`, `-I${PROTOC_INCLUDE}`, `--python_out=${out}`, ...files], { encoding: "utf8" });
  }, SLOW.timeout);

  it("protoc compiles every file of schemas/proto", () => {
    expect(files).toContain("ap2p/v1/descriptor.proto");
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(readdirSync(join(out, "ap2p", "v1")).sort()).toEqual(files.map((f) => f.replace(/^ap2p\/v1\//, "").replace(/\.proto$/, "_pb2.py")));
  });

  it("parses the rich CapabilityDescriptor example and encodes it to the same bytes as gen/ts", () => {
    const { status, result, stderr } = check("CapabilityDescriptor/rich.json");
    expect(status, stderr).toBe(0);
    expect(result!.message).toBe("ap2p.v1.CapabilityDescriptor");
    expect(result!.peer_id).toBe("did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw");
    expect(result!.json_round_trip).toBe(true);
    const json = JSON.parse(readFileSync(join(EXAMPLES, "CapabilityDescriptor", "rich.json"), "utf8")) as JsonValue;
    const ts = toBinary(CapabilityDescriptorSchema, fromJson(CapabilityDescriptorSchema, json));
    expect(result!.binary_hex).toBe(Buffer.from(ts).toString("hex"));
  });

  it("reads every valid example of every message", () => {
    for (const dir of readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const file of readdirSync(join(EXAMPLES, dir.name)).filter((f) => f.endsWith(".json"))) {
        const { status, result, stderr } = check(`${dir.name}/${file}`, `ap2p.v1.${dir.name}`);
        expect(status, `${dir.name}/${file}: ${stderr}`).toBe(0);
        expect(result!.json_round_trip, `${dir.name}/${file}`).toBe(true);
      }
    }
  });

  it("rejects an unknown field name (the parser is strict, the check can fail)", () => {
    const { status, stderr } = check("CapabilityDescriptor/invalid/unknown-property.json");
    expect(status).toBe(1);
    expect(stderr).toContain('no field named "signature"');
  });
});
