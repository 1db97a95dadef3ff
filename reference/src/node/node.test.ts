// Nodes over loopback connections: a registry service, provider services and
// delegators, delegating the built-in capabilities at every level.
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { TaskRisk } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { PublishChange, QueryRequestSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { Outcome } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual } from "../bytes.js";
import { SHA256_TEST_CAPABILITY } from "../canary/oracles.js";
import { verifyDescriptor } from "../descriptor/verify.js";
import { refreshDelayMs } from "./agent-service.js";
import { connect } from "../net/index.js";
import { GENERATE_CAPABILITY, PUBLISH_CAPABILITY, receiptUri, renderImage } from "./capabilities.js";
import { secureRandom, systemClock } from "./random.js";
import { keyFrom, TestNetwork } from "./testing.js";

const utf8 = new TextEncoder();
let net: TestNetwork;

afterEach(async () => {
  await net?.stop();
});

describe("a network of nodes on 127.0.0.1", () => {
  it("delegates the built-in capabilities at levels 1, 2 and 3, each result checked and attested", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    const alice = await net.startAgent("alice");
    const d = net.delegator("delegator");
    const prompt = utf8.encode("a lighthouse at dusk");
    for (const risk of [TaskRisk.LOW, TaskRisk.MEDIUM, TaskRisk.HIGH]) {
      const image = await d.delegate(GENERATE_CAPABILITY.capability, prompt, risk);
      expect(image.report.chosen).toBe(alice.peerId);
      expect(bytesEqual(image.result!.output!, renderImage(prompt))).toBe(true);
      const receipt = await d.delegate(PUBLISH_CAPABILITY.capability, image.result!.output!, risk);
      expect(new TextDecoder().decode(receipt.result!.output)).toBe(new TextDecoder().decode(receiptUri(renderImage(prompt))));
      const hash = await d.delegate(SHA256_TEST_CAPABILITY.capability, prompt, risk);
      expect(bytesEqual(hash.result!.output!, sha256(prompt))).toBe(true);
      for (const o of [image, receipt, hash]) expect(o.attestations.map((a) => a.attestation.outcome)).toEqual([Outcome.SUCCESS]);
    }
    // At level 3 the result carried evidence, checked before it was used (DLG-003).
    const evidence = await d.delegate(PUBLISH_CAPABILITY.capability, prompt, TaskRisk.HIGH);
    expect(evidence.result?.evidence?.receipts.length).toBe(2);
    // Every delegation was attested: ten SUCCESS outcomes for alice, held for the next ranking (REP-012).
    expect(d.attestations.length).toBe(10);
  });

  it("publishes a descriptor naming the agent's own endpoint, and refreshes it with a higher seq before it expires", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    const agent = await net.startAgent("refresher", "honest", { ttlMs: 1_500n });
    expect(agent.lastPublishOutcome?.ok && agent.lastPublishOutcome.value.change).toBe(PublishChange.PUBLISHED);
    const refreshed = await agent.published();
    expect(refreshed.ok && refreshed.value.change).toBe(PublishChange.REFRESHED);
    const c = await connect(net.registry.url, { secretKey: keyFrom("querier"), role: "delegator", expectedPeer: net.registry.peerId, clock: systemClock, random: secureRandom });
    if (!c.ok) throw c.error;
    const q = await c.value.query(create(QueryRequestSchema, { query: { namespace: "ap2p.demo", nonce: secureRandom(16), maxResults: 5 } }));
    await c.value.close();
    expect(q.ok && q.value.error).toBe(ErrorCode.UNSPECIFIED);
    expect(net.registry.stats().publishesAccepted).toBe(2);
    const current = agent.agent.publish(1_500n);
    const verified = verifyDescriptor(current.bytes, { now: systemClock() });
    expect(verified.ok && verified.value.message.endpoints[0]?.uri).toBe(agent.url);
    expect(current.descriptor.seq).toBe(3n);
  });

  it("level 2 catches an agent that lacks its capability with CANARY_WRONG_OUTPUT and falls back to an honest one", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    const liar = await net.startAgent("liar", "lacks-capability", { latencyMs: 10 });
    const honest = await net.startAgent("honest", "honest", { latencyMs: 100 });
    const d = net.delegator("delegator");
    const low = await d.delegate(GENERATE_CAPABILITY.capability, utf8.encode("x"), TaskRisk.LOW);
    expect(low.report.chosen).toBe(liar.peerId); // level 1 takes its word
    const medium = await net.delegator("another").delegate(GENERATE_CAPABILITY.capability, utf8.encode("x"), TaskRisk.MEDIUM);
    expect(medium.report.attempts.map((a) => [a.peerId, ErrorCode[a.error]])).toEqual([
      [liar.peerId, "CANARY_WRONG_OUTPUT"],
      [honest.peerId, "UNSPECIFIED"],
      [honest.peerId, "UNSPECIFIED"],
    ]);
    expect(medium.report.chosen).toBe(honest.peerId);
  });

  it("level 3 catches a forger whose result carries the evidence of another task (EVD_REQUEST_HASH_MISMATCH)", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    const forger = await net.startAgent("forger", "forges-evidence", { latencyMs: 10 });
    const honest = await net.startAgent("honest", "honest", { latencyMs: 100 });
    const d = net.delegator("delegator");
    // The first task at level 3 is done honestly, and its evidence kept for later.
    const first = await d.delegate(PUBLISH_CAPABILITY.capability, utf8.encode("one"), TaskRisk.HIGH);
    expect(first.report.chosen).toBe(forger.peerId);
    const second = await net.delegator("fresh").delegate(PUBLISH_CAPABILITY.capability, utf8.encode("two"), TaskRisk.HIGH);
    const forged = second.report.attempts.find((a) => a.peerId === forger.peerId && a.error !== ErrorCode.UNSPECIFIED);
    expect(forged && ErrorCode[forged.error]).toBe("EVD_REQUEST_HASH_MISMATCH");
    expect(second.report.chosen).toBe(honest.peerId);
    expect(second.attestations.find((a) => a.attestation.provider === forger.peerId)?.attestation.outcome).toBe(Outcome.EVIDENCE_REJECTED);
  });

  it("refuses a provider whose endpoint proves another peer (NET_PEER_MISMATCH), and says why", async () => {
    net = new TestNetwork();
    await net.startRegistry();
    const real = await net.startAgent("real");
    // The impostor's descriptor points at the real agent's endpoint: the handshake proves the real agent, not the impostor.
    const impostor = await net.startAgent("impostor", "honest", { advertiseUrl: real.url, latencyMs: 1 });
    const d = net.delegator("delegator");
    const out = await d.delegate(GENERATE_CAPABILITY.capability, utf8.encode("x"), TaskRisk.MEDIUM);
    expect(out.failures.find((f) => f.peerId === impostor.peerId)?.code).toBe("NET_PEER_MISMATCH");
    expect(out.report.chosen).toBe(real.peerId);
  });
});

describe("refresh timing", () => {
  it("DESC-015: an agent refreshes before half of its descriptor's lifetime, at every jitter, with the jitter spread over 35-45 %", () => {
    for (const ttl of [1_500n, 60_000n, 3_600_000n]) {
      const delays = Array.from({ length: 1000 }, (_, permille) => refreshDelayMs(ttl, permille));
      expect(delays.every((d) => d > 0n && d < ttl / 2n)).toBe(true);
      expect(delays[0]).toBe((ttl * 35n) / 100n);
      expect(delays[999]! * 100n).toBeGreaterThanOrEqual(ttl * 44n);
    }
  });
});
