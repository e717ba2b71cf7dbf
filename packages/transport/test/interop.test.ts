// Interop with independent Python 3 (stdlib only) peers written here from the documented wire
// rules: a Python client against our axon, and a Python server receiving from our dendrite.
// The only thing Python borrows from us is the sr25519 signature itself (no stdlib sr25519).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Axon, defineSynapse, verifyWrapped } from '../src/index.js';
import { alice, bob, newDendrite, startAxon } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
if (!hasPython)
  console.warn('[transport interop] /usr/bin/python3 not found: Python interop tests skipped');

/** Many value kinds in hash fields: the body hash must agree with CPython's str(). */
const Rich = defineSynapse({
  name: 'Rich',
  input: {
    text: z.string(),
    ratio: z.number(),
    count: z.int(),
    tags: z.array(z.string()),
    meta: z.record(z.string(), z.union([z.int(), z.string(), z.null()])),
    flag: z.boolean(),
    pair: z.tuple([z.int(), z.number()]),
    note: z.string().nullable().default(null),
  },
  output: {
    summary: z.string().nullable().default(null),
    total: z.number().nullable().default(null),
  },
  hashFields: ['text', 'ratio', 'count', 'tags', 'meta', 'flag', 'pair', 'note'],
});

const Dummy = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
});

// --- shared Python: the documented rules, written independently of our TypeScript ----------
const PY_COMMON = `
import base64, hashlib, json, sys, time, uuid

def get_hash(s):
    return hashlib.sha3_256(s.encode('utf-8')).hexdigest()

# Python types of the Rich synapse fields, as a pydantic model would hold them.
RICH_TYPES = {'text': str, 'ratio': float, 'count': int, 'tags': list, 'meta': dict, 'flag': bool, 'pair': tuple, 'note': str}
RICH_HASH = ['text', 'ratio', 'count', 'tags', 'meta', 'flag', 'pair', 'note']

def coerce(name, v):
    t = RICH_TYPES.get(name)
    if v is None: return None
    if t is float: return float(v)
    if t is tuple: return (int(v[0]), float(v[1]))
    return v

def body_hash(values, fields):
    return get_hash(''.join(get_hash(str(coerce(f, values[f]))) for f in fields))
`;

const PY_CLIENT = String.raw`
import urllib.request, urllib.error
${PY_COMMON}
cfg = json.loads(sys.argv[1])
url, axon_hotkey, hotkey = cfg['url'], cfg['axon_hotkey'], cfg['hotkey']
my_uuid = str(uuid.uuid1())

def sign(message):
    print('SIGN ' + message, flush=True)
    return sys.stdin.readline().strip()

def send(name, fields, hash_fields, required, tamper=None, unsigned=False, nonce=None, replay=None):
    nonce = nonce or time.time_ns()
    bh = body_hash(fields, hash_fields)
    message = f"{nonce}.{hotkey}.{axon_hotkey}.{my_uuid}.{bh}"
    signature = None if unsigned else sign(message)
    dendrite = {'status_code': None, 'status_message': None, 'process_time': None, 'ip': '10.1.2.3', 'port': None,
                'version': 10002000, 'nonce': nonce, 'uuid': my_uuid, 'hotkey': hotkey, 'signature': signature}
    axon = {'status_code': None, 'status_message': None, 'process_time': None, 'ip': '127.0.0.1', 'port': cfg['port'],
            'version': None, 'nonce': None, 'uuid': None, 'hotkey': axon_hotkey, 'signature': None}
    headers = {'name': name, 'timeout': str(12.0)}
    headers.update({f'bt_header_axon_{k}': str(v) for k, v in axon.items() if v is not None})
    headers.update({f'bt_header_dendrite_{k}': str(v) for k, v in dendrite.items() if v is not None})
    for f in required:
        headers[f'bt_header_input_obj_{f}'] = base64.b64encode(json.dumps(type(fields[f])()).encode()).decode()
    headers['header_size'] = '640'
    headers['total_size'] = '1234'
    headers['computed_body_hash'] = bh
    body = {'name': name, 'timeout': 12.0, 'total_size': 0, 'header_size': 0, 'dendrite': dendrite, 'axon': axon,
            'computed_body_hash': ''}
    body.update(fields)
    if tamper: body.update(tamper)
    data = json.dumps(body).encode()
    if replay is not None: headers, data = replay
    req = urllib.request.Request(f"{url}/{name}", data=data, headers={**headers, 'Content-Type': 'application/json'}, method='POST')
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            out = {'status': r.status, 'json': json.loads(r.read()), 'headers': {k.lower(): v for k, v in r.headers.items()}}
    except urllib.error.HTTPError as e:
        out = {'status': e.code, 'json': json.loads(e.read() or b'null'), 'headers': {k.lower(): v for k, v in e.headers.items()}}
    out['sent'] = (headers, data)
    return out

results = {}
r = send('Dummy', {'dummy_input': 21, 'dummy_output': None}, [], ['dummy_input'])
results['dummy'] = {k: r[k] for k in ('status', 'json', 'headers')}
rich = {'text': "it's a \"test\" \u2014 \u00fcn\u00efcode\n\ttab\\", 'ratio': 0.1 + 0.2, 'count': -7,
        'tags': ["a'b", 'c"d', 'e\\f', '\t', '\u00e9', '\x00'], 'meta': {'x': 1, 'y': 'z', 'n': None},
        'flag': True, 'pair': [7, 2.0], 'note': None, 'summary': None, 'total': None}
r = send('Rich', rich, RICH_HASH, ['text', 'ratio', 'count', 'tags', 'meta', 'flag', 'pair'])
results['rich'] = {k: r[k] for k in ('status', 'json', 'headers')}
results['rich_hash'] = body_hash(rich, RICH_HASH)
results['replay'] = send('Rich', rich, RICH_HASH, [], replay=r['sent'])['status']
results['tampered'] = send('Rich', rich, RICH_HASH, [], tamper={'count': 8})['status']
results['unsigned'] = send('Rich', rich, RICH_HASH, [], unsigned=True)['status']
results['stale'] = send('Dummy', {'dummy_input': 1, 'dummy_output': None}, [], [], nonce=time.time_ns() - 30 * 10**9)['status']
print('RESULT ' + json.dumps(results), flush=True)
`;

const PY_SERVER = `
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
${PY_COMMON}
seen = []

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        errors = []
        h = {k.lower(): v for k, v in self.headers.items()}
        name = self.path.strip('/')
        body = json.loads(self.rfile.read(int(h.get('content-length', '0'))))
        for key in ['name', 'timeout', 'bt_header_dendrite_ip', 'bt_header_dendrite_version', 'bt_header_dendrite_nonce',
                    'bt_header_dendrite_uuid', 'bt_header_dendrite_hotkey', 'bt_header_dendrite_signature',
                    'bt_header_axon_ip', 'bt_header_axon_port', 'bt_header_axon_hotkey', 'header_size', 'total_size',
                    'computed_body_hash']:
            if key not in h: errors.append('missing header ' + key)
        if h.get('name') != name: errors.append('name header differs from route')
        try: float(h.get('timeout'))
        except Exception: errors.append('timeout not a float')
        if int(h.get('bt_header_dendrite_version', '0')) < 7002000: errors.append('version below 7.2.0')
        int(h['header_size']); int(h['total_size'])
        nonce = int(h['bt_header_dendrite_nonce'])
        if abs(time.time_ns() - nonce) > 10 * 10**9: errors.append('nonce is not a current time_ns')
        sig = h['bt_header_dendrite_signature']
        if not (sig.startswith('0x') and len(sig) == 130): errors.append('signature format')
        fields = RICH_HASH if name == 'Rich' else []
        required = ['text', 'ratio', 'count', 'tags', 'meta', 'flag', 'pair'] if name == 'Rich' else ['dummy_input']
        for f in required:
            v = h.get('bt_header_input_obj_' + f)
            if v is None: errors.append('missing input_obj ' + f); continue
            placeholder = json.loads(base64.b64decode(v))
            expected = {'text': '', 'ratio': 0.0, 'count': 0, 'tags': [], 'meta': {}, 'flag': False, 'pair': [], 'dummy_input': 0}[f]
            if placeholder != expected or type(placeholder) != type(expected): errors.append(f'input_obj {f} = {placeholder!r}')
        for key in ['name', 'timeout', 'total_size', 'header_size', 'dendrite', 'axon', 'computed_body_hash']:
            if key not in body: errors.append('body lacks ' + key)
        if body.get('computed_body_hash') != '': errors.append('body computed_body_hash must be empty')
        if body['dendrite']['nonce'] != nonce: errors.append('body nonce differs from header nonce')
        recomputed = body_hash(body, fields)
        if recomputed != h['computed_body_hash']: errors.append(f"hash {recomputed} != header {h['computed_body_hash']}")
        message = f"{nonce}.{h['bt_header_dendrite_hotkey']}.{h['bt_header_axon_hotkey']}.{h['bt_header_dendrite_uuid']}.{recomputed}"
        seen.append({'errors': errors, 'message': message, 'signature': sig, 'hotkey': h['bt_header_dendrite_hotkey']})
        if name == 'Rich' and body.get('flag') is False:
            status, out = 403, {'message': 'Forbidden. Key is blacklisted: python says no.'}
        else:
            status = 200
            out = dict(body)
            if name == 'Rich':
                out['summary'] = json.dumps(seen[-1])
                out['total'] = float(sum(coerce('pair', body['pair'])))
            else:
                out['dummy_output'] = body['dummy_input'] * 2
            out['axon'] = dict(body['axon'], status_code=200, status_message='Success', process_time=0.001)
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        # A Python axon's success headers: no axon signature.
        self.send_header('bt_header_axon_status_code', str(status))
        self.send_header('bt_header_axon_status_message', 'Success' if status == 200 else out['message'])
        self.send_header('bt_header_axon_process_time', '0.001')
        self.end_headers()
        self.wfile.write(data)

server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('PORT %d' % server.server_address[1], flush=True)
server.serve_forever()
`;

function lines(child: ChildProcess, onLine: (line: string) => void) {
  createInterface({ input: child.stdout! }).on('line', onLine);
}

describe.skipIf(!hasPython)('interop with an independent Python 3 stdlib peer', () => {
  let axon: Axon;
  let url: string;
  beforeAll(async () => {
    const started = await startAxon(Dummy, {
      forward: (i) => ({ dummy_output: i.dummy_input * 2 }),
    });
    started.axon.attach(Rich, {
      forward: (i) => ({
        summary: `${i.text.length}:${i.tags.join('|')}:${JSON.stringify(i.meta)}:${i.flag}:${i.note}`,
        total: i.pair[0] + i.pair[1] + i.ratio + i.count,
      }),
    });
    axon = started.axon;
    url = started.url;
  });
  afterAll(() => axon.stop({ graceMs: 100 }));

  it('a Python client gets correct answers from the TS axon; abuse is refused', async () => {
    const child = spawn(
      PYTHON,
      [
        '-c',
        PY_CLIENT,
        JSON.stringify({
          url,
          port: axon.port,
          axon_hotkey: bob.ss58Address,
          hotkey: alice.ss58Address,
        }),
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
      lines(child, (line) => {
        if (line.startsWith('SIGN ')) {
          const sig = alice.sign(line.slice(5));
          child.stdin!.write(`0x${Buffer.from(sig).toString('hex')}\n`);
        } else if (line.startsWith('RESULT ')) resolve(JSON.parse(line.slice(7)));
      });
      child.on('exit', (code) => reject(new Error(`python client exited ${code}: ${stderr}`)));
    });
    child.kill();
    const dummy = result.dummy as {
      status: number;
      json: Record<string, unknown>;
      headers: Record<string, string>;
    };
    expect(dummy.status).toBe(200);
    expect(dummy.json.dummy_output).toBe(42);
    expect(dummy.headers.bt_header_axon_status_code).toBe('200');
    const rich = result.rich as { status: number; json: Record<string, unknown> };
    expect(rich.status, JSON.stringify(rich.json)).toBe(200);
    expect(rich.json.summary).toBe(
      `${'it\'s a "test" — ünïcode\n\ttab\\'.length}:a'b|c"d|e\\f|\t|é|\x00:{"x":1,"y":"z","n":null}:true:null`,
    );
    expect(rich.json.total).toBeCloseTo(7 + 2 + 0.30000000000000004 - 7);
    expect(result.replay).toBe(401);
    expect(result.tampered).toBe(401);
    expect(result.unsigned).toBe(401);
    expect(result.stale).toBe(401);
  });

  it('a Python stdlib server accepts requests from the TS dendrite (headers, hash, signature)', async () => {
    const server = spawn(PYTHON, ['-c', PY_SERVER], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        lines(server, (line) => {
          if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
        });
        server.on('exit', (code) => reject(new Error(`python server exited ${code}`)));
      });
      const d = newDendrite();
      const target = { ip: '127.0.0.1', port, hotkey: bob.ss58Address };
      const input = {
        text: 'it\'s a "test" — ünïcode\n\ttab\\',
        ratio: 0.1 + 0.2,
        count: -7,
        tags: ["a'b", 'c"d', 'e\\f', '\t', 'é', '\x00'],
        meta: { x: 1, y: 'z', n: null },
        flag: true,
        pair: [7, 2.0] as [number, number],
      };
      const [r] = await d.query([target], Rich, input, { timeout: 5 });
      expect(r!.dendrite.status_code, r!.dendrite.status_message).toBe(200);
      const seen = JSON.parse(r!.output!.summary!) as {
        errors: string[];
        message: string;
        signature: string;
        hotkey: string;
      };
      expect(seen.errors).toEqual([]);
      expect(seen.hotkey).toBe(alice.ss58Address);
      // The message Python rebuilt from the documented rules is what we signed.
      expect(
        verifyWrapped(
          new TextEncoder().encode(seen.message),
          Buffer.from(seen.signature.slice(2), 'hex'),
          alice.publicKey,
        ),
      ).toBe(true);
      expect(r!.output!.total).toBe(9);
      expect(r!.axon.process_time).toBe(0.001);
      const dummy = await d.call(target, Dummy, { dummy_input: 5 });
      expect(dummy.output?.dummy_output).toBe(10);
      const refused = await d.call(target, Rich, { ...input, flag: false });
      expect(refused.dendrite.status_code).toBe(403);
      expect(refused.dendrite.status_message).toBe(
        'Forbidden. Key is blacklisted: python says no.',
      );
      await d.close();
    } finally {
      server.kill();
    }
  });
});
