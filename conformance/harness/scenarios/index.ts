// Every behavioural scenario (spec §13.10), as conformance cases.
import type { Case } from "../case.js";
import type { RequirementIndex } from "../requirements.js";
import { DELEGATOR_SCENARIOS } from "./delegator.js";
import { PROVIDER_SCENARIOS } from "./provider.js";
import { REGISTRY_SCENARIOS } from "./registry.js";
import { Scenario } from "./scenario.js";

/** The scenarios, registry first, then provider, then delegator, each at the level of the requirements it cites. */
export function scenarioCases(index: RequirementIndex): Case[] {
  return [...REGISTRY_SCENARIOS, ...PROVIDER_SCENARIOS, ...DELEGATOR_SCENARIOS].map((spec) => new Scenario(spec, index));
}
