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

Usage: check.py [CORPUS_DIR] [--json]   (default: the v1 folder beside this one)
Exit status 0 if everything agrees, 1 on any disagreement, 2 on a usage error
or a missing module.
"""

import hashlib
import json
import os
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
        else:
            self.count(f"{op} {result} (nothing to check independently)")


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
