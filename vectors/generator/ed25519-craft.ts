// Ed25519 arithmetic for crafting signatures no honest signer makes: S ≥ L,
// small-order and non-canonical R and keys, mixed-order R and keys. Built on
// @noble/ed25519's point arithmetic; honest signatures come from the
// reference signer (produce side), crafted ones from the equations of
// RFC 8032 §5.1.6 written out here.
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import { cat, le32, leInt } from "./bytes.js";

ed.hashes.sha512 = sha512;

/** The field prime p = 2^255 − 19 and the group order L (RFC 8032 §5.1). */
export const P = 2n ** 255n - 19n;
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** The sign bit of an encoded point (bit 255). */
export const SIGN_BIT = 1n << 255n;

/**
 * The canonical encodings of the eight points of small order, as listed in
 * spec/04-identity-and-signing.md §4.1, with the order of each.
 */
export const SMALL_ORDER_POINTS: readonly { readonly hex: string; readonly order: number; readonly label: string }[] = [
  { hex: "0100000000000000000000000000000000000000000000000000000000000000", order: 1, label: "identity" },
  { hex: "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", order: 2, label: "order-2" },
  { hex: "0000000000000000000000000000000000000000000000000000000000000000", order: 4, label: "order-4-a" },
  { hex: "0000000000000000000000000000000000000000000000000000000000000080", order: 4, label: "order-4-b" },
  { hex: "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", order: 8, label: "order-8-a" },
  { hex: "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", order: 8, label: "order-8-b" },
  { hex: "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", order: 8, label: "order-8-c" },
  { hex: "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", order: 8, label: "order-8-d" },
];

/** An honest key: the seed, its secret scalar a and its public key A (RFC 8032 §5.1.5). */
export interface CraftKey {
  readonly seed: Uint8Array;
  readonly a: bigint;
  readonly A: Uint8Array;
}

/** The key of a 32-byte seed. */
export function craftKey(seed: Uint8Array): CraftKey {
  const { scalar, pointBytes } = ed.utils.getExtendedPublicKey(seed);
  return { seed, a: scalar, A: pointBytes };
}

/** k = SHA-512(R ‖ A ‖ M) mod L (RFC 8032 §5.1.7). */
export function challenge(R: Uint8Array, A: Uint8Array, M: Uint8Array): bigint {
  return leInt(sha512(cat(R, A, M))) % L;
}

/** The signature R ‖ (r + k·a mod L) for given R bytes and nonce r, under public key bytes A (default: the key's own). */
export function signWithR(key: CraftKey, R: Uint8Array, r: bigint, M: Uint8Array, A: Uint8Array = key.A): Uint8Array {
  return cat(R, le32((r + challenge(R, A, M) * key.a) % L));
}

/** [n]B, encoded. */
export function baseTimes(n: bigint): Uint8Array {
  return ed.Point.BASE.multiply(n).toBytes();
}

/** A point of small order, as a noble point. */
function smallOrderPoint(hexEncoding: string): ed.Point {
  return ed.Point.fromHex(hexEncoding, false);
}

/** [r]B + T for T one of the small-order points: a mixed-order R. */
export function mixedOrderR(r: bigint, torsionHex: string): Uint8Array {
  return ed.Point.BASE.multiply(r).add(smallOrderPoint(torsionHex)).toBytes();
}

/** A' = [a]B + T: a mixed-order public key with the same secret scalar. */
export function mixedOrderKey(key: CraftKey, torsionHex: string): Uint8Array {
  return ed.Point.BASE.multiply(key.a).add(smallOrderPoint(torsionHex)).toBytes();
}

/** The scalar S of a signature. */
export function scalarOf(signature: Uint8Array): bigint {
  return leInt(signature.subarray(32, 64));
}

/** A signature with its S replaced. */
export function withS(signature: Uint8Array, S: bigint): Uint8Array {
  return cat(signature.subarray(0, 32), le32(S));
}
