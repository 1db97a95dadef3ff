// `ap2p keygen`: a new Ed25519 identity in a key file (reference/src/node/keyfile.ts).
import { randomBytes } from "node:crypto";
import { generateSecretKey } from "../crypto/ed25519.js";
import { KeyFileError, writeKeyFile } from "../node/keyfile.js";
import { parseArgs, processIo, required, withUsage, type CliIo } from "./options.js";

export const KEYGEN_HELP = `Usage: ap2p keygen --out FILE [--json]

Generates an Ed25519 key pair and writes the secret key to FILE, readable by
its owner only (mode 0600). Prints the did:key, the node's identity. An
existing FILE is never overwritten.

The file is JSON: {"type": "ap2p-ed25519-secret-key", "did": "did:key:...",
"secret_key_hex": "..."}.

Options:
  --out FILE  where to write the key file (required)
  --json      print {"did": ..., "key_file": ...} instead of the did alone
  --help      show this help

Exit status: 0 on success, 1 if the file cannot be written (or exists), 2 on a usage error.
`;

/** Runs `ap2p keygen`; returns the exit status. */
export function runKeygenCommand(argv: readonly string[], io: CliIo = processIo, random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n))): Promise<number> {
  return withUsage(io, "ap2p keygen", KEYGEN_HELP, () => {
    const args = parseArgs(argv, { out: true, json: false, help: false });
    if (args.has("help")) {
      io.out(KEYGEN_HELP);
      return 0;
    }
    const out = required(args, "out");
    try {
      const { did } = writeKeyFile(out, generateSecretKey(random));
      io.out(args.has("json") ? `${JSON.stringify({ did, key_file: out })}\n` : `${did}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof KeyFileError)) throw e;
      io.err(`ap2p keygen: ${e.message}\n`);
      return 1;
    }
  });
}
