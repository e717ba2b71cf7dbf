import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoError } from './errors.js';
import { nodeSourceArgs, type SupervisedChild, type Supervisor } from './supervisor.js';

export interface LocalnetProcessOptions {
  /** Repo root (cwd of the child, where `tsx` resolves). */
  root: string;
  /** `packages/localnet/src/cli.ts`. */
  entry: string;
  /** The run's directory: the genesis file and `logs/localnet.log` go there. */
  dir: string;
  blockTimeMs: number;
  /** The genesis config written to `localnet.json`. */
  genesis: unknown;
  /** Give up waiting for the "listening on" line after this long (default 30 s). */
  startTimeoutMs?: number;
}

export interface LocalnetProcess {
  url: string;
  child: SupervisedChild;
}

const LISTENING = /listening on (ws:\/\/\S+)/;

/** Starts `subnetkit-localnet` on a free port and resolves with its URL once it listens. */
export async function startLocalnetProcess(
  supervisor: Supervisor,
  options: LocalnetProcessOptions,
): Promise<LocalnetProcess> {
  const configFile = join(options.dir, 'localnet.json');
  writeFileSync(configFile, `${JSON.stringify(options.genesis, null, 2)}\n`);
  let resolveUrl!: (url: string) => void;
  const urlSeen = new Promise<string>((r) => {
    resolveUrl = r;
  });
  const child = supervisor.spawn({
    name: 'localnet',
    command: process.execPath,
    args: nodeSourceArgs(options.entry, [
      '--port',
      '0',
      '--block-time',
      `${options.blockTimeMs}ms`,
      '--config',
      configFile,
    ]),
    cwd: options.root,
    logFile: join(options.dir, 'logs', 'localnet.log'),
    onLine: (line) => {
      const m = LISTENING.exec(line);
      if (m) resolveUrl(m[1]!);
    },
  });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    urlSeen.then((url) => ({ url })),
    child.exited.then((exit) => ({ exit })),
    new Promise<{ timeout: true }>((r) => {
      timer = setTimeout(() => r({ timeout: true }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if ('url' in outcome) return { url: outcome.url, child };
  if ('exit' in outcome) {
    throw new DemoError(
      'CHILD_EXITED',
      `localnet exited during start-up (code ${outcome.exit.code}, signal ${outcome.exit.signal}); see ${child.logFile}`,
    );
  }
  throw new DemoError(
    'STARTUP_TIMEOUT',
    `localnet did not report a listening port within ${timeoutMs} ms; see ${child.logFile}`,
  );
}
