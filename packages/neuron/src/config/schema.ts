import { resolveNetwork } from '@subnetkit/chain';
import { WIRE_NAMES, type WireName } from '@subnetkit/transport';
import { DEFAULT_HOTKEY_NAME, DEFAULT_WALLET_NAME, DEFAULT_WALLET_PATH } from '@subnetkit/wallet';
import { z } from 'zod';
import { NeuronError } from '../errors.js';
import { minerWiresProblem, wireListProblem } from './wires.js';

const port = (description: string) => z.number().int().min(0).max(65535).describe(description);

/** `--wallet.*`: which btcli wallet and hotkey the neuron signs with. */
export const walletSection = z.object({
  name: z
    .string()
    .min(1)
    .default(DEFAULT_WALLET_NAME)
    .meta({ description: 'Wallet (coldkey) name', env: ['BT_WALLET_NAME'] }),
  hotkey: z
    .string()
    .min(1)
    .default(DEFAULT_HOTKEY_NAME)
    .meta({ description: 'Hotkey name inside the wallet', env: ['BT_WALLET_HOTKEY'] }),
  path: z
    .string()
    .min(1)
    .default(DEFAULT_WALLET_PATH)
    .meta({
      description: 'Directory holding the wallets',
      env: ['BT_WALLET_PATH'],
      placeholder: 'DIR',
    }),
});

/** `--subtensor.*`: which chain. `chain_endpoint` wins over `network`, as in the Python SDK. */
export const subtensorSection = z
  .object({
    network: z
      .string()
      .min(1)
      .default('finney')
      .meta({
        description: 'finney, test, archive, local, or a ws(s):// URL',
        env: ['BT_SUBTENSOR_NETWORK'],
      }),
    chainEndpoint: z
      .string()
      .min(1)
      .optional()
      .meta({
        description: 'ws(s):// endpoint; overrides --subtensor.network',
        env: ['BT_SUBTENSOR_CHAIN_ENDPOINT'],
        placeholder: 'URL',
      }),
    connectRetries: z
      .int()
      .min(0)
      .max(100)
      .default(3)
      .describe(
        'Start-up: times to try the chain again when it is down (1 s, 2 s, 4 s … apart, at most 30 s)',
      ),
    drandBeacon: z
      .enum(['quicknet', 'chain'])
      .default('quicknet')
      .meta({
        description:
          "drand beacon timelocked weights are encrypted to: quicknet (mainnet's), or 'chain' to " +
          "trust the beacon the chain announces (a dev chain's simulated drand)",
      }),
    blockTime: z.number().positive().default(12).meta({
      description: "seconds per block, for the timelocked reveal round (a dev chain's block time)",
      placeholder: 'SECONDS',
    }),
  })
  .superRefine((value, ctx) => {
    try {
      resolveNetwork(value.network, value.chainEndpoint);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: [value.chainEndpoint ? 'chainEndpoint' : 'network'],
        message: error instanceof Error ? error.message.replace(/^network: /, '') : String(error),
      });
    }
  });

/** `--axon.*`: where the miner listens and what it announces on chain. */
export const axonSection = z.object({
  port: port('Port the axon listens on (0 = a free port)')
    .default(8091)
    .meta({ env: ['BT_AXON_PORT'] }),
  ip: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .meta({ description: 'Address the axon binds to', env: ['BT_AXON_IP'] }),
  externalIp: z
    .string()
    .min(1)
    .optional()
    .meta({
      description: 'IP published on chain (behind NAT, Docker …); default: detected',
      env: ['BT_AXON_EXTERNAL_IP'],
    }),
  externalPort: port('Port published on chain; default: --axon.port')
    .optional()
    .meta({ env: ['BT_AXON_EXTERNAL_PORT'] }),
  wires: z
    .string()
    .superRefine((text, ctx) => {
      const problem = wireListProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('synapse')
    .meta({
      description: `Wires the axon serves, told apart by their headers: a list of ${WIRE_NAMES.join(', ')}`,
      placeholder: 'LIST',
    }),
});

/** `--neuron.*`: the runtime's own knobs (names and defaults of the Python subnet template). */
export const neuronSection = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, "_", "-" or "."')
    .default('neuron')
    .describe('Name used in the state directory (miner, validator …)'),
  fullPath: z.string().min(1).optional().meta({
    description:
      'State directory; default {logging_dir}/{wallet.name}/{wallet.hotkey}/netuid{netuid}/{neuron.name}',
    placeholder: 'DIR',
  }),
  epochLength: z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe('Blocks between metagraph syncs and weight settings'),
  sampleSize: z.number().int().min(1).default(50).describe('Miners queried per validator step'),
  timeout: z.number().positive().max(3600).default(10).describe('Seconds a miner has to answer'),
  stepInterval: z
    .number()
    .min(0)
    .max(3600)
    .default(5)
    .describe('Seconds a validator waits between steps (the Python template sleeps 5)'),
  movingAverageAlpha: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe('EMA weight of a new score sample'),
  disableSetWeights: z.boolean().default(false).describe('Score miners but never set weights'),
  vpermitTaoLimit: z
    .number()
    .min(0)
    .default(4096)
    .describe('Validators with a permit and more stake than this are not queried'),
  shutdownTimeout: z
    .number()
    .min(0)
    .max(3600)
    .default(20)
    .describe('Seconds to finish in-flight work on SIGINT/SIGTERM before persisting and exiting'),
  artifactsMaxMb: z
    .number()
    .min(0)
    .default(1024)
    .describe(
      'Validator: MiB of verdict artifacts (images, clips, streams) kept beside the evidence log; oldest deleted first; 0 keeps none',
    ),
  minSamples: z
    .int()
    .min(1)
    .default(3)
    .describe(
      'Validator: after its scores were lost (a corrupt state, no previous generation), samples each scored miner needs before weights are set again',
    ),
  weightsWarnTempos: z
    .int()
    .min(1)
    .default(3)
    .describe('Validator: warn when this many tempos pass without its weights landing'),
  wire: z
    .enum(WIRE_NAMES as [WireName, ...WireName[]])
    .default('synapse')
    .describe('Validator: the wire spoken to miners not listed in --neuron.miner_wires'),
  minerWires: z
    .string()
    .superRefine((text, ctx) => {
      const problem = text.trim() === '' ? null : minerWiresProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .meta({
      description:
        'Validator: miners that speak another wire, as HOTKEY=WIRE,... (the chain cannot tell: every HTTP endpoint is published as protocol 4)',
      placeholder: 'MAP',
    }),
  artifactsMaxAgeHours: z
    .number()
    .positive()
    .default(168)
    .describe('Validator: hours a verdict artifact is kept'),
});

/** `--blacklist.*`: who a miner answers. */
export const blacklistSection = z.object({
  forceValidatorPermit: z
    .boolean()
    .default(false)
    .describe('Answer only callers holding a validator permit'),
  allowNonRegistered: z
    .boolean()
    .default(false)
    .describe('Answer callers not registered on the subnet'),
  minStake: z.number().min(0).default(0).describe('Answer only callers with at least this stake'),
});

/** `--logging.*`: levels as the Python SDK's flags; the format is ours. */
export const loggingSection = z.object({
  debug: z
    .boolean()
    .default(false)
    .meta({ description: 'Log at debug level', env: ['BT_LOGGING_DEBUG'] }),
  trace: z
    .boolean()
    .default(false)
    .meta({ description: 'Log at trace level', env: ['BT_LOGGING_TRACE'] }),
  info: z
    .boolean()
    .default(false)
    .meta({ description: 'Log at info level (the default)', env: ['BT_LOGGING_INFO'] }),
  recordLog: z
    .boolean()
    .default(false)
    .meta({
      description: 'Also write JSON logs to {state dir}/neuron.log',
      env: ['BT_LOGGING_RECORD_LOG'],
    }),
  loggingDir: z
    .string()
    .min(1)
    .default('~/.bittensor/miners')
    .meta({
      description: 'Root of the per-neuron state and log directories',
      env: ['BT_LOGGING_LOGGING_DIR'],
      placeholder: 'DIR',
    }),
  format: z
    .enum(['auto', 'json', 'pretty'])
    .default('auto')
    .describe('auto = pretty on a terminal when pino-pretty is installed, else JSON'),
});

/** `--status.*`: the local JSON status endpoint. */
export const statusSection = z.object({
  port: z
    .number()
    .int()
    .min(-1)
    .max(65535)
    .default(-1)
    .describe('Status endpoint port (0 = a free port, -1 = disabled)'),
  host: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Status endpoint address (keep it on loopback)'),
});

/**
 * The configuration every neuron understands: defaults → `--config` JSON file → environment
 * (`SUBNETKIT_*`, plus the Python SDK's `BT_*` names) → flags (the Python SDK's dotted names).
 * Subnets add their own sections with {@link extendNeuronConfig}.
 */
export const neuronConfigSchema = z.object({
  netuid: z.number().int().min(0).max(65535).default(1).describe('Subnet id'),
  wallet: walletSection,
  subtensor: subtensorSection,
  axon: axonSection,
  neuron: neuronSection,
  blacklist: blacklistSection,
  logging: loggingSection,
  status: statusSection,
});

export type NeuronConfigSchema = typeof neuronConfigSchema;
export type NeuronConfig = z.output<NeuronConfigSchema>;

/**
 * Adds a subnet's own sections (e.g. `{ image: z.object({ size: z.number().default(512) }) }`
 * gives `--image.size`, `SUBNETKIT_IMAGE_SIZE`, a `--help` line and `config.image.size`).
 * Replacing one of the neuron's sections is refused.
 */
export function extendNeuronConfig<const Ext extends Record<string, z.ZodType>>(
  sections: Ext,
): z.ZodObject<NeuronConfigSchema['shape'] & Ext> {
  for (const key of Object.keys(sections)) {
    if (Object.hasOwn(neuronConfigSchema.shape, key)) {
      throw new NeuronError(
        'CONFIG_SCHEMA',
        `config schema: section "${key}" already belongs to the neuron; pick another name`,
        { details: { field: key } },
      );
    }
  }
  return neuronConfigSchema.extend(sections) as unknown as z.ZodObject<
    NeuronConfigSchema['shape'] & Ext
  >;
}
