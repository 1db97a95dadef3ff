// Integer ranges and defaults of protobuf scalar types, as the CBOR mapping
// needs them (spec/03-data-model.md §3.4). Floating-point types have no place
// in AP2P (ENC-006): a schema that uses them is rejected by a test.
import { ScalarType } from "@bufbuild/protobuf";

/** Inclusive integer range of each protobuf integer scalar type. */
export function integerRange(t: ScalarType): readonly [bigint, bigint] | undefined {
  switch (t) {
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return [-(2n ** 31n), 2n ** 31n - 1n];
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return [0n, 2n ** 32n - 1n];
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return [-(2n ** 63n), 2n ** 63n - 1n];
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return [0n, 2n ** 64n - 1n];
    default:
      return undefined;
  }
}

/** True for the 64-bit integer types, which protobuf-es represents as bigint. */
export function is64Bit(t: ScalarType): boolean {
  return t === ScalarType.INT64 || t === ScalarType.UINT64 || t === ScalarType.SINT64 || t === ScalarType.FIXED64 || t === ScalarType.SFIXED64;
}

/** The protobuf type name, for messages. */
export function scalarName(t: ScalarType): string {
  return ScalarType[t].toLowerCase();
}
