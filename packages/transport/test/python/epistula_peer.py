"""An independent Epistula v2 peer (Python 3 stdlib), written from shared/reference/wires.md §2.

    python3 epistula_peer.py client '<json config>'   # sends requests, prints RESULT <json>
    python3 epistula_peer.py server '<json config>'   # prints PORT <n>, verifies requests
    python3 epistula_peer.py axon '<json config>'     # requests to a real axon's synapse route

There is no sr25519 in the standard library, so signing and signature checks go over stdio
to the test process, which holds the dev keys:
    -> SIGN <key name> <hex of message bytes>            <- 0x<signature>
    -> VERIFY <ss58> <0x signature> <hex of message bytes> <- 1 | 0
Everything else (headers, hashing, the signed message, windows, the uuid cache) is done here.
"""
import hashlib
import json
import math
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid as uuidlib
from http.server import BaseHTTPRequestHandler, HTTPServer

MODE, CFG = sys.argv[1], json.loads(sys.argv[2])
ADDRESS = CFG['addresses']  # key name -> ss58
PIPE = threading.Lock()


def ask(line):
    with PIPE:
        print(line, flush=True)
        return sys.stdin.readline().strip()


def sign(key, message):
    return ask(f'SIGN {key} {message.encode("utf-8").hex()}')


def verify(ss58, signature, message):
    return ask(f'VERIFY {ss58} {signature} {message.encode("utf-8").hex()}') == '1'


def signed_message(body, uid, timestamp, signed_for):
    # §2.4: "<sha256_hex(body)>.<uuid>.<timestamp_ms>.<signed_for or ''>", UTF-8.
    return f'{hashlib.sha256(body).hexdigest()}.{uid}.{timestamp}.{signed_for or ""}'


def generate_headers(body, key='Alice', signed_for=None, timestamp=None, uid=None):
    """What the Python senders (targon v2, SN1, BitMind) send: §2.3, secrets as in §2.5 row 1."""
    timestamp = round(time.time() * 1000) if timestamp is None else timestamp
    uid = uid or str(uuidlib.uuid4())
    headers = {
        'Epistula-Version': '2',
        'Epistula-Timestamp': str(timestamp),
        'Epistula-Uuid': uid,
        'Epistula-Signed-By': ADDRESS[key],
        'Epistula-Request-Signature': sign(key, signed_message(body, uid, timestamp, signed_for)),
    }
    if signed_for:
        headers['Epistula-Signed-For'] = signed_for
        interval = math.ceil(timestamp / 1e4) * 1e4  # a float: its text ends in ".0"
        for i, bucket in enumerate((interval - 1, interval, interval + 1)):
            headers[f'Epistula-Secret-Signature-{i}'] = sign(key, f'{bucket}.{signed_for}')
    return headers


def post(url, body, headers, method='POST'):
    request = urllib.request.Request(url, data=body if method == 'POST' else None,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return {'status': response.status, 'json': json.loads(response.read() or b'null')}
    except urllib.error.HTTPError as error:
        return {'status': error.code, 'json': json.loads(error.read() or b'null')}


def client():
    url, receiver = CFG['url'], CFG['receiver']
    payload = {'messages': [{'role': 'user', 'content': 'héllo "world"'}], 'seed': 7, 'stream': False}
    body = json.dumps(payload).encode()  # default separators, ensure_ascii: what the senders hash
    now = lambda: round(time.time() * 1000)
    results = {}

    headers = generate_headers(body, signed_for=receiver)
    # SN1's validators also copy body keys into the headers (§2.8).
    headers.update({'seed': '7', 'task': 'QuestionAnsweringTask', 'X-Client-Timeout': '20'})
    results['valid'] = post(url, body, headers)
    results['replayed'] = post(url, body, headers)
    results['get'] = post(url, b'', generate_headers(b'', signed_for=receiver), method='GET')
    results['stale'] = post(url, body, generate_headers(body, signed_for=receiver, timestamp=now() - 30_000))
    results['future'] = post(url, body, generate_headers(body, signed_for=receiver, timestamp=now() + 30_000))
    results['wrong_receiver'] = post(url, body, generate_headers(body, signed_for=CFG['other']))
    results['unbound'] = post(url, body, generate_headers(body))
    results['body_changed'] = post(url, body.replace(b'7', b'8'), generate_headers(body, signed_for=receiver))
    malformed = generate_headers(body, signed_for=receiver)
    malformed['Epistula-Timestamp'] += '.0'
    results['malformed_timestamp'] = post(url, body, malformed)
    missing = generate_headers(body, signed_for=receiver)
    del missing['Epistula-Uuid']
    results['missing_uuid'] = post(url, body, missing)
    results['version_1'] = post(url, body, {**generate_headers(body, signed_for=receiver), 'Epistula-Version': '1'})
    forged = generate_headers(body, key='Charlie', signed_for=receiver)
    forged['Epistula-Signed-By'] = ADDRESS['Alice']
    results['bad_signature'] = post(url, body, forged)
    print('RESULT ' + json.dumps(results), flush=True)


def server():
    own = CFG['hotkey']
    max_age_ms = future_ms = 5_000  # the spec's delta (§2.6), applied both ways
    uuids = {}  # §2.6: "leaves it to the receiver to store UUIDs"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def refuse(self, reason):
            self.reply(400, {'detail': reason})

        def reply(self, status, obj):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self):
            body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
            h = {k.lower(): v for k, v in self.headers.items()}
            if h.get('epistula-version') != '2':
                return self.refuse('unknown version')
            for name in ('epistula-timestamp', 'epistula-uuid', 'epistula-signed-by', 'epistula-request-signature'):
                if not h.get(name):
                    return self.refuse('missing ' + name)
            signed_for = h.get('epistula-signed-for') or None
            if signed_for != own:
                return self.refuse('not intended for self')
            try:
                timestamp = int(h['epistula-timestamp'])
                uuidlib.UUID(h['epistula-uuid'])
            except ValueError:
                return self.refuse('malformed')
            now = round(time.time() * 1000)
            if timestamp + max_age_ms < now:
                return self.refuse('stale')
            if timestamp - future_ms > now:
                return self.refuse('future')
            message = signed_message(body, h['epistula-uuid'], timestamp, signed_for)
            if not verify(h['epistula-signed-by'], h['epistula-request-signature'], message):
                return self.refuse('signature mismatch')
            for seen, expiry in list(uuids.items()):
                if expiry < now:
                    del uuids[seen]
            if h['epistula-uuid'] in uuids:
                return self.refuse('replayed uuid')
            uuids[h['epistula-uuid']] = timestamp + max_age_ms
            self.reply(200, {'ok': True, 'signed_by': h['epistula-signed-by'], 'message': message,
                             'method': self.command, 'path': self.path,
                             'body_sha256': hashlib.sha256(body).hexdigest()})

        do_POST = do_GET = handle_any

    httpd = HTTPServer(('127.0.0.1', 0), Handler)
    print(f'PORT {httpd.server_address[1]}', flush=True)
    httpd.serve_forever()


def axon():
    """Requests to a subnetkit axon serving a synapse at CFG['url'] (input {"dummy_input": n}).
    Valid ones carry CFG['inputs']; every refused one carries an input no valid one uses."""
    url, receiver, other = CFG['url'], CFG['receiver'], CFG['other']
    refused = iter(CFG['refused_inputs'])
    now = lambda: round(time.time() * 1000)

    def body_of(n):
        return json.dumps({'dummy_input': n}).encode()

    def signed(n=None, **kw):
        body = body_of(next(refused) if n is None else n)
        return body, generate_headers(body, **{'signed_for': receiver, **kw})

    results = {}
    for i, n in enumerate(CFG['inputs']):
        body, headers = signed(n)
        results[f'valid_{i}'] = post(url, body, headers)
        if i == 0:
            results['replayed'] = post(url, body, headers)
    results['stale'] = post(url, *signed(timestamp=now() - 30_000))
    results['future'] = post(url, *signed(timestamp=now() + 30_000))
    results['wrong_receiver'] = post(url, *signed(signed_for=other))
    results['unbound'] = post(url, *signed(signed_for=None))
    _, headers = signed()
    results['body_changed'] = post(url, body_of(next(refused)), headers)
    body, headers = signed()
    headers['miner-hotkey'] = receiver  # a second wire's header on a valid Epistula request
    results['mixed_fiber'] = post(url, body, headers)
    print('RESULT ' + json.dumps(results), flush=True)


{'client': client, 'server': server, 'axon': axon}[MODE]()
