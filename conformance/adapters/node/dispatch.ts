// The node adapter's side of the driver protocol (spec/13-conformance.md):
// the reference dispatcher, with the artifact operations of the test-vector
// corpus unchanged and the node operations (registry, provider, delegator)
// replaced by ones that run through real nodes over loopback connections
// (nodes.ts). The nodes of a session stop when it ends.
import { createDispatcher, type Dispatcher, type Handler } from "../reference/dispatch.js";
import { REFERENCE_OPERATIONS } from "../../../vectors/runner/reference-operations.js";
import { networkNodeOperations } from "./nodes.js";

/** A dispatcher whose nodes can be stopped. */
export interface NodeDispatcher extends Dispatcher {
  /** Stops the session's nodes; also done when the session's shutdown is answered. */
  close(): Promise<void>;
}

/** Creates the node adapter's dispatcher for one session. */
export function createNodeDispatcher(options: { readonly log?: (text: string) => void } = {}): NodeDispatcher {
  let dispatcher: Dispatcher | undefined;
  const nodes = networkNodeOperations(() => dispatcher?.clock());
  dispatcher = createDispatcher({
    operations: { ...REFERENCE_OPERATIONS, ...nodes.operations },
    name: "ap2p-node",
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const inner = dispatcher;
  const handle: Handler = async (request, emit) => {
    // DRV-012: the session ends with shutdown; its nodes end before the answer, so nothing outlives it.
    if (request.body.case === "shutdown") await nodes.close();
    return inner.handle(request, emit);
  };
  return { handle, clock: inner.clock, close: nodes.close };
}
