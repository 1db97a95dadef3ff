#!/usr/bin/env python3
"""Independent check of the AP2P test-vector corpus.

Re-checks the signed parts of the corpus with implementations the AP2P
project did not write: libsodium (through PyNaCl) for Ed25519, cbor2 for CBOR,
hashlib for SHA-256. It checks

  - MANIFEST.cose: the COSE_Sign1 signature (Sig_structure rebuilt here) under
    the pinned did:key, the canonical encoding of the manifest, every file's
    SHA-256 and the corpus digest;
  - every ed25519.verify vector's verdict against libsodium's
    crypto_sign_verify_detached (an "acceptable" vector may go either way);
  - every produce-side output: Ed25519 signatures and public keys, did:key
    strings, and COSE_Sign1 envelopes rebuilt byte for byte from their parts;
  - that the payloads and messages the produce operations output, and the
    valid cbor.decode inputs, are canonical: cbor2 with canonical=True
    re-encodes the decoded value to the same bytes;
  - every cose.verify, descriptor.verify and descriptor.store vector whose
    envelope can be parsed: the signature verdict agrees with the expected
    result (valid, and invalid for a time, seq, policy or structural defect,
    need a good signature; a SIG_ or KEY_ defect, or two defects (DefectOrder),
    a bad one).
  - canaries and fallback: the signatures of every challenge and response;
    the challenge-hash binding (SHA-256 of the challenge's payload) and the
    verdict of every response, with the three test oracles written here; the
    verifier's memory, simulated step by step; every challenge and response
    signed, rebuilt from scratch; the canary rate with exact fractions; and
    fallback selection, run here.
  - reputation and the delegation policy: every attestation checked with the
    rules of spec §7.4 written here (signatures with libsodium), every
    attestation signed rebuilt from its JSON form; every decay weight and
    every reputation score recomputed from the formulas of §7.5 with Python
    integers; and every tier list, screening, ranking and risk-policy verdict
    of §10 recomputed.
  - tasks and evidence: the signature of every request, result, receipt of
    every evidence package and test attestation; the receipt hash chain
    recomputed over the payloads (the first prev_hash is the request's
    payload hash); the data flow, evidence times and attestation binding; for
    each invalid vector, that the one defect it states is the only one found;
    and every request, result, receipt and test attestation signed, rebuilt
    from scratch, and every attestation challenge recomputed.
  - discovery (discovery.py beside this file): intent tokens and matching
    written again from §6.4; every registry answer checked through the whole
    table of §6.7 (the registry's and each returned descriptor's signature,
    the query hash, times, matches, repeats and rank), with the first failing
    check equal to the expected code; every answer a registry must produce
    rebuilt from scratch and its results recomputed from the publish history.

Usage: check.py [CORPUS_DIR] [--json]   (default: the v1 folder beside this one)
Exit status 0 if everything agrees, 1 on any disagreement, 2 on a usage error
or a missing module.
"""

import base64
import hashlib
import json
import os
import re
import sys

try:
    import cbor2
    import nacl.bindings
    from nacl.exceptions import BadSignatureError, CryptoError
    from nacl.signing import SigningKey, VerifyKey
except ImportError as e:  # pragma: no cover
    print(f"check.py needs PyNaCl and cbor2 (Debian: python3-nacl python3-cbor2): {e}", file=sys.stderr)
    sys.exit(2)

PINNED_DID = "did:key:z6Mkhf8EBtK9ZRg4bPY9rHQmoFFBCmUQWQPgXJh4ix8Qvuek"
MANIFEST_CT = "application/ap2p.vector-manifest.v1+cbor"
DESCRIPTOR_CT = "application/ap2p.descriptor.v1+cbor"
# Defects a verifier finds after the signature, with the verifier's clock,
# policy or memory: the signature of such a vector is good.
AFTER_SIGNATURE = {"DESC_EXPIRED", "DESC_NOT_YET_VALID", "DESC_TTL_TOO_LONG", "DESC_SEQ_ROLLBACK"}

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n > 0:
        n, r = divmod(n, 58)
        out = B58[r] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        i = B58.find(ch)
        if i < 0:
            raise ValueError(f"not base58btc: {ch!r}")
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def key_to_did(key: bytes) -> str:
    return "did:key:z" + b58encode(b"\xed\x01" + key)


def did_to_key(did: str) -> bytes:
    """The 32-byte key of a did:key in AP2P's one form; ValueError otherwise."""
    if not did.startswith("did:key:z"):
        raise ValueError("not did:key:z")
    raw = b58decode(did[len("did:key:z"):])
    if raw[:2] != b"\xed\x01" or len(raw) != 34:
        raise ValueError("not an ed25519-pub key of 32 bytes")
    key = raw[2:]
    if key_to_did(key) != did:
        raise ValueError("not the canonical spelling")
    return key


def nacl_verify(key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(key).verify(message, signature)
        return True
    except (BadSignatureError, CryptoError, ValueError, TypeError):
        return False


def canonical(data: bytes) -> bool:
    """cbor2 decodes the bytes and, with canonical=True, re-encodes them unchanged."""
    try:
        return cbor2.dumps(cbor2.loads(data), canonical=True) == data
    except Exception:
        return False


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    # RFC 9052 section 4.4, with empty external_aad.
    return cbor2.dumps(["Signature1", protected, b"", payload], canonical=True)


def parse_cose(data: bytes):
    """(header, protected, payload, signature) of a COSE_Sign1_Tagged, or None if it is not one."""
    try:
        item = cbor2.loads(data)
    except Exception:
        return None
    if not isinstance(item, cbor2.CBORTag) or item.tag != 18:
        return None
    v = item.value
    if not isinstance(v, list) or len(v) != 4:
        return None
    protected, unprotected, payload, signature = v
    if not isinstance(protected, bytes) or not isinstance(unprotected, dict) or not isinstance(payload, bytes) or not isinstance(signature, bytes):
        return None
    try:
        header = cbor2.loads(protected)
    except Exception:
        return None
    if not isinstance(header, dict):
        return None
    return header, protected, payload, signature


def cose_signature(data: bytes):
    """(signature verdict, kid, payload), or None when there is no envelope or kid to check it with."""
    parsed = parse_cose(data)
    if parsed is None:
        return None
    header, protected, payload, signature = parsed
    kid = header.get(4)
    if not isinstance(kid, bytes):
        return None
    try:
        kid_text = kid.decode("utf-8")
        key = did_to_key(kid_text)
    except (UnicodeDecodeError, ValueError):
        return None
    return nacl_verify(key, sig_structure(protected, payload), signature), kid_text, payload


def build_cose(seed: bytes, content_type: str, payload: bytes) -> bytes:
    """A COSE_Sign1 built here from scratch: what AP2P's signer must produce."""
    signer = SigningKey(seed)
    kid = key_to_did(signer.verify_key.encode()).encode("utf-8")
    protected = cbor2.dumps({1: -8, 3: content_type, 4: kid}, canonical=True)
    signature = signer.sign(sig_structure(protected, payload)).signature
    return cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]), canonical=True)


def is_valid_point(key: bytes) -> bool:
    # libsodium's crypto_core_ed25519_is_valid_point: canonical, on the curve,
    # not of small order, and in the prime-order subgroup.
    return len(key) == 32 and bool(nacl.bindings.crypto_core_ed25519_is_valid_point(key))


class Checker:
    def __init__(self, corpus: str):
        self.corpus = corpus
        self.counts = {}
        self.disagreements = []
        self.notes = []

    def count(self, what: str, n: int = 1):
        self.counts[what] = self.counts.get(what, 0) + n

    def expect(self, ok: bool, where: str, why: str, what: str):
        if ok:
            self.count(what)
        else:
            self.disagreements.append(f"{where}: {why}")

    # ------------------------------------------------------------------ manifest

    def manifest(self):
        path = os.path.join(self.corpus, "MANIFEST.cose")
        data = open(path, "rb").read()
        parsed = parse_cose(data)
        if parsed is None:
            self.disagreements.append("MANIFEST.cose: not a COSE_Sign1")
            return
        header, protected, payload, signature = parsed
        where = "MANIFEST.cose"
        self.expect(header.get(1) == -8 and header.get(3) == MANIFEST_CT, where, f"header {header!r}", "manifest header")
        kid = header.get(4, b"").decode("utf-8", "replace")
        self.expect(kid == PINNED_DID, where, f"signed by {kid}, not the pinned {PINNED_DID}", "manifest signer")
        self.expect(nacl_verify(did_to_key(PINNED_DID), sig_structure(protected, payload), signature), where, "signature does not verify", "manifest signature")
        self.expect(canonical(payload) and canonical(data), where, "not canonical CBOR", "manifest canonical")
        m = cbor2.loads(payload)
        files = m["files"]
        names = sorted(os.listdir(self.corpus))
        listed = [f["name"] for f in files]
        self.expect(listed == sorted(listed) and sorted(n for n in names if n.endswith(".json")) == listed, where, f"lists {listed}, folder has {names}", "manifest file list")
        lines = ""
        for f in files:
            actual = hashlib.sha256(open(os.path.join(self.corpus, f["name"]), "rb").read()).digest()
            self.expect(actual == f["sha256"], f["name"], "SHA-256 differs from the manifest", "file digests")
            lines += f"{f['sha256'].hex()}  {f['name']}\n"
        self.expect(hashlib.sha256(lines.encode()).digest() == m["corpus_digest"], where, "corpus digest differs", "corpus digest")
        self.corpus_digest = m["corpus_digest"].hex()
        self.spec_version = m["spec_version"]

    # ------------------------------------------------------------------ vectors

    def envelope(self, where: str, data: bytes, test: dict, content_type: str, output=None):
        """The signature verdict of a cose.verify / descriptor.verify / descriptor.store input."""
        result, error, flags = test["result"], test.get("error"), test.get("flags", [])
        checked = cose_signature(data)
        if checked is None:
            self.expect(result == "invalid", where, "expected valid, but the envelope cannot be parsed", "unparseable envelopes expected invalid")
            return
        good, kid, payload = checked
        if result == "acceptable":
            self.count(f"acceptable envelopes libsodium {'accepts' if good else 'rejects'}")
        elif result == "valid":
            self.expect(good, where, "expected valid, libsodium rejects the signature", "envelope signatures valid")
            self.expect(canonical(data), where, "a valid envelope that is not canonical CBOR", "valid envelopes canonical")
            if content_type == DESCRIPTOR_CT:
                body = cbor2.loads(payload)
                self.expect(canonical(payload) and body.get("peer_id") == kid, where, "payload not canonical, or peer_id is not the kid", "valid descriptor payloads")
            if output is not None:
                self.expect(output == {"kid": kid, "payload": payload.hex()}, where, "output differs", "cose.verify outputs")
        elif error.startswith("SIG_") or error.startswith("KEY_") or "DefectOrder" in flags:
            self.expect(not good, where, f"expected {error} but libsodium accepts the signature", "envelope signatures rejected")
        else:
            # One defect per vector: a time, seq, policy or structural defect sits on a good signature.
            self.expect(good, where, f"expected only {error}, but the signature is bad too", "envelope signatures valid under another defect")

    def vectors(self):
        for name in sorted(os.listdir(self.corpus)):
            if not name.endswith(".json"):
                continue
            data = json.load(open(os.path.join(self.corpus, name)))
            for group in data["test_groups"]:
                op, shared = group["operation"], group["shared"]
                for t in group["tests"]:
                    self.test(op, shared, t)

    def test(self, op: str, shared: dict, t: dict):
        where, result, inputs, out = t["id"], t["result"], t["inputs"], t.get("output")
        h = bytes.fromhex
        if op == "ed25519.verify":
            good = nacl_verify(h(inputs["public_key"]), h(inputs["message"]), h(inputs["signature"]))
            if result == "acceptable":
                self.count(f"ed25519.verify acceptable, libsodium {'accepts' if good else 'rejects'}")
            else:
                self.expect(good == (result == "valid"), where, f"expected {result} {t.get('error', '')}, libsodium {'accepts' if good else 'rejects'}", "ed25519.verify verdicts")
        elif op == "ed25519.sign" and result == "valid":
            sk = SigningKey(h(inputs["secret_key"]))
            self.expect(sk.verify_key.encode().hex() == out["public_key"], where, "public key differs", "ed25519.sign outputs")
            self.expect(sk.sign(h(inputs["message"])).signature.hex() == out["signature"], where, "signature differs", "ed25519.sign outputs")
        elif op == "did-key.parse":
            try:
                key = did_to_key(inputs["did"])
            except ValueError:
                key = None
            if result == "valid":
                self.expect(key is not None and key.hex() == out["public_key"], where, "does not parse to the output key", "did-key.parse")
                if key is not None and not is_valid_point(key):
                    self.notes.append(f"{where}: libsodium's is_valid_point rejects this key (it also requires the prime-order subgroup, which ID-003 does not)")
            elif t["error"].startswith("DID_"):
                self.expect(key is None, where, f"expected {t['error']}, but it parses", "did-key.parse")
            else:
                self.expect(key is not None and not is_valid_point(key), where, f"expected {t['error']}", "did-key.parse")
        elif op == "did-key.encode":
            key = h(inputs["public_key"])
            if result == "valid":
                self.expect(key_to_did(key) == out["did"], where, "did:key differs", "did-key.encode")
            else:
                self.expect(not is_valid_point(key), where, f"expected {t['error']}, but libsodium takes the key", "did-key.encode")
        elif op == "cose.verify":
            self.envelope(where, h(inputs["cose"]), t, shared["content_type"], out)
        elif op == "descriptor.verify":
            self.envelope(where, h(inputs["descriptor"]), t, DESCRIPTOR_CT)
        elif op == "descriptor.store":
            for i, step in enumerate(inputs["accepted"]):
                self.envelope(f"{where} accepted[{i}]", h(step["descriptor"]), {"result": "valid"}, DESCRIPTOR_CT)
            self.envelope(where, h(inputs["descriptor"]), t, DESCRIPTOR_CT)
        elif op == "cose.sign" and result == "valid":
            self.expect(build_cose(h(inputs["secret_key"]), shared["content_type"], h(inputs["payload"])).hex() == out["cose"], where, "COSE_Sign1 differs from one built here", "cose.sign outputs")
        elif op == "descriptor.sign" and result == "valid":
            payload = h(out["payload"])
            self.expect(canonical(payload), where, "payload not canonical", "descriptor.sign payloads canonical")
            self.expect(build_cose(h(shared["secret_key"]), DESCRIPTOR_CT, payload).hex() == out["cose"], where, "COSE_Sign1 differs from one built here", "descriptor.sign outputs")
        elif op == "message.encode" and result == "valid":
            encoded = h(out["encoded"])
            self.expect(canonical(encoded), where, "not canonical", "message.encode outputs canonical")
            self.expect(hashlib.sha256(encoded).hexdigest() == out["sha256"], where, "sha256 differs", "message.encode hashes")
        elif op == "message.hash" and result == "valid":
            encoded = h(inputs["encoded"])
            self.expect(canonical(encoded) and hashlib.sha256(encoded).hexdigest() == out["sha256"], where, "hash differs", "message.hash outputs")
        elif op in ("cbor.decode", "message.decode") and result == "valid":
            self.expect(canonical(h(inputs["encoded"])), where, "a valid input that cbor2 re-encodes differently", f"{op} valid inputs canonical")
        elif op.startswith(("canary", "fallback.")):
            check_canary(self, op, shared, t)
        elif op.startswith(("task-", "tool-receipt.", "test-attestation.")) or op == "attestation.challenge":
            check_task(self, op, shared, t)
        elif op in ("attestation.verify", "attestation.sign", "reputation.decay", "reputation.score"):
            check_reputation(self, op, shared, t)
        elif op in ("risk-policy.check", "delegation.default-risk", "delegation.tiers", "delegation.screen", "delegation.rank"):
            check_delegation(self, op, shared, t)
        elif op in ("query.tokenize", "query.match", "registry.publish", "registry.answer", "registry-answer.verify"):
            import discovery  # vectors/independent/discovery.py: discovery, with this module's helpers

            discovery.check(self, op, shared, t, sys.modules[__name__])
        else:
            self.count(f"{op} {result} (nothing to check independently)")


# ---------------------------------------------------------------------- canaries
# Tier 2 canaries and fallback (spec/08-canaries.md), checked from the rules
# themselves: signatures with libsodium, the challenge-hash binding with
# hashlib over the challenge's payload, the three test oracles, the verifier's
# memory, the canary rate with exact fractions and fallback selection.

CHALLENGE_CT = "application/ap2p.canary-challenge.v1+cbor"
RESPONSE_CT = "application/ap2p.canary-response.v1+cbor"
OCTETS = "application/octet-stream"
# Codes a verifier reports only after the envelope, the responder and the
# signature have passed: for them, the response is authentic.
CANARY_AFTER_SIGNATURE = {"CANARY_CHALLENGE_HASH_MISMATCH", "CANARY_WRONG_PROVIDER", "CANARY_REPLAYED", "CANARY_RESPONSE_LATE", "CANARY_WRONG_OUTPUT"}


def canary_oracle_accepts(oracle: dict, challenge_input: bytes, output: bytes, media_type: str) -> bool:
    """The verifier's oracle (vectors/README.md): an expected output, or a test capability's oracle for the input."""
    if "expected" in oracle:
        e = oracle["expected"]
        return output == bytes.fromhex(e["output"]) and media_type == e["media_type"]
    name = oracle["test_capability"]
    if name == "ap2p.test/sha256@1.0.0":
        return media_type == OCTETS and output == hashlib.sha256(challenge_input).digest()
    if name == "ap2p.test/reverse@1.0.0":
        return media_type == OCTETS and output == challenge_input[::-1]
    if name == "ap2p.test/factor@1.0.0":
        n = int(challenge_input.decode("ascii"))
        parts = output.split(b" ")
        if media_type != "text/plain" or len(parts) != 2 or not all(p[:1] in b"123456789" and p.isdigit() and p for p in parts):
            return False
        p, q = int(parts[0]), int(parts[1])
        return 1 < p <= q and p * q == n
    raise ValueError(f"unknown test capability {name}")


def canary_payload(data: bytes):
    """(signature good, kid, payload bytes, payload map) of a COSE_Sign1 with a map payload, or None."""
    checked = cose_signature(data)
    if checked is None:
        return None
    good, kid, payload = checked
    try:
        body = cbor2.loads(payload)
    except Exception:
        return None
    return (good, kid, payload, body) if isinstance(body, dict) else None


def canary_judge_response(challenge: dict, challenge_hash: bytes, response: bytes, oracle: dict, now: int, answered=None):
    """The verdict of §8.7 for an authentic response to this challenge (steps 4 to 6), or None where this check cannot tell."""
    parsed = canary_payload(response)
    if parsed is None:
        return None
    good, kid, _, r = parsed
    if r.get("responder") != kid:
        return "COSE_KID_MISMATCH"
    if not good:
        return "SIG_INVALID"
    if r.get("challenge_hash") != challenge_hash:
        return "CANARY_CHALLENGE_HASH_MISMATCH"
    if r["responder"] != challenge["provider"]:
        return "CANARY_WRONG_PROVIDER"
    if answered is not None:
        if answered.get(challenge_hash):
            return "CANARY_REPLAYED"
        answered[challenge_hash] = True
    if now > challenge["deadline"]:
        return "CANARY_RESPONSE_LATE"
    if not canary_oracle_accepts(oracle, challenge["input"], r.get("output", b""), r.get("output_media_type", "")):
        return "CANARY_WRONG_OUTPUT"
    return "valid"


def fallback_run(inputs: dict):
    """(attempts, chosen or None, stop code or None, failure memory) of §8.10's steps."""
    candidates, budget, excluded, outcomes = inputs["candidates"], inputs["budget"], set(inputs["excluded"]), inputs["outcomes"]
    attempts = []
    while True:
        passed = [p for p, o in attempts if o == "pass"]
        if passed:
            chosen, code = passed[0], None
            break
        tried = {p for p, _ in attempts}
        seen = set()
        nxt = None
        for c in candidates:
            if c not in seen and c not in excluded and c not in tried:
                nxt = c
                break
            seen.add(c)
        if nxt is None:
            chosen, code = None, "FALLBACK_NO_CANDIDATES"
            break
        if len(attempts) >= budget:
            chosen, code = None, "FALLBACK_EXHAUSTED"
            break
        attempts.append((nxt, outcomes[nxt]))
    failed = sorted(excluded | {p for p, o in attempts if o != "pass"})
    return [{"peer": p, "outcome": o} for p, o in attempts], chosen, code, failed


def canary_rate_ppm(f: int, n: int, eps: int) -> int:
    """ceil(10^6 · f / ((1 − f) · n · e · ε)), capped at 10^6, with exact fractions and e to about 80 digits."""
    from fractions import Fraction
    from math import factorial
    if f == 0:
        return 0
    e = sum(Fraction(1, factorial(k)) for k in range(60))
    q = Fraction(f * 10**12) / ((10**6 - f) * n * e * eps)
    ceil = -((-q.numerator) // q.denominator)
    return min(ceil, 10**6)


def check_canary(c, op: str, shared: dict, t: dict):
    """The canary and fallback operations of vectors/README.md."""
    where, result, inputs, out, error = t["id"], t["result"], t["inputs"], t.get("output"), t.get("error")
    h = bytes.fromhex
    if op == "canary-challenge.verify":
        data = h(inputs["challenge"])
        c.envelope(where, data, t, CHALLENGE_CT)
        if result == "valid":
            good, kid, payload, ch = canary_payload(data)
            now, skew = int(inputs["now"]), int(shared["clock_skew_ms"])
            max_window = int(shared.get("max_window_ms", 600000))
            offered = [(o["namespace"], o["id"], o["version"]) for o in shared["offered"]]
            cap = ch["capability"]
            ok = (canonical(payload) and ch["verifier"] == kid and ch["provider"] == shared["provider"] and ch["issued_at"] < ch["deadline"] <= ch["issued_at"] + max_window
                  and (cap["namespace"], cap["id"], cap["version"]) in offered and now <= ch["deadline"] + skew)
            c.expect(ok, where, "the challenge breaks a rule of §8.4", "canary challenges valid")
            c.expect(out == {"challenge_hash": hashlib.sha256(payload).hexdigest()}, where, "challenge_hash is not SHA-256 of the payload", "canary challenge hashes")
    elif op == "canary-challenge.sign" and result == "valid":
        signer = SigningKey(h(shared["secret_key"]))
        now = int(inputs["now"])
        body = {"verifier": key_to_did(signer.verify_key.encode()), "provider": inputs["provider"], "nonce": h(inputs["nonce"]), "capability": inputs["capability"],
                "input": h(inputs["input"]), "input_media_type": inputs["input_media_type"], "issued_at": now, "deadline": now + int(inputs["window_ms"])}
        payload = cbor2.dumps(body, canonical=True)
        c.expect(payload.hex() == out["payload"], where, "payload differs from one built here", "canary-challenge.sign payloads")
        c.expect(build_cose(h(shared["secret_key"]), CHALLENGE_CT, payload).hex() == out["cose"], where, "COSE_Sign1 differs from one built here", "canary-challenge.sign outputs")
        c.expect(hashlib.sha256(payload).hexdigest() == out["challenge_hash"], where, "challenge_hash differs", "canary-challenge.sign hashes")
    elif op == "canary-response.sign":
        data = h(inputs["challenge"])
        if result == "valid":
            good, _, challenge_payload, _ = canary_payload(data)
            c.expect(good, where, "the challenge answered does not verify", "canary-response.sign challenges")
            signer = SigningKey(h(shared["secret_key"]))
            body = {"challenge_hash": hashlib.sha256(challenge_payload).digest(), "responder": key_to_did(signer.verify_key.encode()),
                    "output_media_type": inputs["output_media_type"], "responded_at": int(inputs["now"])}
            if inputs["output"]:
                body["output"] = h(inputs["output"])
            payload = cbor2.dumps(body, canonical=True)
            c.expect(payload.hex() == out["payload"], where, "payload differs from one built here", "canary-response.sign payloads")
            c.expect(build_cose(h(shared["secret_key"]), RESPONSE_CT, payload).hex() == out["cose"], where, "COSE_Sign1 differs from one built here", "canary-response.sign outputs")
        else:
            c.envelope(where, data, t, CHALLENGE_CT)
    elif op == "canary-response.verify":
        challenge = canary_payload(h(inputs["challenge"]))
        c.expect(challenge is not None and challenge[0], where, "the issued challenge does not verify", "canary issued challenges")
        response = h(inputs["response"])
        c.envelope(where, response, t, RESPONSE_CT)
        if result == "valid" or error in CANARY_AFTER_SIGNATURE or error in ("SIG_INVALID", "COSE_KID_MISMATCH"):
            got = canary_judge_response(challenge[3], hashlib.sha256(challenge[2]).digest(), response, inputs["oracle"], int(inputs["now"]))
            want = "valid" if result == "valid" else error
            c.expect(got == want, where, f"expected {want}, the binding, responder, deadline and oracle checked here give {got}", "canary-response.verify verdicts")
    elif op == "canary-verifier.scenario":
        memory, nonces, answered, order = {}, set(), {}, []
        steps = inputs["history"] + [dict(inputs["step"], expect="valid" if result == "valid" else error)]
        for i, step in enumerate(steps):
            at = f"{where} step {i}"
            if step["action"] == "issue":
                good, _, payload, ch = canary_payload(h(step["challenge"]))
                c.expect(good, at, "the issued challenge does not verify", "canary issued challenges")
                key = hashlib.sha256(payload).digest()
                if len(memory) >= shared["max_outstanding"]:
                    got = "CANARY_TOO_MANY_OUTSTANDING"
                elif ch["nonce"] in nonces:
                    got = "CANARY_NONCE_REUSED"
                else:
                    got = "valid"
                    memory[key] = (ch, step["oracle"])
                    nonces.add(ch["nonce"])
                    order.append(key)
            elif step["action"] == "respond":
                response = h(step["response"])
                c.envelope(at, response, {"result": "valid" if step["expect"] == "valid" else "invalid", "error": step["expect"]}, RESPONSE_CT)
                parsed = canary_payload(response)
                key = parsed[3].get("challenge_hash") if parsed is not None else None
                if parsed is None:
                    got = None
                elif parsed[3].get("responder") != parsed[1]:
                    got = "COSE_KID_MISMATCH"
                elif not parsed[0]:
                    got = "SIG_INVALID"
                elif key not in memory:
                    got = "CANARY_CHALLENGE_HASH_MISMATCH"
                else:
                    ch, oracle = memory[key]
                    got = canary_judge_response(ch, key, response, oracle, int(step["now"]), answered)
            else:
                now = int(step["now"])
                timed_out = []
                for key in list(order):
                    ch, _ = memory[key]
                    if now > ch["deadline"]:
                        if not answered.get(key):
                            timed_out.append({"challenge_hash": key.hex(), "provider": ch["provider"], "error": "CANARY_RESPONSE_LATE"})
                        del memory[key]
                        nonces.discard(ch["nonce"])
                        answered.pop(key, None)
                        order.remove(key)
                got = "valid"
                if i == len(steps) - 1 and out is not None:
                    c.expect(out == {"timed_out": timed_out}, at, "timed_out differs", "canary-verifier.scenario expire outputs")
            c.expect(got == step["expect"], at, f"expected {step['expect']}, the memory of §8.6 simulated here gives {got}", "canary-verifier.scenario steps")
    elif op == "canary.judge":
        got = canary_oracle_accepts(inputs["oracle"], h(inputs["input"]), h(inputs["output"]), inputs["output_media_type"])
        c.expect(got == (result == "valid"), where, f"expected {result}, the oracle here {'accepts' if got else 'rejects'}", "canary.judge verdicts")
    elif op == "canary.rate":
        q = canary_rate_ppm(int(inputs["cheater_fraction_ppm"]), int(inputs["tasks_per_provider"]), int(inputs["target_error_ppm"]))
        c.expect(out == {"rate_ppm": str(q)}, where, f"{q} ppm computed here", "canary.rate outputs")
    elif op in ("fallback.plan", "fallback.attempts"):
        attempts, chosen, code, failed = fallback_run(inputs)
        if op == "fallback.attempts":
            c.expect(out == {"attempts": attempts, "failed": failed}, where, "attempts differ", "fallback.attempts outputs")
        elif result == "valid":
            c.expect(out == {"chosen": chosen, "attempts": attempts, "failed": failed}, where, "the plan differs", "fallback.plan outputs")
        else:
            c.expect(code == error, where, f"expected {error}, got {code or 'a chosen peer'}", "fallback.plan verdicts")
    else:
        c.count(f"{op} {result} (nothing to check independently)")


# -------------------------------------------------------------- reputation
# Tier 1 reputation (spec/07-reputation.md) and the delegation policy
# (spec/10-delegation.md §10.1 to §10.4), checked from the rules themselves:
# attestations parsed with cbor2 and their signatures checked with libsodium;
# the checks of §7.4 written out here; the reputation function of §7.5
# recomputed with Python integers (floor division only, no floating point);
# the decay weight; tier negotiation, the reputation floor, the ranking rule
# and the risk policy's rules.

ATTESTATION_CT = "application/ap2p.outcome-attestation.v1+cbor"
PEER_ID = re.compile(r"^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$")
CAP_PATTERNS = {
    "namespace": (128, re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")),
    "id": (64, re.compile(r"^[a-z0-9][a-z0-9_-]*$")),
    "version": (32, re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")),
}
OUTCOMES = {"OUTCOME_SUCCESS": 1, "OUTCOME_FAILURE": 2, "OUTCOME_TIMEOUT": 3, "OUTCOME_CANARY_FAILED": 4, "OUTCOME_EVIDENCE_REJECTED": 5}
TIERS = {"VERIFICATION_TIER_REPUTATION": 1, "VERIFICATION_TIER_CANARY": 2, "VERIFICATION_TIER_EVIDENCE": 3}
U = 10**6


def attestation_schema_ok(a) -> bool:
    """The schema rules of OutcomeAttestation (spec §7.2), written out here."""
    if not isinstance(a, dict) or not set(a) <= {"attester", "provider", "capability", "task_hash", "outcome", "latency_ms", "tier", "issued_at"}:
        return False
    for k in ("attester", "provider"):
        if not isinstance(a.get(k), str) or len(a[k]) > 128 or not PEER_ID.match(a[k]):
            return False
    cap = a.get("capability")
    if not isinstance(cap, dict) or set(cap) != set(CAP_PATTERNS):
        return False
    for k, (n, pattern) in CAP_PATTERNS.items():
        if not isinstance(cap[k], str) or len(cap[k]) > n or not pattern.match(cap[k]):
            return False
    if not isinstance(a.get("task_hash"), bytes) or len(a["task_hash"]) != 32:
        return False
    if a.get("outcome") not in range(1, 6) or a.get("tier") not in range(1, 4) or type(a["outcome"]) is not int or type(a["tier"]) is not int:
        return False
    if "latency_ms" in a and (type(a["latency_ms"]) is not int or not 1 <= a["latency_ms"] < 2**32):
        return False
    return type(a.get("issued_at")) is int and 1 <= a["issued_at"] < 2**64


def attestation_verdict(data: bytes, now: int, skew: int):
    """(verdict, attestation, payload): verdict is "valid", an exact code, or a class ("ENVELOPE", "SCHEMA", "KEY") where only the class is checked here."""
    parsed = parse_cose(data)
    if parsed is None:
        return "ENVELOPE", None, None
    header, protected, payload, signature = parsed
    if set(header) != {1, 3, 4} or header[1] != -8 or not isinstance(header[4], bytes):
        return "ENVELOPE", None, None
    if header[3] != ATTESTATION_CT:
        return "COSE_CONTENT_TYPE_MISMATCH", None, None
    try:
        kid = header[4].decode("utf-8")
        kid_key = did_to_key(kid)
    except (UnicodeDecodeError, ValueError):
        return "KEY", None, None
    if not is_valid_point(kid_key):
        return "KEY", None, None
    try:
        a = cbor2.loads(payload)
    except Exception:
        return "SCHEMA", None, None
    if not canonical(payload) or not attestation_schema_ok(a):
        return "SCHEMA", None, None
    if a["attester"] != kid:
        return "COSE_KID_MISMATCH", a, payload
    if a["provider"] == a["attester"]:
        return "REP_SELF_ATTESTATION", a, payload
    try:
        provider_key = did_to_key(a["provider"])
    except ValueError:
        return "KEY", a, payload
    if not is_valid_point(provider_key):
        return "KEY", a, payload
    if (a["outcome"] == 4 and a["tier"] not in (2, 3)) or (a["outcome"] == 5 and a["tier"] != 3):
        return "REP_OUTCOME_TIER_MISMATCH", a, payload
    if not nacl_verify(kid_key, sig_structure(protected, payload), signature):
        return "SIG_INVALID", a, payload
    if now + skew < a["issued_at"]:
        return "REP_ATTESTATION_NOT_YET_VALID", a, payload
    return "valid", a, payload


def verdict_matches(got: str, error: str) -> bool:
    """An exact code where this check derives one; otherwise the class of the expected code."""
    if got in ("SIG_INVALID",):
        return error.startswith("SIG_")
    if got == "ENVELOPE":
        return error.startswith(("COSE_", "CBOR_")) and error not in ("COSE_KID_MISMATCH", "COSE_CONTENT_TYPE_MISMATCH")
    if got == "SCHEMA":
        return error.startswith(("SCHEMA_", "CBOR_"))
    if got == "KEY":
        return error.startswith(("KEY_", "DID_"))
    return got == error


def decay_weight(age: int, half_life: int) -> int:
    """REP-014."""
    age = max(0, age)
    n, m = divmod(age, half_life)
    if n >= 20:
        return 0
    return U * (2 * half_life - m) // (2 ** (n + 1) * half_life)


def reputation_scores(evaluator: str, held: list, now: int, p: dict, scope):
    """The scores of §7.5 (REP-013 to REP-017): held is a list of (attestation, payload) that passed §7.4."""
    H, a_prior, b_prior = int(p["half_life_ms"]), int(p["prior_positive"]), int(p["prior_negative"])
    C, L, gamma, D, T = int(p["rater_cap"]), int(p["trust_floor"]), p["damping_ppm"], p["depth"], p["trusted_raters"]
    # Step 1: one per (attester, provider, task_hash): latest issued_at, then the smallest message hash.
    best = {}
    for a, payload in held:
        key = (a["attester"], a["provider"], a["task_hash"])
        digest = hashlib.sha256(payload).digest()  # the payload is canonical, so this is the message hash (ENC-020)
        if key not in best or a["issued_at"] > best[key][0]["issued_at"] or (a["issued_at"] == best[key][0]["issued_at"] and digest < best[key][1]):
            best[key] = (a, digest)
    kept = [a for a, _ in best.values()]

    def in_scope(a):
        return scope is None or (a["capability"]["namespace"], a["capability"]["id"], a["capability"]["version"]) == (scope["namespace"], scope["id"], scope["version"])

    def evidence(items):
        # Steps 2 and 3: decayed weights summed per (rater, provider), positive and negative apart.
        table = {}
        for a in items:
            w = decay_weight(now - a["issued_at"], H)
            r, s = table.get((a["attester"], a["provider"]), (0, 0))
            table[(a["attester"], a["provider"])] = (r + w, s) if a["outcome"] == 1 else (r, s + w)
        return table

    def capped(j, rs):
        r, s = rs
        if j == evaluator or r + s <= C:
            return r, s
        return r * C // (r + s), s * C // (r + s)

    trust_table = evidence(kept)
    score_table = evidence([a for a in kept if in_scope(a)])
    providers = {a["provider"] for a, _ in held if in_scope(a)} - {evaluator}
    scores = {}
    for i in providers:
        # Step 4: trust from the evaluator and the trusted raters, leaving out everything by or about i.
        level = {q: U for q in [evaluator] + list(T) if q != i}
        total = dict(level)
        for _ in range(D):
            nxt = {}
            for j, tj in level.items():
                if j == i or tj == 0:
                    continue
                local = {}
                for (rater, x), rs in trust_table.items():
                    if rater == j and x != i:
                        r, s = capped(j, rs)
                        if r - s > 0:
                            local[x] = r - s
                norm = max(sum(local.values()), L)
                for x, l in local.items():
                    nxt[x] = nxt.get(x, 0) + tj * gamma * l // (U * norm)
            for x, v in nxt.items():
                total[x] = total.get(x, 0) + v
            level = nxt
        weight = {q: min(U, v) for q, v in total.items()}
        # Step 5.
        r = s = 0
        for (j, x), rs in score_table.items():
            if x == i:
                rc, sc = capped(j, rs)
                r += weight.get(j, 0) * rc // U
                s += weight.get(j, 0) * sc // U
        scores[i] = (r + a_prior) * U // (r + s + a_prior + b_prior)
    return scores, a_prior * U // (a_prior + b_prior)


def attestation_payload_from_json(j: dict) -> bytes:
    """The canonical CBOR of an OutcomeAttestation given in proto3 JSON form, built here (defaults omitted, §3.4)."""
    import base64
    body = {"attester": j["attester"], "provider": j["provider"], "capability": {k: j["capability"][k] for k in ("namespace", "id", "version")},
            "task_hash": base64.b64decode(j["taskHash"]), "outcome": OUTCOMES[j["outcome"]], "tier": TIERS[j["tier"]], "issued_at": int(j["issuedAt"])}
    if j.get("latencyMs"):
        body["latency_ms"] = j["latencyMs"]
    return cbor2.dumps(body, canonical=True)


def check_reputation(c, op: str, shared: dict, t: dict):
    """The attestation and reputation operations of vectors/README.md."""
    where, result, inputs, out, error = t["id"], t["result"], t["inputs"], t.get("output"), t.get("error")
    h = bytes.fromhex
    if op == "attestation.verify":
        got, _, _ = attestation_verdict(h(inputs["attestation"]), int(shared["now"]), int(shared["clock_skew_ms"]))
        if result == "valid":
            c.expect(got == "valid", where, f"expected valid, the checks of §7.4 written here give {got}", "attestation.verify verdicts")
        else:
            c.expect(verdict_matches(got, error), where, f"expected {error}, the checks of §7.4 written here give {got}", "attestation.verify verdicts")
    elif op == "attestation.sign":
        seed = h(inputs["secret_key"])
        if result == "valid":
            payload = attestation_payload_from_json(inputs["json"])
            c.expect(payload.hex() == out["payload"], where, "payload differs from one built here", "attestation.sign payloads")
            c.expect(build_cose(seed, ATTESTATION_CT, payload).hex() == out["cose"], where, "COSE_Sign1 differs from one built here", "attestation.sign outputs")
            got, _, _ = attestation_verdict(h(out["cose"]), int(inputs["json"]["issuedAt"]), 0)
            c.expect(got == "valid", where, f"the signed attestation does not verify here: {got}", "attestation.sign outputs verify")
        else:
            c.count("attestation.sign refusals (nothing to sign)")
    elif op == "reputation.decay":
        c.expect(out == {"weight": str(decay_weight(int(inputs["age_ms"]), int(inputs["half_life_ms"])))}, where, "weight differs from REP-014 computed here", "reputation.decay weights")
    elif op == "reputation.score":
        now, skew = int(inputs["now"]), int(shared["clock_skew_ms"])
        held, first_bad = [], None
        for data in inputs["attestations"]:
            got, a, payload = attestation_verdict(h(data), now, skew)
            if got != "valid":
                first_bad = first_bad or got
            else:
                held.append((a, payload))
        if result == "invalid":
            c.expect(first_bad is not None and verdict_matches(first_bad, error), where, f"expected {error}, the attestations checked here give {first_bad}", "reputation.score refusals")
            return
        c.expect(first_bad is None, where, f"an attestation of a valid set fails here: {first_bad}", "reputation.score inputs verify")
        scores, prior = reputation_scores(inputs["evaluator"], held, now, shared["params"], inputs.get("scope"))
        c.expect(out == {"scores": scores, "prior": prior}, where, f"scores differ from §7.5 computed here: {scores}, prior {prior}", "reputation.score scores (recomputed)")


def level_tiers(level: str) -> list:
    """§10.1: the tiers a provider must list for a level."""
    return {"VERIFICATION_TIER_REPUTATION": [], "VERIFICATION_TIER_CANARY": ["VERIFICATION_TIER_CANARY"],
            "VERIFICATION_TIER_EVIDENCE": ["VERIFICATION_TIER_CANARY", "VERIFICATION_TIER_EVIDENCE"]}[level]


def screen(rule: dict, cand: dict):
    """Steps 3 and 4 of §10.4 for one candidate (TIER-001, DLG-004)."""
    if not all(tier in cand["supported_tiers"] for tier in level_tiers(rule["level"])):
        return "TIER_NOT_SUPPORTED"
    if cand["reputation_ppm"] < rule.get("minReputationPpm", 0):
        return "REPUTATION_BELOW_THRESHOLD"
    return None


def check_delegation(c, op: str, shared: dict, t: dict):
    """The risk-policy and delegation operations of vectors/README.md."""
    where, result, inputs, out, error = t["id"], t["result"], t["inputs"], t.get("output"), t.get("error")
    if op == "risk-policy.check":
        classes = ["TASK_RISK_LOW", "TASK_RISK_MEDIUM", "TASK_RISK_HIGH", "TASK_RISK_CRITICAL"]
        rules = inputs["json"]["rules"]
        risks = [r["risk"] for r in rules]
        levels = {r["risk"]: TIERS[r["level"]] for r in rules}
        ok = sorted(risks) == sorted(classes) and all(levels[a] <= levels[b] for a, b in zip(classes, classes[1:]))
        c.expect(ok == (result == "valid") and (ok or error == "RISK_POLICY_INVALID"), where, f"DLG-001 computed here says {'valid' if ok else 'invalid'}", "risk-policy.check verdicts")
    elif op == "delegation.default-risk":
        action = any(o.get("modality") == "MODALITY_ACTION" for o in inputs["capability"].get("outputs", []))
        c.expect(action and out == {"at_least_high": True}, where, "DLG-002 sets a floor only for a capability with an ACTION output, and it is HIGH", "delegation.default-risk outputs")
    elif op == "delegation.tiers":
        c.expect(out == {"tiers": level_tiers(inputs["level"])}, where, "tiers differ from §10.1", "delegation.tiers outputs")
    elif op == "delegation.screen":
        got = screen(shared["rule"], inputs["candidate"])
        c.expect(got == (None if result == "valid" else error), where, f"screening computed here gives {got}", "delegation.screen verdicts")
    elif op == "delegation.rank":
        cands = inputs["candidates"]
        first = [(x, screen(inputs["rule"], x)) for x in cands]
        skipped = [{"peer_id": x["peer_id"], "error": e} for x, e in first if e == "TIER_NOT_SUPPORTED"]
        skipped += [{"peer_id": x["peer_id"], "error": e} for x, e in first if e == "REPUTATION_BELOW_THRESHOLD"]
        kept = [x for x, e in first if e is None]
        kept.sort(key=lambda x: (-x["reputation_ppm"], x["position"], x["peer_id"].encode("utf-8")))
        c.expect(out == {"ranked": [x["peer_id"] for x in kept], "skipped": skipped}, where, "order or skipped differ from DLG-004 computed here", "delegation.rank outputs")


# ------------------------------------------------------------ tasks and evidence
# Task requests, results, tool receipts and test attestations (spec/09), checked
# from the rules themselves: every signature with libsodium (requests,
# results, every receipt of every evidence package, every test attestation),
# the receipt hash chain recomputed with hashlib over the payloads (the first
# prev_hash is the request's payload hash, each next one the SHA-256 of the
# previous receipt's payload), the data flow, evidence times and the
# attestation binding; and, for each invalid vector, that the one defect it
# states is the only one these checks find.

TASK_REQUEST_CT = "application/ap2p.task-request.v1+cbor"
TASK_RESULT_CT = "application/ap2p.task-result.v1+cbor"
TOOL_RECEIPT_CT = "application/ap2p.tool-receipt.v1+cbor"
TEST_ATTESTATION_CT = "application/ap2p.test-attestation.v1+cbor"
TEST_FORMAT = "ap2p-test-v1"
# TEST ONLY: the root's secret key is public (spec/09 section 9.9).
TEST_ROOT_SEED = hashlib.sha256(b"ap2p-test-v1 attestation root (test only, never trust)").digest()
TEST_ROOT_DID = "did:key:z6MkiP9qHuYFyJ8oZLLxup2KrjR8ZffMiitVFNXGypCjfy6z"
RECEIPT_FIELDS = {"executor", "index", "prev_hash", "tool", "input_hash", "output_hash", "started_at", "ended_at"}
CLAIM_FIELDS = {"nonce", "provider", "request_hash", "measurement", "issued_at"}
# The defect each code names, as found by task_facts below.
TASK_FACT_OF = {
    "TASK_REQUEST_HASH_MISMATCH": "request_hash", "TASK_WRONG_PROVIDER": "wrong_provider",
    "EVD_EVIDENCE_MISSING": "missing", "EVD_REQUEST_HASH_MISMATCH": "pkg_request", "EVD_NONCE_MISMATCH": "pkg_nonce",
    "EVD_RECEIPTS_MISSING": "no_receipts", "EVD_EXECUTOR_MISMATCH": "executor", "EVD_RECEIPT_INDEX_MISMATCH": "index",
    "EVD_CHAIN_BROKEN": "chain", "EVD_INPUT_HASH_MISMATCH": "flow", "EVD_OUTPUT_HASH_MISMATCH": "output",
    "EVD_TIME_DISORDER": "disorder", "EVD_TIME_OUTSIDE_WINDOW": "window",
    "EVD_ATTESTATION_MISSING": "att_missing", "EVD_ATTESTATION_FORMAT_NOT_ACCEPTED": "att_not_listed",
    "EVD_ATTESTATION_FORMAT_UNKNOWN": "att_unknown", "EVD_ATTESTATION_INVALID": "att_invalid",
    "EVD_ATTESTATION_NONCE_MISMATCH": "att_nonce", "EVD_ATTESTATION_PROVIDER_MISMATCH": "att_provider",
    "EVD_ATTESTATION_REQUEST_MISMATCH": "att_request", "EVD_ATTESTATION_TIME_INVALID": "att_time",
}


def signed_part(data: bytes, content_type: str):
    """(signature good, kid, payload, body) of a COSE_Sign1 under content_type with a canonical map payload; None otherwise."""
    parsed = parse_cose(data)
    if parsed is None or parsed[0].get(3) != content_type:
        return None
    checked = cose_signature(data)
    if checked is None:
        return None
    good, kid, payload = checked
    if not canonical(payload):
        return None
    body = cbor2.loads(payload)
    return (good, kid, payload, body) if isinstance(body, dict) else None


def test_claims_fact(evidence: bytes):
    """The claims of test-format evidence, or None where EVD-019 makes it invalid (shape, content type, kid, signature)."""
    part = signed_part(evidence, TEST_ATTESTATION_CT)
    if part is None:
        return None
    good, kid, _, claims = part
    ok = (good and kid == TEST_ROOT_DID and set(claims) <= CLAIM_FIELDS and {"nonce", "provider", "request_hash", "issued_at"} <= set(claims)
          and 16 <= len(claims["nonce"]) <= 64 and len(claims["request_hash"]) == 32 and len(claims.get("measurement", b"")) <= 64)
    return claims if ok else None


def task_facts(c, where: str, request: bytes, result: bytes, shared: dict):
    """The defects found in a result: a set of names (TASK_FACT_OF), or None if the result is not a result payload."""
    rq = signed_part(request, TASK_REQUEST_CT)
    c.expect(rq is not None and rq[0] and rq[3].get("delegator") == rq[1], where, "the delegator's request does not verify", "task-result.verify requests verified")
    rs = signed_part(result, TASK_RESULT_CT)
    if rq is None or rs is None:
        return None
    _, _, req_payload, req = rq
    good, kid, _, res = rs
    req_hash = hashlib.sha256(req_payload).digest()
    skew = int(shared["clock_skew_ms"])
    registry = set(shared["attestation_verifiers"])
    facts = set()
    if not good:
        facts.add("result_sig")
    if res.get("provider") != kid:
        facts.add("result_kid")
    if res.get("request_hash") != req_hash:
        facts.add("request_hash")
    if res.get("provider") != req["provider"]:
        facts.add("wrong_provider")
    completed = res.get("status", 0) == 1
    formats = req.get("attestation_formats", [])
    ev = res.get("evidence")
    if ev is None:
        if completed and req["required_tier"] == 3:
            facts.add("missing")
        return facts
    if ev["request_hash"] != req_hash:
        facts.add("pkg_request")
    if ev["nonce"] != req["nonce"]:
        facts.add("pkg_nonce")
    receipts = ev.get("receipts", [])
    if completed and not receipts:
        facts.add("no_receipts")
    parts = [signed_part(r["cose_sign1"], TOOL_RECEIPT_CT) for r in receipts]
    if all(p is not None and set(p[3]) <= RECEIPT_FIELDS for p in parts):
        start, end = req["issued_at"] - skew, res["completed_at"]
        prev, product, prev_end = req_hash, req["input_hash"], None
        for i, (rgood, rkid, rpayload, r) in enumerate(parts):
            c.count("receipt signatures verified")
            if not rgood:
                facts.add("receipt_sig")
            if r["executor"] != rkid:
                facts.add("receipt_kid")
            if r["executor"] != res["provider"]:
                facts.add("executor")
            if r.get("index", 0) != i:
                facts.add("index")
            if r["prev_hash"] != prev:
                facts.add("chain")
            if r["input_hash"] != product:
                facts.add("flow")
            if r["ended_at"] < r["started_at"] or (prev_end is not None and r["started_at"] < prev_end):
                facts.add("disorder")
            if r["started_at"] < start or r["ended_at"] > end:
                facts.add("window")
            prev, product, prev_end = hashlib.sha256(rpayload).digest(), r["output_hash"], r["ended_at"]
        if parts:
            c.count("receipt chains recomputed")
        if completed and parts and product != res.get("output_hash", b""):
            facts.add("output")
        last_at = None
        for e in ev.get("trace", []):
            if last_at is not None and e["at"] < last_at:
                facts.add("disorder")
            if e["at"] < start or e["at"] > end:
                facts.add("window")
            last_at = e["at"]
    att = ev.get("attestation")
    if att is None:
        if completed and formats:
            facts.add("att_missing")
        return facts
    if formats and att["format"] not in formats:
        facts.add("att_not_listed")
    if att["format"] not in registry:
        if (completed and formats) or shared["unknown_attestation"] == "reject":
            facts.add("att_unknown")
        return facts
    c.count("test attestations verified")
    claims = test_claims_fact(att["evidence"])
    if claims is None:
        facts.add("att_invalid")
        return facts
    if claims["nonce"] != req["nonce"]:
        facts.add("att_nonce")
    if claims["provider"] != res["provider"]:
        facts.add("att_provider")
    if claims["request_hash"] != req_hash:
        facts.add("att_request")
    if not req["issued_at"] - skew <= claims["issued_at"] <= req["deadline"] + skew:
        facts.add("att_time")
    return facts


def request_facts(data: bytes, shared: dict, detached):
    """The defects found in a request (the provider-side rules whose inputs are in the vector), or None if it is not a request."""
    part = signed_part(data, TASK_REQUEST_CT)
    if part is None:
        return None
    good, kid, _, r = part
    facts = set()
    if not good:
        facts.add("sig")
    if r.get("delegator") != kid:
        facts.add("delegator_kid")
    if r.get("provider") != shared["provider"]:
        facts.add("wrong_provider")
    if r.get("deadline", 0) <= r.get("issued_at", 0):
        facts.add("deadline")
    if r.get("attestation_formats") and r.get("required_tier") != 3:
        facts.add("formats_below_evidence")
    body_input = r.get("input", detached)
    if body_input is not None and hashlib.sha256(body_input).digest() != r.get("input_hash"):
        facts.add("input")
    return facts


REQUEST_FACT_OF = {"COSE_KID_MISMATCH": "delegator_kid", "TASK_WRONG_PROVIDER": "wrong_provider", "TASK_DEADLINE_INVALID": "deadline",
                   "TASK_ATTESTATION_REQUIRES_EVIDENCE": "formats_below_evidence", "TASK_INPUT_HASH_MISMATCH": "input"}


def expect_facts(c, where: str, t: dict, facts: set, fact_of: dict, what: str):
    """Valid: no defect found. Invalid: exactly the one its code names (with DefectOrder, the named one among others)."""
    error, flags = t.get("error"), t.get("flags", [])
    named = fact_of.get(error)
    if error in ("SIG_INVALID",):
        named = ({"result_sig", "receipt_sig", "sig"} & facts or {"sig"}).pop()
    if error == "COSE_KID_MISMATCH" and fact_of is TASK_FACT_OF:
        named = ({"result_kid", "receipt_kid"} & facts or {"result_kid"}).pop()
    if t["result"] == "valid":
        c.expect(not facts, where, f"expected valid, but found {sorted(facts)}", what)
    elif "DefectOrder" in flags:
        c.expect((named is None or named in facts) and len(facts) >= 2 - (named is None), where, f"expected two defects including {named}, found {sorted(facts)}", what)
    else:
        c.expect(facts == ({named} if named else set()), where, f"expected only {named or error}, found {sorted(facts)}", what)


def check_task(c, op: str, shared: dict, t: dict):
    """The task and evidence operations of vectors/README.md."""
    where, result, inputs, out = t["id"], t["result"], t["inputs"], t.get("output")
    h = bytes.fromhex
    if op == "task-request.verify":
        for i, step in enumerate(inputs.get("accepted", [])):
            c.envelope(f"{where} accepted[{i}]", h(step["request"]), {"result": "valid"}, TASK_REQUEST_CT)
        data = h(inputs["request"])
        c.envelope(where, data, t, TASK_REQUEST_CT)
        facts = request_facts(data, shared, h(inputs["input"]) if "input" in inputs else None)
        if facts is None:
            c.expect(result == "invalid", where, "expected valid, but it is not a signed request", "task requests not requests expected invalid")
            return
        expect_facts(c, where, t, facts, REQUEST_FACT_OF, "task-request.verify defects")
        if result == "valid":
            payload = parse_cose(data)[2]
            c.expect(out == {"request_hash": hashlib.sha256(payload).hexdigest()}, where, "request_hash is not SHA-256 of the payload", "task-request.verify request hashes")
    elif op == "task-result.verify":
        facts = task_facts(c, where, h(inputs["request"]), h(inputs["result"]), shared)
        if facts is None:
            c.expect(result == "invalid", where, "expected valid, but it is not a signed result", "task results not results expected invalid")
            return
        if result == "valid":
            c.count("task results valid: every signature and link checked")
        expect_facts(c, where, t, facts, TASK_FACT_OF, "task-result.verify defects")
    elif op in ("task-request.sign", "task-result.sign", "tool-receipt.sign", "test-attestation.sign") and result == "valid":
        ct = {"task-request.sign": TASK_REQUEST_CT, "task-result.sign": TASK_RESULT_CT, "tool-receipt.sign": TOOL_RECEIPT_CT, "test-attestation.sign": TEST_ATTESTATION_CT}[op]
        seed, payload = h(shared["secret_key"]), h(out["payload"])
        c.expect(canonical(payload), where, "payload not canonical", f"{op} payloads canonical")
        c.expect(hashlib.sha256(payload).hexdigest() == out["sha256"], where, "sha256 is not the SHA-256 of the payload", f"{op} message hashes")
        c.expect(build_cose(seed, ct, payload).hex() == out["cose"], where, "COSE_Sign1 differs from one built here", f"{op} outputs")
        body = cbor2.loads(payload)
        signer = key_to_did(SigningKey(seed).verify_key.encode())
        if op == "test-attestation.sign":
            c.expect(seed == TEST_ROOT_SEED and signer == TEST_ROOT_DID, where, "not signed by the published test root", "test-attestation.sign signers")
        else:
            c.expect(body[{"task-request.sign": "delegator", "task-result.sign": "provider", "tool-receipt.sign": "executor"}[op]] == signer, where, "the signer is not the party the message names", f"{op} signers")
        ev = body.get("evidence") if op == "task-result.sign" else None
        if ev is not None:
            # The evidence inside a signed result: every receipt and the attestation verify, and the chain links payload hashes.
            parts = [signed_part(r["cose_sign1"], TOOL_RECEIPT_CT) for r in ev.get("receipts", [])]
            c.expect(all(p is not None and p[0] and p[1] == signer for p in parts), where, "a receipt does not verify", "task-result.sign receipts verified")
            c.expect(parts[0][3]["prev_hash"] == ev["request_hash"] and all(parts[i][3]["prev_hash"] == hashlib.sha256(parts[i - 1][2]).digest() for i in range(1, len(parts))), where, "the receipt chain does not link", "task-result.sign receipt chains")
            c.expect(parts[-1][3]["output_hash"] == body["output_hash"] == hashlib.sha256(body["output"]).digest(), where, "the chain does not end at the output", "task-result.sign receipt chains")
            att = ev.get("attestation")
            if att is not None:
                claims = test_claims_fact(att["evidence"])
                c.expect(claims is not None and claims["nonce"] == ev["nonce"] and claims["request_hash"] == ev["request_hash"] and claims["provider"] == signer, where, "the attestation does not verify or is not bound", "task-result.sign attestations")
    elif op == "attestation.challenge" and result == "valid":
        j = inputs["json"]
        binding = {"nonce": base64.b64decode(j["nonce"]), "provider": j["provider"], "request_hash": base64.b64decode(j["requestHash"])}
        c.expect(hashlib.sha256(cbor2.dumps(binding, canonical=True)).hexdigest() == out["challenge"], where, "challenge is not SHA-256 of the canonical binding", "attestation.challenge outputs")
    else:
        c.count(f"{op} {result} (nothing to check independently)")


def main(argv):
    as_json = "--json" in argv
    args = [a for a in argv if a != "--json"]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    corpus = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "v1")
    c = Checker(corpus)
    c.manifest()
    c.vectors()
    report = {
        "ok": not c.disagreements,
        "libraries": {"pynacl": nacl.__version__, "libsodium": nacl.bindings.sodium_version_string() if hasattr(nacl.bindings, "sodium_version_string") else "?", "cbor2": getattr(cbor2, "__version__", "?")},
        "spec_version": getattr(c, "spec_version", None),
        "corpus_digest": getattr(c, "corpus_digest", None),
        "counts": dict(sorted(c.counts.items())),
        "notes": c.notes,
        "disagreements": c.disagreements,
    }
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(f"independent check of {corpus} (PyNaCl {nacl.__version__}, cbor2)")
        for k, v in report["counts"].items():
            print(f"  {v:5d}  {k}")
        for n in c.notes:
            print(f"  note: {n}")
        for d in c.disagreements:
            print(f"  DISAGREES: {d}", file=sys.stderr)
        print("OK" if report["ok"] else f"FAILED: {len(c.disagreements)} disagreement(s)")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
