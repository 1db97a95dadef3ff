// Key files: where a node keeps its Ed25519 secret key between runs.
//
// The format is a small JSON object:
//
//   {"type": "ap2p-ed25519-secret-key", "did": "did:key:z6Mk...", "secret_key_hex": "<64 hex digits>"}
//
// JSON rather than a PKCS#8 PEM because a peer's identity is its did:key
// (spec/04-identity-and-signing.md): the file shows it in plain text, so that a
// person can copy it into a registry or agent command line without a tool, and
// any language reads it without an ASN.1 parser. The did is redundant with the
// key, and is checked against it on reading, so that a file edited by hand or
// truncated is refused rather than used as another identity.
import { readFileSync, writeFileSync, statSync } from "node:fs";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";

/** The value of the "type" member of a key file. */
export const KEY_FILE_TYPE = "ap2p-ed25519-secret-key";

/** A node's identity: its secret key and the did:key of its public key. */
export interface NodeIdentity {
  readonly secretKey: Uint8Array;
  readonly did: string;
}

/** A problem with a key file: the file is missing, unreadable, or not a key file. */
export class KeyFileError extends Error {
  override readonly name = "KeyFileError";
}

/** The identity of a secret key. */
export function identityOf(secretKey: Uint8Array): NodeIdentity {
  return { secretKey, did: didFromPublicKey(publicKeyFromSecret(secretKey)) };
}

/** The text of a key file for a secret key. */
export function keyFileText(secretKey: Uint8Array): string {
  const { did } = identityOf(secretKey);
  return `${JSON.stringify({ type: KEY_FILE_TYPE, did, secret_key_hex: Buffer.from(secretKey).toString("hex") }, null, 2)}\n`;
}

/**
 * Writes a new key file, readable and writable by its owner only (mode 0600).
 * Never overwrites: an existing file at the path is an error, because
 * replacing a key silently replaces an identity. Throws KeyFileError.
 */
export function writeKeyFile(path: string, secretKey: Uint8Array): NodeIdentity {
  try {
    writeFileSync(path, keyFileText(secretKey), { mode: 0o600, flag: "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new KeyFileError(`${path} already exists; a key file is never overwritten (move it away or choose another path)`);
    throw new KeyFileError(`cannot write ${path}: ${(e as Error).message}`);
  }
  return identityOf(secretKey);
}

/** Parses the text of a key file. Throws KeyFileError naming what is wrong. */
export function parseKeyFile(text: string, name = "key file"): NodeIdentity {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new KeyFileError(`${name} is not JSON: ${(e as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new KeyFileError(`${name} is not a JSON object`);
  const o = json as Record<string, unknown>;
  if (o["type"] !== KEY_FILE_TYPE) throw new KeyFileError(`${name}: "type" is ${JSON.stringify(o["type"])}, not "${KEY_FILE_TYPE}"`);
  const hex = o["secret_key_hex"];
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new KeyFileError(`${name}: "secret_key_hex" must be 64 lower-case hex digits`);
  const identity = identityOf(new Uint8Array(Buffer.from(hex, "hex")));
  if (o["did"] !== identity.did) throw new KeyFileError(`${name}: "did" is ${JSON.stringify(o["did"])}, but the secret key's did:key is ${identity.did}`);
  return identity;
}

/**
 * Reads a key file. Throws KeyFileError. `warn` is told when the file can be
 * read by other users, which a secret key should not be.
 */
export function readKeyFile(path: string, warn: (text: string) => void = () => {}): NodeIdentity {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new KeyFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const identity = parseKeyFile(text, path);
  if (process.platform !== "win32" && (statSync(path).mode & 0o077) !== 0) {
    warn(`${path} can be read by other users; it holds a secret key (chmod 600 ${path})`);
  }
  return identity;
}
