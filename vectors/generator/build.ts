// Builds the whole corpus in memory: every vector file, then MANIFEST and
// MANIFEST.cose over them. Deterministic: fixed keys, fixed clock, no
// randomness, so two runs give the same bytes.
import { create } from "@bufbuild/protobuf";
import { VectorManifestSchema } from "../../gen/ts/ap2p/v1/vectors_pb.js";
import { corpusDigest, MANIFEST_COSE_FILE, MANIFEST_FILE, renderManifest, VECTOR_SIGNING_DID } from "../../reference/src/cli/vectors.js";
import { signMessage } from "../../reference/src/signed/signed-message.js";
import { sha256Of } from "./bytes.js";
import { SPEC_VERSION } from "./constants.js";
import { VECTOR_SIGNER } from "./fixtures.js";
import { VECTOR_FILES } from "./files/index.js";
import { renderFile } from "./model.js";

/** One generated file. */
export interface CorpusEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The generated corpus: its files in output order, and every test id in corpus order. */
export interface Corpus {
  readonly entries: readonly CorpusEntry[];
  readonly ids: readonly string[];
}

/** Generates every file of vectors/v1. */
export function buildCorpus(): Corpus {
  const entries: CorpusEntry[] = [];
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const module of VECTOR_FILES) {
    const content = module.build();
    if (content.name !== module.name) throw new Error(`module ${module.name} builds a file named ${content.name}`);
    const text = renderFile(content);
    for (const g of content.groups) {
      for (const t of g.tests) {
        if (seen.has(t.id)) throw new Error(`${t.id}: id used twice in the corpus`);
        seen.add(t.id);
        ids.push(t.id);
      }
    }
    entries.push({ name: `${content.name}.json`, bytes: new TextEncoder().encode(text) });
  }

  if (VECTOR_SIGNER.did !== VECTOR_SIGNING_DID) {
    throw new Error(`the vector-signing seed gives ${VECTOR_SIGNER.did}, but the pinned key is ${VECTOR_SIGNING_DID}`);
  }
  const files = entries.map((e) => ({ name: e.name, sha256: sha256Of(e.bytes) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const manifest = create(VectorManifestSchema, { specVersion: SPEC_VERSION, files, corpusDigest: corpusDigest(files) });
  entries.push({ name: MANIFEST_FILE, bytes: new TextEncoder().encode(renderManifest(manifest, VECTOR_SIGNER.did)) });
  entries.push({ name: MANIFEST_COSE_FILE, bytes: signMessage(VectorManifestSchema, manifest, VECTOR_SIGNER.seed) });
  return { entries, ids };
}
