// The AP2P reference implementation: public API. Everything exported here is
// documented in spec/ and covered by tests; anything not exported is internal.

// Errors and verdicts (spec/11-errors.md)
export { Ap2pError, ErrorCode, accept, isAp2pError, isErrorCodeName, reject, toVerdict } from "./errors.js";
export type { ErrorCodeName, Verdict } from "./errors.js";

// Canonical CBOR (spec/03-data-model.md)
export { encodeCanonical, compareBytes } from "./cbor/encode.js";
export { decodeCanonical, MESSAGE_PROFILE } from "./cbor/decode.js";
export { toDiagnostic } from "./cbor/diagnostic.js";
export { CborTag, DEFAULT_LIMITS } from "./cbor/value.js";
export type { CborLimits, CborMap, CborValue, MapKeyKind } from "./cbor/value.js";
export type { ScanProfile } from "./cbor/scan.js";
export { encodeMessage, decodeMessage } from "./codec/message-codec.js";
export { messageToCbor } from "./codec/to-cbor.js";
export { messageFromCbor } from "./codec/from-cbor.js";
export { checkRules } from "./codec/rules.js";
export { HASH_LENGTH, messageHash, sha256Bytes } from "./codec/hash.js";

// Identity and signing (spec/04-identity-and-signing.md)
export { checkPublicKey, ed25519Backends, generateSecretKey, publicKeyFromSecret, signEd25519, verifyEd25519 } from "./crypto/ed25519.js";
export type { Ed25519Backend, Ed25519Options } from "./crypto/ed25519.js";
export { didFromPublicKey, parseDidKey } from "./crypto/did-key.js";
export { ALG_EDDSA, COSE_SIGN1_TAG, encodeProtectedHeader, parseSign1, sigStructure, signSign1, verifySign1 } from "./cose/sign1.js";
export type { ParsedSign1 } from "./cose/sign1.js";
export { contentTypeOf, parseSignedMessage, signMessage, verifySignedMessage } from "./signed/signed-message.js";
export type { SignedMessage } from "./signed/signed-message.js";

// Capability descriptors (spec/05-descriptors.md)
export { issueDescriptor, refreshDescriptor, withdrawDescriptor } from "./descriptor/issue.js";
export type { DescriptorContent, IssueTiming, SignedDescriptor } from "./descriptor/issue.js";
export { parseDescriptor, verifyDescriptor } from "./descriptor/verify.js";
export type { VerifiedDescriptor, VerifyContext } from "./descriptor/verify.js";
export { DescriptorStore } from "./descriptor/store.js";
export type { StoreChange } from "./descriptor/store.js";
export { DEFAULT_CLOCK_SKEW_MS, DEFAULT_MAX_TTL_MS, DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS } from "./descriptor/policy.js";
export type { DescriptorPolicy } from "./descriptor/policy.js";

// Discovery (spec/06-discovery.md)
export { Registry } from "./discovery/registry.js";
export type { PublishOutcome, QueryOutcome, RankedMatch, SweepOutcome } from "./discovery/registry.js";
export { signRegistryAnswer, verifyRegistryAnswer } from "./discovery/answer.js";
export type { AnswerContent, AnswerContext as RegistryAnswerContext, AnswerResult, VerifiedAnswer, VerifiedResult } from "./discovery/answer.js";
export { compileQuery, parseQuery } from "./discovery/query.js";
export type { CompiledQuery } from "./discovery/query.js";
export type { CapabilityFacts } from "./discovery/match.js";
export { capabilityFacts, idMatches, intentScore, isAvailableAt, matchCapability, versionMatches } from "./discovery/match.js";
export { compareKeys, sortKey } from "./discovery/rank.js";
export type { SortKey } from "./discovery/rank.js";
export { tokenize, tokenizeAll } from "./discovery/tokens.js";
export { DEFAULT_ANSWER_POLICY, DEFAULT_REGISTRY_POLICY, MAX_ANSWER_FRESHNESS_MS, registryPolicy } from "./discovery/policy.js";
export type { AnswerPolicy, RegistryPolicy } from "./discovery/policy.js";
export { handlePublish, handleQuery } from "./discovery/wire.js";
export { TokenBucket } from "./discovery/limits.js";
export type { BucketRule } from "./discovery/limits.js";

// Tier 1: reputation (spec/07-reputation.md)
export { attestCanaryFailure, attestTask, isPositiveOutcome, issueAttestation, parseAttestation, verifyAttestation } from "./reputation/attestation.js";
export type { AttestationContent, AttestationContext as OutcomeAttestationContext, SignedAttestation, VerifiedAttestation } from "./reputation/attestation.js";
export { betaScore, computeReputation, priorScore, reputationOf } from "./reputation/score.js";
export type { ProviderReputation } from "./reputation/score.js";
export { OwnReputationLedger } from "./reputation/ledger.js";
export type { PairEvidence } from "./reputation/evidence.js";
export type { CapabilityScope } from "./reputation/evidence.js";
export { DEFAULT_REPUTATION_PARAMS, PPM } from "./reputation/params.js";
export type { ReputationParams } from "./reputation/params.js";
export { decayWeight } from "./reputation/decay.js";

// Tier 2: canaries and fallback (spec/08-canaries.md)
export { issueChallenge, parseChallenge, verifyChallenge } from "./canary/challenge.js";
export type { CapabilityKey, ChallengeContext, ChallengeParams, IssuedChallenge, ReceivedChallenge } from "./canary/challenge.js";
export { answerCanary, parseCanaryResponse, verifyCanaryResponse } from "./canary/response.js";
export type { AnswerContext as CanaryAnswerContext, ResponseExpectation, SignedCanaryResponse, VerifiedCanaryResponse } from "./canary/response.js";
export { CanaryVerifier } from "./canary/verifier.js";
export type { CanaryVerifierOptions, TimedOutChallenge } from "./canary/verifier.js";
export { failureMemory, nextCandidate, recordAttempt, runFallback, runFallbackAsync } from "./canary/fallback.js";
export type { AttemptOutcome, FallbackAttempt, FallbackOptions, FallbackPlan, FallbackResult, FallbackStep } from "./canary/fallback.js";
export { checkCanaryOutput, checkedOutput, expectedOutput, judgeOutput } from "./canary/oracle.js";
export type { CanaryContent, CanaryOracle } from "./canary/oracle.js";
export { FACTOR_TEST_CAPABILITY, REVERSE_TEST_CAPABILITY, SHA256_TEST_CAPABILITY, TEST_CAPABILITIES, testCapability } from "./canary/oracles.js";
export type { TestCapability } from "./canary/oracles.js";
export { minimumCanaryRatePpm } from "./canary/rate.js";
export type { CanaryRateInputs } from "./canary/rate.js";

// Tier 3: tasks and evidence (spec/09-tasks-and-evidence.md)
export { issueTaskRequest } from "./task/issue-request.js";
export type { SignedTaskRequest, TaskRequestContent, TaskRequestTiming } from "./task/issue-request.js";
export { parseTaskRequest, verifyTaskRequest } from "./task/verify-request.js";
export type { TaskRequestContext, VerifiedTaskRequest } from "./task/verify-request.js";
export { parseTaskResult, verifyTaskResult } from "./task/verify-result.js";
export type { TaskResultContext, VerifiedTaskResult } from "./task/verify-result.js";
export { buildTaskResult } from "./task/build-result.js";
export type { SignedTaskResult, TaskOutcome } from "./task/build-result.js";
export { executeTask } from "./task/execute.js";
export type { ExecuteOptions } from "./task/execute.js";
export { TaskReplayGuard } from "./task/replay.js";
export { DEFAULT_TASK_POLICY } from "./task/policy.js";
export type { TaskPolicy } from "./task/policy.js";
export { checkDetachedInput, checkDetachedOutput } from "./task/payload.js";
export { ReceiptChain, signReceipt } from "./evidence/receipts.js";
export type { ChainAnchor, SignedReceipt, ToolStep } from "./evidence/receipts.js";
export { TraceRecorder } from "./evidence/trace.js";
export { runToolChain } from "./evidence/runner.js";
export type { Tool, ToolChainOutcome } from "./evidence/runner.js";
export { buildEvidencePackage } from "./evidence/package.js";
export type { EvidenceContent } from "./evidence/package.js";
export { verifyEvidencePackage } from "./evidence/verify.js";
export type { EvidenceCheckContext, UnknownAttestationPolicy, VerifiedEvidence } from "./evidence/verify.js";
export { attestationChallenge, attestationRegistry, NO_ATTESTATION_VERIFIERS } from "./evidence/attestation/verifier.js";
export type { AttestationAppraisal, AttestationContext as PlatformAttestationContext, AttestationRegistry, AttestationVerifier } from "./evidence/attestation/verifier.js";
export { issueTestAttestation, TEST_ATTESTATION_FORMAT, TEST_ATTESTATION_ROOT_DID, testAttestationVerifier } from "./evidence/attestation/test-format.js";

// Tier negotiation, risk policy and delegation (spec/10-delegation.md)
export { checkRiskPolicy, DEFAULT_RISK_POLICY, defaultRisk, levelOf, tiersRequiredFor } from "./delegation/policy.js";
export { compareCandidates, rankCandidates, screenCandidate } from "./delegation/rank.js";
export type { RankCandidate } from "./delegation/rank.js";
export { canariesOf, delegate } from "./delegation/delegate.js";
export type { CanarySource, DelegationOutcome, DelegationTask, Delegator, DelegatorTransport } from "./delegation/delegate.js";
export { ProviderAgent } from "./agent/provider.js";
export type { OfferedCapability, ProviderAgentOptions, ProviderBehaviour, TaskReply } from "./agent/provider.js";

// Connectivity: the WebSocket binding, handshake, frames and limits (spec/14-connectivity.md)
export { connect, DEFAULT_LIMITS as DEFAULT_NET_LIMITS, listen, MAX_FRAME_BYTES, PROTOCOL_VERSION, resolveLimits as resolveNetLimits, SUBPROTOCOL } from "./net/index.js";
export type { ConnectOptions, ListenOptions, NetEvent, NetLimits, NodeRole, NodeServer, PeerClient, PeerInfo, ServiceHandlers, TaskAnswer } from "./net/index.js";

// The networked node: registry and agent services, a delegator over the network, key files
export { RegistryService } from "./node/registry-service.js";
export type { NodeEvent, RegistryServiceOptions, RegistryStats } from "./node/registry-service.js";
export type { OriginMode } from "./node/origin.js";
export { AgentService } from "./node/agent-service.js";
export type { AgentServiceOptions, RegistryAddress } from "./node/agent-service.js";
export { NodeDelegator } from "./node/delegator.js";
export type { NodeDelegation, NodeDelegatorOptions } from "./node/delegator.js";
export { networkTransport } from "./node/transport.js";
export type { NetworkTransport, NetworkTransportOptions, ProviderAddress, TransportFailure } from "./node/transport.js";
export { BUILTIN_CAPABILITIES, builtinCanaries, GENERATE_CAPABILITY, PUBLISH_CAPABILITY } from "./node/capabilities.js";
export type { BuiltinCapability } from "./node/capabilities.js";
export { KeyFileError, readKeyFile, writeKeyFile } from "./node/keyfile.js";
export type { NodeIdentity } from "./node/keyfile.js";

// Wire messages, enums and schemas generated from schemas/proto/ap2p/v1 (spec/03-data-model.md).
// The schemas are what encodeMessage, decodeMessage and create() take.
export { SignatureInfoSchema, SignedObjectSchema } from "../../gen/ts/ap2p/v1/signing_pb.js";
export type { SignatureInfo, SignedObject } from "../../gen/ts/ap2p/v1/signing_pb.js";
export { AvailabilityWindowSchema, CapabilityDescriptorSchema, CapabilitySchema, ConstraintsSchema, EndpointSchema, IoSpecSchema, Modality, ModalitySchema, PriceSchema, PriceUnit, PriceUnitSchema, Transport, TransportSchema, VerificationTier, VerificationTierSchema } from "../../gen/ts/ap2p/v1/descriptor_pb.js";
export type { AvailabilityWindow, Capability, CapabilityDescriptor, Constraints, Endpoint, IoSpec, Price } from "../../gen/ts/ap2p/v1/descriptor_pb.js";
export { MatchMode, MatchModeSchema, PublishChange, PublishChangeSchema, PublishRequestSchema, PublishResponseSchema, QueryRequestSchema, QueryResponseSchema, QuerySchema, RegistryAnswerSchema, RegistryResultSchema } from "../../gen/ts/ap2p/v1/discovery_pb.js";
export type { PublishRequest, PublishResponse, Query, QueryRequest, QueryResponse, RegistryAnswer, RegistryResult } from "../../gen/ts/ap2p/v1/discovery_pb.js";
export { Outcome, OutcomeAttestationSchema, OutcomeSchema } from "../../gen/ts/ap2p/v1/reputation_pb.js";
export type { OutcomeAttestation } from "../../gen/ts/ap2p/v1/reputation_pb.js";
export { CanaryChallengeSchema, CanaryResponseSchema } from "../../gen/ts/ap2p/v1/canary_pb.js";
export type { CanaryChallenge, CanaryResponse } from "../../gen/ts/ap2p/v1/canary_pb.js";
export { CapabilityRefSchema, TaskRequestSchema, TaskResultSchema, TaskStatus, TaskStatusSchema } from "../../gen/ts/ap2p/v1/task_pb.js";
export type { CapabilityRef, TaskRequest, TaskResult } from "../../gen/ts/ap2p/v1/task_pb.js";
export { AttestationBindingSchema, EvidencePackageSchema, PlatformAttestationSchema, TestAttestationClaimsSchema, ToolReceiptSchema, TraceEventSchema } from "../../gen/ts/ap2p/v1/evidence_pb.js";
export type { AttestationBinding, EvidencePackage, PlatformAttestation, TestAttestationClaims, ToolReceipt, TraceEvent } from "../../gen/ts/ap2p/v1/evidence_pb.js";
export { DelegationAttemptSchema, DelegationReportSchema, DelegationStage, DelegationStageSchema, RiskPolicySchema, RiskRuleSchema, TaskRisk, TaskRiskSchema } from "../../gen/ts/ap2p/v1/delegation_pb.js";
export type { DelegationAttempt, DelegationReport, RiskPolicy, RiskRule } from "../../gen/ts/ap2p/v1/delegation_pb.js";
export { FrameKind, FrameKindSchema, FrameSchema, HandshakeProofSchema, HandshakeSide, HandshakeSideSchema, HandshakeTranscriptSchema, HelloSchema, Method, MethodSchema, NodeRole as NodeRoleEnum, NodeRoleSchema } from "../../gen/ts/ap2p/v1/connectivity_pb.js";
export type { Frame, HandshakeProof, HandshakeTranscript, Hello } from "../../gen/ts/ap2p/v1/connectivity_pb.js";
