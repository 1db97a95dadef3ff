// Matching one capability against a query (spec/06-discovery.md §6.4). The
// same functions serve the registry, which computes a capability's facts once
// when it indexes a descriptor, and the client, which recomputes them from a
// returned descriptor to check that the result really matches (DISC-015).
//
// Omitted attributes are conservative (DISC-008): a filter that asks for a
// promise is satisfied only by a capability that states one. The one
// exception is availability, because spec/05 defines no windows as "always".
import { MatchMode } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import type { AvailabilityWindow, Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { CompiledQuery } from "./query.js";
import { tokenizeAll } from "./tokens.js";

/** What matching needs from a capability beyond its fields, computed once. */
export interface CapabilityFacts {
  /** The distinct tokens of all its intents and tags (DISC-009). */
  readonly tokens: readonly string[];
  /** Bit m set for each modality m among its inputs. */
  readonly inputMask: number;
  /** Bit m set for each modality m among its outputs. */
  readonly outputMask: number;
  /** Its highest supported tier number, 0 if it lists none. */
  readonly maxTier: number;
}

/** The facts of a capability. */
export function capabilityFacts(c: Capability): CapabilityFacts {
  let inputMask = 0;
  for (const io of c.inputs) inputMask |= 1 << io.modality;
  let outputMask = 0;
  for (const io of c.outputs) outputMask |= 1 << io.modality;
  let maxTier = 0;
  for (const t of c.supportedTiers) if (t > maxTier) maxTier = t;
  return { tokens: tokenizeAll([...c.intents, ...c.tags]), inputMask, outputMask, maxTier };
}

const MS_PER_MINUTE = 60_000n;
const MS_PER_DAY = 86_400_000n;

/**
 * True if weekly UTC windows include the instant t (ms since the Unix epoch).
 * No windows means always available (spec/05 §5.2). 1970-01-01 was a
 * Thursday, so day d since the epoch is weekday (d + 3) mod 7 with Monday = 0.
 */
export function isAvailableAt(windows: readonly AvailabilityWindow[], t: bigint): boolean {
  if (windows.length === 0) return true;
  const day = t / MS_PER_DAY;
  const weekday = Number((day + 3n) % 7n);
  const minute = Number((t % MS_PER_DAY) / MS_PER_MINUTE);
  return windows.some((w) => ((w.weekdays >> weekday) & 1) === 1 && w.startMinute <= minute && minute < w.endMinute);
}

/**
 * True if a capability version satisfies a query version under a match mode
 * (DISC-008). A prefix compares whole dot-separated components: "1" matches
 * "1.4.2" and never "10.0.0". Versions have no leading zeros (spec/05), so
 * comparing the text compares the numbers.
 */
export function versionMatches(version: string, wanted: string, mode: MatchMode): boolean {
  if (mode === MatchMode.UNSPECIFIED) return true;
  if (mode === MatchMode.EXACT) return version === wanted;
  return version === wanted || version.startsWith(`${wanted}.`);
}

/** True if a capability id satisfies a query id under a match mode (DISC-008). */
export function idMatches(id: string, wanted: string, mode: MatchMode): boolean {
  if (mode === MatchMode.UNSPECIFIED) return true;
  if (mode === MatchMode.EXACT) return id === wanted;
  return id.startsWith(wanted);
}

/** The intent score: how many distinct query tokens the capability's tokens contain (DISC-010). */
export function intentScore(facts: CapabilityFacts, q: CompiledQuery): number {
  let score = 0;
  for (const t of q.tokens) if (facts.tokens.includes(t)) score++;
  return score;
}

/**
 * The capability's intent score if it matches the query, undefined if it does
 * not (DISC-008, DISC-010). Filters run cheapest first; the outcome does not
 * depend on the order.
 */
export function matchCapability(c: Capability, facts: CapabilityFacts, q: CompiledQuery): number | undefined {
  const query = q.query;
  if (c.namespace !== query.namespace) return undefined;
  if (!idMatches(c.id, query.id, query.idMatch)) return undefined;
  if (!versionMatches(c.version, query.version, query.versionMatch)) return undefined;
  for (const tag of query.requiredTags) if (!c.tags.includes(tag)) return undefined;
  const k = c.constraints;
  if (query.onDeviceOnly && !k?.onDevice) return undefined;
  if (query.maxLatencyMs !== undefined && (k?.maxLatencyMs === undefined || k.maxLatencyMs > query.maxLatencyMs)) return undefined;
  if (query.maxPrice !== undefined) {
    const p = k?.price;
    if (p === undefined || p.currency !== query.maxPrice.currency || p.unit !== query.maxPrice.unit || p.amountMicros > query.maxPrice.amountMicros) return undefined;
  }
  if (q.allowedRegions.size > 0) {
    const regions = k?.regions ?? [];
    if (regions.length === 0 || !regions.every((r) => q.allowedRegions.has(r))) return undefined;
  }
  if ((facts.inputMask & q.inputMask) !== q.inputMask) return undefined;
  if ((facts.outputMask & q.outputMask) !== q.outputMask) return undefined;
  if (facts.maxTier < query.minTier) return undefined;
  if (query.availableAt !== undefined && !isAvailableAt(k?.availability ?? [], query.availableAt)) return undefined;
  const score = intentScore(facts, q);
  // DISC-010: a query with intent tokens matches only capabilities that share one.
  if (q.tokens.length > 0 && score === 0) return undefined;
  return score;
}
