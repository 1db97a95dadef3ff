// discovery-limits.json: the size limits of discovery, exactly at their edges
// (spec/06-discovery.md): the default maximum descriptor size of a registry
// (DISC-019, DISC-023), and the cut of an answer's results to the longest
// prefix whose signed answer fits 65,536 bytes (DISC-014 step 4, SIG-001).
// Their inputs are large (descriptors of about 16 KiB, answers of 64 KiB), so
// they have a file of their own.
import { hex } from "../bytes.js";
import { T0 } from "../constants.js";
import { group, invalid, valid, type VectorFileModule } from "../model.js";
import type { Body } from "../proto-json.js";
import type { Peer } from "../fixtures.js";
import {
  dec,
  live,
  ok,
  ORIGIN_1,
  ORIGIN_2,
  ORIGIN_3,
  ORIGIN_4,
  ORIGIN_5,
  PEERS,
  PUBLISHED,
  queryBody,
  queryHash,
  queryJson,
  REGISTRY,
  registryShared,
  resultsJson,
  signAnswer,
  stepsJson,
  type Step,
} from "./discovery-common.js";

/** The limit of every signed message (SIG-001). */
const LIMIT = 65_536;
/** The default maximum descriptor size of DISC-023. */
const DEFAULT_MAX_DESCRIPTOR = 16_384;

/** The capability a query can match: ai.image/generate 1.2.0 with a latency. */
const main = (latency: number): Body => ({ namespace: "ai.image", id: "generate", version: "1.2.0", tags: ["image"], constraints: { max_latency_ms: latency } });

/** Capabilities of namespace ai.filler carrying `count` intents, 16 per capability; the last intent is `last` code points long, the others 150. */
function fillers(count: number, last: number): Body[] {
  const intents = Array.from({ length: count }, (_, i) => {
    const prefix = `${i}:`;
    return prefix + "x".repeat((i === count - 1 ? last : 150) - prefix.length);
  });
  const caps: Body[] = [];
  for (let c = 0; c * 16 < count; c++) caps.push({ namespace: "ai.filler", id: `pad-${c}`, version: "1.0.0", intents: intents.slice(c * 16, c * 16 + 16) });
  return caps;
}

/** A valid descriptor of `peer` whose COSE_Sign1 is exactly `size` bytes long. */
function descriptorOfSize(peer: Peer, latency: number, size: number): Uint8Array {
  for (let count = 1; count <= 16 * 63; count++) {
    const make = (last: number) => live(peer, [main(latency), ...fillers(count, last)]);
    // Intents of 24 to 255 bytes have a two-byte head, so within that range
    // the descriptor grows byte for byte with the last intent.
    const last = 100 + size - make(100).length;
    if (last >= 24 && last <= 255) {
      const d = make(last);
      if (d.length === size) return d;
    }
  }
  throw new Error(`no descriptor of exactly ${size} bytes`);
}

function build() {
  const H = T0 + 1_000n;
  const AS_OF = T0 + 60_000n;
  const [p1, p2, p3, p4, p5] = PEERS as [Peer, Peer, Peer, Peer, Peer];

  const atMax = descriptorOfSize(p1, 1000, DEFAULT_MAX_DESCRIPTOR);
  const overMax = descriptorOfSize(p1, 1000, DEFAULT_MAX_DESCRIPTOR + 1);
  const size = group("registry.publish", "A registry under the default policy of DISC-023: its maximum descriptor size is 16,384 bytes (DISC-019).", registryShared(), [
    valid("discovery-limits/size/default-at-limit-001", { requirements: ["DISC-019", "DISC-023"], comment: "a descriptor of exactly 16,384 bytes", flags: ["DescriptorSize"], inputs: { history: [], descriptor: hex(atMax), now: dec(H), origin: ORIGIN_1 }, output: { change: PUBLISHED } }),
    invalid("discovery-limits/size/default-over-limit-001", "DISC_DESCRIPTOR_TOO_LARGE", { requirements: ["DISC-019"], comment: "a valid descriptor of 16,385 bytes", flags: ["DescriptorSize"], inputs: { history: [], descriptor: hex(overMax), now: dec(H), origin: ORIGIN_1 } }),
  ]);

  // Five peers of five origins, ranked by latency; four large descriptors
  // fill an answer, and the fourth is sized so that the answer with four
  // results is exactly 65,536 bytes, or one byte more.
  const query = queryBody({}, "limits");
  const big = [p1, p2, p3].map((p, i) => descriptorOfSize(p, 1000 * (i + 1), 16_350));
  const fifth = descriptorOfSize(p5, 5000, 16_200);
  const answerOf = (fourth: Uint8Array, n: number) =>
    signAnswer({
      registryId: REGISTRY.did,
      queryHash: queryHash(query),
      asOf: AS_OF,
      freshUntil: AS_OF + 30_000n,
      results: [...big, fourth, fifth].slice(0, n).map((d) => ({ descriptor: d, index: 0 })),
      totalMatches: 5,
    });
  const probe = descriptorOfSize(p4, 4000, 16_000);
  const fitting = descriptorOfSize(p4, 4000, 16_000 + LIMIT - answerOf(probe, 4).length);
  const notFitting = descriptorOfSize(p4, 4000, fitting.length + 1);
  if (answerOf(fitting, 4).length !== LIMIT || answerOf(notFitting, 4).length !== LIMIT + 1) throw new Error("the answers are not sized at the limit");
  const history = (fourth: Uint8Array): Step[] => [
    ok(big[0]!, H, ORIGIN_1),
    ok(big[1]!, H, ORIGIN_2),
    ok(big[2]!, H, ORIGIN_3),
    ok(fourth, H, ORIGIN_4),
    ok(fifth, H, ORIGIN_5),
  ];
  const output = (fourth: Uint8Array, n: number) => ({
    results: resultsJson([p1, p2, p3, p4].slice(0, n).map((peer) => ({ peer, index: 0 }))),
    total_matches: 5,
    fresh_until: dec(AS_OF + 30_000n),
    answer: hex(answerOf(fourth, n)),
  });
  const answers = group(
    "registry.answer",
    "A registry under the default policy of DISC-023 answers a query matching five large descriptors (of five peers and five origins, ranked by latency): the results are the longest prefix of the candidates whose signed answer is at most 65,536 bytes (DISC-014 step 4, SIG-001).",
    registryShared({}, { secret_key: hex(REGISTRY.seed) }),
    [
      valid("discovery-limits/answer/fits-exactly-001", {
        requirements: ["DISC-014", "SIG-001"],
        comment: "with four results the signed answer is exactly 65,536 bytes: four results; the fifth does not fit",
        flags: ["SizeLimit"],
        inputs: { history: stepsJson(history(fitting)), query: queryJson(query), now: dec(AS_OF) },
        output: output(fitting, 4),
      }),
      valid("discovery-limits/answer/one-byte-over-001", {
        requirements: ["DISC-014", "SIG-001"],
        comment: "the fourth descriptor one byte longer: with four results the answer would be 65,537 bytes, so it holds three",
        flags: ["SizeLimit"],
        inputs: { history: stepsJson(history(notFitting)), query: queryJson(query), now: dec(AS_OF) },
        output: output(notFitting, 3),
      }),
    ],
  );

  return {
    name: "discovery-limits",
    description:
      "Size limits of discovery (spec/06-discovery.md): the default maximum descriptor size of a registry (DISC-019) and the cut of an answer to 65,536 bytes (DISC-014). Operations registry.publish and registry.answer, as in discovery-registry.json. The inputs are large: descriptors of about 16 KiB, answers of 64 KiB.",
    groups: [size, answers],
  };
}

export const discoveryLimitsFile: VectorFileModule = { name: "discovery-limits", build };
