// The vector files of the corpus, one generator module each. To add a file,
// write vectors/generator/files/<name>.ts exporting a VectorFileModule and
// add it to this list; `npm run vectors -- --lock-new` then writes it and
// locks its ids.
import type { VectorFileModule } from "../model.js";
import { cborFile } from "./cbor.js";
import { coseFile } from "./cose.js";
import { descriptorFile } from "./descriptor.js";
import { didKeyFile } from "./did-key.js";
import { limitsFile } from "./limits.js";
import { ed25519File } from "./ed25519.js";
import { messageFile } from "./message.js";
import { taskFile } from "./task.js";
import { evidenceFile } from "./evidence.js";
import { canaryFile } from "./canary.js";
import { reputationFile } from "./reputation.js";
import { delegationFile } from "./delegation.js";
import { DISCOVERY_FILES } from "./discovery.js";

/** Every vector file, in the order they are generated. */
export const VECTOR_FILES: readonly VectorFileModule[] = [cborFile, messageFile, ed25519File, didKeyFile, coseFile, descriptorFile, limitsFile, canaryFile, taskFile, evidenceFile, reputationFile, delegationFile, ...DISCOVERY_FILES];
