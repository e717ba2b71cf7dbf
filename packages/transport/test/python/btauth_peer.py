"""An independent btauth/1 peer, written from the spec (reference/wires.md section 1), not from
our TypeScript. Python 3 stdlib plus PyNaCl (Debian python3-nacl) for ed25519.

There is no sr25519 in the stdlib, so for sr25519 only the primitive is borrowed from the test
process over stdin/stdout: the client prints `SIGN <payload hex>` and reads `0x<signature>`; the
server prints `VERIFY <payload hex> <signature hex> <public key hex>` and reads `1` or `0`.
Everything else (headers, payload, hashing, ss58, window, receiver, replay) is done here.

Modes (the configuration is one JSON argument):
  vectors <json>  derive //Alice's ed25519 seed, rebuild the golden payloads and signature
  client <json>   sign requests and send them to the test's servers; print `RESULT <json>`
  server <json>   serve and verify on 127.0.0.1; print `PORT <n>`
  axon <json>     sign requests for a real axon's synapse route; print `RESULT <json>`
"""

import hashlib
import json
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import nacl.exceptions
import nacl.signing

# --- ss58 (prefix 42) ----------------------------------------------------------------------
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data):
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text):
    n = 0
    for c in text:
        n = n * 58 + B58.index(c)
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def ss58_checksum(payload):
    return hashlib.blake2b(b"SS58PRE" + payload, digest_size=64).digest()[:2]


def ss58_encode(public_key):
    payload = bytes([42]) + public_key
    return b58encode(payload + ss58_checksum(payload))


def ss58_decode(address):
    raw = b58decode(address)
    if len(raw) != 35 or raw[0] != 42 or ss58_checksum(raw[:33]) != raw[33:]:
        raise ValueError("not a prefix-42 ss58 address")
    return raw[1:33]


# --- the protocol --------------------------------------------------------------------------
HEADERS = ["x-bittensor-version", "x-bittensor-hotkey", "x-bittensor-receiver",
           "x-bittensor-nonce", "x-bittensor-crypto", "x-bittensor-signature"]


def payload(scheme, method, target, body, nonce, sender, receiver):
    lines = ["btauth/1", scheme, method.upper(), target, hashlib.sha256(body).hexdigest(),
             str(nonce), sender, receiver if receiver is not None else "-"]
    return "\n".join(lines).encode("utf-8")


def ask(line):
    print(line, flush=True)
    return sys.stdin.readline().strip()


class Signer:
    def __init__(self, scheme, seed_hex=None, address=None):
        self.scheme = scheme
        if scheme == "ed25519":
            self.key = nacl.signing.SigningKey(bytes.fromhex(seed_hex))
            self.address = ss58_encode(bytes(self.key.verify_key))
        else:
            self.address = address

    def sign(self, message):
        if self.scheme == "ed25519":
            return self.key.sign(message).signature
        return bytes.fromhex(ask("SIGN " + message.hex()).removeprefix("0x"))


def sign_headers(signer, method, target, body, receiver, nonce=None, crypto=None):
    nonce = time.time_ns() if nonce is None else nonce
    message = payload(signer.scheme, method, target, body, nonce, signer.address, receiver)
    headers = {"X-Bittensor-Version": "1", "X-Bittensor-Hotkey": signer.address,
               "X-Bittensor-Nonce": str(nonce),
               "X-Bittensor-Signature": "0x" + signer.sign(message).hex()}
    if signer.scheme != "sr25519":
        headers["X-Bittensor-Crypto"] = signer.scheme
    if crypto is not None:
        headers["X-Bittensor-Crypto"] = crypto
    if receiver is not None:
        headers["X-Bittensor-Receiver"] = receiver
    return headers


class AuthError(Exception):
    def __init__(self, kind, detail):
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def verify_request(cfg, seen, method, target, headers, body):
    """The spec's five checks, in order. Returns (sender, payload) or raises AuthError."""
    h = {}
    for name, value in headers:
        name = name.lower()
        if name in HEADERS:
            if name in h:
                raise AuthError("MalformedAuth", "duplicate " + name)
            h[name] = value
    # 1. shape
    if h.get("x-bittensor-version") != "1":
        raise AuthError("MalformedAuth", "version")
    sender = h.get("x-bittensor-hotkey")
    if not sender:
        raise AuthError("MalformedAuth", "hotkey")
    raw_nonce = h.get("x-bittensor-nonce")
    if raw_nonce is None or not raw_nonce.isascii() or not raw_nonce.isdigit() \
            or (raw_nonce != "0" and raw_nonce.startswith("0")):
        raise AuthError("MalformedAuth", "nonce")
    nonce = int(raw_nonce)
    crypto = h.get("x-bittensor-crypto", "sr25519")
    scheme = {"sr25519": "sr25519", "1": "sr25519", "ed25519": "ed25519", "0": "ed25519"}.get(
        crypto.lower())
    if scheme is None:
        raise AuthError("MalformedAuth", "unknown scheme")
    if scheme != cfg["scheme"]:
        raise AuthError("MalformedAuth", "scheme mismatch")
    signature_hex = h.get("x-bittensor-signature")
    if signature_hex is None or not signature_hex.startswith("0x"):
        raise AuthError("MalformedAuth", "signature")
    try:
        signature = bytes.fromhex(signature_hex[2:])
    except ValueError:
        raise AuthError("MalformedAuth", "signature hex") from None
    # 2. receiver
    receiver = h.get("x-bittensor-receiver")
    if receiver is None:
        if cfg.get("require_receiver", True):
            raise AuthError("WrongReceiver", "missing receiver")
    elif receiver != cfg["self"]:
        raise AuthError("WrongReceiver", "wrong receiver")
    # 3. freshness
    now = time.time_ns()
    if now - nonce > 10 * 10**9:
        raise AuthError("StaleRequest", "too old")
    if nonce - now > 2 * 10**9:
        raise AuthError("StaleRequest", "in the future")
    # 4. signature, under the pinned scheme only
    try:
        public_key = ss58_decode(sender)
    except ValueError:
        raise AuthError("MalformedAuth", "hotkey ss58") from None
    if len(signature) != 64:
        raise AuthError("MalformedAuth", "signature length")
    message = payload(scheme, method, target, body, nonce, sender, receiver)
    if scheme == "ed25519":
        try:
            nacl.signing.VerifyKey(public_key).verify(message, signature)
            good = True
        except nacl.exceptions.BadSignatureError:
            good = False
    else:
        good = ask(f"VERIFY {message.hex()} {signature.hex()} {public_key.hex()}") == "1"
    if not good:
        raise AuthError("BadSignature", "bad signature")
    # 5. replay, recorded only after the signature holds
    if (sender, nonce) in seen:
        raise AuthError("ReplayedRequest", "replayed")
    seen.add((sender, nonce))
    return sender, message


# --- modes ---------------------------------------------------------------------------------
def vectors(cfg):
    # //Alice for ed25519: hard junction "Alice" (SCALE string, zero-padded to 32 bytes) over
    # the substrate-bip39 mini secret, blake2b-256("Ed25519HDKD" SCALE-encoded || seed || cc).
    name = b"Alice"
    chain_code = (bytes([len(name) << 2]) + name).ljust(32, b"\0")
    tag = b"Ed25519HDKD"
    seed = hashlib.blake2b(bytes([len(tag) << 2]) + tag + bytes.fromhex(cfg["mini_secret"])
                           + chain_code, digest_size=32).digest()
    signer = Signer("ed25519", seed.hex())
    body = b'{"prompt": "hello"}'
    nonce = 1752076800000000000
    sr = payload("sr25519", "POST", "/generate?stream=false", body, nonce, cfg["alice_sr"], cfg["bob"])
    ed = payload("ed25519", "POST", "/generate?stream=false", body, nonce, signer.address, cfg["bob"])
    print("RESULT " + json.dumps({
        "ed_seed": seed.hex(), "ed_address": signer.address, "bob_public": ss58_decode(cfg["bob"]).hex(),
        "body_sha256": hashlib.sha256(body).hexdigest(), "sr_payload": sr.decode(),
        "ed_payload": ed.decode(), "ed_signature": "0x" + signer.sign(ed).hex()}), flush=True)


def send(url, method, target, headers, body):
    req = urllib.request.Request(url + target, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return {"status": r.status, "json": json.loads(r.read())}
    except urllib.error.HTTPError as e:
        return {"status": e.code, "json": json.loads(e.read() or b"null")}


def client(cfg):
    results = {}
    bob, other = cfg["receiver"], cfg["other"]
    body = '{"prompt": "h\u00e9llo"}'.encode("utf-8")
    target = "/generate%20now/%E2%9C%93?stream=false&q=a%2Fb"
    signers = {"sr25519": Signer("sr25519", address=cfg["sr_sender"]),
               "ed25519": Signer("ed25519", seed_hex=cfg["ed_seed"])}
    for scheme, signer in signers.items():
        url = cfg["servers"][scheme]
        other_url = cfg["servers"]["ed25519" if scheme == "sr25519" else "sr25519"]
        r = {}
        headers = sign_headers(signer, "POST", target, body, bob)
        r["valid"] = send(url, "POST", target, headers, body)
        r["replayed"] = send(url, "POST", target, headers, body)
        r["stale"] = send(url, "POST", target,
                          sign_headers(signer, "POST", target, body, bob, nonce=time.time_ns() - 20 * 10**9), body)
        r["future"] = send(url, "POST", target,
                           sign_headers(signer, "POST", target, body, bob, nonce=time.time_ns() + 5 * 10**9), body)
        r["wrong_receiver"] = send(url, "POST", target, sign_headers(signer, "POST", target, body, other), body)
        r["missing_receiver"] = send(url, "POST", target, sign_headers(signer, "POST", target, body, None), body)
        r["body_changed"] = send(url, "POST", target, sign_headers(signer, "POST", target, body, bob),
                                 body + b" ")
        r["path_changed"] = send(url, "POST", "/generate?stream=true",
                                 sign_headers(signer, "POST", "/generate?stream=false", body, bob), body)
        r["method_changed"] = send(url, "PUT", target, sign_headers(signer, "POST", target, body, bob), body)
        r["wrong_scheme"] = send(other_url, "POST", target, sign_headers(signer, "POST", target, body, bob), body)
        lowered = {k.lower(): v for k, v in sign_headers(signer, "POST", target, body, bob,
                                                          crypto=scheme.upper()).items()}
        r["lowercase_names_upper_crypto"] = send(url, "POST", target, lowered, body)
        if scheme == "ed25519":
            stripped = sign_headers(signer, "POST", target, body, bob)
            del stripped["X-Bittensor-Crypto"]
            r["crypto_stripped_to_sr"] = send(other_url, "POST", target, stripped, body)
        r["sender"] = signer.address
        results[scheme] = r
    print("RESULT " + json.dumps(results), flush=True)


def server(cfg):
    seen = set()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            try:
                # self.path is the request target exactly as received (not decoded).
                sender, message = verify_request(cfg, seen, self.command, self.path,
                                                 self.headers.items(), body)
                status, out = 200, {"ok": True, "sender": sender, "payload": message.hex(),
                                   "body_sha256": hashlib.sha256(body).hexdigest()}
            except AuthError as e:
                status, out = 401, {"ok": False, "error": e.kind, "detail": e.detail}
            data = json.dumps(out).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % httpd.server_address[1], flush=True)
    httpd.serve_forever()


def axon(cfg):
    """Requests to a subnetkit axon serving a synapse at cfg["path"] (input {"dummy_input": n}).
    Valid ones carry cfg["inputs"]; every refused one carries an input no valid one uses."""
    url, path, bob, other = cfg["url"], cfg["path"], cfg["receiver"], cfg["other"]
    sr = Signer("sr25519", address=cfg["sr_sender"])
    ed = Signer("ed25519", seed_hex=cfg["ed_seed"])
    refused = iter(cfg["refused_inputs"])

    def body_of(n):
        return json.dumps({"dummy_input": n}).encode("utf-8")

    def signed(n=None, signer=sr, target=path, receiver=bob, nonce=None):
        body = body_of(next(refused) if n is None else n)
        return body, sign_headers(signer, "POST", target, body, receiver, nonce=nonce)

    r = {}
    for i, n in enumerate(cfg["inputs"]):
        body, headers = signed(n)
        r["valid_%d" % i] = send(url, "POST", path, headers, body)
        if i == 0:
            r["replayed"] = send(url, "POST", path, headers, body)
    body, headers = signed(nonce=time.time_ns() - 20 * 10**9)
    r["stale"] = send(url, "POST", path, headers, body)
    body, headers = signed(nonce=time.time_ns() + 5 * 10**9)
    r["future"] = send(url, "POST", path, headers, body)
    body, headers = signed(receiver=other)
    r["wrong_receiver"] = send(url, "POST", path, headers, body)
    body, headers = signed(receiver=None)
    r["missing_receiver"] = send(url, "POST", path, headers, body)
    body, headers = signed()
    r["body_changed"] = send(url, "POST", path, headers, body_of(next(refused)))
    body, headers = signed(target=path + "?stream=false")
    r["path_changed"] = send(url, "POST", path + "?stream=true", headers, body)
    body, headers = signed(signer=ed)
    r["wrong_scheme"] = send(url, "POST", path, headers, body)
    body, headers = signed()
    headers["Epistula-Version"] = "2"  # a second wire's header on a valid btauth request
    r["mixed_epistula"] = send(url, "POST", path, headers, body)
    body, headers = signed()
    headers["validator-hotkey"] = sr.address
    r["mixed_fiber"] = send(url, "POST", path, headers, body)
    print("RESULT " + json.dumps(r), flush=True)


if __name__ == "__main__":
    {"vectors": vectors, "client": client, "server": server, "axon": axon}[sys.argv[1]](
        json.loads(sys.argv[2]))
