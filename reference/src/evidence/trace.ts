// The execution trace of an evidence package (spec/09-tasks-and-evidence.md
// §9.7): a time-ordered list of short events, kept for audit. The provider
// keeps each event's detail and commits to it by hash, so it can disclose the
// detail in a dispute without putting it in the result.
import { create } from "@bufbuild/protobuf";
import { TraceEventSchema, type TraceEvent } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { misuse } from "../errors.js";
import { sha256Bytes } from "../codec/hash.js";
import { checkRules } from "../codec/rules.js";

/** Most events in one trace (the max_items of EvidencePackage.trace). */
export const MAX_TRACE_EVENTS = 64;

/** Records trace events at the times a clock gives, in order. */
export class TraceRecorder {
  private readonly recorded: TraceEvent[] = [];

  constructor(private readonly clock: () => bigint) {
    if (typeof clock !== "function") misuse("clock must be a function");
  }

  /** Records one event now. `detail` is hashed (EVD-014), never stored in the trace. */
  record(kind: string, options: { readonly text?: string; readonly detail?: Uint8Array } = {}): TraceEvent {
    if (this.recorded.length >= MAX_TRACE_EVENTS) misuse(`a trace holds at most ${MAX_TRACE_EVENTS} events`);
    const at = this.clock();
    const last = this.recorded.at(-1);
    if (last !== undefined && at < last.at) misuse("the clock went backwards; trace events must be in time order (EVD-011)");
    const event = create(TraceEventSchema, {
      at,
      kind,
      text: options.text ?? "",
      detailHash: options.detail === undefined ? new Uint8Array(0) : sha256Bytes(options.detail),
    });
    checkRules(TraceEventSchema, event);
    this.recorded.push(event);
    return event;
  }

  /** The events so far, in order. */
  get events(): readonly TraceEvent[] {
    return this.recorded;
  }
}
