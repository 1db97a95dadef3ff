// `ap2p delegate`: one delegation over the network (spec/10 §10.4): discover,
// rank, verify by tier with fallback, execute, check evidence, and sign
// outcome attestations, printing what each tier decided about each candidate
// and why.
import { existsSync, readFileSync, appendFileSync, writeFileSync } from "node:fs";
import { DelegationStage, TaskRisk, type DelegationReport } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { Outcome, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { generateSecretKey } from "../crypto/ed25519.js";
import { DEFAULT_RISK_POLICY } from "../delegation/policy.js";
import { isErrorCodeName } from "../errors.js";
import { verifyAttestation } from "../reputation/attestation.js";
import { builtinCapability, capabilityName, parseCapabilityRef } from "../node/capabilities.js";
import { NodeDelegator, type NodeDelegation } from "../node/delegator.js";
import { KeyFileError, readKeyFile } from "../node/keyfile.js";
import { secureRandom, systemClock } from "../node/random.js";
import type { TransportFailure } from "../node/transport.js";
import { explain } from "./explain.js";
import { parseArgs, processIo, required, shortDid, UsageError, withUsage, type CliIo } from "./options.js";

export const DELEGATE_HELP = `Usage: ap2p delegate --registry URL --registry-id DID --capability REF
                     (--input TEXT | --input-file FILE) (--level 1|2|3 | --risk CLASS) [options]

Delegates one task (spec/10-delegation.md §10.4): asks the registry for
providers of the capability, verifies its signed answer and every descriptor,
ranks the candidates by this delegator's reputation of them, and verifies
each by the tiers the level requires, falling back to the next candidate on
a failure: level 1 checks the signed result (reputation), level 2 first sends
a canary challenge, level 3 also checks the result's evidence package. Prints
what each tier decided about each candidate and why, the chosen provider, the
output, and the signed outcome attestations.

Options:
  --registry URL        the registry's URL (required)
  --registry-id DID     the registry's did:key: its connection and its answers must prove it (required)
  --capability REF      NAMESPACE/ID@VERSION, e.g. ap2p.demo/generate@1.0.0 (required)
  --input TEXT          the task's input, as UTF-8 text
  --input-file FILE     the task's input, the bytes of a file
  --level N             1, 2 or 3: the risk classes LOW, MEDIUM and HIGH of the default policy
  --risk CLASS          low, medium, high or critical (critical also requires a
                        platform attestation, which this delegator cannot appraise)
  --key FILE            the delegator's key file; a fresh identity if omitted
  --history FILE        outcome attestations to rank by, one hex COSE_Sign1 per line;
                        the attestations signed now are appended (reputation over runs;
                        with --key, so that they count as this delegator's own, spec/07)
  --output-file FILE    write the output bytes to FILE
  --json                print the report as JSON
  --help                show this help

Canaries exist for the built-in capabilities (ap2p agent --help) and the test
capabilities of spec/08 §8.8; levels 2 and 3 need one.

Exit status: 0 when the task was delegated and its result accepted, 1 when the
delegation failed, 2 on a usage error.
`;

const RISKS: Readonly<Record<string, TaskRisk>> = { low: TaskRisk.LOW, medium: TaskRisk.MEDIUM, high: TaskRisk.HIGH, critical: TaskRisk.CRITICAL };
const LEVEL_RISK: Readonly<Record<string, TaskRisk>> = { "1": TaskRisk.LOW, "2": TaskRisk.MEDIUM, "3": TaskRisk.HIGH };

const code = (c: ErrorCode): string => (c === ErrorCode.UNSPECIFIED ? "" : (ErrorCode[c] ?? String(c)));

/** One candidate's decisions, in the order they were made. */
export interface CandidateDecisions {
  readonly peerId: string;
  readonly reputationPpm: number | undefined;
  readonly decisions: readonly { readonly stage: string; readonly error: string; readonly detail: string }[];
  /** Why a call to it got no answer, when one did not. */
  readonly transport: readonly TransportFailure[];
}

/** The attempts of a report grouped by candidate, in the order each was first decided about. */
export function decisionsByCandidate(report: DelegationReport, failures: readonly TransportFailure[] = []): CandidateDecisions[] {
  const byPeer = new Map<string, { reputationPpm: number | undefined; decisions: { stage: string; error: string; detail: string }[] }>();
  for (const a of report.attempts) {
    let entry = byPeer.get(a.peerId);
    if (entry === undefined) byPeer.set(a.peerId, (entry = { reputationPpm: a.reputationPpm, decisions: [] }));
    entry.decisions.push({ stage: DelegationStage[a.stage] ?? String(a.stage), error: code(a.error), detail: a.detail });
  }
  return [...byPeer].map(([peerId, e]) => ({ peerId, ...e, transport: failures.filter((f) => f.peerId === peerId) }));
}

/** A peer for a terminal: its short did, and the display name its descriptor gives (a label, ARCH-002). */
export function peerLabel(d: NodeDelegation): (peerId: string) => string {
  return (peerId) => {
    const n = d.displayNames.get(peerId);
    return n === undefined ? shortDid(peerId) : `${shortDid(peerId)} ${JSON.stringify(n)}`;
  };
}

/** What a delegation decided, for a terminal. `name` labels peers (a short did and display name by default). */
export function reportText(d: NodeDelegation, name: (peerId: string) => string = peerLabel(d)): string {
  const r = d.report;
  const lines: string[] = [];
  const candidates = decisionsByCandidate(r, d.failures);
  lines.push(candidates.length === 0 ? "no candidate was decided about" : "candidates, in the order they were decided:");
  for (const c of candidates) {
    lines.push(`  ${name(c.peerId)}${c.reputationPpm === undefined ? "" : `  (reputation ${c.reputationPpm} ppm)`}`);
    for (const x of c.decisions) lines.push(`    ${x.stage.padEnd(9)} ${x.error === "" ? "passed" : x.error}: ${x.detail}`);
    for (const f of c.transport) lines.push(`    (no answer to the ${f.kind}: ${f.code}: ${f.message})`);
  }
  for (const f of d.failures.filter((f) => f.kind === "query")) lines.push(`registry: no answer to the query: ${f.code}: ${f.message}`);
  lines.push(r.chosen === "" ? `chosen: none — ${code(r.error) || "DELEGATION_FAILED"}` : `chosen: ${name(r.chosen)}`);
  if (d.attestations.length > 0) {
    lines.push(`outcome attestations signed (${d.attestations.length}):`);
    for (const a of d.attestations) lines.push(`  ${attestationLine(a.attestation, name)}`);
  }
  return `${lines.join("\n")}\n`;
}

function attestationLine(a: OutcomeAttestation, name: (peerId: string) => string): string {
  return `${name(a.provider)}: ${Outcome[a.outcome] ?? a.outcome} at ${VerificationTier[a.tier] ?? a.tier}, ${a.latencyMs} ms`;
}

/** The output for a terminal: text as text, anything else as its size and first bytes in hex. */
function outputText(bytes: Uint8Array, mediaType: string | undefined): string {
  const text = mediaType !== undefined && (mediaType.startsWith("text/") || mediaType === "image/svg+xml");
  if (text) {
    const s = Buffer.from(bytes).toString("utf8");
    return s.length > 400 ? `${s.slice(0, 400)}… (${bytes.length} bytes)` : s.replace(/\n$/, "");
  }
  return `${bytes.length} bytes: ${Buffer.from(bytes.subarray(0, 64)).toString("hex")}${bytes.length > 64 ? "…" : ""}`;
}

/** The JSON form of a delegation. */
export function delegationJson(d: NodeDelegation): object {
  const r = d.report;
  return {
    chosen: r.chosen,
    error: code(r.error),
    ...(r.error === ErrorCode.UNSPECIFIED ? {} : { explanation: explainCode(code(r.error)) }),
    level: VerificationTier[r.level],
    risk: TaskRisk[r.risk],
    candidates: decisionsByCandidate(r, d.failures).map((c) => ({ peer_id: c.peerId, display_name: d.displayNames.get(c.peerId), reputation_ppm: c.reputationPpm, decisions: c.decisions, transport: c.transport })),
    output_hex: d.result?.output === undefined ? undefined : Buffer.from(d.result.output).toString("hex"),
    attestations: d.attestations.map((a) => ({
      provider: a.attestation.provider,
      outcome: Outcome[a.attestation.outcome],
      tier: VerificationTier[a.attestation.tier],
      latency_ms: a.attestation.latencyMs,
      cose_sign1_hex: Buffer.from(a.bytes).toString("hex"),
    })),
  };
}

function explainCode(name: string): object | undefined {
  if (!isErrorCodeName(name)) return undefined;
  const e = explain({ code: name, message: "", path: undefined }, ["10-delegation.md"], 1);
  return { meaning: e.meaning, requirements: e.requirements.map((x) => x.id) };
}

function readHistory(path: string, now: bigint, io: CliIo): OutcomeAttestation[] {
  if (!existsSync(path)) return [];
  const out: OutcomeAttestation[] = [];
  let skipped = 0;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const hex = line.trim();
    if (hex === "") continue;
    const v = /^(?:[0-9a-f]{2})+$/.test(hex) ? verifyAttestation(new Uint8Array(Buffer.from(hex, "hex")), { now }) : undefined;
    if (v?.ok) out.push(v.value.message);
    else skipped++;
  }
  if (skipped > 0) io.err(`ap2p delegate: ignored ${skipped} line(s) of ${path} that are not valid attestations\n`);
  return out;
}

/** Runs `ap2p delegate`; returns the exit status. */
export function runDelegateCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return withUsage(io, "ap2p delegate", DELEGATE_HELP, async () => {
    const args = parseArgs(argv, {
      registry: true,
      "registry-id": true,
      capability: true,
      input: true,
      "input-file": true,
      level: true,
      risk: true,
      key: true,
      history: true,
      "output-file": true,
      json: false,
      help: false,
    });
    if (args.has("help")) {
      io.out(DELEGATE_HELP);
      return 0;
    }
    const registryUrl = required(args, "registry");
    const registryId = required(args, "registry-id");
    if (!/^wss?:\/\//.test(registryUrl)) throw new UsageError(`--registry takes a ws:// URL, not ${JSON.stringify(registryUrl)}`);
    if (!/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$/.test(registryId)) throw new UsageError(`--registry-id takes the registry's did:key, not ${JSON.stringify(registryId)}`);
    const ref = required(args, "capability");
    const capability = parseCapabilityRef(ref);
    if (capability === undefined) throw new UsageError(`--capability takes NAMESPACE/ID@MAJOR.MINOR.PATCH, not ${JSON.stringify(ref)}`);
    if (args.has("input") === args.has("input-file")) throw new UsageError("give exactly one of --input and --input-file");
    let input: Uint8Array;
    if (args.has("input")) input = new TextEncoder().encode(args.get("input")!);
    else {
      try {
        input = new Uint8Array(readFileSync(args.get("input-file")!));
      } catch (e) {
        throw new UsageError(`--input-file: ${(e as Error).message}`);
      }
    }
    if (args.has("level") === args.has("risk")) throw new UsageError("give exactly one of --level and --risk");
    const risk = args.has("level") ? LEVEL_RISK[args.get("level")!] : RISKS[args.get("risk")!];
    if (risk === undefined) throw new UsageError(args.has("level") ? "--level takes 1, 2 or 3" : "--risk takes low, medium, high or critical");

    let secretKey: Uint8Array;
    try {
      secretKey = args.has("key") ? readKeyFile(args.get("key")!, (w) => io.err(`ap2p delegate: warning: ${w}\n`)).secretKey : generateSecretKey(secureRandom);
    } catch (e) {
      if (!(e instanceof KeyFileError)) throw e;
      io.err(`ap2p delegate: ${e.message}\n`);
      return 1;
    }
    const history = args.get("history");
    const attestations = history === undefined ? [] : readHistory(history, systemClock(), io);
    const rule = DEFAULT_RISK_POLICY.rules.find((r) => r.risk === risk)!;
    const json = args.has("json");
    if (!json) {
      io.out(
        `delegating ${capabilityName(capability)} at level ${rule.level} (${VerificationTier[rule.level]}): risk ${TaskRisk[risk]}, ` +
          `reputation at least ${rule.minReputationPpm} ppm, at most ${rule.maxAttempts} attempts${rule.requireAttestation ? ", platform attestation required" : ""}\n`,
      );
    }
    const delegator = new NodeDelegator({ secretKey, registry: { url: registryUrl, peerId: registryId }, clock: systemClock, random: secureRandom, attestations });
    let d: NodeDelegation;
    try {
      d = await delegator.delegate(capability, input, risk);
    } finally {
      await delegator.close();
    }
    if (history !== undefined && d.attestations.length > 0) appendFileSync(history, d.attestations.map((a) => `${Buffer.from(a.bytes).toString("hex")}\n`).join(""));
    const output = d.result?.output;
    if (output !== undefined && args.has("output-file")) writeFileSync(args.get("output-file")!, output);
    if (json) {
      io.out(`${JSON.stringify(delegationJson(d), null, 2)}\n`);
    } else {
      io.out(reportText(d));
      if (output !== undefined) io.out(`output: ${outputText(output, builtinCapability(capability)?.test.outputMediaType)}\n`);
    }
    return d.result === undefined ? 1 : 0;
  });
}
