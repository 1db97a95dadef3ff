// `ap2p descriptor sign | verify | inspect`: capability descriptors
// (spec/05-descriptors.md) from the command line. Verify reports the first
// defect in the order every verifier reports it (DESC-017), and also checks
// the signature and the time rules on their own, so that a descriptor with
// several problems shows each; every failure is explained by its code, the
// registry's meaning of the code and the requirement that names it.
import { readFileSync, writeFileSync } from "node:fs";
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { CapabilityDescriptorSchema, PriceUnit, Transport, VerificationTier, type CapabilityDescriptor } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { issueDescriptor, type DescriptorContent } from "../descriptor/issue.js";
import { DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS, type DescriptorPolicy } from "../descriptor/policy.js";
import { checkValidityOrThrow, parseDescriptor } from "../descriptor/verify.js";
import { isAp2pError, toVerdict, type Ap2pError } from "../errors.js";
import { capabilityName, parseCapabilityRef } from "../node/capabilities.js";
import { KeyFileError, readKeyFile } from "../node/keyfile.js";
import { explain, explanationText, type Explanation } from "./explain.js";
import { humanDuration, humanTime, parseArgs, parseCount, parseDuration, parseTime, processIo, required, UsageError, withUsage, type CliIo, type ParsedArgs } from "./options.js";

export const DESCRIPTOR_HELP = `Usage:
  ap2p descriptor sign --key FILE (--capability NS/ID@VERSION ... | --from JSON) --out FILE [options]
  ap2p descriptor verify FILE [--now TIME] [--last-seq N] [--max-ttl D] [--skew D] [--json]
  ap2p descriptor inspect FILE [--now TIME] [--json]

Capability descriptors (spec/05-descriptors.md): a peer's signed, expiring
statement of what it offers. FILE holds the COSE_Sign1 bytes (or their hex).

sign options:
  --key FILE                the signer's key file (ap2p keygen)
  --capability NS/ID@VER    a capability, e.g. ap2p.demo/generate@1.0.0 (repeatable)
  --tiers LIST              tiers the --capability entries support, from
                            reputation,canary,evidence (default: all three)
  --latency-ms N            the latency the --capability entries promise
  --tag TAG                 a tag of the --capability entries (repeatable)
  --from JSON               a file with the content as proto3 JSON: {"capabilities": [...],
                            "endpoints": [...], "displayName": "..."} (instead of --capability)
  --endpoint URL            a WebSocket endpoint, ws://HOST:PORT/ (repeatable)
  --name TEXT               a display name (never an identity, ARCH-002)
  --ttl D                   time to live, e.g. 60s, 10m, 1h (default 10m)
  --seq N                   the sequence number (default 1; a refresh takes a higher one)
  --now TIME                the issue time, ms since the Unix epoch or ISO 8601 (default: now)
  --out FILE                where to write the COSE_Sign1 bytes (required)

verify and inspect options:
  --now TIME                the verifier's time (default: now)
  --last-seq N              the highest seq already accepted from this peer (DESC-008)
  --max-ttl D, --skew D     the verifier's maximum TTL and clock-skew allowance
                            (defaults ${humanDuration(DEFAULT_POLICY.maxTtlMs)} and ${humanDuration(DEFAULT_POLICY.clockSkewMs)}, spec/05 §5.4)
  --json                    machine-readable output

Exit status: 0 on success (a valid descriptor), 1 when the descriptor is
rejected or a file cannot be used, 2 on a usage error.
`;

const TIERS: Readonly<Record<string, VerificationTier>> = { reputation: VerificationTier.REPUTATION, canary: VerificationTier.CANARY, evidence: VerificationTier.EVIDENCE };
/** Spec files whose requirements explain a descriptor's codes, most relevant first. */
const DESCRIPTOR_SPEC = ["05-descriptors.md", "04-identity-and-signing.md", "03-data-model.md"];

/** Reads a descriptor file: raw COSE_Sign1 bytes, or the same as hex text. */
export function readDescriptorFile(path: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(path));
  const text = Buffer.from(raw).toString("latin1").trim();
  if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text)) return new Uint8Array(Buffer.from(text, "hex"));
  return raw;
}

function policyOf(args: ParsedArgs): DescriptorPolicy {
  const maxTtlMs = args.has("max-ttl") ? parseDuration(args.get("max-ttl")!, "max-ttl") : DEFAULT_POLICY.maxTtlMs;
  const clockSkewMs = args.has("skew") ? parseDuration(args.get("skew")!, "skew") : DEFAULT_POLICY.clockSkewMs;
  if (maxTtlMs <= 0n || maxTtlMs > MAX_MAX_TTL_MS) throw new UsageError(`--max-ttl must be within 1 ms..${humanDuration(MAX_MAX_TTL_MS)}`);
  if (clockSkewMs > MAX_CLOCK_SKEW_MS) throw new UsageError(`--skew must be at most ${humanDuration(MAX_CLOCK_SKEW_MS)}`);
  return { maxTtlMs, clockSkewMs };
}

const nowOf = (args: ParsedArgs): bigint => (args.has("now") ? parseTime(args.get("now")!, "now") : BigInt(Date.now()));

// ---------------------------------------------------------------------------
// sign

function contentOf(args: ParsedArgs): DescriptorContent {
  const refs = args.all("capability");
  const from = args.get("from");
  if ((refs.length === 0) === (from === undefined)) throw new UsageError("give either --capability (one or more) or --from, not both");
  const endpoints = args.all("endpoint").map((uri) => {
    if (!/^wss?:\/\/[^\s/]+\/?[^\s]*$/.test(uri)) throw new UsageError(`--endpoint takes a ws:// or wss:// URL, not ${JSON.stringify(uri)}`);
    return { transport: Transport.WEBSOCKET, uri };
  });
  const name = args.get("name");
  if (from !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(from, "utf8"));
    } catch (e) {
      throw new UsageError(`--from ${from}: ${(e as Error).message}`);
    }
    let d: CapabilityDescriptor;
    try {
      d = fromJson(CapabilityDescriptorSchema, json as JsonValue);
    } catch (e) {
      throw new UsageError(`--from ${from} is not descriptor content in proto3 JSON: ${(e as Error).message}`);
    }
    return { capabilities: d.capabilities, endpoints: [...d.endpoints, ...endpoints], ...(name ?? d.displayName ? { displayName: name ?? d.displayName } : {}) };
  }
  const tiers = (args.get("tiers") ?? "reputation,canary,evidence").split(",").map((t) => {
    const tier = TIERS[t.trim()];
    if (tier === undefined) throw new UsageError(`--tiers takes a list of reputation, canary and evidence, not ${JSON.stringify(t)}`);
    return tier;
  });
  const latency = args.get("latency-ms");
  const capabilities = refs.map((r) => {
    const key = parseCapabilityRef(r);
    if (key === undefined) throw new UsageError(`--capability takes NAMESPACE/ID@MAJOR.MINOR.PATCH (e.g. ap2p.demo/generate@1.0.0), not ${JSON.stringify(r)}`);
    return {
      ...key,
      supportedTiers: tiers,
      ...(args.has("tag") ? { tags: [...args.all("tag")] } : {}),
      ...(latency === undefined ? {} : { constraints: { maxLatencyMs: parseCount(latency, "latency-ms", 0xffff_ffff) } }),
    };
  });
  return { capabilities, endpoints, ...(name === undefined ? {} : { displayName: name }) };
}

function sign(args: ParsedArgs, io: CliIo): number {
  const keyFile = required(args, "key");
  const out = required(args, "out");
  const content = contentOf(args);
  const ttlMs = parseDuration(args.get("ttl") ?? "10m", "ttl");
  const seq = BigInt(parseCount(args.get("seq") ?? "1", "seq"));
  const now = nowOf(args);
  let identity;
  try {
    identity = readKeyFile(keyFile, (w) => io.err(`ap2p descriptor: warning: ${w}\n`));
  } catch (e) {
    if (!(e instanceof KeyFileError)) throw e;
    io.err(`ap2p descriptor sign: ${e.message}\n`);
    return 1;
  }
  let signed;
  try {
    signed = issueDescriptor(identity.secretKey, content, seq, { now, ttlMs, maxTtlMs: MAX_MAX_TTL_MS });
  } catch (e) {
    // The library refuses to sign what a verifier would reject: a usage error, explained by its code.
    if (!isAp2pError(e)) throw e;
    throw new UsageError(`cannot sign this descriptor: ${explanationText(explain(e, DESCRIPTOR_SPEC), "    ")}`);
  }
  try {
    writeFileSync(out, signed.bytes);
  } catch (e) {
    io.err(`ap2p descriptor sign: cannot write ${out}: ${(e as Error).message}\n`);
    return 1;
  }
  const d = signed.descriptor;
  if (args.has("json")) {
    io.out(`${JSON.stringify({ file: out, bytes: signed.bytes.length, peer_id: d.peerId, seq: d.seq.toString(), issued_at: d.issuedAt.toString(), expires_at: d.expiresAt.toString() })}\n`);
  } else {
    io.out(`signed ${out} (${signed.bytes.length} bytes): ${d.peerId} seq ${d.seq}, valid until ${humanTime(d.expiresAt, now)}\n`);
  }
  return 0;
}

// ---------------------------------------------------------------------------
// verify

/** One check of a descriptor and its outcome. */
export interface DescriptorCheck {
  readonly check: "well-formed" | "signature" | "validity";
  readonly ok: boolean;
  readonly error?: Explanation;
}

/** The outcome of verifying a descriptor file. */
export interface DescriptorVerification {
  readonly valid: boolean;
  /** The first defect, in the order of spec/05 §5.7 (DESC-017). */
  readonly error?: Explanation;
  readonly checks: readonly DescriptorCheck[];
  readonly descriptor?: CapabilityDescriptor;
}

/**
 * Verifies descriptor bytes as verifyDescriptor does, and also runs the
 * signature and validity checks independently of each other, so that every
 * failing check is reported. Never throws on the bytes.
 */
export function verifyDescriptorBytes(bytes: Uint8Array, now: bigint, policy: DescriptorPolicy, lastSeq?: bigint): DescriptorVerification {
  const why = (e: Ap2pError): Explanation => explain(e, DESCRIPTOR_SPEC);
  const parsed = parseDescriptor(bytes);
  if (!parsed.ok) {
    const error = why(parsed.error);
    return { valid: false, error, checks: [{ check: "well-formed", ok: false, error }] };
  }
  const signature = toVerdict(() => checkSignatureOrThrow(parsed.value.envelope));
  const validity = toVerdict(() => checkValidityOrThrow(parsed.value.message, now, policy, lastSeq));
  const checks: DescriptorCheck[] = [
    { check: "well-formed", ok: true },
    signature.ok ? { check: "signature", ok: true } : { check: "signature", ok: false, error: why(signature.error) },
    validity.ok ? { check: "validity", ok: true } : { check: "validity", ok: false, error: why(validity.error) },
  ];
  const first = checks.find((c) => !c.ok)?.error;
  return { valid: first === undefined, ...(first === undefined ? {} : { error: first }), checks, descriptor: parsed.value.message };
}

function verificationJson(v: DescriptorVerification): object {
  const d = v.descriptor;
  return {
    valid: v.valid,
    ...(v.error === undefined ? {} : { error: v.error }),
    checks: v.checks,
    ...(d === undefined ? {} : { peer_id: d.peerId, seq: d.seq.toString(), issued_at: d.issuedAt.toString(), expires_at: d.expiresAt.toString(), withdrawn: d.withdrawn }),
  };
}

function loadBytes(path: string | undefined, io: CliIo, sub: string): Uint8Array | undefined {
  if (path === undefined) throw new UsageError(`descriptor ${sub} needs a FILE`);
  try {
    return readDescriptorFile(path);
  } catch (e) {
    io.err(`ap2p descriptor ${sub}: cannot read ${path}: ${(e as Error).message}\n`);
    return undefined;
  }
}

function verify(args: ParsedArgs, io: CliIo): number {
  const bytes = loadBytes(args.positionals[0], io, "verify");
  if (bytes === undefined) return 1;
  const now = nowOf(args);
  const lastSeq = args.has("last-seq") ? BigInt(parseCount(args.get("last-seq")!, "last-seq")) : undefined;
  const v = verifyDescriptorBytes(bytes, now, policyOf(args), lastSeq);
  if (args.has("json")) {
    io.out(`${JSON.stringify(verificationJson(v), null, 2)}\n`);
    return v.valid ? 0 : 1;
  }
  const d = v.descriptor;
  if (v.valid && d !== undefined) {
    io.out(`valid: ${d.withdrawn ? "withdrawal tombstone" : "descriptor"} of ${d.peerId}, seq ${d.seq}, valid until ${humanTime(d.expiresAt, now)}\n`);
    return 0;
  }
  io.out(`rejected: ${explanationText(v.error!)}\n`);
  const more = v.checks.filter((c) => !c.ok && c.error !== v.error);
  for (const c of more) io.out(`also failing (${c.check}): ${explanationText(c.error!)}\n`);
  return 1;
}

// ---------------------------------------------------------------------------
// inspect

const tierNames = (tiers: readonly VerificationTier[]): string => (tiers.length === 0 ? "none listed" : tiers.map((t) => VerificationTier[t] ?? String(t)).join(", "));

/** A readable view of a descriptor. */
export function descriptorText(d: CapabilityDescriptor, now: bigint, signature: string): string {
  const lines = [
    `issuer:     ${d.peerId}`,
    ...(d.displayName ? [`name:       ${d.displayName} (a label, not an identity)`] : []),
    `seq:        ${d.seq}`,
    `issued:     ${humanTime(d.issuedAt, now)}`,
    `expires:    ${humanTime(d.expiresAt, now)} (TTL ${humanDuration(d.expiresAt - d.issuedAt)})`,
    `signature:  ${signature}`,
  ];
  if (d.withdrawn) {
    lines.push("withdrawn:  yes (a tombstone: it retracts every earlier descriptor of the peer)");
    return `${lines.join("\n")}\n`;
  }
  for (const e of d.endpoints) lines.push(`endpoint:   ${e.uri} (${Transport[e.transport] ?? e.transport})`);
  lines.push(`capabilities (${d.capabilities.length}):`);
  for (const c of d.capabilities) {
    lines.push(`  ${capabilityName(c)}`);
    lines.push(`    tiers:        ${tierNames(c.supportedTiers)}`);
    if (c.intents.length > 0) lines.push(`    intents:      ${c.intents.map((i) => JSON.stringify(i)).join(", ")}`);
    if (c.tags.length > 0) lines.push(`    tags:         ${c.tags.join(", ")}`);
    for (const io of c.inputs) lines.push(`    input:        ${io.name} ${io.mediaType || "(any media type)"}${io.optional ? " (optional)" : ""}`);
    for (const io of c.outputs) lines.push(`    output:       ${io.name} ${io.mediaType || "(any media type)"}`);
    const k = c.constraints;
    if (k !== undefined) {
      if (k.maxLatencyMs !== undefined) lines.push(`    latency:      at most ${k.maxLatencyMs} ms`);
      if (k.price !== undefined) lines.push(`    price:        ${k.price.amountMicros} micro-${k.price.currency} per ${(PriceUnit[k.price.unit] ?? "?").toLowerCase().replace(/_/g, " ")}`);
      if (k.regions.length > 0) lines.push(`    regions:      ${k.regions.join(", ")}`);
      if (k.onDevice) lines.push("    on device:    yes");
      for (const w of k.availability) lines.push(`    available:    weekdays mask ${w.weekdays.toString(2).padStart(7, "0")}, minutes ${w.startMinute}..${w.endMinute} UTC`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function inspect(args: ParsedArgs, io: CliIo): number {
  const bytes = loadBytes(args.positionals[0], io, "inspect");
  if (bytes === undefined) return 1;
  const now = nowOf(args);
  const v = verifyDescriptorBytes(bytes, now, policyOf(args));
  const d = v.descriptor;
  if (args.has("json")) {
    io.out(`${JSON.stringify({ ...verificationJson(v), ...(d === undefined ? {} : { descriptor: toJson(CapabilityDescriptorSchema, d) }) }, null, 2)}\n`);
    return d === undefined ? 1 : 0;
  }
  if (d === undefined) {
    io.out(`not a well-formed descriptor: ${explanationText(v.error!)}\n`);
    return 1;
  }
  const sig = v.checks.find((c) => c.check === "signature")!;
  const validity = v.checks.find((c) => c.check === "validity")!;
  const status = sig.ok ? "verifies" : `does not verify: ${sig.error!.code}`;
  io.out(descriptorText(d, now, status));
  io.out(validity.ok ? "validity:   valid now\n" : `validity:   ${validity.error!.code}: ${validity.error!.message}\n`);
  return 0;
}

/** Runs `ap2p descriptor ...`; returns the exit status. */
export function runDescriptorCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return withUsage(io, "ap2p descriptor", DESCRIPTOR_HELP, () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.out(DESCRIPTOR_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(DESCRIPTOR_HELP);
      return 0;
    }
    if (sub === "sign") {
      const spec = { key: true, capability: true, tiers: true, "latency-ms": true, tag: true, from: true, endpoint: true, name: true, ttl: true, seq: true, now: true, out: true, json: false };
      return sign(parseArgs(rest, spec), io);
    }
    const checkSpec = { now: true, "last-seq": true, "max-ttl": true, skew: true, json: false };
    if (sub === "verify") return verify(parseArgs(rest, checkSpec, 1), io);
    if (sub === "inspect") return inspect(parseArgs(rest, checkSpec, 1), io);
    throw new UsageError(`unknown command "${sub}"`);
  });
}
