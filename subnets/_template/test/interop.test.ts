// Interop with the Python subnet template's wire, both ways, through independent Python 3
// stdlib peers written here from the SDK's documented rules (no bittensor install needed):
// - a Python client that queries like the Python template's validator (`Dummy(dummy_input=…)`)
//   against our template miner;
// - a Python server that answers like the Python template's miner (`dummy_input * 2`), queried
//   by our template validator's step.
// The only thing Python borrows from us is the sr25519 signature (no stdlib sr25519), over a pipe.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { silentLogger } from '@subnetkit/neuron';
import { createValidatorState } from '@subnetkit/neuron/state';
import { runValidatorStep } from '@subnetkit/neuron/steps';
import {
  devKey,
  fakeMetagraph,
  type MinerHarness,
  startMinerHarness,
  testNeuronContext,
} from '@subnetkit/test-utils';
import { createDendrite } from '@subnetkit/transport';
import { verifySignature } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateMiner, createTemplateValidator, OfflineBackend } from '../src/index.js';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
if (!hasPython) {
  console.warn('[template interop] /usr/bin/python3 not found: Python interop tests skipped');
}

// The Python template's Dummy has no required_hash_fields: the body hash is sha3_256 of ''.
const PY_COMMON = `
import base64, hashlib, json, sys, time, uuid
def get_hash(s): return hashlib.sha3_256(s.encode('utf-8')).hexdigest()
BODY_HASH = get_hash(''.join([]))
`;

const PY_VALIDATOR = `
import urllib.request, urllib.error
${PY_COMMON}
cfg = json.loads(sys.argv[1])

def sign(key, message):
    print('SIGN ' + key + ' ' + message, flush=True)
    return sys.stdin.readline().strip()

def query(key, hotkey, dummy_input, signed=True):
    my_uuid = str(uuid.uuid1())
    nonce = time.time_ns()
    message = f"{nonce}.{hotkey}.{cfg['axon_hotkey']}.{my_uuid}.{BODY_HASH}"
    dendrite = {'status_code': None, 'status_message': None, 'process_time': None, 'ip': '127.0.0.1', 'port': None,
                'version': 9001000, 'nonce': nonce, 'uuid': my_uuid, 'hotkey': hotkey,
                'signature': sign(key, message) if signed else None}
    axon = {'status_code': None, 'status_message': None, 'process_time': None, 'ip': '127.0.0.1',
            'port': cfg['port'], 'version': None, 'nonce': None, 'uuid': None, 'hotkey': cfg['axon_hotkey'], 'signature': None}
    headers = {'name': 'Dummy', 'timeout': str(12.0)}
    headers.update({f'bt_header_axon_{k}': str(v) for k, v in axon.items() if v is not None})
    headers.update({f'bt_header_dendrite_{k}': str(v) for k, v in dendrite.items() if v is not None})
    headers['bt_header_input_obj_dummy_input'] = base64.b64encode(json.dumps(int()).encode()).decode()
    headers['header_size'] = '0'; headers['total_size'] = '0'; headers['computed_body_hash'] = BODY_HASH
    body = {'name': 'Dummy', 'timeout': 12.0, 'total_size': 0, 'header_size': 0, 'dendrite': dendrite, 'axon': axon,
            'computed_body_hash': '', 'required_hash_fields': [], 'dummy_input': dummy_input, 'dummy_output': None}
    req = urllib.request.Request(f"http://127.0.0.1:{cfg['port']}/Dummy", data=json.dumps(body).encode(),
                                 headers={**headers, 'Content-Type': 'application/json'}, method='POST')
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b'null')

results = {}
# The Python template's validator sends dummy_input = step and rewards dummy_output == 2 * step.
results['answers'] = [[step, *query('validator', cfg['validator'], step)] for step in (0, 1, 7, 123456)]
results['unregistered'] = query('stranger', cfg['stranger'], 3)[0]
results['unsigned'] = query('validator', cfg['validator'], 3, signed=False)[0]
print('RESULT ' + json.dumps(results), flush=True)
`;

const PY_MINER = `
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
${PY_COMMON}
seen = []
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        h = {k.lower(): v for k, v in self.headers.items()}
        body = json.loads(self.rfile.read(int(h.get('content-length', '0'))))
        errors = []
        if self.path != '/Dummy' or h.get('name') != 'Dummy': errors.append('route/name')
        if json.loads(base64.b64decode(h.get('bt_header_input_obj_dummy_input', ''))) != 0: errors.append('input_obj placeholder')
        if h.get('computed_body_hash') != BODY_HASH: errors.append('body hash')
        if not isinstance(body.get('dummy_input'), int): errors.append('dummy_input type')
        if body.get('dummy_output') is not None: errors.append('dummy_output sent')
        nonce = int(h['bt_header_dendrite_nonce'])
        if abs(time.time_ns() - nonce) > 10 * 10**9: errors.append('nonce')
        message = f"{nonce}.{h['bt_header_dendrite_hotkey']}.{h['bt_header_axon_hotkey']}.{h['bt_header_dendrite_uuid']}.{BODY_HASH}"
        seen.append({'errors': errors, 'message': message, 'signature': h['bt_header_dendrite_signature'], 'input': body['dummy_input']})
        out = dict(body)
        out['dummy_output'] = body['dummy_input'] * 2   # the Python template miner's forward
        out['axon'] = dict(body['axon'], status_code=200, status_message='Success', process_time=0.001)
        data = json.dumps(out).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.send_header('bt_header_axon_status_code', '200')
        self.send_header('bt_header_axon_status_message', 'Success')
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        data = json.dumps(seen).encode()
        self.send_response(200); self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)

server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('PORT %d' % server.server_address[1], flush=True)
server.serve_forever()
`;

function lines(child: ChildProcess, onLine: (line: string) => void) {
  createInterface({ input: child.stdout! }).on('line', onLine);
}

const validatorKey = devKey('//Alice//template-interop-validator');
const minerKey = devKey('//Bob//template-interop-miner');
const stranger = devKey('//Bob//template-interop-stranger');

describe.skipIf(!hasPython)('template interop with the Python subnet template wire', () => {
  let harness: MinerHarness;
  beforeAll(async () => {
    harness = await startMinerHarness(createTemplateMiner(new OfflineBackend()), {
      keypair: minerKey,
      metagraph: fakeMetagraph([
        { hotkey: validatorKey, validatorPermit: true },
        { hotkey: minerKey },
      ]),
    });
  });
  afterAll(() => harness.stop());

  it('a Python template-style validator queries our miner: right answers, 403 unregistered, 401 unsigned', async () => {
    const keys = { validator: validatorKey, stranger };
    const child = spawn(
      PYTHON,
      [
        '-c',
        PY_VALIDATOR,
        JSON.stringify({
          port: harness.target.port,
          axon_hotkey: minerKey.ss58Address,
          validator: validatorKey.ss58Address,
          stranger: stranger.ss58Address,
        }),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const result = await new Promise<{
      answers: Array<[number, number, { dummy_output: number; dummy_input: number }]>;
      unregistered: number;
      unsigned: number;
    }>((resolve, reject) => {
      lines(child, (line) => {
        if (line.startsWith('SIGN ')) {
          const [, key, message] = /^SIGN (\w+) (.*)$/.exec(line)!;
          const sig = keys[key as keyof typeof keys].sign(message!);
          child.stdin!.write(`0x${Buffer.from(sig).toString('hex')}\n`);
        } else if (line.startsWith('RESULT ')) resolve(JSON.parse(line.slice(7)));
      });
      child.on('exit', (code) => reject(new Error(`python validator exited ${code}: ${stderr}`)));
    });
    child.kill();
    for (const [step, status, body] of result.answers) {
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.dummy_input).toBe(step);
      expect(body.dummy_output).toBe(step * 2); // the Python template's reward condition
    }
    expect(result.unregistered).toBe(403);
    expect(result.unsigned).toBe(401);
  });

  it('our validator queries a Python template-style miner and scores it as a pass', async () => {
    const server = spawn(PYTHON, ['-c', PY_MINER], { stdio: ['ignore', 'pipe', 'pipe'] });
    const dendrite = createDendrite({ keypair: validatorKey }, { logger: silentLogger() });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        lines(server, (line) => {
          if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
        });
        server.on('exit', (code) => reject(new Error(`python miner exited ${code}`)));
      });
      const metagraph = fakeMetagraph([
        { hotkey: validatorKey, validatorPermit: true },
        { hotkey: minerKey, axon: { ip: '127.0.0.1', port } },
      ]);
      const r = await runValidatorStep(
        {
          definition: createTemplateValidator() as never,
          state: createValidatorState({ netuid: 1, hotkey: validatorKey.ss58Address, alpha: 0.1 }),
          secret: new Uint8Array(32).fill(3),
          metagraph,
          neuron: testNeuronContext({ metagraph, hotkey: validatorKey.ss58Address, uid: 0 }),
          sampleSize: 1,
          timeoutS: 5,
          selfUid: 0,
        },
        { dendrite },
      );
      expect(r.errors).toEqual([]);
      expect(r.outcomes).toHaveLength(1);
      expect(r.outcomes[0]!.verdict.status).toBe('pass');
      const seen = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as Array<{
        errors: string[];
        message: string;
        signature: string;
        input: number;
      }>;
      expect(seen).toHaveLength(1);
      expect(seen[0]!.errors).toEqual([]);
      // The message Python rebuilt from the SDK's rules is what our validator signed.
      expect(
        verifySignature(
          seen[0]!.message,
          Buffer.from(seen[0]!.signature.slice(2), 'hex'),
          validatorKey.ss58Address,
        ),
      ).toBe(true);
      expect(r.outcomes[0]!.verdict.evidence).toEqual({
        expected: seen[0]!.input * 2,
        got: seen[0]!.input * 2,
      });
    } finally {
      await dendrite.close();
      server.kill();
    }
  });
});
