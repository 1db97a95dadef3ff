// The capabilities a node offers out of the box. Each is deterministic and
// cheap, so that a delegator can hold an exact oracle for any input and use
// it as a canary (spec/08-canaries.md §8.8): the same function is the
// provider's work and the verifier's check.
//
//   ap2p.test/sha256@1.0.0      output = SHA-256 of the input (spec/08 §8.8)
//   ap2p.demo/generate@1.0.0    a prompt in, a small SVG image derived from SHA-256 of the prompt out
//   ap2p.demo/publish@1.0.0     bytes in, a content-addressed receipt URI "ap2p-demo:sha256:<hex>" out
//
// The ap2p.demo namespace stands for no real service: it gives the demo a
// two-step workflow (generate an image, then publish it) whose every answer
// can be checked.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { Modality, VerificationTier, type CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { OfferedCapability } from "../agent/provider.js";
import type { CapabilityKey } from "../canary/challenge.js";
import { expectedOutput, type CanaryContent } from "../canary/oracle.js";
import { SHA256_TEST_CAPABILITY, testCapability, type TestCapability } from "../canary/oracles.js";
import { canariesOf, type CanarySource } from "../delegation/delegate.js";
import type { Tool } from "../evidence/runner.js";

const utf8 = new TextEncoder();
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The media type of ap2p.demo/generate's output. */
export const SVG = "image/svg+xml";
const TEXT = "text/plain";
const OCTETS = "application/octet-stream";

/**
 * The image for a prompt: an 8 × 8 mirrored grid of squares (an identicon)
 * whose colour and pattern are bytes of SHA-256 of the prompt. Deterministic,
 * so that two honest providers return the same bytes.
 */
export function renderImage(prompt: Uint8Array): Uint8Array {
  const h = sha256(prompt);
  const colour = `#${hex(h.subarray(0, 3))}`;
  const cells: string[] = [];
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 4; x++) {
      const bit = (h[3 + y]! >> x) & 1;
      if (bit === 0) continue;
      for (const cx of x === 3 - x ? [x] : [x, 7 - x]) cells.push(`<rect x="${cx * 8}" y="${y * 8}" width="8" height="8"/>`);
    }
  }
  return utf8.encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="#ffffff"/><g fill="${colour}">${cells.join("")}</g></svg>\n`,
  );
}

/** The receipt for published bytes: the URI "ap2p-demo:sha256:<hex of SHA-256 of the bytes>". */
export function receiptUri(bytes: Uint8Array): Uint8Array {
  return utf8.encode(`ap2p-demo:sha256:${hex(sha256(bytes))}`);
}

function randomLength(random: (n: number) => Uint8Array, min: number, max: number): number {
  const [a, b] = random(2);
  return min + (((a! << 8) | b!) % (max - min + 1));
}

/** A deterministic test capability from a function: the oracle is the function's own output (CAN-017). */
function deterministic(capability: CapabilityKey, inputMediaType: string, outputMediaType: string, f: (input: Uint8Array) => Uint8Array, sample: (random: (n: number) => Uint8Array) => Uint8Array): TestCapability {
  return Object.freeze({
    capability: Object.freeze(capability),
    inputMediaType,
    outputMediaType,
    deterministic: true,
    compute: (input: Uint8Array): CanaryContent => ({ bytes: f(input), mediaType: outputMediaType }),
    oracle: (input: Uint8Array) => expectedOutput(f(input), outputMediaType),
    sampleInput: sample,
  });
}

/** ap2p.demo/generate@1.0.0: a UTF-8 prompt in, renderImage(prompt) out. */
export const GENERATE_CAPABILITY: TestCapability = deterministic(
  { namespace: "ap2p.demo", id: "generate", version: "1.0.0" },
  TEXT,
  SVG,
  renderImage,
  // A canary prompt reads like a real one, so that a provider cannot tell it apart by its shape.
  (random) => utf8.encode(`a picture of ${hex(random(randomLength(random, 3, 12)))}`),
);

/** ap2p.demo/publish@1.0.0: any bytes in, receiptUri(bytes) out. */
export const PUBLISH_CAPABILITY: TestCapability = deterministic(
  { namespace: "ap2p.demo", id: "publish", version: "1.0.0" },
  OCTETS,
  TEXT,
  receiptUri,
  (random) => renderImage(random(16)),
);

/** A capability a node can offer: its oracle, and how it is described and done. */
export interface BuiltinCapability {
  readonly test: TestCapability;
  readonly tags: readonly string[];
  readonly intents: readonly string[];
  /** The tools run in order for a task; each leaves a receipt (spec/09 §9.6). */
  readonly tools: readonly Tool[];
}

/** Every built-in capability, in a fixed order. */
export const BUILTIN_CAPABILITIES: readonly BuiltinCapability[] = Object.freeze([
  {
    test: SHA256_TEST_CAPABILITY,
    tags: ["hash"],
    intents: ["hash bytes with sha-256"],
    tools: [{ id: "ap2p.test/sha256@1", run: (input: Uint8Array) => sha256(input) }],
  },
  {
    test: GENERATE_CAPABILITY,
    tags: ["image", "generate"],
    intents: ["generate an image from a prompt"],
    tools: [{ id: "ap2p.demo/render@1", run: renderImage }],
  },
  {
    test: PUBLISH_CAPABILITY,
    tags: ["publish"],
    intents: ["publish content and return its address"],
    // Two steps, so that the evidence of a publish has a chain of two receipts.
    tools: [
      { id: "ap2p.demo/digest@1", run: (input: Uint8Array) => sha256(input) },
      { id: "ap2p.demo/address@1", run: (digest: Uint8Array) => utf8.encode(`ap2p-demo:sha256:${hex(digest)}`) },
    ],
  },
]);

/** "namespace/id@version" of a capability. */
export function capabilityName(c: CapabilityKey): string {
  return `${c.namespace}/${c.id}@${c.version}`;
}

/** Parses "namespace/id@version"; undefined if it is not of that form (the schema's patterns, spec/05 §5.3). */
export function parseCapabilityRef(text: string): CapabilityKey | undefined {
  const m = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)\/([a-z0-9][a-z0-9_-]*)@((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))$/.exec(text);
  return m === null ? undefined : { namespace: m[1]!, id: m[5]!, version: m[6]! };
}

const same = (a: CapabilityKey, b: CapabilityKey): boolean => a.namespace === b.namespace && a.id === b.id && a.version === b.version;

/** The built-in capability with this identity, if there is one. */
export function builtinCapability(ref: CapabilityKey): BuiltinCapability | undefined {
  return BUILTIN_CAPABILITIES.find((b) => same(b.test.capability, ref));
}

/** How a node advertises a built-in capability. */
export interface OfferTerms {
  /** The tiers it supports (all three by default: the agent builds evidence for every task). */
  readonly tiers?: readonly VerificationTier[];
  /** The latency it promises, in ms. */
  readonly latencyMs?: number;
}

/** The offer of a built-in capability, for a ProviderAgent. */
export function offerOf(b: BuiltinCapability, terms: OfferTerms = {}): OfferedCapability {
  const capability: MessageInitShape<typeof CapabilitySchema> = {
    ...b.test.capability,
    intents: [...b.intents],
    tags: [...b.tags],
    inputs: [{ name: "input", modality: modalityOf(b.test.inputMediaType), mediaType: b.test.inputMediaType }],
    outputs: [{ name: "output", modality: modalityOf(b.test.outputMediaType), mediaType: b.test.outputMediaType }],
    supportedTiers: [...(terms.tiers ?? [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE])],
    ...(terms.latencyMs === undefined ? {} : { constraints: { maxLatencyMs: terms.latencyMs } }),
  };
  return { capability, tools: b.tools, compute: b.test.compute };
}

function modalityOf(mediaType: string): Modality {
  if (mediaType.startsWith("text/")) return Modality.TEXT;
  if (mediaType.startsWith("image/")) return Modality.IMAGE;
  return Modality.FILE;
}

/**
 * Canaries for every built-in capability and every test capability of
 * spec/08 §8.8: a fresh input from the random source and its oracle.
 */
export const builtinCanaries: CanarySource = canariesOf((capability) => builtinCapability(capability)?.test ?? testCapability(capability));
