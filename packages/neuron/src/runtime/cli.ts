import type { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { isNeuronError } from '../errors.js';
import { installSignalHandlers, type Lifecycle } from '../lifecycle.js';

export interface NeuronCliOptions<T extends z.ZodObject> {
  /** The config schema (`neuronConfigSchema` or `extendNeuronConfig(...)`). */
  schema: T;
  /** Name shown by `--help` (`template-miner`). */
  programName: string;
  /** Paragraph under the usage line of `--help`. */
  summary?: string;
  /** Program defaults, e.g. `{ neuron: { name: 'miner' } }` (the state directory's last part). */
  defaults?: Record<string, unknown>;
  /** Starts the neuron; resolves once it runs. */
  start(config: z.output<T>): Promise<{ lifecycle: Lifecycle }>;
}

export interface NeuronCliProcess {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  exit(code: number): void;
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * The body of a neuron's bin: flags → config (`--help` printed, exit 0; a bad flag or value
 * printed with the field named, exit 2) → `start` (a startup failure such as an unregistered
 * hotkey is printed as its message, exit 1) → SIGINT/SIGTERM shut down gracefully.
 */
export async function runNeuronCli<T extends z.ZodObject>(
  options: NeuronCliOptions<T>,
  proc: NeuronCliProcess = process as unknown as NeuronCliProcess,
): Promise<void> {
  let config: z.output<T>;
  try {
    const result = loadConfig(options.schema, {
      argv: proc.argv.slice(2),
      env: proc.env,
      programName: options.programName,
      ...(options.summary ? { summary: options.summary } : {}),
      ...(options.defaults ? { defaults: options.defaults } : {}),
    });
    if (result.help) {
      proc.stdout.write(result.text);
      proc.exit(0);
      return;
    }
    config = result.config as z.output<T>;
  } catch (error) {
    proc.stderr.write(`${options.programName}: ${(error as Error).message}\n`);
    proc.exit(2);
    return;
  }
  try {
    const { lifecycle } = await options.start(config);
    let exited = false;
    const exit = (code: number) => {
      if (exited) return;
      exited = true;
      proc.exit(code);
    };
    installSignalHandlers(lifecycle, proc, { exit });
    // A shutdown the neuron starts itself (the chain changed under it) ends the process too.
    void lifecycle.stopped.then((report) => exit(report.exitCode));
  } catch (error) {
    const code = isNeuronError(error) ? ` [${error.code}]` : '';
    proc.stderr.write(`${options.programName}${code}: ${(error as Error).message ?? error}\n`);
    proc.exit(1);
  }
}
