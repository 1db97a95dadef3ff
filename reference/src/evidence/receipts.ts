// Tool receipts and their hash chain (spec/09-tasks-and-evidence.md §9.6).
// Each receipt is a signed, subject-by-digest statement about one tool step;
// the chain links every receipt to the one before it, and the first to the
// request, by message hash (ENC-020: the payload, not the COSE_Sign1 bytes).
import { create } from "@bufbuild/protobuf";
import { ToolReceiptSchema, type ToolReceipt } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { misuse } from "../errors.js";
import { HASH_LENGTH, messageHash } from "../codec/hash.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { signMessage } from "../signed/signed-message.js";
import { bytesEqual } from "../bytes.js";

/** Most receipts in one evidence package (the max_items of EvidencePackage.receipts). */
export const MAX_RECEIPTS = 32;

/** One tool step as the executor observed it. */
export interface ToolStep {
  /** The tool, as "<namespace>/<name>@<version>". */
  readonly tool: string;
  /** SHA-256 of the bytes the tool received. */
  readonly inputHash: Uint8Array;
  /** SHA-256 of the bytes the tool produced. */
  readonly outputHash: Uint8Array;
  /** Start time, milliseconds since the Unix epoch. */
  readonly startedAt: bigint;
  /** End time, milliseconds since the Unix epoch. */
  readonly endedAt: bigint;
}

/** A receipt, its COSE_Sign1 bytes and its message hash (the next receipt's prev_hash). */
export interface SignedReceipt {
  readonly receipt: ToolReceipt;
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
}

/** Signs one receipt at a given position of a chain (EVD-005). Prefer ReceiptChain, which computes index and prev_hash. */
export function signReceipt(secretKey: Uint8Array, step: ToolStep, index: number, prevHash: Uint8Array): SignedReceipt {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_RECEIPTS) misuse(`index must be within 0..${MAX_RECEIPTS - 1}`);
  if (prevHash.length !== HASH_LENGTH) misuse(`prev_hash must be ${HASH_LENGTH} bytes`);
  if (step.endedAt < step.startedAt) misuse("a tool step cannot end before it starts (EVD-011)");
  const receipt = create(ToolReceiptSchema, {
    executor: didFromPublicKey(publicKeyFromSecret(secretKey)),
    index,
    prevHash,
    tool: step.tool,
    inputHash: step.inputHash,
    outputHash: step.outputHash,
    startedAt: step.startedAt,
    endedAt: step.endedAt,
  });
  return { receipt, bytes: signMessage(ToolReceiptSchema, receipt, secretKey), hash: messageHash(ToolReceiptSchema, receipt) };
}

/** Where a chain starts: the request it answers (EVD-008, EVD-009). */
export interface ChainAnchor {
  /** The request's message hash: the first receipt's prev_hash. */
  readonly requestHash: Uint8Array;
  /** The request's input_hash: the first receipt's input_hash. */
  readonly inputHash: Uint8Array;
}

/**
 * Builds a linear receipt chain as a provider runs tool steps: each step's
 * input is the previous step's output (the request's input for the first),
 * each receipt links to the previous one, and steps do not overlap in time.
 */
export class ReceiptChain {
  private readonly signed: SignedReceipt[] = [];

  constructor(
    private readonly secretKey: Uint8Array,
    private readonly anchor: ChainAnchor,
  ) {
    if (anchor.requestHash.length !== HASH_LENGTH || anchor.inputHash.length !== HASH_LENGTH) misuse(`anchor hashes must be ${HASH_LENGTH} bytes`);
  }

  /** Signs the receipt of the next step. Throws INVALID_ARGUMENT if the step does not continue the chain. */
  append(step: ToolStep): SignedReceipt {
    const last = this.signed.at(-1);
    // EVD-009: data flows from the request's input through every step.
    if (!bytesEqual(step.inputHash, this.productHash)) misuse("a step's input must be the previous step's output (the request's input for the first)");
    // EVD-011: steps run one after another.
    if (last !== undefined && step.startedAt < last.receipt.endedAt) misuse("a step cannot start before the previous one ends (EVD-011)");
    if (this.signed.length >= MAX_RECEIPTS) misuse(`a chain holds at most ${MAX_RECEIPTS} receipts`);
    const next = signReceipt(this.secretKey, step, this.signed.length, last?.hash ?? this.anchor.requestHash);
    this.signed.push(next);
    return next;
  }

  /** The receipts so far, in chain order. */
  get receipts(): readonly SignedReceipt[] {
    return this.signed;
  }

  /** The hash of the current product: the last step's output, or the request's input before any step. */
  get productHash(): Uint8Array {
    return this.signed.at(-1)?.receipt.outputHash ?? this.anchor.inputHash;
  }

  /** When the last step ended, if any step has run. */
  get lastEndedAt(): bigint | undefined {
    return this.signed.at(-1)?.receipt.endedAt;
  }
}
