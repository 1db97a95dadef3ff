// Cross-check against libsodium: AP2P's Ed25519 rule is meant to give the
// same valid/invalid outcome as libsodium's crypto_sign_verify_detached
// (through PyNaCl's VerifyKey.verify) on every input. Runs when a Python 3
// with PyNaCl is found (PYTHON, python3, /usr/bin/python3, in that order);
// skipped otherwise, with the reason printed.
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SMALL_ORDER_ENCODINGS, ed25519Backends, verifyEd25519, type Ed25519Backend } from "./ed25519.js";

const PYNACL_VERIFY = `
import json, sys
import nacl
from nacl.signing import VerifyKey
from nacl.exceptions import BadSignatureError
results = []
for case in json.load(open(sys.argv[1])):
    pk, msg, sig = (bytes.fromhex(case[k]) for k in ("pk", "msg", "sig"))
    try:
        VerifyKey(pk).verify(msg, sig)
        results.append(True)
    except (BadSignatureError, ValueError, TypeError):
        results.append(False)
print(json.dumps({"pynacl": nacl.__version__, "valid": results}))
`;

function findPyNaCl(): string | undefined {
  const candidates = [process.env["PYTHON"], "python3", "/usr/bin/python3"].filter((c): c is string => !!c);
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import nacl.signing, nacl.bindings"], { encoding: "utf8" });
    if (probe.status === 0) return python;
  }
  return undefined;
}

const python = findPyNaCl();
if (python === undefined) {
  console.warn(
    "libsodium cross-check skipped: no Python 3 with PyNaCl (try `pip install pynacl` or `apt-get install python3-nacl`, or set PYTHON)",
  );
}

// ---------------------------------------------------------------------------
// Crafted cases (the same constructions as ed25519.test.ts)

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const SIGN_BIT = 1n << 255n;
const hex = ed.etc.bytesToHex;
const unhex = ed.etc.hexToBytes;
const cat = ed.etc.concatBytes;

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}
function leInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}
const challenge = (R: Uint8Array, A: Uint8Array, M: Uint8Array) => leInt(sha512(cat(R, A, M))) % L;

interface Case {
  readonly name: string;
  readonly pk: Uint8Array;
  readonly msg: Uint8Array;
  readonly sig: Uint8Array;
}

function craftedCases(): Case[] {
  const seed = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const { scalar: a, pointBytes: A } = ed.utils.getExtendedPublicKey(seed);
  const M = new TextEncoder().encode("AP2P libsodium cross-check");
  const good = ed.sign(M, seed);
  const goodR = good.subarray(0, 32);
  const goodS = good.subarray(32);
  const withR = (R: Uint8Array, r: bigint, pk = A) => cat(R, le32((r + challenge(R, pk, M) * a) % L));
  const T8 = ed.Point.fromHex(SMALL_ORDER_ENCODINGS[4]!, false);
  const cases: Case[] = [];
  const add = (name: string, pk: Uint8Array, sig: Uint8Array, msg: Uint8Array = M) => cases.push({ name, pk, msg, sig });

  add("honest", A, good);
  add("honest, other message", A, good, new TextEncoder().encode("other"));
  for (const [name, S] of [
    ["S = L", L],
    ["S = L + 1", L + 1n],
    ["S = 2^256 - 1", 2n ** 256n - 1n],
    ["S + L", leInt(goodS) + L],
  ] as const) {
    add(name, A, cat(goodR, le32(S)));
  }
  SMALL_ORDER_ENCODINGS.forEach((enc, i) => {
    add(`small-order A #${i}, R = identity, S = 0`, unhex(enc), cat(le32(1n), le32(0n)));
    // [r]B = [r]B + [k]A whenever the order of A divides k: always for the identity.
    add(`small-order A #${i}, R = [r]B, S = r`, unhex(enc), cat(ed.Point.BASE.multiply(7n).toBytes(), le32(7n)));
    add(`small-order R #${i}, S = k·a`, A, withR(unhex(enc), 0n));
  });
  for (const [name, y] of [
    ["y = p", P],
    ["y = p + 1", P + 1n],
    ["y = p + 3", P + 3n],
    ["x = 0, sign bit (y = 1)", 1n | SIGN_BIT],
    ["x = 0, sign bit (y = p - 1)", (P - 1n) | SIGN_BIT],
  ] as const) {
    add(`non-canonical A, ${name}, R = identity, S = 0`, le32(y), cat(le32(1n), le32(0n)));
    add(`non-canonical A, ${name}, honest signature`, le32(y), good);
    add(`non-canonical R, ${name}, S = r + k·a over those bytes`, A, withR(le32(y), 0n));
    add(`non-canonical R, ${name}, honest S`, A, cat(le32(y), goodS));
  }
  add("A not on curve (y = 2)", le32(2n), good);
  add("R not on curve (y = 2)", A, cat(le32(2n), goodS));
  {
    const r = 0x5eedn;
    add("mixed-order R = [r]B + T8", A, withR(ed.Point.BASE.multiply(r).add(T8).toBytes(), r));
  }
  {
    // A mixed-order key: signatures verify under the cofactorless equation iff 8 | k.
    const A2 = ed.Point.BASE.multiply(a).add(T8).toBytes();
    const found = new Set<boolean>();
    for (let r = 1n; found.size < 2; r++) {
      const R = ed.Point.BASE.multiply(r).toBytes();
      const divisible = challenge(R, A2, M) % 8n === 0n;
      if (found.has(divisible)) continue;
      found.add(divisible);
      add(`mixed-order A = [a]B + T8, 8 ${divisible ? "divides" : "does not divide"} k`, A2, withR(R, r, A2));
    }
  }
  add("63-byte signature", A, good.subarray(0, 63));
  add("65-byte signature", A, cat(good, new Uint8Array(1)));
  add("31-byte key", A.subarray(0, 31), good);
  add("33-byte key", cat(A, new Uint8Array(1)), good);

  // Random honest signatures and single-bit flips of them, for breadth.
  let state = 0x0a92n;
  const next = () => (state = (state * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n);
  for (let i = 0; i < 40; i++) {
    const s = le32(next() * next() * next() * next());
    const msg = le32(next()).subarray(0, Number(next() % 33n));
    const pk = ed.getPublicKey(s);
    const sig = ed.sign(msg, s);
    add(`random #${i}`, pk, sig, msg);
    const bit = Number(next() % 512n);
    const flipped = sig.slice();
    flipped[bit >> 3]! ^= 1 << (bit & 7);
    add(`random #${i}, signature bit ${bit} flipped`, pk, flipped, msg);
  }
  return cases;
}

describe("libsodium crypto_sign_verify_detached cross-check (via PyNaCl)", () => {
  it.skipIf(python === undefined)(
    "SIG-009, SIG-010, SIG-011, ID-003: every crafted case gets libsodium's valid/invalid outcome, on every backend",
    () => {
      const cases = craftedCases();
      const dir = mkdtempSync(join(tmpdir(), "ap2p-sodium-"));
      let output: { pynacl: string; valid: boolean[] };
      try {
        const file = join(dir, "cases.json");
        writeFileSync(file, JSON.stringify(cases.map((c) => ({ pk: hex(c.pk), msg: hex(c.msg), sig: hex(c.sig) }))));
        const run = spawnSync(python!, ["-c", PYNACL_VERIFY, file], { encoding: "utf8" });
        expect(run.status, run.stderr).toBe(0);
        output = JSON.parse(run.stdout) as typeof output;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(output.valid).toHaveLength(cases.length);
      const backends: Ed25519Backend[] = ed25519Backends().node ? ["noble", "node"] : ["noble"];
      const mismatches: string[] = [];
      cases.forEach((c, i) => {
        for (const backend of backends) {
          const ours = verifyEd25519(c.pk, c.msg, c.sig, { backend });
          if (ours.ok !== output.valid[i]) {
            mismatches.push(`${c.name} [${backend}]: ours ${ours.ok ? "valid" : ours.error.code}, libsodium ${output.valid[i] ? "valid" : "invalid"}`);
          }
        }
      });
      expect(mismatches, `PyNaCl ${output.pynacl}`).toEqual([]);
      // The cases must include both outcomes, or the comparison proves little.
      expect(output.valid.filter(Boolean).length).toBeGreaterThan(40);
      expect(output.valid.filter((v) => !v).length).toBeGreaterThan(40);
    },
  );
});
