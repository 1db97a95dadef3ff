"""Independent check of the discovery vectors (spec/06-discovery.md).

Used by check.py, whose helpers (COSE parsing, did:key, libsodium through
PyNaCl, canonical CBOR through cbor2) it receives as `lib`. Written from the
specification's text, apart from the reference implementation:

  - query.tokenize: the token rule of DISC-009, walking a Python str (code
    points), compared with every output;
  - query.match: the matching table of DISC-008 and the intent score of
    DISC-010 (and the checks across fields of DISC-006 for the queries a
    registry rejects), compared with every output;
  - registry-answer.verify: the whole table of §6.7, with the registry's
    signature and every returned descriptor's signature checked by libsodium
    and the query hash computed from the query's canonical CBOR; the first
    failing check must be the expected code (shape defects of the envelope
    and the payload are checked as one class);
  - registry.answer: the answer rebuilt byte for byte from its payload with
    the registry's key, checked as a client would, and its results, total and
    freshness recomputed from the publish history the test states
    (eligibility, matching, ranking, the per-origin limit, max_results, and
    the cut to 65,536 bytes);
  - registry.publish: every descriptor a step or test says was accepted has a
    good signature, and every one rejected with SIG_INVALID a bad one.
"""

import base64
import hashlib
import re

import cbor2

DESCRIPTOR_CT = "application/ap2p.descriptor.v1+cbor"
ANSWER_CT = "application/ap2p.registry-answer.v1+cbor"
OPERATIONS = {"query.tokenize", "query.match", "registry.publish", "registry.answer", "registry-answer.verify"}
L = 2**252 + 27742317777372353535851937790883648493
MAX_SIGN1 = 65536

# Enum values by name, for the proto3 JSON form of queries and capabilities.
ENUMS = {
    "MATCH_MODE_EXACT": 1, "MATCH_MODE_PREFIX": 2,
    "MODALITY_TEXT": 1, "MODALITY_IMAGE": 2, "MODALITY_AUDIO": 3, "MODALITY_VIDEO": 4,
    "MODALITY_STRUCTURED": 5, "MODALITY_FILE": 6, "MODALITY_ACTION": 7,
    "VERIFICATION_TIER_REPUTATION": 1, "VERIFICATION_TIER_CANARY": 2, "VERIFICATION_TIER_EVIDENCE": 3,
    "PRICE_UNIT_CALL": 1, "PRICE_UNIT_SECOND": 2, "PRICE_UNIT_THOUSAND_TOKENS": 3,
}
ENUM_FIELDS = {"idMatch", "versionMatch", "inputModalities", "outputModalities", "minTier", "modality", "unit", "supportedTiers"}
INT64_FIELDS = {"availableAt", "amountMicros"}
BYTES_FIELDS = {"nonce"}
# Codes of the envelope's and the payload's shape (§4.5 steps 1 to 3), which
# this check treats as one class.
SHAPE = ("CBOR_", "SCHEMA_", "COSE_")


def is_shape(code):
    return code is not None and code.startswith(SHAPE) and code != "COSE_KID_MISMATCH"


# ---------------------------------------------------------------- data model

def snake(name):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def from_json(value, key=None):
    """The CBOR data model (snake_case keys, enum numbers, ints, bytes) of a proto3 JSON value."""
    if isinstance(value, dict):
        return {snake(k): from_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v, key) for v in value]
    if isinstance(value, str):
        if key in ENUM_FIELDS:
            return ENUMS[value]
        if key in INT64_FIELDS:
            return int(value)
        if key in BYTES_FIELDS:
            return base64.b64decode(value)
    return value


def query_hash(query_json):
    # ENC-020: SHA-256 of the canonical encoding. The JSON forms of the
    # vectors carry no default values, so the data model maps one to one.
    return hashlib.sha256(cbor2.dumps(from_json(query_json), canonical=True)).digest()


# ---------------------------------------------------------------- DISC-009, DISC-008, DISC-010, DISC-011

def tokenize(text):
    """Distinct tokens in order of first occurrence: A-Z mapped to a-z, runs of a-z, 0-9 and U+0080 up."""
    tokens, seen, current = [], set(), []

    def flush():
        if current:
            t = "".join(current)
            if t not in seen:
                seen.add(t)
                tokens.append(t)
            current.clear()

    for ch in text:  # a str yields code points
        cp = ord(ch)
        if 0x41 <= cp <= 0x5A:
            cp += 0x20
        if 0x30 <= cp <= 0x39 or 0x61 <= cp <= 0x7A or cp >= 0x80:
            current.append(chr(cp))
        else:
            flush()
    flush()
    return tokens


def capability_tokens(c):
    out = []
    for text in list(c.get("intents", [])) + list(c.get("tags", [])):
        for t in tokenize(text):
            if t not in out:
                out.append(t)
    return out


def available(windows, t):
    if not windows:
        return True
    day = t // 86_400_000
    weekday = (day + 3) % 7
    minute = (t % 86_400_000) // 60_000
    return any((w.get("weekdays", 0) >> weekday) & 1 and w.get("start_minute", 0) <= minute < w.get("end_minute", 0) for w in windows)


def score_of(c, q):
    """The intent score if capability c matches query q (DISC-008, DISC-010), else None."""
    if c.get("namespace") != q.get("namespace"):
        return None
    mode, want = q.get("id_match", 0), q.get("id", "")
    if mode == 1 and c["id"] != want or mode == 2 and not c["id"].startswith(want):
        return None
    mode, want = q.get("version_match", 0), q.get("version", "")
    if mode == 1 and c["version"] != want or mode == 2 and not (c["version"] == want or c["version"].startswith(want + ".")):
        return None
    if any(tag not in c.get("tags", []) for tag in q.get("required_tags", [])):
        return None
    k = c.get("constraints", {})
    if "max_latency_ms" in q and not ("max_latency_ms" in k and k["max_latency_ms"] <= q["max_latency_ms"]):
        return None
    if "max_price" in q:
        p, m = k.get("price"), q["max_price"]
        if p is None or p["currency"] != m["currency"] or p["unit"] != m["unit"] or p.get("amount_micros", 0) > m.get("amount_micros", 0):
            return None
    allowed = q.get("allowed_regions", [])
    if allowed and not (k.get("regions") and all(r in allowed for r in k["regions"])):
        return None
    if q.get("on_device_only") and not k.get("on_device"):
        return None
    if "available_at" in q and not available(k.get("availability", []), q["available_at"]):
        return None
    inputs = {io["modality"] for io in c.get("inputs", [])}
    outputs = {io["modality"] for io in c.get("outputs", [])}
    if any(m not in inputs for m in q.get("input_modalities", [])) or any(m not in outputs for m in q.get("output_modalities", [])):
        return None
    if q.get("min_tier", 0) and not any(t >= q["min_tier"] for t in c.get("supported_tiers", [])):
        return None
    qt = tokenize(q.get("intent", ""))
    ct = capability_tokens(c)
    score = sum(1 for t in qt if t in ct)
    if qt and score == 0:
        return None
    return score


def rank_key(peer_id, c, score, q):
    """The key of DISC-011 as a tuple that Python compares component by component."""
    k = c.get("constraints", {})
    has_intent = bool(tokenize(q.get("intent", "")))
    latency = (0, k["max_latency_ms"]) if "max_latency_ms" in k else (1, 0)
    price = k.get("price", {}).get("amount_micros", 0) if "max_price" in q else 0
    return (-score, len(capability_tokens(c)) if has_intent else 0, latency, price, peer_id.encode(), c["id"].encode(), c["version"].encode())


def query_rule_defect(q):
    """True if a query breaks a rule of DISC-006 across its fields."""
    if bool(q.get("id")) != bool(q.get("id_match", 0)):
        return True
    if bool(q.get("version")) != bool(q.get("version_match", 0)):
        return True
    return q.get("version_match", 0) == 1 and len(q.get("version", "").split(".")) != 3


# ---------------------------------------------------------------- descriptors and answers

def signed(lib, data, content_type):
    """(kid, payload dict, signature good) of a COSE_Sign1 of the content type, or None if its shape is wrong."""
    parsed = lib.parse_cose(data)
    if parsed is None:
        return None
    header, protected, payload, signature = parsed
    if header.get(1) != -8 or header.get(3) != content_type or not isinstance(header.get(4), bytes) or len(signature) != 64:
        return None
    try:
        kid = header[4].decode("utf-8")
        key = lib.did_to_key(kid)
    except (UnicodeDecodeError, ValueError):
        return None
    if not lib.canonical(payload):
        return None
    body = cbor2.loads(payload)
    if not isinstance(body, dict):
        return None
    good = int.from_bytes(signature[32:], "little") < L and lib.nacl_verify(key, lib.sig_structure(protected, payload), signature)
    return kid, body, good, signature


def descriptor_ok(lib, data, now, max_ttl, skew):
    """The descriptor's payload if it passes §5.7 at now for this policy (the checks this script knows), else None."""
    s = signed(lib, data, DESCRIPTOR_CT)
    if s is None:
        return None
    kid, d, good, _ = s
    caps = d.get("capabilities", [])
    if d.get("peer_id") != kid or not good:
        return None
    issued, expires = d.get("issued_at", 0), d.get("expires_at", 0)
    if not issued < expires or expires - issued > max_ttl or now + skew < issued or now >= expires + skew:
        return None
    if d.get("withdrawn") and (caps or d.get("endpoints")) or not d.get("withdrawn") and not caps:
        return None
    return d


def answer_shape(a):
    """True if a decoded RegistryAnswer payload has the shape of the schema (fields, types, lengths, no default written)."""
    if set(a) - {"registry_id", "query_hash", "as_of", "fresh_until", "results", "total_matches"}:
        return False
    if not isinstance(a.get("registry_id"), str) or not isinstance(a.get("query_hash"), bytes) or len(a["query_hash"]) != 32:
        return False
    if not isinstance(a.get("as_of"), int) or a["as_of"] <= 0 or not isinstance(a.get("fresh_until"), int) or a["fresh_until"] <= 0:
        return False
    if "total_matches" in a and (not isinstance(a["total_matches"], int) or not 0 < a["total_matches"] < 2**32):
        return False
    results = a.get("results", None)
    if results is not None and (not isinstance(results, list) or not 0 < len(results) <= 100):
        return False
    for r in results or []:
        if not isinstance(r, dict) or set(r) - {"descriptor", "capability_index"}:
            return False
        d = r.get("descriptor")
        if not isinstance(d, dict) or set(d) != {"cose_sign1"} or not isinstance(d["cose_sign1"], bytes) or not d["cose_sign1"]:
            return False
        if "capability_index" in r and (not isinstance(r["capability_index"], int) or not 0 < r["capability_index"] <= 63):
            return False
    return True


def verify_answer(lib, data, query, registry, now, max_ttl, skew, max_fresh):
    """The first failing check of §6.7 ("SHAPE" for a defect of §4.5 steps 1 to 3), or ("valid", results)."""
    parsed = lib.parse_cose(data)
    if parsed is not None and len(parsed[3]) != 64:
        return "SIG_MALFORMED", None
    s = signed(lib, data, ANSWER_CT)
    if s is None or not answer_shape(s[1]):
        return "SHAPE", None
    kid, a, good, signature = s
    if a["registry_id"] != kid:
        return "COSE_KID_MISMATCH", None
    if kid != registry:
        return "DISC_REGISTRY_UNEXPECTED", None
    if int.from_bytes(signature[32:], "little") >= L:
        return "SIG_S_NOT_CANONICAL", None
    if not good:
        return "SIG_INVALID", None
    q = from_json(query)
    if a["query_hash"] != query_hash(query):
        return "DISC_ANSWER_QUERY_MISMATCH", None
    as_of, fresh = a["as_of"], a["fresh_until"]
    if not as_of < fresh <= as_of + max_fresh:
        return "DISC_ANSWER_WINDOW_INVALID", None
    if as_of > now + skew:
        return "DISC_ANSWER_FROM_FUTURE", None
    if now >= fresh + skew:
        return "DISC_ANSWER_STALE", None
    results = a.get("results", [])
    if len(results) > q["max_results"] or len(results) > a.get("total_matches", 0):
        return "DISC_ANSWER_TOO_MANY_RESULTS", None
    out, bytes_of, seen, previous = [], {}, set(), None
    for r in results:
        data_r, index = r["descriptor"]["cose_sign1"], r.get("capability_index", 0)
        d = descriptor_ok(lib, data_r, now, max_ttl, skew)
        if d is None or d["issued_at"] > as_of or d["expires_at"] < fresh:
            return "DISC_ANSWER_RESULT_INVALID", None
        caps = d.get("capabilities", [])
        score = score_of(caps[index], q) if index < len(caps) else None
        if score is None:
            return "DISC_ANSWER_RESULT_MISMATCH", None
        peer = d["peer_id"]
        if peer in bytes_of and bytes_of[peer] != data_r or (peer, index) in seen:
            return "DISC_ANSWER_DUPLICATE_RESULT", None
        bytes_of[peer] = data_r
        seen.add((peer, index))
        key = rank_key(peer, caps[index], score, q)
        if previous is not None and not key > previous:
            return "DISC_ANSWER_OUT_OF_ORDER", None
        previous = key
        out.append({"peer_id": peer, "capability_index": index})
    return "valid", out


def expected_answer(lib, shared, inputs):
    """The results, total_matches and fresh_until of DISC-014, recomputed from the stated history."""
    state = {}
    for step in inputs["history"]:
        if "change" not in step:
            continue
        s = signed(lib, bytes.fromhex(step["descriptor"]), DESCRIPTOR_CT)
        state[s[1]["peer_id"]] = (bytes.fromhex(step["descriptor"]), s[1], step["origin"])
    q, now = from_json(inputs["query"]), int(inputs["now"])
    matches = []
    for peer, (data, d, origin) in state.items():
        if d.get("withdrawn") or not d["issued_at"] <= now < d["expires_at"]:
            continue
        for index, c in enumerate(d.get("capabilities", [])):
            score = score_of(c, q)
            if score is not None:
                matches.append((rank_key(peer, c, score, q), peer, index, origin, d["expires_at"]))
    matches.sort()
    per_origin, chosen = {}, []
    for m in matches:
        if per_origin.get(m[3], 0) < shared["max_results_per_origin"]:
            per_origin[m[3]] = per_origin.get(m[3], 0) + 1
            chosen.append(m)
    chosen = chosen[: q["max_results"]]
    total = min(len(matches), 2**32 - 1)
    fresh = lambda n: min([now + int(shared["answer_freshness_ms"])] + [m[4] for m in chosen[:n]])
    # Step 4: the longest prefix whose signed answer is at most 65,536 bytes.
    seed = bytes.fromhex(shared["secret_key"])
    registry = lib.key_to_did(lib.SigningKey(seed).verify_key.encode())
    n = len(chosen)
    while n > 0:
        payload = {"registry_id": registry, "query_hash": query_hash(inputs["query"]), "as_of": now, "fresh_until": fresh(n)}
        payload["results"] = [{"descriptor": {"cose_sign1": state[m[1]][0]}, **({"capability_index": m[2]} if m[2] else {})} for m in chosen[:n]]
        if total:
            payload["total_matches"] = total
        if len(lib.build_cose(seed, ANSWER_CT, cbor2.dumps(payload, canonical=True))) <= MAX_SIGN1:
            break
        n -= 1
    return [{"peer_id": m[1], "capability_index": m[2]} for m in chosen[:n]], total, fresh(n)


# ---------------------------------------------------------------- per operation

def check(checker, op, shared, t, lib):
    where, result, inputs, out = t["id"], t["result"], t["inputs"], t.get("output")
    error = t.get("error")
    if op == "query.tokenize":
        checker.expect(tokenize(inputs["text"]) == out["tokens"], where, f"tokens {tokenize(inputs['text'])}", "query.tokenize outputs")
    elif op == "query.match":
        q = from_json(inputs["query"])
        if result == "valid":
            c = from_json(inputs["capability"])
            score = score_of(c, q)
            got = {"matches": False} if score is None else {"matches": True, "score": score, "breadth": len(capability_tokens(c))}
            checker.expect(got == out and not query_rule_defect(q), where, f"computed {got}", "query.match outputs")
        elif error == "DISC_QUERY_INVALID":
            checker.expect(query_rule_defect(q), where, "no DISC-006 defect found", "query.match DISC-006 defects")
        else:
            checker.count("query.match schema defects (not checked here)")
    elif op == "registry.publish":
        steps = list(inputs["history"]) + [dict(inputs, **({"change": out["change"]} if result == "valid" else {"error": error}))]
        for i, step in enumerate(steps):
            s = signed(lib, bytes.fromhex(step["descriptor"]), DESCRIPTOR_CT)
            at = f"{where} step {i}"
            if "change" in step:
                checker.expect(s is not None and s[2] and s[1].get("peer_id") == s[0], at, "accepted, but its signature or kid is bad", "registry.publish accepted signatures")
            elif step["error"] == "SIG_INVALID":
                checker.expect(s is not None and not s[2], at, "SIG_INVALID, but the signature is good", "registry.publish forged signatures")
    elif op == "registry.answer":
        if result != "valid":
            q = from_json(inputs["query"])
            checker.expect(error != "DISC_QUERY_INVALID" or query_rule_defect(q), where, "no DISC-006 defect found", "registry.answer refused queries")
            return
        data = bytes.fromhex(out["answer"])
        seed = bytes.fromhex(shared["secret_key"])
        parsed = lib.parse_cose(data)
        checker.expect(parsed is not None and lib.build_cose(seed, ANSWER_CT, parsed[2]) == data and len(data) <= MAX_SIGN1, where, "the answer differs from one built here", "registry.answer envelopes rebuilt")
        registry = lib.key_to_did(lib.SigningKey(seed).verify_key.encode())
        verdict, results = verify_answer(lib, data, inputs["query"], registry, int(inputs["now"]), int(shared["max_ttl_ms"]), int(shared["clock_skew_ms"]), 300_000)
        checker.expect(verdict == "valid" and results == out["results"], where, f"a client's check gives {verdict}", "registry.answer outputs pass a client's check")
        a = cbor2.loads(parsed[2])
        checker.expect(a["as_of"] == int(inputs["now"]) and a["fresh_until"] == int(out["fresh_until"]) and a.get("total_matches", 0) == out["total_matches"], where, "as_of, fresh_until or total_matches differ from the answer's", "registry.answer outputs match their answer")
        want = expected_answer(lib, shared, inputs)
        checker.expect(want == (out["results"], out["total_matches"], int(out["fresh_until"])), where, f"recomputed {want}", "registry.answer results recomputed from the history")
    elif op == "registry-answer.verify":
        verdict, results = verify_answer(
            lib, bytes.fromhex(inputs["answer"]), inputs["query"], inputs["registry"], int(inputs["now"]),
            int(shared["max_ttl_ms"]), int(shared["clock_skew_ms"]), int(shared["max_freshness_ms"]),
        )
        if result == "valid":
            checker.expect(verdict == "valid" and results == out["results"], where, f"expected valid, computed {verdict}", "registry-answer.verify verdicts")
        elif verdict == "SHAPE":
            checker.expect(is_shape(error), where, f"expected {error}, computed a shape defect", "registry-answer.verify shape defects")
        else:
            checker.expect(verdict == error, where, f"expected {error}, computed {verdict}", "registry-answer.verify verdicts")
