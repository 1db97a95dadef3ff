// The harness's identity, as it introduces itself in DriverHello and as the
// reports name it.

/** The harness's name. */
export const HARNESS_NAME = "ap2p-conformance";
/** The harness's version; changes when what it checks or how it reports changes. */
export const HARNESS_VERSION = "0.1.0";
/** The driver protocol version this harness speaks (schemas/proto/ap2p/v1/driver.proto). */
export const DRIVER_PROTOCOL_VERSION = 1;
/** The format identifier written into report.json. */
export const REPORT_FORMAT = "ap2p-conformance-report-v1";
