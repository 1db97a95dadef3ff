// A stand-in implementation for a node the harness did not start
// (`ap2p conformance --wire URL --wire-peer DID`): it speaks the driver
// protocol in process and declares one operation, the listen operation of
// the node's role, which it answers with the URL and did:key it was given.
// The wire cases (spec §13.11) then run against the node exactly as against
// a node a driver opened. A listen call that asks for limits is answered
// `skipped` (DRV-011): nobody can set the limits of a running node from here.
import { create, fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { DriverRequestSchema, DriverResponseSchema, DriverRole, type DriverResponse } from "../../gen/ts/ap2p/v1/driver_pb.js";
import { canonicalEndpoint } from "../../reference/src/net/handshake.js";
import { StartFailure, type Launcher, type Transport, type TransportEvents } from "./transport.js";
import { DRIVER_PROTOCOL_VERSION } from "./version.js";

/** A running node's endpoint, as the user names it. */
export interface WireTarget {
  readonly url: string;
  /** The did:key the node must prove in its handshake. */
  readonly peerId: string;
  readonly role: "registry" | "provider";
}

const PEER_ID = /^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$/;

/** Why a target cannot be used, or undefined if it can. */
export function checkWireTarget(t: WireTarget): string | undefined {
  const endpoint = canonicalEndpoint(t.url);
  if (endpoint === undefined || !endpoint.startsWith("ws:")) return `--wire ${t.url}: expected a ws: URL without user information or fragment (wss: is not supported yet)`;
  if (!PEER_ID.test(t.peerId)) return `--wire-peer ${t.peerId}: expected an Ed25519 did:key (did:key:z6Mk…)`;
  if (t.role !== "registry" && t.role !== "provider") return `--wire-role ${String(t.role)}: expected registry or provider`;
  return undefined;
}

/** The stand-in's answer to one request. */
function answer(t: WireTarget, text: string): DriverResponse {
  const request = fromJsonString(DriverRequestSchema, text);
  const id = request.id;
  const body = request.body;
  switch (body.case) {
    case "hello":
      return create(DriverResponseSchema, {
        id,
        result: {
          case: "hello",
          value: {
            driverProtocolVersion: DRIVER_PROTOCOL_VERSION,
            implementationName: `${t.role} node at ${t.url}`.slice(0, 64),
            implementationVersion: "",
            roles: [t.role === "registry" ? DriverRole.REGISTRY : DriverRole.PROVIDER],
            operations: [`${t.role}-node.listen`],
          },
        },
      });
    case "call": {
      if (body.value.operation !== `${t.role}-node.listen`) return create(DriverResponseSchema, { id, result: { case: "unsupported", value: { reason: "a running node offers its endpoint only" } } });
      const inputs = body.value.inputsJson === "" ? {} : (JSON.parse(body.value.inputsJson) as object);
      if (Object.keys(inputs).length > 0) {
        return create(DriverResponseSchema, { id, result: { case: "skipped", value: { reason: `the harness cannot set ${Object.keys(inputs).join(", ")} on a node it did not start` } } });
      }
      return create(DriverResponseSchema, { id, result: { case: "ok", value: { outputJson: JSON.stringify({ url: t.url, peer_id: t.peerId }) } } });
    }
    case "clock":
    case "shutdown":
      return create(DriverResponseSchema, { id, result: { case: "ok", value: { outputJson: "{}" } } });
    default:
      return create(DriverResponseSchema, { id, result: { case: "error", value: { code: "INVALID_ARGUMENT", message: `a running node does not answer ${body.case ?? "an empty request"}` } } });
  }
}

/** A launcher whose sessions are answered by the stand-in. */
export function wireLauncher(target: WireTarget): Launcher {
  const problem = checkWireTarget(target);
  return {
    transport: "ws",
    target: target.url,
    open: (events: TransportEvents): Promise<Transport> => {
      if (problem !== undefined) return Promise.reject(new StartFailure("crash", problem));
      let ended = false;
      const transport: Transport = {
        send: (text) => {
          // Answers arrive asynchronously, as from any transport.
          setImmediate(() => {
            if (!ended) events.message(toJsonString(DriverResponseSchema, answer(target, text)));
          });
        },
        terminate: async () => {
          ended = true;
        },
        close: async () => {
          ended = true;
          return undefined;
        },
        stderrTail: () => "",
      };
      return Promise.resolve(transport);
    },
  };
}
