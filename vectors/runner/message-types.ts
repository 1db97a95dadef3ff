// The message kinds the vector operations can name (shared.type of
// message.decode, message.encode and message.hash). One line per generated
// schema file: a file whose messages get vectors is added here.
import { createRegistry, type DescFile, type DescMessage } from "@bufbuild/protobuf";
import { file_ap2p_v1_descriptor } from "../../gen/ts/ap2p/v1/descriptor_pb.js";
import { file_ap2p_v1_driver } from "../../gen/ts/ap2p/v1/driver_pb.js";
import { file_ap2p_v1_signing } from "../../gen/ts/ap2p/v1/signing_pb.js";
import { file_ap2p_v1_vectors } from "../../gen/ts/ap2p/v1/vectors_pb.js";

/** The schema files whose messages the vectors use. */
export const MESSAGE_FILES: readonly DescFile[] = [file_ap2p_v1_descriptor, file_ap2p_v1_signing, file_ap2p_v1_vectors, file_ap2p_v1_driver];

const registry = createRegistry(...MESSAGE_FILES);

/** The message descriptor of a full proto name ("ap2p.v1.CapabilityDescriptor"), or undefined. */
export function messageType(typeName: string): DescMessage | undefined {
  return registry.getMessage(typeName);
}
