"""An independent Fiber (plain mode) peer (Python 3 stdlib), written from
shared/reference/wires.md §3.2–3.3.

    python3 fiber_peer.py client '<json config>'   # a validator: sends requests, prints RESULT <json>
    python3 fiber_peer.py server '<json config>'   # a miner: prints PORT <n>, verifies requests
    python3 fiber_peer.py axon '<json config>'     # a validator querying a real axon's synapse

There is no sr25519 in the standard library, so signing and signature checks go over stdio
to the test process, which holds the dev keys:
    -> SIGN <key name> <hex of message bytes>            <- 0x<signature>
    -> VERIFY <ss58> <0x signature> <hex of message bytes> <- 1 | 0
Everything else (nonces, hashing, the signed message, the window, the nonce set, the stake
blacklist) is done here.
"""
import hashlib
import json
import random
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

MODE, CFG = sys.argv[1], json.loads(sys.argv[2])
ADDRESS = CFG['addresses']  # key name -> ss58
PIPE = threading.Lock()
NONCE_WINDOW_NS = 120_000_000_000


def ask(line):
    with PIPE:
        print(line, flush=True)
        return sys.stdin.readline().strip()


def sign(key, message):
    return ask(f'SIGN {key} {message.encode("utf-8").hex()}')


def verify(ss58, signature, message):
    return ask(f'VERIFY {ss58} {signature} {message.encode("utf-8").hex()}') == '1'


def generate_nonce(time_ns=None):
    time_ns = time.time_ns() if time_ns is None else time_ns
    return f"{time_ns}_{''.join(random.choices(string.ascii_letters + string.digits, k=10))}"


def signed_message(nonce, miner_hotkey, body):
    # §3.2: "<nonce>:<miner_hotkey>:<sha256_hex(body)>", UTF-8.
    return f'{nonce}:{miner_hotkey}:{hashlib.sha256(body).hexdigest()}'


def fiber_headers(body, miner_hotkey, key='Alice', nonce=None):
    nonce = nonce or generate_nonce()
    return {
        'Content-Type': 'application/json',
        'validator-hotkey': ADDRESS[key],
        'miner-hotkey': miner_hotkey,
        'nonce': nonce,
        'signature': sign(key, signed_message(nonce, miner_hotkey, body)),
    }


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, headers=headers, method='POST')
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return {'status': response.status, 'json': json.loads(response.read() or b'null')}
    except urllib.error.HTTPError as error:
        return {'status': error.code, 'json': json.loads(error.read() or b'null')}


def client():
    url, miner = CFG['url'], CFG['receiver']
    payload = {'prompt': 'héllo "world"', 'n': 7}
    body = json.dumps(payload).encode()  # what httpx 0.27 json= sends (default separators)
    results = {}
    headers = fiber_headers(body, miner)
    results['valid'] = post(url, body, headers)
    results['replayed'] = post(url, body, headers)
    results['stale'] = post(url, body, fiber_headers(body, miner, nonce=generate_nonce(time.time_ns() - 200 * 10**9)))
    results['future'] = post(url, body, fiber_headers(body, miner, nonce=generate_nonce(time.time_ns() + 200 * 10**9)))
    results['wrong_receiver'] = post(url, body, fiber_headers(body, CFG['other']))
    results['body_changed'] = post(url, body.replace(b'7', b'8'), fiber_headers(body, miner))
    results['malformed_nonce'] = post(url, body, fiber_headers(body, miner, nonce='abc_' + 'x' * 10))
    missing = fiber_headers(body, miner)
    del missing['signature']
    results['missing_signature'] = post(url, body, missing)
    forged = fiber_headers(body, miner, key='Charlie')
    forged['validator-hotkey'] = ADDRESS['Alice']
    results['bad_signature'] = post(url, body, forged)
    results['low_stake'] = post(url, body, fiber_headers(body, miner, key='Charlie'))
    encrypted = fiber_headers(body, miner)
    encrypted['symmetric-key-uuid'] = 'ab' * 32
    encrypted['Content-Type'] = 'application/octet-stream'
    results['encrypted'] = post(url, body, encrypted)
    print('RESULT ' + json.dumps(results), flush=True)


def server():
    own, stakes, min_stake = CFG['hotkey'], CFG['stakes'], CFG['min_stake']
    nonces = {}  # global seen-set, nonce -> expiry (s), as Fiber's NonceManager

    def nonce_problem(nonce):
        """Fiber's NonceManager.nonce_is_valid (§3.3), naming why it says no."""
        if nonce in nonces:
            return 'nonce already used'
        try:
            timestamp_ns = int(nonce.split('_')[0])
            if timestamp_ns > 10**20:
                raise ValueError()
        except (ValueError, IndexError):
            return 'nonce malformed'
        nonces[nonce] = time.time() + 120  # added before the window check, as Fiber does
        now = time.time_ns()
        if now - timestamp_ns > NONCE_WINDOW_NS:
            return 'nonce too old'
        if timestamp_ns - now > NONCE_WINDOW_NS:
            return 'nonce from the future'
        return None

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, status, obj):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
            h = {k.lower(): v for k, v in self.headers.items()}
            validator = h.get('validator-hotkey')
            # blacklist_low_stake runs first (FastAPI dependency order), 403
            if validator not in stakes:
                return self.reply(403, {'detail': 'Hotkey not found in metagraph'})
            if stakes[validator] < min_stake:
                return self.reply(403, {'detail': f'Insufficient stake of {stakes[validator]} '})
            for name in ('validator-hotkey', 'miner-hotkey', 'nonce', 'signature'):
                if name not in h:
                    return self.reply(422, {'detail': [{'loc': ['header', name], 'msg': 'Field required'}]})
            # Fiber signs miner-hotkey but does not compare it with its own; this peer does.
            if h['miner-hotkey'] != own:
                return self.reply(401, {'detail': 'wrong miner-hotkey'})
            problem = nonce_problem(h['nonce'])
            if problem:
                return self.reply(401, {'detail': 'Oi, that nonce is not valid! (' + problem + ')'})
            message = signed_message(h['nonce'], h['miner-hotkey'], body)
            if not verify(validator, h['signature'], message):
                return self.reply(401, {'detail': "Oi, invalid signature, you're not who you said you were!"})
            self.reply(200, {'ok': True, 'validator': validator, 'message': message,
                             'body_sha256': hashlib.sha256(body).hexdigest()})

    httpd = HTTPServer(('127.0.0.1', 0), Handler)
    print(f'PORT {httpd.server_address[1]}', flush=True)
    httpd.serve_forever()


def axon():
    """Requests to a subnetkit axon serving a synapse at CFG['url'] (input {"dummy_input": n}).
    Valid ones carry CFG['inputs']; every refused one carries an input no valid one uses."""
    url, miner = CFG['url'], CFG['receiver']
    refused = iter(CFG['refused_inputs'])

    def body_of(n):
        return json.dumps({'dummy_input': n}).encode()

    def signed(n=None, miner_hotkey=miner, **kw):
        body = body_of(next(refused) if n is None else n)
        return body, fiber_headers(body, miner_hotkey, **kw)

    results = {}
    for i, n in enumerate(CFG['inputs']):
        body, headers = signed(n)
        results[f'valid_{i}'] = post(url, body, headers)
        if i == 0:
            results['replayed'] = post(url, body, headers)
    results['stale'] = post(url, *signed(nonce=generate_nonce(time.time_ns() - 200 * 10**9)))
    results['future'] = post(url, *signed(nonce=generate_nonce(time.time_ns() + 200 * 10**9)))
    results['wrong_receiver'] = post(url, *signed(miner_hotkey=CFG['other']))
    _, headers = signed()
    results['body_changed'] = post(url, body_of(next(refused)), headers)
    results['low_stake'] = post(url, *signed(key='Charlie'))
    body, headers = signed()
    headers['X-Bittensor-Version'] = '1'  # a second wire's header on a valid Fiber request
    results['mixed_btauth'] = post(url, body, headers)
    print('RESULT ' + json.dumps(results), flush=True)


{'client': client, 'server': server, 'axon': axon}[MODE]()
