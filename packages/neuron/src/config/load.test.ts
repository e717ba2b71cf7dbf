import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isNeuronError, type NeuronError } from '../errors.js';
import { configFields } from './fields.js';
import { loadConfig } from './load.js';
import { neuronStateDir } from './paths.js';
import { extendNeuronConfig, neuronConfigSchema } from './schema.js';

function load(
  argv: string[] = [],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
) {
  const r = loadConfig(neuronConfigSchema, {
    argv,
    env,
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
  });
  if (r.help) throw new Error('unexpected help');
  return r;
}

function failure(fn: () => unknown): NeuronError {
  try {
    fn();
  } catch (error) {
    if (isNeuronError(error)) return error;
    throw error;
  }
  throw new Error('expected a NeuronError');
}

describe('loadConfig defaults', () => {
  it('gives the Python SDK / template defaults with nothing set', () => {
    const { config, sources } = load();
    expect(config.netuid).toBe(1);
    expect(config.wallet).toEqual({
      name: 'default',
      hotkey: 'default',
      path: '~/.bittensor/wallets',
    });
    expect(config.subtensor.network).toBe('finney');
    expect(config.subtensor.chainEndpoint).toBeUndefined();
    expect(config.axon.port).toBe(8091);
    expect(config.neuron.epochLength).toBe(100);
    expect(config.neuron.sampleSize).toBe(50);
    expect(config.neuron.timeout).toBe(10);
    expect(config.neuron.movingAverageAlpha).toBe(0.1);
    expect(config.blacklist).toEqual({
      forceValidatorPermit: false,
      allowNonRegistered: false,
      minStake: 0,
    });
    expect(config.status.port).toBe(-1);
    expect(sources.size).toBe(0);
  });
});

describe('loadConfig layering', () => {
  const file = JSON.stringify({
    netuid: 7,
    wallet: { name: 'from-file', hotkey: 'hk-file' },
    'neuron.sample_size': 9,
    neuron: { epochLength: 33 },
  });

  it('file < environment < flags, with the source of each leaf', () => {
    const { config, sources } = load(
      ['--config', 'c.json', '--wallet.hotkey', 'hk-flag', '--neuron.epoch_length=12'],
      { BT_WALLET_HOTKEY: 'hk-env', SUBNETKIT_NETUID: '8', BT_WALLET_NAME: 'env-name' },
      { 'c.json': file },
    );
    expect(config.netuid).toBe(8);
    expect(config.wallet.name).toBe('env-name');
    expect(config.wallet.hotkey).toBe('hk-flag');
    expect(config.neuron.sampleSize).toBe(9);
    expect(config.neuron.epochLength).toBe(12);
    expect(sources.get('netuid')).toEqual({ kind: 'env', name: 'SUBNETKIT_NETUID' });
    expect(sources.get('wallet.name')).toEqual({ kind: 'env', name: 'BT_WALLET_NAME' });
    expect(sources.get('wallet.hotkey')).toEqual({ kind: 'flag', name: '--wallet.hotkey' });
    expect(sources.get('neuron.sample_size')).toEqual({
      kind: 'file',
      name: 'c.json: neuron.sample_size',
    });
  });

  it('SUBNETKIT_* wins over the BT_* alias; empty variables are unset', () => {
    const { config } = load([], {
      SUBNETKIT_WALLET_PATH: '/a',
      BT_WALLET_PATH: '/b',
      BT_SUBTENSOR_NETWORK: '',
    });
    expect(config.wallet.path).toBe('/a');
    expect(config.subtensor.network).toBe('finney');
  });

  it('SUBNETKIT_CONFIG names the file when --config is absent', () => {
    const { config, configFile } = load([], { SUBNETKIT_CONFIG: 'c.json' }, { 'c.json': file });
    expect(configFile).toBe('c.json');
    expect(config.netuid).toBe(7);
  });

  it('program defaults sit under file, env and flags', () => {
    const r = loadConfig(neuronConfigSchema, {
      argv: [],
      env: {},
      defaults: { neuron: { name: 'miner', sampleSize: 4 } },
    });
    if (r.help) throw new Error('help');
    expect(r.config.neuron.name).toBe('miner');
    expect(r.config.neuron.sampleSize).toBe(4);
    expect(r.sources.get('neuron.name')).toEqual({ kind: 'program', name: 'neuron.name' });
  });

  it('reads booleans as bare flags, =true/=false and env words', () => {
    expect(load(['--logging.debug']).config.logging.debug).toBe(true);
    expect(load(['--logging.debug=false']).config.logging.debug).toBe(false);
    expect(load([], { BT_LOGGING_TRACE: 'yes' }).config.logging.trace).toBe(true);
    expect(load([], { BT_LOGGING_TRACE: '0' }).config.logging.trace).toBe(false);
  });

  it('takes negative numbers as values and later flags win', () => {
    expect(load(['--status.port', '-1']).config.status.port).toBe(-1);
    expect(load(['--netuid', '2', '--netuid', '3']).config.netuid).toBe(3);
  });

  it('takes the drand beacon and block time a dev chain needs for timelocked weights', () => {
    const defaults = load([]).config.subtensor;
    expect([defaults.drandBeacon, defaults.blockTime]).toEqual(['quicknet', 12]);
    const { config } = load(['--subtensor.drand_beacon', 'chain', '--subtensor.block_time=0.25']);
    expect([config.subtensor.drandBeacon, config.subtensor.blockTime]).toEqual(['chain', 0.25]);
    expect(failure(() => load(['--subtensor.drand_beacon', 'mainnet'])).message).toMatch(
      /drand_beacon/,
    );
    expect(failure(() => load(['--subtensor.block_time', '0'])).message).toMatch(/block_time/);
  });

  it('accepts every flag name the Python SDK/template spells', () => {
    const { config } = load([
      '--netuid=3',
      '--wallet.name=w',
      '--wallet.hotkey=h',
      '--wallet.path=/tmp/w',
      '--subtensor.network=local',
      '--subtensor.chain_endpoint=ws://127.0.0.1:9945',
      '--axon.port=9000',
      '--axon.ip=127.0.0.2',
      '--axon.external_ip=1.2.3.4',
      '--axon.external_port=9001',
      '--neuron.sample_size=5',
      '--neuron.epoch_length=10',
      '--neuron.timeout=2.5',
      '--neuron.moving_average_alpha=0.3',
      '--neuron.full_path=/tmp/state',
      '--neuron.disable_set_weights',
      '--neuron.vpermit_tao_limit=100',
      '--blacklist.force_validator_permit',
      '--blacklist.allow_non_registered',
      '--blacklist.min_stake=1.5',
      '--logging.debug',
      '--logging.trace',
      '--logging.info',
      '--logging.record_log',
      '--logging.logging_dir=/tmp/logs',
      '--status.port=0',
    ]);
    expect(config.subtensor.chainEndpoint).toBe('ws://127.0.0.1:9945');
    expect(config.axon).toEqual({
      port: 9000,
      ip: '127.0.0.2',
      externalIp: '1.2.3.4',
      externalPort: 9001,
      wires: 'synapse',
    });
    expect(config.neuron.timeout).toBe(2.5);
    expect(config.neuron.fullPath).toBe('/tmp/state');
    expect(config.blacklist).toEqual({
      forceValidatorPermit: true,
      allowNonRegistered: true,
      minStake: 1.5,
    });
    expect(config.logging.loggingDir).toBe('/tmp/logs');
  });
});

describe('loadConfig rejections name the field and the source', () => {
  it('unknown flag, with a suggestion', () => {
    const e = failure(() => load(['--wallet.nmae', 'x']));
    expect(e.code).toBe('CONFIG_UNKNOWN_FLAG');
    expect(e.message).toContain('--wallet.nmae');
    expect(e.message).toContain('did you mean --wallet.name?');
    const e2 = failure(() => load(['--neuron.sampleSize', '3']));
    expect(e2.message).toContain('did you mean --neuron.sample_size?');
  });

  it('positional arguments', () => {
    expect(failure(() => load(['miner'])).code).toBe('CONFIG_UNKNOWN_FLAG');
  });

  it('a flag missing its value', () => {
    const e = failure(() => load(['--netuid', '--wallet.name', 'x']));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('--netuid: expects a value');
  });

  it('a number that is not a number (flag)', () => {
    const e = failure(() => load(['--axon.port', 'eighty']));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.details.field).toBe('axon.port');
    expect(e.details.source).toEqual({ kind: 'flag', name: '--axon.port' });
    expect(e.message).toMatch(/axon\.port: "eighty" is not a number \(from flag --axon\.port\)/);
  });

  it('a schema violation from the environment', () => {
    const e = failure(() => load([], { BT_AXON_PORT: '70000' }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.details.field).toBe('axon.port');
    expect(e.message).toContain('from environment BT_AXON_PORT');
    expect(e.message).toContain('70000');
  });

  it('a non-integer from the file', () => {
    const e = failure(() =>
      load(['--config', 'c.json'], {}, { 'c.json': '{"neuron":{"sample_size":2.5}}' }),
    );
    expect(e.details.field).toBe('neuron.sample_size');
    expect(e.message).toContain('config file c.json: neuron.sample_size');
  });

  it('a wrong JSON type in the file is not coerced', () => {
    const e = failure(() => load(['--config', 'c.json'], {}, { 'c.json': '{"netuid":"3"}' }));
    expect(e.details.field).toBe('netuid');
    expect(e.details.source?.kind).toBe('file');
  });

  it('a bad boolean word in the environment', () => {
    const e = failure(() => load([], { BT_LOGGING_DEBUG: 'maybe' }));
    expect(e.message).toContain('logging.debug');
    expect(e.message).toContain('BT_LOGGING_DEBUG');
  });

  it('an enum value outside the set', () => {
    const e = failure(() => load(['--logging.format', 'xml']));
    expect(e.message).toContain('not one of auto, json, pretty');
  });

  it('an unknown network (cross-field refine)', () => {
    const e = failure(() => load(['--subtensor.network', 'mainnet']));
    expect(e.details.field).toBe('subtensor.network');
    expect(e.message).toContain('mainnet');
    expect(e.message).toContain('--subtensor.network');
  });

  it('several problems at once are all listed', () => {
    const e = failure(() => load(['--netuid=-1', '--neuron.moving_average_alpha=2']));
    expect(e.details.problems).toHaveLength(2);
    expect(e.message).toContain('netuid');
    expect(e.message).toContain('neuron.moving_average_alpha');
  });

  it('config file problems: missing, YAML, not JSON, unknown key, double spelling', () => {
    expect(failure(() => load(['--config', 'nope.json'])).message).toContain('ENOENT');
    expect(failure(() => load(['--config', 'c.yaml'])).message).toContain('YAML');
    expect(failure(() => load(['--config', 'c.json'], {}, { 'c.json': '{' })).code).toBe(
      'CONFIG_FILE',
    );
    const unknown = failure(() =>
      load(['--config', 'c.json'], {}, { 'c.json': '{"wallet":{"hotkee":"x"}}' }),
    );
    expect(unknown.message).toContain('unknown key "wallet.hotkee"');
    expect(unknown.message).toContain('did you mean wallet.hotkey?');
    const both = failure(() =>
      load(['--config', 'c.json'], {}, { 'c.json': '{"neuron":{"sample_size":1,"sampleSize":2}}' }),
    );
    expect(both.message).toContain('set the same field neuron.sample_size');
  });

  it('null in the file unsets an optional leaf', () => {
    const { config } = load(
      ['--config', 'c.json'],
      { BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://127.0.0.1:1' },
      { 'c.json': '{"axon":{"external_ip":null}}' },
    );
    expect(config.axon.externalIp).toBeUndefined();
  });
});

describe('--help', () => {
  it('is generated from the schema: flags, descriptions, defaults, env names', () => {
    const r = loadConfig(neuronConfigSchema, { argv: ['--help'], programName: 'my-miner' });
    if (!r.help) throw new Error('expected help');
    expect(r.text).toContain('Usage: my-miner [options]');
    expect(r.text).toContain(
      [
        '  --wallet.name STRING',
        '      Wallet (coldkey) name',
        '      [default: "default"; env: SUBNETKIT_WALLET_NAME, BT_WALLET_NAME]',
      ].join('\n'),
    );
    expect(r.text).toContain('--logging.format {auto|json|pretty}');
    expect(r.text).toContain('--neuron.sample_size NUMBER');
    expect(r.text).toContain('--logging.debug\n');
    for (const f of configFields(neuronConfigSchema)) expect(r.text).toContain(f.flag);
  });

  it('is returned even when other arguments are invalid values', () => {
    const r = loadConfig(neuronConfigSchema, { argv: ['--netuid', 'x', '-h'] });
    expect(r.help).toBe(true);
    expect(loadConfig(neuronConfigSchema, { argv: ['--no.such', '--help'] }).help).toBe(true);
  });
});

describe('subnet sections', () => {
  const schema = extendNeuronConfig({
    image: z.object({
      size: z.number().int().min(64).default(512).describe('Image side in pixels'),
      model: z.enum(['sd', 'flux']).default('sd'),
      apiUrl: z
        .string()
        .optional()
        .meta({ env: ['IMAGE_API_URL'] }),
    }),
  });

  it('get the same flags, env, file keys, help and errors', () => {
    const r = loadConfig(schema, {
      argv: ['--image.size', '256'],
      env: { SUBNETKIT_IMAGE_MODEL: 'flux', IMAGE_API_URL: 'http://x' },
    });
    if (r.help) throw new Error('help');
    expect(r.config.image).toEqual({ size: 256, model: 'flux', apiUrl: 'http://x' });
    expect(r.config.netuid).toBe(1);
    const help = loadConfig(schema, { argv: ['--help'] });
    expect(help.help && help.text).toContain('--image.api_url');
    const e = failure(() => loadConfig(schema, { argv: ['--image.size=10'] }));
    expect(e.details.field).toBe('image.size');
  });

  it('cannot replace a neuron section', () => {
    expect(() => extendNeuronConfig({ wallet: z.object({}) })).toThrow(/already belongs/);
  });

  it('unsupported leaf types are refused when the schema is read', () => {
    const bad = extendNeuronConfig({ x: z.object({ list: z.array(z.string()) }) });
    expect(failure(() => loadConfig(bad, {})).code).toBe('CONFIG_SCHEMA');
  });
});

describe('neuronStateDir', () => {
  it('follows the template layout, or --neuron.full_path', () => {
    const { config } = load(['--wallet.name', 'w', '--wallet.hotkey', 'h', '--netuid', '4']);
    expect(neuronStateDir(config, '/home/u')).toBe('/home/u/.bittensor/miners/w/h/netuid4/neuron');
    const { config: c2 } = load(['--neuron.full_path', '~/state']);
    expect(neuronStateDir(c2, '/home/u')).toBe('/home/u/state');
  });
});

describe('loadConfig wires', () => {
  const hotkey = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

  it('serves and speaks the Synapse wire by default', () => {
    const { config } = load();
    expect(config.axon.wires).toBe('synapse');
    expect(config.neuron.wire).toBe('synapse');
    expect(config.neuron.minerWires).toBeUndefined();
  });

  it('takes a wire list, a default wire and per-miner wires', () => {
    const { config } = load([
      '--axon.wires',
      'btauth,fiber',
      '--neuron.wire',
      'epistula',
      '--neuron.miner_wires',
      `${hotkey}=fiber`,
    ]);
    expect(config.axon.wires).toBe('btauth,fiber');
    expect(config.neuron.wire).toBe('epistula');
    expect(config.neuron.minerWires).toBe(`${hotkey}=fiber`);
  });

  it('an unknown wire in the list, naming the flag and the wire', () => {
    const e = failure(() => load(['--axon.wires', 'synapse,grpc']));
    expect(e.message).toContain('axon.wires');
    expect(e.message).toContain('unknown wire "grpc"');
  });

  it('a miner wires entry that is not HOTKEY=WIRE, or names no ss58 hotkey', () => {
    expect(failure(() => load(['--neuron.miner_wires', 'fiber'])).message).toContain(
      'is not HOTKEY=WIRE',
    );
    expect(failure(() => load(['--neuron.miner_wires', 'alice=fiber'])).message).toContain(
      'not an ss58 hotkey',
    );
    expect(failure(() => load(['--neuron.wire', 'grpc'])).message).toContain('neuron.wire');
  });
});
