// An in-process provider agent: publishes its descriptor, answers canaries and
// runs tasks with evidence, using the reference pieces of §5, §8 and §9. The
// networked node, the demo, the simulator and the tests all drive this one
// class; dishonest behaviours are switches on it, so every attack in a test or
// a demo is the same code.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { CapabilitySchema, Transport, VerificationTier, type Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { PlatformAttestation } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import type { EvidencePackage } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskResultSchema, TaskStatus } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { parseChallenge } from "../canary/challenge.js";
import { answerCanary } from "../canary/response.js";
import type { CanaryContent } from "../canary/oracle.js";
import { sha256Bytes } from "../codec/hash.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { issueDescriptor, refreshDescriptor, type SignedDescriptor } from "../descriptor/issue.js";
import type { Verdict } from "../errors.js";
import type { Tool } from "../evidence/runner.js";
import { signMessage } from "../signed/signed-message.js";
import { executeTask } from "../task/execute.js";
import { TaskReplayGuard } from "../task/replay.js";

/** A provider's answer to a task request: the signed result, and the output when it is detached. */
export interface TaskReply {
  readonly result: Uint8Array;
  readonly output?: Uint8Array;
}

/** How a provider behaves. Everything but "honest" is an attack the tiers should catch (§10.1). */
export type ProviderBehaviour =
  /** Does what it advertises. */
  | "honest"
  /** Advertises a capability it lacks: answers canaries and tasks with made-up output. Tier 2 catches it. */
  | "lacks-capability"
  /** Fails canaries (wrong output) but does real tasks: an unreliable provider. Tier 2 catches it. */
  | "fails-canaries"
  /** Passes canaries, but returns a made-up output with evidence copied from an earlier task. Tier 3 catches it. */
  | "forges-evidence"
  /** Never answers. Deadlines catch it. */
  | "silent";

/** One capability a provider offers: how it is described, and the tools that do it. */
export interface OfferedCapability {
  /** The capability as the descriptor lists it (namespace, id, version, tiers, constraints...). */
  readonly capability: MessageInitShape<typeof CapabilitySchema>;
  /** The tools run, in order, for a task (§9.5). */
  readonly tools: readonly Tool[];
  /** The capability's honest answer to a canary input. */
  readonly compute: (input: Uint8Array) => CanaryContent;
}

/** Options of a provider agent. */
export interface ProviderAgentOptions {
  readonly secretKey: Uint8Array;
  readonly offers: readonly OfferedCapability[];
  readonly behaviour?: ProviderBehaviour;
  /** The provider's clock, milliseconds since the Unix epoch. */
  readonly clock: () => bigint;
  /** Where the provider can be reached (for its descriptor). */
  readonly endpoint?: string;
  readonly displayName?: string;
  /** Produces a platform attestation for a task, when the platform can (EVD-015). */
  readonly attest?: (binding: { readonly nonce: Uint8Array; readonly provider: string; readonly requestHash: Uint8Array; readonly formats: readonly string[] }) => PlatformAttestation | undefined;
}

/** A provider agent. */
export class ProviderAgent {
  readonly peerId: string;
  readonly behaviour: ProviderBehaviour;
  private readonly offered: Capability[];
  private readonly replay = new TaskReplayGuard();
  private current: SignedDescriptor | undefined;
  /** The forger's stash: the evidence of an earlier task, reused instead of doing the work. */
  private stash: EvidencePackage | undefined;

  constructor(private readonly options: ProviderAgentOptions) {
    this.peerId = didFromPublicKey(publicKeyFromSecret(options.secretKey));
    this.behaviour = options.behaviour ?? "honest";
    this.offered = options.offers.map((o) => create(CapabilitySchema, o.capability));
  }

  /** Issues the first descriptor, or refreshes the current one with seq + 1 (DESC-015). */
  publish(ttlMs: bigint): SignedDescriptor {
    const now = this.options.clock();
    this.current = this.current
      ? refreshDescriptor(this.options.secretKey, this.current.descriptor, { now, ttlMs })
      : issueDescriptor(
          this.options.secretKey,
          {
            capabilities: this.options.offers.map((o) => o.capability),
            ...(this.options.endpoint ? { endpoints: [{ transport: Transport.WEBSOCKET, uri: this.options.endpoint }] } : {}),
            ...(this.options.displayName ? { displayName: this.options.displayName } : {}),
          },
          1n,
          { now, ttlMs },
        );
    return this.current;
  }

  /**
   * Answers a canary challenge (§8.5): the signed response, or the code the
   * provider refuses the challenge with; undefined when it does not answer at all.
   */
  answerCanary(challengeBytes: Uint8Array): Verdict<Uint8Array> | undefined {
    if (this.behaviour === "silent") return undefined;
    const now = this.options.clock();
    // Peek at the input to compute the answer; answerCanary then checks the challenge itself (CAN-006 to CAN-009).
    const parsed = parseChallenge(challengeBytes);
    if (!parsed.ok) return parsed;
    const { capability: c, input } = parsed.value.message;
    const offer = this.options.offers.find((o) => o.capability.namespace === c?.namespace && o.capability.id === c?.id && o.capability.version === c?.version);
    const lying = this.behaviour === "lacks-capability" || this.behaviour === "fails-canaries" || offer === undefined;
    const output = lying ? { bytes: new TextEncoder().encode("made-up answer"), mediaType: "application/octet-stream" } : offer.compute(input);
    const answer = answerCanary(this.options.secretKey, challengeBytes, output, now, { offered: this.offered });
    return answer.ok ? { ok: true, value: answer.value.bytes } : answer;
  }

  /**
   * Runs a task request (§9.4–§9.6): the signed result (and the output when it
   * is detached), or the code the provider refuses the request with; undefined
   * when it does not answer at all.
   */
  async handleTask(requestBytes: Uint8Array, input?: Uint8Array): Promise<Verdict<TaskReply> | undefined> {
    if (this.behaviour === "silent") return undefined;
    const now = this.options.clock();
    // TASK-008 to TASK-011, TIER-002: checked, and remembered against replay.
    const checked = this.replay.accept(requestBytes, { now, provider: this.peerId, offered: this.offered, ...(input ? { input } : {}) });
    if (!checked.ok) return checked;
    const request = checked.value;
    const cap = request.message.capability!;
    const offer = this.options.offers.find((o) => o.capability.namespace === cap.namespace && o.capability.id === cap.id && o.capability.version === cap.version);
    const tools =
      this.behaviour === "lacks-capability" || offer === undefined
        ? [{ id: "ap2p.tool/guess@1", run: () => new TextEncoder().encode("made-up output") }]
        : offer.tools;

    if (this.behaviour === "forges-evidence" && (this.stash !== undefined || request.message.requiredTier !== VerificationTier.EVIDENCE)) {
      // Skip the work and claim an output; where evidence is required, present the evidence of an earlier task.
      const made = new TextEncoder().encode("made-up output");
      const result = create(TaskResultSchema, {
        requestHash: request.hash,
        provider: this.peerId,
        status: TaskStatus.COMPLETED,
        outputHash: sha256Bytes(made),
        output: made,
        completedAt: this.options.clock(),
        ...(request.message.requiredTier === VerificationTier.EVIDENCE ? { evidence: this.stash } : {}),
      });
      return { ok: true, value: { result: signMessage(TaskResultSchema, result, this.options.secretKey) } };
    }
    const signed = await executeTask(this.options.secretKey, request, tools, {
      clock: this.options.clock,
      ...(this.options.attest ? { attest: this.options.attest } : {}),
    });
    if (this.behaviour === "forges-evidence" && signed.result.evidence !== undefined) this.stash = signed.result.evidence;
    return { ok: true, value: { result: signed.bytes, ...(signed.detachedOutput ? { output: signed.detachedOutput } : {}) } };
  }
}
