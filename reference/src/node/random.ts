// Random sources for nodes: the machine's secure generator, and a seeded one
// for runs that must be reproducible (the demo). The seeded source is SHA-256
// in counter mode over a label: fine for reproducing a demonstration, never
// for keys or nonces an adversary may predict.
import { randomBytes } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";

/** The machine's cryptographically secure random source. */
export const secureRandom = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

/** A deterministic random source: the same label gives the same bytes, call after call. */
export function seededRandom(label: string): (n: number) => Uint8Array {
  const utf8 = new TextEncoder();
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    while (pool.length < n) {
      const block = sha256(utf8.encode(`${label}/${counter++}`));
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

/** A secret key derived from a seed and a label, for reproducible demonstrations only. */
export function seededKey(seed: string, label: string): Uint8Array {
  return sha256(new TextEncoder().encode(`ap2p demo key/${seed}/${label}`));
}

/** The machine's clock, in milliseconds since the Unix epoch. */
export const systemClock = (): bigint => BigInt(Date.now());
