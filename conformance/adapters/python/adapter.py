#!/usr/bin/env python3
"""A second, independent AP2P implementation driven by the conformance harness.

It speaks the driver protocol of spec/13-conformance.md over standard input
and output (one proto3-JSON DriverRequest per line in, one DriverResponse per
line out, nothing else on standard output) and implements two operations of
the test-vector corpus from the specification alone:

  cbor.decode        the deterministic-CBOR profile of spec section 3.1-3.3,
                     with the exact error code of each rule;
  descriptor.verify  the whole procedure of spec section 5.7: the COSE_Sign1
                     envelope and protected header (4.3), the did:key kid
                     (4.1), the payload as a CapabilityDescriptor with its
                     schema rules (3.4, 3.5), the descriptor's structural
                     rules (5.4), the strict Ed25519 rule (4.2) with libsodium
                     through PyNaCl after the small-order and non-canonical
                     pre-checks, and the time, TTL and seq rules (5.5).

Every other operation is answered "unsupported". It needs Python 3.9+ with
cbor2 (used for the re-encoding comparison of ENC-012 and for Sig_structure)
and PyNaCl (libsodium); Debian packages python3-cbor2 and python3-nacl.

Usage: adapter.py            (reads requests from standard input)
"""

import json
import re
import sys
import traceback

try:
    import cbor2
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey
except ImportError as e:  # pragma: no cover
    sys.stderr.write(f"adapter.py needs cbor2 and PyNaCl (Debian: python3-cbor2 python3-nacl): {e}\n")
    sys.exit(2)

DRIVER_PROTOCOL_VERSION = 1
NAME = "ap2p-python-adapter"
VERSION = "0.1.0"

# Standard output carries protocol lines only (DRV-018): keep the real stream
# for responses and send anything printed by accident to standard error.
PROTOCOL_OUT = sys.stdout
sys.stdout = sys.stderr


class Reject(Exception):
    """A verdict about the input: a registry code (spec section 11) and a message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------
# Deterministic CBOR (spec section 3.2, 3.3)

MAX_MESSAGE_BYTES = 65536
MAX_DEPTH = 16


class Profile:
    def __init__(self, max_bytes, max_depth, map_keys, top_tag=None):
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.map_keys = map_keys  # "text" (ENC-005) or "int" (COSE header maps)
        self.top_tag = top_tag


MESSAGE_PROFILE = Profile(MAX_MESSAGE_BYTES, MAX_DEPTH, "text")
ENVELOPE_PROFILE = Profile(MAX_MESSAGE_BYTES, 2, "int")
# Depth 4 lets an unsupported header label with a structured value reach the label check.
HEADER_PROFILE = Profile(1024, 4, "int")


class Tagged:
    def __init__(self, tag, value):
        self.tag = tag
        self.value = value


class Decoder:
    """Reads one item, checking every rule of the profile as it goes; names the first defect in byte order."""

    def __init__(self, data, profile):
        self.b = data
        self.p = profile

    def head(self, pos):
        """The argument of the head at pos: (major, ai, arg, next position). Shortest form checked (ENC-002)."""
        b = self.b
        ib = b[pos]
        major, ai = ib >> 5, ib & 0x1F
        pos += 1
        if ai < 24:
            return major, ai, ai, pos
        n = 1 << (ai - 24)
        if pos + n > len(b):
            raise Reject("CBOR_MALFORMED", "truncated: argument runs past the end")
        arg = int.from_bytes(b[pos : pos + n], "big")
        minimum = {24: 24, 25: 0x100, 26: 0x10000, 27: 0x100000000}[ai]
        if arg < minimum:
            raise Reject("CBOR_NON_SHORTEST_HEAD", f"argument {arg} is not in its shortest form")
        return major, ai, arg, pos + n

    def item(self, pos, top=False, depth=0):
        """Returns (value, next position)."""
        b = self.b
        if pos >= len(b):
            raise Reject("CBOR_MALFORMED", "truncated: expected a data item")
        start = pos
        ib = b[pos]
        major, ai = ib >> 5, ib & 0x1F
        if major == 7:
            return self.simple(start, ai)
        if ai == 31:
            if 2 <= major <= 5:
                raise Reject("CBOR_INDEFINITE_LENGTH", "indefinite-length item (ENC-003)")
            raise Reject("CBOR_MALFORMED", f"additional information 31 with major type {major}")
        if ai >= 28:
            raise Reject("CBOR_MALFORMED", f"reserved additional information {ai}")
        major, ai, arg, pos = self.head(pos)
        if major == 0:
            return arg, pos
        if major == 1:
            # Below -2^63 no protobuf integer type can hold it (spec section 3.1, ENC-016).
            if arg >= 1 << 63:
                raise Reject("SCHEMA_INTEGER_OUT_OF_RANGE", "negative integer below -2^63")
            return -1 - arg, pos
        if major == 2:
            if arg > len(b) - pos:
                raise Reject("CBOR_MALFORMED", "truncated: byte string runs past the end")
            return bytes(b[pos : pos + arg]), pos + arg
        if major == 3:
            if arg > len(b) - pos:
                raise Reject("CBOR_MALFORMED", "truncated: text string runs past the end")
            try:
                return bytes(b[pos : pos + arg]).decode("utf-8", errors="strict"), pos + arg
            except UnicodeDecodeError:
                raise Reject("CBOR_INVALID_UTF8", "text string is not valid UTF-8 (ENC-009)") from None
        if major == 4:
            self.enter(depth)
            if arg > len(b) - pos:
                raise Reject("CBOR_MALFORMED", "truncated: array has more items than bytes left")
            out = []
            for _ in range(arg):
                v, pos = self.item(pos, False, depth + 1)
                out.append(v)
            return out, pos
        if major == 5:
            self.enter(depth)
            return self.map(pos, arg, depth + 1)
        # major == 6: ENC-007, except the COSE_Sign1 tag where the caller allows it.
        if not top or self.p.top_tag is None or arg != self.p.top_tag:
            raise Reject("CBOR_TAG_NOT_ALLOWED", f"tag {arg} is not allowed here (ENC-007)")
        v, pos = self.item(pos, False, depth)
        return Tagged(arg, v), pos

    def enter(self, depth):
        if depth + 1 > self.p.max_depth:
            raise Reject("CBOR_TOO_DEEP", f"nested deeper than {self.p.max_depth} (ENC-010)")

    def map(self, pos, count, depth):
        b = self.b
        if count > (len(b) - pos) // 2:
            raise Reject("CBOR_MALFORMED", "truncated: map has more entries than bytes left")
        out = {}
        prev = None
        for _ in range(count):
            if pos >= len(b):
                raise Reject("CBOR_MALFORMED", "truncated: expected a map key")
            key_major = b[pos] >> 5
            ok = key_major == 3 if self.p.map_keys == "text" else key_major in (0, 1)
            if not ok:
                raise Reject("CBOR_MAP_KEY_TYPE", f"map key of major type {key_major} (ENC-005)")
            key_start = pos
            key, pos = self.item(pos, False, depth)
            raw = bytes(b[key_start:pos])
            if prev is not None:
                if raw == prev:
                    raise Reject("CBOR_DUPLICATE_MAP_KEY", "duplicate map key (ENC-004)")
                if raw < prev:
                    raise Reject("CBOR_MAP_KEYS_UNSORTED", "map keys out of bytewise order (ENC-004)")
            prev = raw
            value, pos = self.item(pos, False, depth)
            out[key] = value
        return out, pos

    def simple(self, start, ai):
        # RFC 8949 section 3.3: 20 false, 21 true, 22 null, 23 undefined, 25-27 floats, 31 break.
        if ai == 20:
            return False, start + 1
        if ai == 21:
            return True, start + 1
        if 25 <= ai <= 27:
            raise Reject("CBOR_FLOAT_NOT_ALLOWED", "floating-point value (ENC-006)")
        if ai == 31:
            raise Reject("CBOR_MALFORMED", "break code outside an indefinite-length item")
        if ai >= 28:
            raise Reject("CBOR_MALFORMED", f"reserved additional information {ai}")
        if ai == 24:
            if start + 1 >= len(self.b):
                raise Reject("CBOR_MALFORMED", "truncated: simple value")
            if self.b[start + 1] < 32:
                raise Reject("CBOR_MALFORMED", "two-byte encoding of a simple value below 32")
        raise Reject("CBOR_SIMPLE_NOT_ALLOWED", "only false and true are allowed (ENC-008)")


def decode_validated(data, profile):
    """One item under the profile: size (ENC-011), every rule of ENC-002 to ENC-010, nothing after it (ENC-012)."""
    if len(data) > profile.max_bytes:
        raise Reject("CBOR_TOO_LARGE", f"{len(data)} bytes, the limit is {profile.max_bytes} (ENC-011)")
    if len(data) == 0:
        raise Reject("CBOR_MALFORMED", "empty input")
    value, end = Decoder(data, profile).item(0, True)
    if end != len(data):
        raise Reject("CBOR_TRAILING_BYTES", f"{len(data) - end} bytes follow the item (ENC-012)")
    return value


def to_cbor2(value):
    if isinstance(value, Tagged):
        return cbor2.CBORTag(value.tag, to_cbor2(value.value))
    if isinstance(value, list):
        return [to_cbor2(v) for v in value]
    if isinstance(value, dict):
        return {k: to_cbor2(v) for k, v in value.items()}
    return value


def check_reencoding(value, data):
    """ENC-012: the decoded value, re-encoded deterministically (by cbor2, not by this file), gives the input back."""
    if cbor2.dumps(to_cbor2(value), canonical=True) != bytes(data):
        raise Reject("CBOR_NOT_DETERMINISTIC", "re-encoding does not reproduce the input (ENC-012)")


def decode_canonical(data, profile=MESSAGE_PROFILE):
    value = decode_validated(data, profile)
    check_reencoding(value, data)
    return value


# ---------------------------------------------------------------------------
# Ed25519 (spec section 4.1, 4.2)

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
SMALL_ORDER = {
    bytes.fromhex(h)
    for h in (
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    )
}


def non_canonical(enc):
    """Why a point encoding is not canonical (RFC 8032 section 5.1.3), or None."""
    y = int.from_bytes(enc, "little") & ((1 << 255) - 1)
    sign = enc[31] >> 7
    if y >= P:
        return "y is not below p"
    # x = 0 exactly when y^2 = 1; its sign bit must then be clear.
    if sign == 1 and y in (1, P - 1):
        return "x = 0 with the sign bit set"
    return None


def on_curve(enc):
    """True if a canonical encoding decodes to a curve point (RFC 8032 section 5.1.3, steps 2-4)."""
    y = int.from_bytes(enc, "little") & ((1 << 255) - 1)
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = (u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P)) % P
    vx2 = (v * x * x) % P
    return vx2 == u or vx2 == (-u) % P


def check_public_key(key):
    """ID-003, in its order: the encoding, small order, on the curve."""
    if len(key) != 32:
        raise Reject("KEY_NOT_CANONICAL", f"public key is {len(key)} bytes")
    why = non_canonical(key)
    if why:
        raise Reject("KEY_NOT_CANONICAL", f"public key encoding: {why}")
    if key in SMALL_ORDER:
        raise Reject("KEY_SMALL_ORDER", "public key of small order")
    if not on_curve(key):
        raise Reject("KEY_NOT_ON_CURVE", "public key is not a curve point")
    return key


def verify_ed25519(key, message, signature):
    """SIG-009, SIG-010, then the cofactorless equation of SIG-011 (libsodium's)."""
    if len(signature) != 64:
        raise Reject("SIG_MALFORMED", f"signature is {len(signature)} bytes")
    if int.from_bytes(signature[32:], "little") >= L:
        raise Reject("SIG_S_NOT_CANONICAL", "S is not below L (SIG-009)")
    r = signature[:32]
    why = non_canonical(r)
    if why:
        raise Reject("SIG_R_NOT_CANONICAL", f"R encoding: {why} (SIG-010)")
    if r in SMALL_ORDER:
        raise Reject("SIG_R_SMALL_ORDER", "R of small order (SIG-010)")
    try:
        VerifyKey(bytes(key)).verify(bytes(message), bytes(signature))
    except BadSignatureError:
        raise Reject("SIG_INVALID", "the signature does not verify (SIG-011)") from None


# ---------------------------------------------------------------------------
# did:key (spec section 4.1)

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data):
    n = int.from_bytes(data, "big")
    out = ""
    while n > 0:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text):
    n = 0
    for ch in text:
        i = B58.find(ch)
        if i < 0:
            raise ValueError(ch)
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def did_of(key):
    return "did:key:z" + b58encode(b"\xed\x01" + key)


def parse_did_key(did):
    """ID-001, ID-002, then ID-003 on the key. Returns the 32-byte public key."""
    if not did or len(did) > 128 or not re.fullmatch(r"[\x21-\x7e]+", did):
        raise Reject("DID_MALFORMED", "not a printable-ASCII string of 1 to 128 characters")
    m = re.fullmatch(r"did:([a-z0-9]+):(.+)", did, re.S)
    if not m:
        raise Reject("DID_MALFORMED", "not did:<method>:<id>")
    if m.group(1) != "key":
        raise Reject("DID_METHOD_UNSUPPORTED", f"DID method {m.group(1)}")
    ident = m.group(2)
    if re.search(r"[/?#]", ident) or not ident.startswith("z"):
        raise Reject("DID_MALFORMED", "not a multibase base58btc did:key without path, query or fragment")
    try:
        raw = b58decode(ident[1:])
    except ValueError:
        raise Reject("DID_MALFORMED", "not base58btc") from None
    # unsigned-varint multicodec, read leniently; the round trip below rejects non-minimal forms
    codec, shift, length = 0, 0, None
    for i, byte in enumerate(raw[:9]):
        codec |= (byte & 0x7F) << shift
        shift += 7
        if byte & 0x80 == 0:
            length = i + 1
            break
    if length is None:
        raise Reject("DID_MALFORMED", "no multicodec varint")
    if codec != 0xED:
        raise Reject("DID_KEY_TYPE_UNSUPPORTED", f"multicodec 0x{codec:x} is not ed25519-pub")
    key = raw[length:]
    if len(key) != 32:
        raise Reject("DID_KEY_LENGTH", f"key of {len(key)} bytes")
    if did_of(key) != did:
        raise Reject("DID_MALFORMED", "not the canonical did:key of its key")
    return check_public_key(key)


# ---------------------------------------------------------------------------
# Messages: the mapping of spec section 3.4 and the rules of section 3.5,
# for ap2p.v1.CapabilityDescriptor and the messages inside it (section 5.2).


class Field:
    def __init__(self, name, number, kind, repeated=False, explicit=False, **rules):
        self.name, self.number, self.kind = name, number, kind
        self.repeated, self.explicit, self.rules = repeated, explicit, rules


PEER_ID = r"^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$"
ENUMS = {
    "Modality": range(0, 8),
    "PriceUnit": range(0, 4),
    "VerificationTier": range(0, 4),
    "Transport": range(0, 2),
}
U32 = (0, 2**32 - 1)
U64 = (0, 2**64 - 1)
SCHEMA = {
    "CapabilityDescriptor": [
        Field("peer_id", 1, "string", required=True, max_len=128, pattern=PEER_ID),
        Field("seq", 2, "uint64", required=True),
        Field("issued_at", 3, "uint64", required=True),
        Field("expires_at", 4, "uint64", required=True),
        Field("withdrawn", 5, "bool"),
        Field("capabilities", 6, "msg:Capability", repeated=True, max_items=64),
        Field("endpoints", 7, "msg:Endpoint", repeated=True, max_items=8),
        Field("display_name", 8, "string", max_len=64),
    ],
    "Capability": [
        Field("namespace", 1, "string", required=True, max_len=128,
              pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"),
        Field("id", 2, "string", required=True, max_len=64, pattern=r"^[a-z0-9][a-z0-9_-]*$"),
        Field("version", 3, "string", required=True, max_len=32,
              pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"),
        Field("intents", 4, "string", repeated=True, max_items=16, max_len=256, unique=True),
        Field("tags", 5, "string", repeated=True, max_items=32, max_len=64, pattern=r"^[a-z0-9][a-z0-9._-]*$", unique=True),
        Field("inputs", 6, "msg:IoSpec", repeated=True, max_items=16),
        Field("outputs", 7, "msg:IoSpec", repeated=True, max_items=16),
        Field("constraints", 8, "msg:Constraints", explicit=True),
        Field("supported_tiers", 9, "enum:VerificationTier", repeated=True, max_items=3, unique=True),
    ],
    "IoSpec": [
        Field("name", 1, "string", required=True, max_len=64, pattern=r"^[a-z][a-z0-9_]*$"),
        Field("modality", 2, "enum:Modality", required=True),
        Field("media_type", 3, "string", max_len=127),
        Field("schema_uri", 4, "string", max_len=512),
        Field("optional", 5, "bool"),
    ],
    "Constraints": [
        Field("max_latency_ms", 1, "uint32", explicit=True),
        Field("price", 2, "msg:Price", explicit=True),
        Field("regions", 3, "string", repeated=True, max_items=32, pattern=r"^[A-Z]{2}$", unique=True),
        Field("on_device", 4, "bool"),
        Field("availability", 5, "msg:AvailabilityWindow", repeated=True, max_items=14),
    ],
    "Price": [
        Field("currency", 1, "string", required=True, pattern=r"^[A-Z][A-Z0-9]{2,7}$"),
        Field("amount_micros", 2, "uint64"),
        Field("unit", 3, "enum:PriceUnit", required=True),
    ],
    "AvailabilityWindow": [
        Field("weekdays", 1, "uint32", required=True, max_value=127),
        Field("start_minute", 2, "uint32", max_value=1439),
        Field("end_minute", 3, "uint32", required=True, max_value=1440),
    ],
    "Endpoint": [
        Field("transport", 1, "enum:Transport", required=True),
        Field("uri", 2, "string", required=True, max_len=512),
    ],
}
PATTERNS = {}
DEFAULTS = {"string": "", "bytes": b"", "bool": False}  # integers and enums: 0


def is_int(v):
    return type(v) is int  # bool is an int subclass in Python; it is not an integer here


def element(field, v, at, in_list):
    """One value of a field: its CBOR type (ENC-016), enum values (ENC-014), nested messages."""
    kind = field.kind
    if kind == "string":
        if type(v) is not str:
            raise Reject("SCHEMA_WRONG_TYPE", f"{at}: expected a text string")
    elif kind == "bytes":
        if type(v) is not bytes:
            raise Reject("SCHEMA_WRONG_TYPE", f"{at}: expected a byte string")
    elif kind == "bool":
        if type(v) is not bool:
            raise Reject("SCHEMA_WRONG_TYPE", f"{at}: expected a boolean")
    elif kind in ("uint32", "uint64"):
        if not is_int(v):
            raise Reject("SCHEMA_WRONG_TYPE", f"{at}: expected an integer")
        lo, hi = U32 if kind == "uint32" else U64
        if not lo <= v <= hi:
            raise Reject("SCHEMA_INTEGER_OUT_OF_RANGE", f"{at}: {v} is outside {kind}")
    elif kind.startswith("enum:"):
        if not is_int(v):
            raise Reject("SCHEMA_WRONG_TYPE", f"{at}: expected an integer (enum)")
        if v not in ENUMS[kind[5:]] or (v == 0 and in_list):
            raise Reject("SCHEMA_UNKNOWN_ENUM_VALUE", f"{at}: {v} is not an allowed value of {kind[5:]}")
    elif kind.startswith("msg:"):
        return from_cbor(kind[4:], v, at)
    return v


def from_cbor(message, value, path=""):
    """Maps a decoded map onto a message (spec section 3.4), in the order of its keys."""
    if type(value) is not dict:
        raise Reject("SCHEMA_WRONG_TYPE", f"{path or message}: expected a map")
    fields = {f.name: f for f in SCHEMA[message]}
    out = {}
    for key, v in value.items():
        at = f"{path}.{key}" if path else str(key)
        field = fields.get(key) if type(key) is str else None
        if field is None:
            raise Reject("SCHEMA_UNKNOWN_FIELD", f"{message} has no field {key!r} (ENC-015)")
        if field.repeated:
            if type(v) is not list:
                raise Reject("SCHEMA_WRONG_TYPE", f"{at}: expected an array")
            if not v:
                raise Reject("SCHEMA_DEFAULT_VALUE_ENCODED", f"{at}: empty array encoded (ENC-013)")
            out[key] = [element(field, x, f"{at}[{i}]", True) for i, x in enumerate(v)]
        else:
            x = element(field, v, at, False)
            # ENC-013: a field without explicit presence is absent at its default, never encoded with it.
            if not field.explicit and not field.kind.startswith("msg:"):
                default = DEFAULTS.get(field.kind, 0)
                if type(x) is type(default) and x == default:
                    raise Reject("SCHEMA_DEFAULT_VALUE_ENCODED", f"{at}: default value encoded (ENC-013)")
            out[key] = x
    return out


def pattern(text):
    if text not in PATTERNS:
        PATTERNS[text] = re.compile(text)
    return PATTERNS[text]


def check_rules(message, obj, path=""):
    """The schema rules of spec section 3.5 (ENC-018), in field-number order, nested messages included."""
    for field in SCHEMA[message]:
        at = f"{path}.{field.name}" if path else field.name
        r = field.rules
        if field.name not in obj:
            if r.get("required"):
                raise Reject("SCHEMA_REQUIRED_FIELD_MISSING", f"{at} is missing")
            continue
        value = obj[field.name]
        items = value if field.repeated else [value]
        if field.repeated and "max_items" in r and len(items) > r["max_items"]:
            raise Reject("SCHEMA_TOO_MANY_ITEMS", f"{at}: {len(items)} items, at most {r['max_items']}")
        for i, item in enumerate(items):
            ai = f"{at}[{i}]" if field.repeated else at
            if field.kind.startswith("msg:"):
                check_rules(field.kind[4:], item, ai)
                continue
            if field.kind in ("string", "bytes"):
                n = len(item)  # code points for str, bytes for bytes
                if ("min_len" in r and n < r["min_len"]) or ("max_len" in r and n > r["max_len"]):
                    raise Reject("SCHEMA_LENGTH_OUT_OF_RANGE", f"{ai}: length {n}")
                if "pattern" in r and field.kind == "string" and not pattern(r["pattern"]).fullmatch(item):
                    raise Reject("SCHEMA_PATTERN_MISMATCH", f"{ai}: {item[:64]!r} does not match {r['pattern']}")
            if is_int(item):
                if ("max_value" in r and item > r["max_value"]) or ("min_value" in r and item < r["min_value"]):
                    raise Reject("SCHEMA_INTEGER_OUT_OF_RANGE", f"{ai}: {item} is out of bounds")
        if field.repeated and r.get("unique"):
            seen = set()
            for i, item in enumerate(items):
                if item in seen:
                    raise Reject("SCHEMA_DUPLICATE_ITEM", f"{at}[{i}] repeats an earlier element")
                seen.add(item)


def decode_message(message, data):
    """A well-formed message (spec section 3): the profile, the mapping, the rules, the re-encoding comparison."""
    value = decode_validated(data, MESSAGE_PROFILE)
    obj = from_cbor(message, value)
    check_rules(message, obj)
    check_reencoding(value, data)
    return obj


# ---------------------------------------------------------------------------
# COSE_Sign1 (spec section 4.3, 4.5 steps 1 and 2)

DESCRIPTOR_CT = "application/ap2p.descriptor.v1+cbor"


def parse_sign1(data, content_type):
    """Envelope, protected header and kid; returns (kid, key, protected, payload, signature)."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise Reject("CBOR_TOO_LARGE", f"COSE_Sign1 of {len(data)} bytes (SIG-001)")
    if len(data) == 0 or data[0] >> 5 != 6:
        raise Reject("COSE_TAG_MISSING", "not tagged as COSE_Sign1 (SIG-001)")
    if data[0] != 0xD2:
        if data[0] == 0xD8 and len(data) > 1 and data[1] == 18:
            raise Reject("CBOR_NON_SHORTEST_HEAD", "tag 18 not in its shortest form")
        raise Reject("COSE_TAG_MISSING", "tagged with another tag than 18")
    if len(data) < 2:
        raise Reject("COSE_MALFORMED", "not an array of four items")
    if data[1] != 0x84:
        if data[1] == 0x9F:
            raise Reject("CBOR_INDEFINITE_LENGTH", "indefinite-length array")
        if data[1] == 0x98 and len(data) > 2 and data[2] == 4:
            raise Reject("CBOR_NON_SHORTEST_HEAD", "array length not in its shortest form")
        raise Reject("COSE_MALFORMED", "not an array of four items")
    dec = Decoder(data, ENVELOPE_PROFILE)
    pos = 2

    def part(what, major):
        nonlocal pos
        if pos >= len(data):
            raise Reject("COSE_MALFORMED", f"truncated before the {what}")
        if data[pos] >> 5 != major:
            raise Reject("COSE_MALFORMED", f"the {what} has the wrong type")
        start = pos
        value, pos = dec.item(pos, False, 1)
        return start, value

    _, protected = part("protected header", 2)
    u_start, _ = part("unprotected header", 5)
    if data[u_start] != 0xA0:
        raise Reject("COSE_HEADER_UNSUPPORTED", "the unprotected header is not empty (SIG-003)")
    if pos < len(data) and data[pos] == 0xF6:
        raise Reject("COSE_PAYLOAD_DETACHED", "detached payload (SIG-004)")
    _, payload = part("payload", 2)
    _, signature = part("signature", 2)
    if pos != len(data):
        raise Reject("CBOR_TRAILING_BYTES", "bytes follow the COSE_Sign1")
    if len(signature) != 64:
        raise Reject("SIG_MALFORMED", f"signature of {len(signature)} bytes (SIG-009)")

    header = decode_canonical(protected, HEADER_PROFILE)
    if type(header) is not dict:
        raise Reject("COSE_MALFORMED", "the protected header is not a map")
    for label in header:
        if label not in (1, 3, 4):
            raise Reject("COSE_HEADER_UNSUPPORTED", f"protected header label {label} (SIG-002)")
    if header.get(1) != -8 or type(header.get(1)) is not int:
        raise Reject("COSE_ALG_UNSUPPORTED", "alg is not EdDSA (-8) (SIG-005)")
    if header.get(3) != content_type:
        raise Reject("COSE_CONTENT_TYPE_MISMATCH", f"content type is not {content_type} (SIG-006)")
    if 4 not in header:
        raise Reject("COSE_KID_MISSING", "no kid (SIG-007)")
    if type(header[4]) is not bytes:
        raise Reject("COSE_MALFORMED", "kid is not a byte string")
    try:
        kid = header[4].decode("utf-8")
    except UnicodeDecodeError:
        raise Reject("DID_MALFORMED", "kid is not UTF-8") from None
    key = parse_did_key(kid)
    return kid, key, protected, payload, signature


def sig_structure(protected, payload):
    """SIG-008."""
    return cbor2.dumps(["Signature1", protected, b"", payload], canonical=True)


# ---------------------------------------------------------------------------
# Operations


def decimal(obj, name):
    v = obj.get(name)
    if type(v) is not str or not re.fullmatch(r"0|[1-9][0-9]*", v):
        raise ValueError(f'input "{name}" is not a decimal string')
    return int(v)


def hex_input(obj, name):
    v = obj.get(name)
    if type(v) is not str or not re.fullmatch(r"(?:[0-9a-f]{2})*", v):
        raise ValueError(f'input "{name}" is not lower-case hex')
    return bytes.fromhex(v)


def op_cbor_decode(inputs, shared):
    decode_canonical(hex_input(inputs, "encoded"))
    return {}


def op_descriptor_verify(inputs, shared):
    """Spec section 5.7, in the order of its table."""
    data = hex_input(inputs, "descriptor")
    now = decimal(shared, "now") if "now" in shared else decimal(inputs, "now")
    max_ttl = decimal(shared, "max_ttl_ms")
    skew = decimal(shared, "clock_skew_ms")
    last_seq = decimal(inputs, "last_seq") if "last_seq" in inputs else None

    kid, key, protected, payload, signature = parse_sign1(data, DESCRIPTOR_CT)  # steps 1, 2
    d = decode_message("CapabilityDescriptor", payload)  # step 3

    # step 4: structure (spec section 5.4)
    if d.get("peer_id") != kid:
        raise Reject("COSE_KID_MISMATCH", "peer_id is not the kid (DESC-004)")
    issued, expires = d.get("issued_at", 0), d.get("expires_at", 0)
    if expires <= issued:
        raise Reject("DESC_VALIDITY_WINDOW_INVALID", "expires_at is not after issued_at (DESC-005)")
    caps = d.get("capabilities", [])
    if d.get("withdrawn", False):
        if caps or d.get("endpoints"):
            raise Reject("DESC_TOMBSTONE_NOT_EMPTY", "a tombstone lists capabilities or endpoints (DESC-011)")
    elif not caps:
        raise Reject("DESC_NO_CAPABILITIES", "no capability (DESC-010)")
    seen = set()
    for i, cap in enumerate(caps):
        triple = (cap.get("namespace", ""), cap.get("id", ""), cap.get("version", ""))
        if triple in seen:
            raise Reject("DESC_DUPLICATE_CAPABILITY", f"capabilities[{i}] repeats {triple} (DESC-012)")
        seen.add(triple)
        for side in ("inputs", "outputs"):
            names = [io.get("name", "") for io in cap.get(side, [])]
            if len(set(names)) != len(names):
                raise Reject("SCHEMA_DUPLICATE_ITEM", f"capabilities[{i}].{side} repeats a name (DESC-018)")
        for j, w in enumerate(cap.get("constraints", {}).get("availability", [])):
            if w.get("end_minute", 0) <= w.get("start_minute", 0):
                raise Reject("DESC_AVAILABILITY_INVALID", f"capabilities[{i}] window {j} is empty (DESC-013)")

    verify_ed25519(key, sig_structure(protected, payload), signature)  # step 5

    # step 6: the verifier's clock, policy and memory (spec section 5.5)
    if expires - issued > max_ttl:
        raise Reject("DESC_TTL_TOO_LONG", "lifetime exceeds the maximum TTL (DESC-006)")
    if now + skew < issued:
        raise Reject("DESC_NOT_YET_VALID", "issued in the future (DESC-007)")
    if now >= expires + skew:
        raise Reject("DESC_EXPIRED", "expired (DESC-009)")
    if last_seq is not None and d.get("seq", 0) <= last_seq:
        raise Reject("DESC_SEQ_ROLLBACK", "seq is not greater than the last accepted (DESC-008)")
    return {}


OPERATIONS = {
    "cbor.decode": op_cbor_decode,
    "descriptor.verify": op_descriptor_verify,
}

# Tests this implementation chooses not to run (DRV-011): test ids are not in
# the call, so limitations are stated by input here. None today.
KNOWN_LIMITATIONS = []


# ---------------------------------------------------------------------------
# The driver protocol (spec section 13)


def send(response):
    PROTOCOL_OUT.write(json.dumps(response, separators=(",", ":"), ensure_ascii=False) + "\n")
    PROTOCOL_OUT.flush()


def log(text):
    sys.stderr.write(f"{NAME}: {text}\n")
    sys.stderr.flush()


def get(obj, camel, snake, default=None):
    """proto3 JSON readers accept the lowerCamelCase name and the original field name."""
    if camel in obj:
        return obj[camel]
    return obj.get(snake, default)


def read_id(request):
    rid = request.get("id") if isinstance(request, dict) else None
    if type(rid) is str and re.fullmatch(r"[1-9][0-9]{0,19}", rid) and int(rid) < 2**64:
        return str(int(rid))
    if type(rid) is int and 0 < rid < 2**64:
        return str(rid)
    return None


def parse_object(text, name):
    if text in (None, ""):
        return {}
    value = json.loads(text)
    if type(value) is not dict:
        raise ValueError(f"{name} is not a JSON object")
    return value


class Session:
    def __init__(self):
        self.clock = None  # DRV-007: the time of the last clock request, in ms

    def call(self, rid, call):
        operation = call.get("operation", "")
        op = OPERATIONS.get(operation)
        if op is None:
            return {"id": rid, "unsupported": {"reason": f'operation "{operation}" is not implemented by {NAME}'}}
        try:
            inputs = parse_object(get(call, "inputsJson", "inputs_json"), "inputs_json")
            shared = parse_object(get(call, "sharedJson", "shared_json"), "shared_json")
        except ValueError as e:
            return {"id": rid, "error": {"code": "INVALID_ARGUMENT", "message": f"cannot read the call: {e}"}}
        if self.clock is not None and "now" not in inputs and "now" not in shared:
            shared = dict(shared, now=str(self.clock))
        for limitation in KNOWN_LIMITATIONS:
            reason = limitation(operation, inputs, shared)
            if reason:
                return {"id": rid, "skipped": {"reason": reason}}
        try:
            output = op(inputs, shared)
        except Reject as r:
            return {"id": rid, "error": {"code": r.code, "message": r.message[:4096]}}
        except Exception as e:  # a fault of this adapter, not a verdict (DRV-014)
            log(f"{operation} (request {rid}) failed:\n{traceback.format_exc()}")
            return {"id": rid, "error": {"code": "INVALID_ARGUMENT", "message": f"{NAME} could not run {operation}: {e}"[:4096]}}
        return {"id": rid, "ok": {"outputJson": json.dumps(output, separators=(",", ":"))}}

    def handle(self, line):
        """Answers one line; returns (response or None, end of session)."""
        try:
            request = json.loads(line)
        except ValueError as e:
            log(f"request is not JSON ({e}): {line[:200]!r}")
            return None, False
        rid = read_id(request)
        if rid is None:
            log(f"request without a usable id: {line[:200]!r}")
            return None, False
        kinds = [k for k in ("hello", "call", "clock", "shutdown") if k in request]
        unknown = [k for k in request if k not in ("id", "hello", "call", "clock", "shutdown")]
        if unknown or len(kinds) != 1 or not isinstance(request[kinds[0]], dict):
            # DRV-010: a request we cannot read, or of a kind we do not know.
            return {"id": rid, "unsupported": {"reason": f"malformed or unknown request: fields {sorted(request)}"}}, False
        kind, body = kinds[0], request[kinds[0]]
        if kind == "hello":
            # DRV-002: our version, whatever the harness speaks.
            return {
                "id": rid,
                "hello": {
                    "driverProtocolVersion": DRIVER_PROTOCOL_VERSION,
                    "implementationName": NAME,
                    "implementationVersion": VERSION,
                    "roles": ["DRIVER_ROLE_CODEC", "DRIVER_ROLE_VERIFIER"],
                    "operations": sorted(OPERATIONS),
                },
            }, False
        if kind == "clock":
            now = get(body, "nowMs", "now_ms", "0")
            try:
                self.clock = int(now)
            except (TypeError, ValueError):
                return {"id": rid, "unsupported": {"reason": f"clock nowMs is not an integer: {now!r}"}}, False
            return {"id": rid, "ok": {"outputJson": "{}"}}, False
        if kind == "shutdown":
            return {"id": rid, "ok": {"outputJson": "{}"}}, True
        return self.call(rid, body), False


def main():
    session = Session()
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        response, end = session.handle(line)
        if response is not None:
            send(response)
        if end:
            break
    # DRV-012: after shutdown, or at the end of the input, exit with status 0.
    return 0


if __name__ == "__main__":
    sys.exit(main())
