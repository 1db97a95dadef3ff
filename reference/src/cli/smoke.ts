// `ap2p smoke`: the end-to-end path of the normative core, shown to a person.
// It creates a key, issues and signs a descriptor, encodes it, verifies it, and
// shows that tampering, expiry and rollback are each caught with their code.
// This is the edge of the program: the wall clock and the system's randomness
// are read here and passed in; nothing below reads them.
import { randomBytes } from "node:crypto";
import { CapabilityDescriptorSchema, Modality, Transport, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { decodeCanonical } from "../cbor/decode.js";
import { toDiagnostic } from "../cbor/diagnostic.js";
import { parseSign1 } from "../cose/sign1.js";
import { generateSecretKey, ed25519Backends } from "../crypto/ed25519.js";
import { contentTypeOf } from "../signed/signed-message.js";
import { issueDescriptor, refreshDescriptor } from "../descriptor/issue.js";
import { DEFAULT_POLICY } from "../descriptor/policy.js";
import { DescriptorStore } from "../descriptor/store.js";
import { verifyDescriptor } from "../descriptor/verify.js";
import type { Verdict } from "../errors.js";

export interface SmokeIo {
  readonly now: () => bigint;
  readonly random: (n: number) => Uint8Array;
  readonly print: (line: string) => void;
}

const defaultIo: SmokeIo = {
  now: () => BigInt(Date.now()),
  random: (n) => new Uint8Array(randomBytes(n)),
  print: (line) => process.stdout.write(`${line}\n`),
};

/** Runs the smoke check; returns the process exit code (0 when every expectation held). */
export function runSmoke(io: SmokeIo = defaultIo): number {
  const { print } = io;
  let failures = 0;
  const expect = (label: string, verdict: Verdict<unknown>, want: "ok" | string) => {
    const got = verdict.ok ? "ok" : verdict.error.code;
    const pass = got === want;
    if (!pass) failures++;
    print(`  ${pass ? "✓" : "✗"} ${label.padEnd(48)} ${got}${verdict.ok ? "" : `: ${verdict.error.message}`}`);
  };

  const secretKey = generateSecretKey(io.random);
  const now = io.now();
  const ttl = 60_000n;
  const issued = issueDescriptor(
    secretKey,
    {
      displayName: "smoke-test agent",
      capabilities: [
        {
          namespace: "ai.image",
          id: "generate",
          version: "1.0.0",
          intents: ["create an image from a text prompt"],
          tags: ["image"],
          inputs: [{ name: "prompt", modality: Modality.TEXT, mediaType: "text/plain" }],
          outputs: [{ name: "image", modality: Modality.IMAGE, mediaType: "image/png" }],
          constraints: { maxLatencyMs: 5000, onDevice: true, regions: ["DE"] },
          supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY],
        },
      ],
      endpoints: [{ transport: Transport.WEBSOCKET, uri: "ws://127.0.0.1:7443/ap2p" }],
    },
    1n,
    { now, ttlMs: ttl },
  );
  const { descriptor, bytes } = issued;

  print("AP2P smoke run: issue, sign, encode and verify a capability descriptor");
  print(`  Ed25519 backend: ${ed25519Backends().auto}`);
  print(`  peer id:  ${descriptor.peerId}`);
  print(`  issued:   ${new Date(Number(descriptor.issuedAt)).toISOString()}  seq ${descriptor.seq}`);
  print(`  expires:  ${new Date(Number(descriptor.expiresAt)).toISOString()}  (TTL ${ttl / 1000n} s, skew allowance ${DEFAULT_POLICY.clockSkewMs / 1000n} s)`);
  print("");
  const parsed = parseSign1(bytes, contentTypeOf(CapabilityDescriptorSchema));
  const payload = parsed.ok ? decodeCanonical(parsed.value.payload) : undefined;
  if (parsed.ok && payload?.ok) {
    const p = parsed.value;
    print(`Signed form: COSE_Sign1, ${bytes.length} bytes = 18([protected, {}, payload, signature])`);
    print(`  protected (${p.protectedBytes.length} bytes): {1: -8 (EdDSA), 3: ${JSON.stringify(p.contentType)}, 4: '${p.kid}'}`);
    print(`  payload (${p.payload.length} bytes, deterministic CBOR, shown in diagnostic notation):`);
    for (const line of toDiagnostic(payload.value).split("\n")) print(`    ${line}`);
    print(`  signature (64 bytes): ${Buffer.from(p.signature).toString("hex")}`);
    print("");
  }

  print("Verification:");
  expect("valid descriptor, now", verifyDescriptor(bytes, { now }), "ok");
  const tampered = bytes.slice();
  tampered[tampered.length - 1]! ^= 0x01;
  expect("one bit of the signature flipped", verifyDescriptor(tampered, { now }), "SIG_INVALID");
  expect("checked after expiry + skew", verifyDescriptor(bytes, { now: now + ttl + DEFAULT_POLICY.clockSkewMs }), "DESC_EXPIRED");
  expect("checked before issue − skew", verifyDescriptor(bytes, { now: now - DEFAULT_POLICY.clockSkewMs - 1n }), "DESC_NOT_YET_VALID");
  const store = new DescriptorStore();
  expect("store: first publication", store.accept(bytes, now), "ok");
  const refreshed = refreshDescriptor(secretKey, descriptor, { now: now + 1000n, ttlMs: ttl });
  expect("store: refresh with seq 2", store.accept(refreshed.bytes, now + 1000n), "ok");
  expect("store: replay of seq 1", store.accept(bytes, now + 2000n), "DESC_SEQ_ROLLBACK");
  print("");
  print(failures === 0 ? "smoke: OK" : `smoke: ${failures} unexpected result(s)`);
  return failures === 0 ? 0 : 1;
}
