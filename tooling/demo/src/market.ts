import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubtensorChain } from '@subnetkit/chain';
import { Keypair } from '@subnetkit/wallet';
import { MARKET_NETUID, marketGenesis, setupChain } from './chain-setup.js';
import { type Dashboard, startDashboard } from './dashboard.js';
import { epochIndex, epochsBetween, nextEpochBlock } from './epochs.js';
import { DemoError, isDemoError } from './errors.js';
import { startLocalnetProcess } from './localnet-process.js';
import { tailFile } from './log-tail.js';
import type { MarketOptions } from './options.js';
import { findRepoRoot, type RepoEntries, repoEntries } from './paths.js';
import { type NeuronSlot, planNeurons } from './plan.js';
import { freePort } from './ports.js';
import { buildRows, decideOutcome, formatTable, type MinerRow, type Outcome } from './report.js';
import {
  fetchStatus,
  fullStepBlock,
  type NeuronStatus,
  scoresFromStatus,
  servedFromStatus,
} from './status.js';
import { nodeSourceArgs, type SupervisedChild, Supervisor } from './supervisor.js';
import { formatProgressLine, type MarketView, type NeuronView } from './view.js';
import { createMarketWallets } from './wallets.js';

export interface MarketComponents {
  /** Console output (default `process.stdout`). */
  out?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Repo root (default: found from this file). */
  root?: string;
  /** Entry points to run (default: localnet's CLI and the template's miner/validator). */
  entries?: RepoEntries;
  /** Install SIGINT/SIGTERM/SIGHUP handlers that stop the market (the CLI does). */
  handleSignals?: boolean;
  /** Extra arguments for each neuron, after the market's own (tests). */
  neuronArgs?: (slot: NeuronSlot) => string[];
  /** How long children get between SIGTERM and SIGKILL when the market stops (default 5 s). */
  stopGraceMs?: number;
  /** Told the pid of every process started (tests check they are gone afterwards). */
  onChild?: (pid: number, name: string) => void;
}

export interface MarketResult {
  ok: boolean;
  /** 0 success, 1 honest miners not on top or a failure, 130 interrupted. */
  exitCode: number;
  reason: string;
  rows: MinerRow[];
  /** The run's directory (removed unless kept). */
  dir: string;
  kept: boolean;
  error?: DemoError;
}

interface Running {
  slot: NeuronSlot;
  view: NeuronView;
  child: SupervisedChild | null;
  hotkey: string;
  status: NeuronStatus | null;
}

const TICK_MS = 500;
/** Seconds a miner has to answer: short, so a slow miner costs the validator little. */
const VALIDATOR_TIMEOUT_S = 2;
/** Seconds between validator steps (the Python template's 5 s is long for 250 ms blocks). */
const VALIDATOR_STEP_INTERVAL_S = 1;

/** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `promise`, or the abort reason if the signal fires first. */
function guard<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The local market: a localnet process, a funded dev wallet, subnet 1 with one staked
 * validator and miners of every kind asked for, each neuron a separate process; runs until
 * `tempos` epochs have passed since the validator's first weights, then reads every miner's
 * incentive from the chain and decides whether the honest ones are on top. Every child is
 * stopped before this resolves, whatever happens.
 */
export async function runMarket(
  options: MarketOptions,
  components: MarketComponents = {},
): Promise<MarketResult> {
  const out = components.out ?? process.stdout;
  const tty = out.isTTY === true;
  const root = components.root ?? findRepoRoot();
  const entries = components.entries ?? repoEntries(root);
  const netuid = MARKET_NETUID;
  const slots = planNeurons(options.miners);

  for (const [what, path] of [
    ['miner', entries.miner],
    ['validator', entries.validator],
  ] as const) {
    if (!existsSync(path)) {
      throw new DemoError(
        'TEMPLATE_MISSING',
        `the subnet template's ${what} entry ${path} does not exist`,
      );
    }
  }

  const tmpRoot = options.tmpRoot ?? tmpdir();
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(join(tmpRoot, 'subnetkit-market-'));
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'state'));

  const supervisor = new Supervisor();
  const ac = new AbortController();
  const fail = (e: DemoError) => {
    if (!ac.signal.aborted) ac.abort(e);
  };
  const onExit = () => supervisor.killAllSync();
  process.on('exit', onExit);

  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      supervisor.killAllSync();
      process.exit(130);
    }
    fail(new DemoError('INTERRUPTED', `interrupted by ${sig}; stopping every process`));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  if (components.handleSignals) for (const s of signals) process.on(s, onSignal);

  const view: MarketView = {
    phase: 'starting',
    message: 'starting the localnet',
    dir,
    netuid,
    tempo: options.tempo,
    blockTimeMs: options.blockTimeMs,
    block: null,
    epoch: null,
    warmBlock: null,
    firstWeightsBlock: null,
    epochsDone: 0,
    epochsTarget: options.tempos,
    startedAt: Date.now(),
    neurons: [],
    rows: null,
    outcome: null,
  };

  // Console: one live line on a terminal; plain lines (on change, or every 10 s) otherwise.
  let lineShown = false;
  let lastPlain = '';
  let lastPlainAt = 0;
  const clearLine = () => {
    if (tty && lineShown) out.write('\r\x1b[2K');
    lineShown = false;
  };
  const say = (text: string) => {
    clearLine();
    out.write(`${text}\n`);
  };
  const progress = () => {
    const width = tty ? Math.max(40, (out.columns ?? 120) - 1) : 400;
    const line = formatProgressLine(view, width);
    if (tty) {
      out.write(`\r\x1b[2K${line}`);
      lineShown = true;
      return;
    }
    const key = `${view.phase}|${view.message}|${view.epochsDone}|${view.warmBlock}|${view.firstWeightsBlock}`;
    if (key !== lastPlain || Date.now() - lastPlainAt > 10_000) {
      out.write(`${line}\n`);
      lastPlain = key;
      lastPlainAt = Date.now();
    }
  };
  const phase = (p: MarketView['phase'], message: string) => {
    view.phase = p;
    view.message = message;
    if (p !== 'running') say(`• ${message}`);
  };

  const deadline = setTimeout(
    () =>
      fail(
        new DemoError(
          'RUN_TIMEOUT',
          `the market did not finish within ${options.timeoutS} s (at block ${view.block ?? '-'}, ${view.epochsDone}/${options.tempos} epochs since the first weights)`,
        ),
      ),
    options.timeoutS * 1000,
  );

  let chain: SubtensorChain | undefined;
  let dashboard: Dashboard | undefined;
  let unsubscribe: (() => void) | undefined;
  let rows: MinerRow[] = [];
  let outcome: Outcome | null = null;
  let error: DemoError | undefined;
  const running: Running[] = [];

  supervisor.onUnexpectedExit((child, info) => {
    const r = running.find((x) => x.child === child);
    const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
    const tail = tailFile(child.logFile, 12);
    if (r && r.slot.role === 'miner') {
      r.view.state = 'exited';
      say(`! ${child.name} exited (${how}); log ${child.logFile}\n${indent(tail)}`);
      return;
    }
    fail(
      new DemoError(
        'CHILD_EXITED',
        `${child.name} exited unexpectedly (${how}); log ${child.logFile}\n${indent(tail)}`,
      ),
    );
  });

  try {
    say(
      `subnetkit local market: 1 validator, ${slots.length - 1} miners (${describePlan(options)}), tempo ${options.tempo}, ${options.blockTimeMs} ms blocks`,
    );
    say(`  run directory ${dir} (logs in ${join(dir, 'logs')})`);
    if (options.dashboardPort !== null) {
      dashboard = await startDashboard(options.dashboardPort, () => view);
      say(`  dashboard     ${dashboard.url}`);
    }

    phase('starting', 'starting the localnet (subtensor-compatible dev chain)');
    const localnet = await guard(
      startLocalnetProcess(supervisor, {
        root,
        entry: entries.localnet,
        dir,
        blockTimeMs: options.blockTimeMs,
        genesis: marketGenesis(options.tempo),
      }),
      ac.signal,
    );
    components.onChild?.(localnet.child.pid, 'localnet');
    say(`  localnet      ${localnet.url} (pid ${localnet.child.pid})`);
    chain = await guard(
      SubtensorChain.connect({
        chainEndpoint: localnet.url,
        blockTimeSeconds: options.blockTimeMs / 1000,
        connectTimeoutMs: 30_000,
        txTimeoutMs: 60_000,
      }),
      ac.signal,
    );
    unsubscribe = await guard(
      chain.subscribeBlocks((b) => {
        view.block = b.number;
        view.epoch = epochIndex(options.tempo, netuid, b.number);
      }),
      ac.signal,
    );

    phase('setup', 'creating the dev wallet, funding it, registering every neuron');
    const wallets = await guard(
      createMarketWallets(
        dir,
        slots.map((s) => s.name),
      ),
      ac.signal,
    );
    const ports = new Map<string, { axon: number; status: number }>();
    for (const slot of slots) {
      ports.set(slot.name, { axon: await freePort(slot.ip), status: await freePort() });
    }
    for (const slot of slots) {
      const p = ports.get(slot.name)!;
      const hotkey = wallets.hotkeys.get(slot.name)!.ss58Address;
      const state = slot.kind === 'dead' ? 'never started' : 'planned';
      const v: NeuronView = {
        name: slot.name,
        kind: slot.kind,
        uid: null,
        ip: slot.ip,
        axonPort: p.axon,
        statusPort: slot.kind === 'dead' ? null : p.status,
        state,
        score: null,
        served: null,
        incentive: null,
        step: null,
        lastWeightsBlock: null,
      };
      view.neurons.push(v);
      running.push({ slot, view: v, child: null, hotkey, status: null });
    }
    const setup = await guard(
      setupChain(chain, {
        netuid,
        funder: Keypair.fromUri('//Alice'),
        coldkey: wallets.coldkey,
        slots,
        hotkeys: wallets.hotkeys,
        deadPort: (slot) => ports.get(slot.name)!.axon,
        onStep: (m) => say(`  ${m}`),
      }),
      ac.signal,
    );
    for (const r of running) r.view.uid = setup.uids.get(r.slot.name) ?? null;
    const setupBlock = await guard(chain.getCurrentBlock(), ac.signal);

    phase(
      'starting',
      `starting ${running.filter((r) => r.child === null && r.slot.kind !== 'dead').length} neuron processes`,
    );
    for (const r of running) {
      if (r.slot.kind === 'dead') continue;
      const p = ports.get(r.slot.name)!;
      const common = [
        '--netuid',
        String(netuid),
        '--wallet.name',
        wallets.name,
        '--wallet.hotkey',
        r.slot.name,
        '--wallet.path',
        wallets.path,
        '--subtensor.chain_endpoint',
        localnet.url,
        '--axon.ip',
        r.slot.ip,
        '--axon.external_ip',
        r.slot.ip,
        '--axon.port',
        String(p.axon),
        '--status.port',
        String(p.status),
        '--neuron.full_path',
        join(dir, 'state', r.slot.name),
        '--logging.format',
        'json',
      ];
      const roleArgs =
        r.slot.role === 'validator'
          ? [
              '--neuron.epoch_length',
              String(validatorEpochLength(options.tempo)),
              '--neuron.sample_size',
              String(slots.length - 1),
              '--neuron.timeout',
              String(VALIDATOR_TIMEOUT_S),
              '--neuron.step_interval',
              String(VALIDATOR_STEP_INTERVAL_S),
            ]
          : ['--template.fault', r.slot.kind === 'honest' ? 'none' : r.slot.kind];
      const entry = r.slot.role === 'validator' ? entries.validator : entries.miner;
      r.child = supervisor.spawn({
        name: r.slot.name,
        command: process.execPath,
        args: nodeSourceArgs(entry, [
          ...common,
          ...roleArgs,
          ...(components.neuronArgs?.(r.slot) ?? []),
        ]),
        cwd: root,
        logFile: join(dir, 'logs', `${r.slot.name}.log`),
      });
      components.onChild?.(r.child.pid, r.slot.name);
      r.view.state = 'starting';
    }

    phase(
      'running',
      `running until ${options.tempos} epoch(s) have passed since the validator's weights covered every miner`,
    );
    const validator = running.find((r) => r.slot.role === 'validator')!;
    const minerCount = slots.length - 1;
    let lastEpochSeen = -1;
    for (;;) {
      await pollStatuses(running);
      const head = view.block;
      // Warm-up: the clock starts with the first weights set after a validator step that
      // queried every miner (a runtime without `lastStep` in its status: the first weights).
      if (view.warmBlock === null) {
        const full = fullStepBlock(validator.status, minerCount);
        if (full !== null) {
          view.warmBlock = full === 'unknown' ? setupBlock : full;
          if (full !== 'unknown') {
            say(
              `  the validator has queried all ${minerCount} miners (step ending at block ${full})`,
            );
          }
        }
      }
      if (head !== null) {
        // Incentives change only at epochs: read the metagraph once per epoch, and every
        // tick until the weights that start the clock are on chain.
        if (view.firstWeightsBlock === null || view.epoch !== lastEpochSeen) {
          lastEpochSeen = view.epoch ?? -1;
          const mg = await guard(chain.getMetagraph(netuid), ac.signal);
          for (const r of running) {
            const uid = mg.hotkeys.indexOf(r.hotkey);
            if (uid >= 0) r.view.incentive = (mg.incentive[uid] ?? 0) / 65535;
          }
          const vuid = validator.view.uid;
          const last = vuid === null ? 0 : (mg.lastUpdate[vuid] ?? 0);
          if (
            view.firstWeightsBlock === null &&
            view.warmBlock !== null &&
            vuid !== null &&
            last > view.warmBlock
          ) {
            const row = (await guard(chain.getWeights(netuid), ac.signal)).get(vuid);
            if (row && row.length > 0) {
              view.firstWeightsBlock = last;
              say(
                `  validator's weights on chain at block ${last} (${row.length} uids); counting ${options.tempos} epoch(s) from the next one at block ${nextEpochBlock(options.tempo, netuid, last)}`,
              );
            }
          }
        }
        if (view.firstWeightsBlock !== null) {
          view.epochsDone = Math.min(
            options.tempos,
            epochsBetween(options.tempo, netuid, view.firstWeightsBlock, head),
          );
          // Stop once the last epoch block is behind us (its incentives are in the state).
          if (
            view.epochsDone >= options.tempos &&
            epochsBetween(options.tempo, netuid, view.firstWeightsBlock, head - 1) >= options.tempos
          ) {
            break;
          }
        }
      }
      progress();
      await sleep(TICK_MS, ac.signal);
    }

    phase('finishing', "reading every miner's incentive from the chain");
    const final = await guard(chain.getMetagraph(netuid), ac.signal);
    await pollStatuses(running);
    const scores = scoresFromStatus(validator.status);
    const served = new Map(running.map((r) => [r.slot.name, r.view.served] as const));
    rows = buildRows(final, slots, new Map(running.map((r) => [r.slot.name, r.hotkey] as const)), {
      scores,
      served,
    });
    for (const r of running) {
      const row = rows.find((x) => x.name === r.slot.name);
      if (row) r.view.incentive = row.incentive;
    }
    outcome = decideOutcome(rows, options.miners.honest);
    view.rows = rows;
    view.outcome = outcome;
    say(`\nIncentive per neuron at block ${final.block} (read from the chain's metagraph):\n`);
    say(formatTable(rows));
    say('');
    say(`${outcome.ok ? 'PASS' : 'FAIL'}: ${outcome.reason}`);
    view.phase = outcome.ok ? 'done' : 'failed';
  } catch (e) {
    error = isDemoError(e)
      ? e
      : new DemoError('CHILD_FAILED', (e as Error)?.message ?? String(e), { cause: e });
    view.phase = 'failed';
    view.message = error.message;
    clearLine();
    say(`\n${error.code === 'INTERRUPTED' ? 'Stopped' : 'FAILED'}: ${error.message}`);
  } finally {
    clearTimeout(deadline);
    clearLine();
    unsubscribe?.();
    say('• stopping every process');
    await chain?.close().catch(() => {});
    const grace = components.stopGraceMs ?? 5000;
    const exits = await supervisor.stopAll(grace);
    const forced = exits.filter((x) => x.signal === 'SIGKILL').length;
    if (forced > 0) {
      say(`  ${forced} process(es) did not stop on SIGTERM within ${grace} ms and were killed`);
    }
    await dashboard?.close();
    if (components.handleSignals) for (const s of signals) process.off(s, onSignal);
    process.off('exit', onExit);
  }

  const ok = error === undefined && outcome?.ok === true;
  // A failed run keeps its logs for reading; an interrupted one keeps them only on --keep.
  const keep = options.keep || (!ok && error?.code !== 'INTERRUPTED');
  if (keep) {
    say(`  kept ${dir} (wallets, logs, validator state)`);
  } else {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    ok,
    exitCode: ok ? 0 : error?.code === 'INTERRUPTED' ? 130 : 1,
    reason: error?.message ?? outcome?.reason ?? 'unknown',
    rows,
    dir,
    kept: keep,
    ...(error ? { error } : {}),
  };
}

/** Blocks between the validator's weight settings: twice per tempo, above the rate limit. */
export function validatorEpochLength(tempo: number): number {
  return Math.max(2, Math.floor(tempo / 2));
}

function describePlan(options: MarketOptions): string {
  return Object.entries(options.miners)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

async function pollStatuses(running: Running[]): Promise<void> {
  await Promise.all(
    running.map(async (r) => {
      if (!r.view.statusPort || r.child === null || r.view.state === 'exited') return;
      const status = await fetchStatus(r.view.statusPort, 800);
      if (status) {
        r.status = status;
        r.view.state = 'up';
        r.view.step = typeof status.step === 'number' ? status.step : null;
        r.view.lastWeightsBlock = status.lastWeights?.block ?? null;
        r.view.served = servedFromStatus(status);
      } else if (r.view.state === 'up') {
        r.view.state = 'unreachable';
      }
    }),
  );
  const validator = running.find((r) => r.slot.role === 'validator');
  const scores = scoresFromStatus(validator?.status ?? null);
  for (const r of running) {
    if (r.slot.role === 'miner' && r.view.uid !== null) {
      r.view.score = scores.get(r.view.uid) ?? null;
    }
  }
}
