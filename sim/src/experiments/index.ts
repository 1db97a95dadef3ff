// The experiments, by name.
import { attacker } from "./attacker.js";
import type { Experiment } from "./experiment.js";
import { scale } from "./scale.js";
import { sybil } from "./sybil.js";
import { ttl } from "./ttl.js";

export const EXPERIMENTS: readonly Experiment[] = [sybil, scale, ttl, attacker];

export function experimentNamed(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
