// Test capabilities with cheap oracles (spec/08-canaries.md §8.8), for
// examples, test vectors, the simulator and the conformance harness. They use
// the namespace "ap2p.test" and stand for no real service.
//
//   ap2p.test/sha256@1.0.0   output = SHA-256 of the input (deterministic)
//   ap2p.test/reverse@1.0.0  output = the input bytes in reverse order (deterministic)
//   ap2p.test/factor@1.0.0   output = any factorisation "p q" of the decimal input (check function)
import { sha256 } from "@noble/hashes/sha2.js";
import { misuse } from "../errors.js";
import type { CapabilityKey } from "./challenge.js";
import { checkedOutput, expectedOutput, type CanaryContent, type CanaryOracle } from "./oracle.js";

/** A capability whose answers a verifier can check without running an untrusted provider. */
export interface TestCapability {
  /** The capability's identity. */
  readonly capability: CapabilityKey;
  /** The media type of its input. */
  readonly inputMediaType: string;
  /** The media type of its output. */
  readonly outputMediaType: string;
  /** True if each input has exactly one correct output (the oracle is an expected output). */
  readonly deterministic: boolean;
  /** An honest provider's answer. */
  compute(input: Uint8Array): CanaryContent;
  /** The oracle a verifier holds for this input. */
  oracle(input: Uint8Array): CanaryOracle;
  /** A fresh input drawn from the capability's input distribution with the given random source. */
  sampleInput(random: (n: number) => Uint8Array): Uint8Array;
}

const OCTETS = "application/octet-stream";
const TEXT = "text/plain";
const ascii = new TextEncoder();
const asciiDecoder = new TextDecoder("utf-8", { fatal: true });

function randomLength(random: (n: number) => Uint8Array, min: number, max: number): number {
  const [a, b] = random(2);
  return min + (((a! << 8) | b!) % (max - min + 1));
}

/** ap2p.test/sha256@1.0.0: the SHA-256 digest (32 bytes) of the input bytes. */
export const SHA256_TEST_CAPABILITY: TestCapability = Object.freeze({
  capability: Object.freeze({ namespace: "ap2p.test", id: "sha256", version: "1.0.0" }),
  inputMediaType: OCTETS,
  outputMediaType: OCTETS,
  deterministic: true,
  compute: (input: Uint8Array): CanaryContent => ({ bytes: sha256(input), mediaType: OCTETS }),
  oracle: (input: Uint8Array): CanaryOracle => expectedOutput(sha256(input), OCTETS),
  sampleInput: (random: (n: number) => Uint8Array) => random(randomLength(random, 1, 1024)),
});

/** ap2p.test/reverse@1.0.0: the input bytes in reverse order. */
export const REVERSE_TEST_CAPABILITY: TestCapability = Object.freeze({
  capability: Object.freeze({ namespace: "ap2p.test", id: "reverse", version: "1.0.0" }),
  inputMediaType: OCTETS,
  outputMediaType: OCTETS,
  deterministic: true,
  compute: (input: Uint8Array): CanaryContent => ({ bytes: input.slice().reverse(), mediaType: OCTETS }),
  oracle: (input: Uint8Array): CanaryOracle => expectedOutput(input.slice().reverse(), OCTETS),
  sampleInput: (random: (n: number) => Uint8Array) => random(randomLength(random, 1, 1024)),
});

/** Largest input of ap2p.test/factor: 2^32 − 1, so that trial division stays cheap. */
const FACTOR_MAX = 0xffff_ffffn;
const DECIMAL = /^[1-9][0-9]{0,9}$/;

function parseDecimal(bytes: Uint8Array): bigint | undefined {
  let s: string;
  try {
    s = asciiDecoder.decode(bytes);
  } catch {
    return undefined;
  }
  return DECIMAL.test(s) ? BigInt(s) : undefined;
}

/** The smallest factor p with 1 < p ≤ √n, or undefined if n is prime or below 4. */
function smallestFactor(n: bigint): bigint | undefined {
  for (let p = 2n; p * p <= n; p++) if (n % p === 0n) return p;
  return undefined;
}

/**
 * ap2p.test/factor@1.0.0: the input is a composite number n, 4 ≤ n < 2^32, in
 * decimal ASCII; a correct output is "p q" in decimal ASCII with 1 < p ≤ q and
 * p · q = n. Many inputs have several correct outputs (12: "2 6" or "3 4"), so
 * the oracle is a check function: checking a factorisation is a multiplication,
 * finding one is a search.
 */
export const FACTOR_TEST_CAPABILITY: TestCapability = Object.freeze({
  capability: Object.freeze({ namespace: "ap2p.test", id: "factor", version: "1.0.0" }),
  inputMediaType: TEXT,
  outputMediaType: TEXT,
  deterministic: false,
  compute: (input: Uint8Array): CanaryContent => {
    const n = parseDecimal(input);
    const p = n === undefined || n > FACTOR_MAX ? undefined : smallestFactor(n);
    // No correct answer exists for a prime or malformed input; an honest provider answers empty.
    return { bytes: p === undefined ? new Uint8Array(0) : ascii.encode(`${p} ${n! / p}`), mediaType: TEXT };
  },
  oracle: (input: Uint8Array): CanaryOracle => {
    const n = parseDecimal(input);
    if (n === undefined || n < 4n || n > FACTOR_MAX) misuse("ap2p.test/factor: the input must be a decimal number within 4..2^32-1");
    return checkedOutput((output) => {
      if (output.mediaType !== TEXT) return false;
      let s: string;
      try {
        s = asciiDecoder.decode(output.bytes);
      } catch {
        return false;
      }
      const m = /^([1-9][0-9]{0,9}) ([1-9][0-9]{0,9})$/.exec(s);
      if (m === null) return false;
      const p = BigInt(m[1]!);
      const q = BigInt(m[2]!);
      return p > 1n && p <= q && p * q === n;
    });
  },
  sampleInput: (random: (n: number) => Uint8Array) => {
    // The product of two factors of 2 to 65535: composite and below 2^32.
    const factor = () => BigInt(randomLength(random, 2, 0xffff));
    return ascii.encode(String(factor() * factor()));
  },
});

/** Every test capability, in a fixed order. */
export const TEST_CAPABILITIES: readonly TestCapability[] = Object.freeze([SHA256_TEST_CAPABILITY, REVERSE_TEST_CAPABILITY, FACTOR_TEST_CAPABILITY]);

/** The test capability with this identity, if there is one. */
export function testCapability(ref: CapabilityKey): TestCapability | undefined {
  return TEST_CAPABILITIES.find((t) => t.capability.namespace === ref.namespace && t.capability.id === ref.id && t.capability.version === ref.version);
}
