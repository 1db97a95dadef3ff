// Benchmark 3: the discovery registry: publish throughput, query latency at
// several sizes, and heap per stored descriptor. Descriptors are signed once
// and reused for every size.
import { create } from "@bufbuild/protobuf";
import { MatchMode, QuerySchema, type Query } from "../gen/ts/ap2p/v1/discovery_pb.js";
import { Registry } from "../reference/src/discovery/registry.js";
import { BENCH_TIME, IDS, NAMESPACES, benchKey, signBench } from "./fixtures.js";
import { fmt, gc, line, quantile, round } from "./lib.js";

export interface RegistrySize {
  readonly live: number;
  readonly publishPerSecond: number;
  /**
   * Query latency in steady state, after the registry has served queries for
   * a second: each query is run QUERY_REPEATS times in a row and its fastest
   * time kept, so that time the process spent waiting for a core on a shared
   * machine does not count; singleShotP99Us is the p99 of the first runs
   * alone, waits and garbage collection included.
   */
  readonly query: QueryLatency;
  /** The same, split: namespace and exact id, and namespace only. */
  readonly queryByKind: { exactId: KindLatency; namespaceOnly: KindLatency };
  /** The same, measured right after loading (200 warm-up queries): garbage collection of the load is still under way. */
  readonly queryAfterLoad: QueryLatency;
  /** Heap growth per descriptor after a full GC, in bytes; undefined without --expose-gc. */
  readonly heapBytesPerDescriptor?: number;
}

// Registries are measured at their size, with room for it and with limits
// that do not throttle a single-origin-per-16-peers load.
function registryFor(n: number): Registry {
  return new Registry({ maxPeers: Math.max(n, 100_000) });
}

const originOf = (i: number): string => `origin-${i >> 4}`;
const QUERY_REPEATS = 3;
/** How long the registry serves queries before the steady-state measurement. */
const STEADY_AFTER_MS = 1000;

interface QueryLatency {
  readonly samples: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly singleShotP99Us: number;
  readonly meanMatches: number;
}
interface KindLatency {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly meanMatches: number;
}

/** Times every query (fastest of QUERY_REPEATS runs, and the first run alone), overall and by kind. */
function timeQueries(registry: Registry, qs: readonly Query[], now: bigint): { all: QueryLatency; exactId: KindLatency; namespaceOnly: KindLatency } {
  const times: number[] = [];
  const firstTimes: number[] = [];
  const kinds = { exactId: { times: [] as number[], matches: 0 }, namespaceOnly: { times: [] as number[], matches: 0 } };
  let matches = 0;
  for (const q of qs) {
    let us = Infinity;
    let total = 0;
    for (let r = 0; r < QUERY_REPEATS; r++) {
      const t = process.hrtime.bigint();
      const v = registry.query(q, now);
      const took = Number(process.hrtime.bigint() - t) / 1000;
      if (!v.ok) throw new Error(`query rejected: ${v.error.code}`);
      total = v.value.totalMatches;
      if (r === 0) firstTimes.push(took);
      if (took < us) us = took;
    }
    times.push(us);
    matches += total;
    const k = q.id === "" ? kinds.namespaceOnly : kinds.exactId;
    k.times.push(us);
    k.matches += total;
  }
  const kind = (k: { times: number[]; matches: number }): KindLatency => ({ p50Us: round(quantile(k.times, 0.5), 1), p99Us: round(quantile(k.times, 0.99), 1), meanMatches: round(k.matches / k.times.length, 1) });
  return {
    all: { samples: qs.length, p50Us: round(quantile(times, 0.5), 1), p99Us: round(quantile(times, 0.99), 1), singleShotP99Us: round(quantile(firstTimes, 0.99), 1), meanMatches: round(matches / qs.length, 1) },
    exactId: kind(kinds.exactId),
    namespaceOnly: kind(kinds.namespaceOnly),
  };
}

/** Queries spread over the 50 x 20 pools: three quarters by namespace and exact id, one quarter by namespace only. */
function queries(count: number): Query[] {
  const out: Query[] = [];
  for (let q = 0; q < count; q++) {
    const nonce = new Uint8Array(16);
    new DataView(nonce.buffer).setUint32(0, q);
    const ns = `bench.ns${(q * 7) % NAMESPACES}`;
    out.push(
      q % 4 === 3
        ? create(QuerySchema, { namespace: ns, maxResults: 10, nonce })
        : create(QuerySchema, { namespace: ns, id: `op${(q * 3) % IDS}`, idMatch: MatchMode.EXACT, maxResults: 10, nonce }),
    );
  }
  return out;
}

function measure(fixtures: readonly Uint8Array[], n: number, querySamples: number): RegistrySize {
  const hasGc = gc();
  const before = process.memoryUsage().heapUsed;
  const registry = registryFor(n);
  const now = BENCH_TIME + 1000n;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const v = registry.publish(fixtures[i]!, now, originOf(i));
    if (!v.ok) throw new Error(`publish ${i} rejected: ${v.error.code} ${v.error.message}`);
  }
  const publishNs = Number(process.hrtime.bigint() - t0);
  let heap: number | undefined;
  if (hasGc) {
    gc();
    heap = round((process.memoryUsage().heapUsed - before) / n);
  }
  const qs = queries(querySamples);
  // Right after loading: a short warm-up, then each query timed on its own.
  for (const q of qs.slice(0, 200)) registry.query(q, now);
  const afterLoad = timeQueries(registry, qs, now);
  // Steady state: serve the queries for a while, then time them again.
  const until = Date.now() + STEADY_AFTER_MS;
  while (Date.now() < until) for (const q of qs) registry.query(q, now);
  const steady = timeQueries(registry, qs, now);
  const result: RegistrySize = {
    live: n,
    publishPerSecond: round((n * 1e9) / publishNs),
    query: steady.all,
    queryByKind: { exactId: steady.exactId, namespaceOnly: steady.namespaceOnly },
    queryAfterLoad: afterLoad.all,
    ...(heap === undefined ? {} : { heapBytesPerDescriptor: heap }),
  };
  const e = result.queryByKind.exactId;
  const a = result.queryByKind.namespaceOnly;
  line(
    `    ${fmt(n).padStart(9)} live   publish ${fmt(result.publishPerSecond).padStart(7)}/s   query p50 ${String(result.query.p50Us).padStart(7)} µs  p99 ${String(result.query.p99Us).padStart(7)} µs (single shot ${result.query.singleShotP99Us} µs)  (${result.query.meanMatches} matches)   heap ${heap === undefined ? "n/a (run with --expose-gc)" : `${fmt(heap)} B/descriptor`}`,
  );
  line(`              exact id: p50 ${e.p50Us} µs, p99 ${e.p99Us} µs (${e.meanMatches} matches); namespace only: p50 ${a.p50Us} µs, p99 ${a.p99Us} µs (${a.meanMatches} matches)`);
  const l = result.queryAfterLoad;
  line(`              right after loading: p50 ${l.p50Us} µs, p99 ${l.p99Us} µs (single shot ${l.singleShotP99Us} µs)`);
  return result;
}

export function benchRegistry(sizes: readonly number[], querySamples: number): { coseBytes: number; sizes: RegistrySize[] } {
  const largest = Math.max(...sizes);
  line(`3. Registry (signing ${fmt(largest)} descriptors once, 50 namespaces x 20 ids, 16 peers per origin)`);
  const t0 = Date.now();
  // Only the signed bytes are kept, so that a million fit beside the registry.
  const fixtures: Uint8Array[] = [];
  for (let i = 0; i < largest; i++) {
    fixtures.push(signBench(i, benchKey()).bytes);
    if ((i + 1) % 250_000 === 0) line(`    signed ${fmt(i + 1)} (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  const coseBytes = round(fixtures.reduce((a, f) => a + f.length, 0) / fixtures.length);
  line(`    signed ${fmt(largest)} in ${round((Date.now() - t0) / 1000, 1)} s; COSE_Sign1 ${coseBytes} B each (held by the fixture, not counted in the heap figure)`);
  const out: RegistrySize[] = [];
  for (const n of sizes) out.push(measure(fixtures, n, querySamples));
  return { coseBytes, sizes: out };
}
