// The discovery vector files (spec/06-discovery.md), one module each: the
// query language, a registry's publish and answer paths, a client's check of
// a signed answer, and the size limits, whose inputs are large.
import type { VectorFileModule } from "../model.js";
import { discoveryAnswerFile } from "./discovery-answer.js";
import { discoveryLimitsFile } from "./discovery-limits.js";
import { discoveryQueryFile } from "./discovery-query.js";
import { discoveryRegistryFile } from "./discovery-registry.js";

/** discovery-query.json, discovery-registry.json, discovery-answer.json and discovery-limits.json, in that order. */
export const DISCOVERY_FILES: readonly VectorFileModule[] = [discoveryQueryFile, discoveryRegistryFile, discoveryAnswerFile, discoveryLimitsFile];
