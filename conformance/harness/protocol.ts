// The driver protocol's messages on the wire (schemas/proto/ap2p/v1/driver.proto):
// DriverRequest out, DriverResponse in, each in the proto3 JSON mapping. The
// decoding is strict on purpose: anything that is not exactly a
// DriverResponse is a framing error, quoted in the report, because an
// implementation that prints a banner or a log line to its protocol channel
// would corrupt a real peer's stream just the same.
import { create, fromJson, toJsonString, type JsonValue } from "@bufbuild/protobuf";
import {
  DriverRequestSchema,
  DriverResponseSchema,
  DriverRole,
  DriverRoleSchema,
  type DriverRequest,
  type DriverResponse,
} from "../../gen/ts/ap2p/v1/driver_pb.js";
import { capText } from "./text.js";

/** The body of a request, as the generated type has it. */
export type RequestBody = DriverRequest["body"];

/** A request on the wire. */
export function encodeRequest(id: bigint, body: RequestBody): string {
  return toJsonString(DriverRequestSchema, create(DriverRequestSchema, { id, body }));
}

/** How much of an offending line a framing error quotes. */
export const FRAMING_QUOTE_BYTES = 200;

/** Quotes what the implementation printed, capped, with control characters made visible. */
export function quote(text: string, max: number = FRAMING_QUOTE_BYTES): string {
  return JSON.stringify(capText(text, max));
}

/** A response, or why the text is not one. */
export type Decoded = { readonly response: DriverResponse } | { readonly framing: string };

/** Decodes one message from the implementation. */
export function decodeResponse(text: string): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { framing: `not JSON: ${quote(text)}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { framing: `JSON, but not a DriverResponse object: ${quote(text)}` };
  let response: DriverResponse;
  try {
    response = fromJson(DriverResponseSchema, json as JsonValue);
  } catch (e) {
    return { framing: `not a DriverResponse (${(e as Error).message}): ${quote(text)}` };
  }
  if (response.id === 0n) return { framing: `a DriverResponse without an id: ${quote(text)}` };
  if (response.result.case === undefined) return { framing: `a DriverResponse without a result: ${quote(text)}` };
  return { response };
}

/** A role's short name ("codec" for DRIVER_ROLE_CODEC). */
export function roleName(role: DriverRole): string {
  const value = DriverRoleSchema.values.find((v) => v.number === role);
  return value === undefined ? `role-${role}` : value.name.replace(/^DRIVER_ROLE_/, "").toLowerCase();
}
