// Byte-string equality, shared by every module that compares hashes, keys and
// outputs. It runs in time that depends only on the lengths, so that it is
// safe for secrets too; nothing here needs more.

/** True if the two byte strings are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
