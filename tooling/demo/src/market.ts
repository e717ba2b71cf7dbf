import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SubtensorChain } from '@subnetkit/chain';
import type { MarketRoster } from '@subnetkit/neuron';
import { Keypair } from '@subnetkit/wallet';
import { marketGenesis, setupChain } from './chain-setup.js';
import { type Dashboard, startDashboard } from './dashboard.js';
import { epochIndex, epochsBetween, nextEpochBlock } from './epochs.js';
import { DemoError, isDemoError } from './errors.js';
import { startLocalnetProcess } from './localnet-process.js';
import { tailFile } from './log-tail.js';
import type { MarketOptions } from './options.js';
import { findRepoRoot, localnetEntry } from './paths.js';
import { allSlots, type NeuronSlot, planMarket, type SubnetPlan } from './plan.js';
import { freePort } from './ports.js';
import {
  buildRows,
  decideMarketOutcome,
  decideOutcome,
  formatTable,
  type MinerRow,
  type Outcome,
} from './report.js';
import {
  fetchStatus,
  fullStepBlock,
  type NeuronStatus,
  scoresFromStatus,
  servedFromStatus,
} from './status.js';
import { discoverSubnets, selectSubnets } from './subnets.js';
import { nodeSourceArgs, type SupervisedChild, Supervisor } from './supervisor.js';
import { formatProgressLine, type MarketView, type NeuronView, type SubnetView } from './view.js';
import { createMarketWallets } from './wallets.js';

export interface MarketComponents {
  /** Console output (default `process.stdout`). */
  out?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Repo root (default: found from this file). */
  root?: string;
  /** The subnets to choose from (default: every `subnets/*` exporting `./market`). */
  rosters?: readonly MarketRoster[];
  /** The localnet CLI to run (default: `packages/localnet/src/cli.ts`). */
  localnetEntry?: string;
  /** Install SIGINT/SIGTERM/SIGHUP handlers that stop the market (the CLI does). */
  handleSignals?: boolean;
  /** Extra arguments for each neuron, after the market's and the roster's (tests). */
  neuronArgs?: (slot: NeuronSlot) => string[];
  /** How long children get between SIGTERM and SIGKILL when the market stops (default 5 s). */
  stopGraceMs?: number;
  /** Told the pid of every process started (tests check they are gone afterwards). */
  onChild?: (pid: number, name: string) => void;
}

/** One subnet's verdict. */
export interface SubnetResult {
  subnet: string;
  netuid: number;
  ok: boolean;
  reason: string;
  rows: MinerRow[];
}

export interface MarketResult {
  ok: boolean;
  /** 0 success, 1 honest miners not on top (in some subnet) or a failure, 130 interrupted. */
  exitCode: number;
  reason: string;
  /** Every subnet's rows. */
  rows: MinerRow[];
  subnets: SubnetResult[];
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

/** One subnet while the market runs. */
interface SubnetRun {
  plan: SubnetPlan;
  view: SubnetView;
  validator: Running;
  neurons: Running[];
  minerCount: number;
  lastEpochSeen: number;
  done: boolean;
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
 * The subnets of the market, planned, every process entry checked on disk: what `runMarket`
 * runs. Throws `INVALID_OPTION` (an unknown subnet or variant), `NO_SUBNETS`,
 * `ROSTER_INVALID` or `ENTRY_MISSING` before anything starts.
 */
export async function prepareMarket(
  options: Pick<MarketOptions, 'subnets' | 'miners'>,
  components: Pick<MarketComponents, 'root' | 'rosters'> = {},
): Promise<SubnetPlan[]> {
  const root = components.root ?? findRepoRoot();
  const found = components.rosters
    ? components.rosters.map((roster) => ({ roster }))
    : await discoverSubnets(root);
  const plans = planMarket(
    selectSubnets(found, options.subnets).map((s) => s.roster),
    options.miners,
  );
  for (const slot of allSlots(plans)) {
    if (slot.entry !== null && !existsSync(slot.entry)) {
      throw new DemoError(
        'ENTRY_MISSING',
        `subnet ${slot.subnet}: the ${slot.role === 'validator' ? 'validator' : `${slot.variant} miner`}'s entry ${relative(root, slot.entry)} does not exist (see its market roster)`,
      );
    }
  }
  return plans;
}

/**
 * The local market: a localnet process, a funded dev wallet, one netuid per subnet with one
 * staked validator and the miners its roster (and `--miners`) asks for, each neuron a separate
 * process; runs until `tempos` epochs have passed, in every subnet, since its validator's
 * first weights, then reads every miner's incentive from the chain and decides, subnet by
 * subnet, whether the honest ones are on top. Every child is stopped before this resolves,
 * whatever happens. Bad options or rosters reject before anything starts.
 */
export async function runMarket(
  options: MarketOptions,
  components: MarketComponents = {},
): Promise<MarketResult> {
  const out = components.out ?? process.stdout;
  const tty = out.isTTY === true;
  const root = components.root ?? findRepoRoot();
  const plans = await prepareMarket(options, { ...components, root });
  const slots = allSlots(plans);

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
    tempo: options.tempo,
    blockTimeMs: options.blockTimeMs,
    block: null,
    epochsTarget: options.tempos,
    startedAt: Date.now(),
    subnets: plans.map((p) => ({
      subnet: p.subnet,
      netuid: p.netuid,
      epoch: null,
      warmBlock: null,
      firstWeightsBlock: null,
      epochsDone: 0,
      outcome: null,
    })),
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
    const width = tty ? Math.max(40, (out.columns ?? 120) - 1) : 400 * plans.length;
    const line = formatProgressLine(view, width);
    if (tty) {
      out.write(`\r\x1b[2K${line}`);
      lineShown = true;
      return;
    }
    const key = `${view.phase}|${view.message}|${view.subnets.map((s) => `${s.epochsDone}/${s.warmBlock}/${s.firstWeightsBlock}`).join(',')}`;
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
          `the market did not finish within ${options.timeoutS} s (at block ${view.block ?? '-'}; epochs since the first weights: ${view.subnets.map((s) => `${s.subnet} ${s.epochsDone}/${options.tempos}`).join(', ')})`,
        ),
      ),
    options.timeoutS * 1000,
  );

  let chain: SubtensorChain | undefined;
  let dashboard: Dashboard | undefined;
  let unsubscribe: (() => void) | undefined;
  const rows: MinerRow[] = [];
  let outcome: Outcome | null = null;
  const results: SubnetResult[] = [];
  let error: DemoError | undefined;
  const running: Running[] = [];
  const runs: SubnetRun[] = [];
  let setupBlock = 0;

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
    const n = plans.length;
    say(
      `subnetkit local market: ${n} subnet${n === 1 ? '' : 's'} on one dev chain, tempo ${options.tempo}, ${options.blockTimeMs} ms blocks`,
    );
    for (const p of plans) say(`  ${p.subnet.padEnd(12)}  netuid ${p.netuid}: ${describePlan(p)}`);
    say(`  run directory ${dir} (logs in ${join(dir, 'logs')})`);
    if (options.dashboardPort !== null) {
      dashboard = await startDashboard(options.dashboardPort, () => view);
      say(`  dashboard     ${dashboard.url}`);
    }

    phase('starting', 'starting the localnet (subtensor-compatible dev chain)');
    const localnet = await guard(
      startLocalnetProcess(supervisor, {
        root,
        entry: components.localnetEntry ?? localnetEntry(root),
        dir,
        blockTimeMs: options.blockTimeMs,
        genesis: marketGenesis(
          options.tempo,
          plans.map((p) => p.netuid),
        ),
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
        for (const s of view.subnets) s.epoch = epochIndex(options.tempo, s.netuid, b.number);
      }),
      ac.signal,
    );

    phase('setup', 'creating the dev wallet, funding it, registering every neuron');
    const wallets = await guard(
      createMarketWallets(
        dir,
        slots.map((s) => s.id),
      ),
      ac.signal,
    );
    const ports = new Map<string, { axon: number; status: number }>();
    for (const slot of slots) {
      ports.set(slot.id, { axon: await freePort(slot.ip), status: await freePort() });
    }
    for (const [i, plan] of plans.entries()) {
      const members: Running[] = [];
      for (const slot of plan.slots) {
        const p = ports.get(slot.id)!;
        const hotkey = wallets.hotkeys.get(slot.id)!.ss58Address;
        const dead = slot.entry === null;
        const v: NeuronView = {
          id: slot.id,
          subnet: slot.subnet,
          netuid: slot.netuid,
          name: slot.name,
          role: slot.role,
          variant: slot.variant,
          honest: slot.honest,
          uid: null,
          ip: slot.ip,
          axonPort: p.axon,
          statusPort: dead ? null : p.status,
          state: dead ? 'never started' : 'planned',
          score: null,
          served: null,
          incentive: null,
          step: null,
          lastWeightsBlock: null,
        };
        view.neurons.push(v);
        const r: Running = { slot, view: v, child: null, hotkey, status: null };
        running.push(r);
        members.push(r);
      }
      runs.push({
        plan,
        view: view.subnets[i]!,
        validator: members.find((r) => r.slot.role === 'validator')!,
        neurons: members,
        minerCount: plan.slots.length - 1,
        lastEpochSeen: -1,
        done: false,
      });
    }
    const setup = await guard(
      setupChain(chain, {
        funder: Keypair.fromUri('//Alice'),
        coldkey: wallets.coldkey,
        slots,
        hotkeys: wallets.hotkeys,
        deadPort: (slot) => ports.get(slot.id)!.axon,
        onStep: (m) => say(`  ${m}`),
      }),
      ac.signal,
    );
    for (const r of running) r.view.uid = setup.uids.get(r.slot.id) ?? null;
    setupBlock = await guard(chain.getCurrentBlock(), ac.signal);

    phase(
      'starting',
      `starting ${running.filter((r) => r.slot.entry !== null).length} neuron processes`,
    );
    for (const run of runs) {
      for (const r of run.neurons) {
        if (r.slot.entry === null) continue;
        const p = ports.get(r.slot.id)!;
        const common = [
          '--netuid',
          String(r.slot.netuid),
          '--wallet.name',
          wallets.name,
          '--wallet.hotkey',
          r.slot.id,
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
          join(dir, 'state', r.slot.id),
          '--logging.format',
          'json',
        ];
        const pace =
          r.slot.role === 'validator'
            ? [
                '--neuron.epoch_length',
                String(validatorEpochLength(options.tempo)),
                '--neuron.sample_size',
                String(run.minerCount),
                '--neuron.timeout',
                String(VALIDATOR_TIMEOUT_S),
                '--neuron.step_interval',
                String(VALIDATOR_STEP_INTERVAL_S),
              ]
            : [];
        r.child = supervisor.spawn({
          name: r.slot.id,
          command: process.execPath,
          args: nodeSourceArgs(r.slot.entry, [
            ...common,
            ...pace,
            ...r.slot.args,
            ...(components.neuronArgs?.(r.slot) ?? []),
          ]),
          cwd: root,
          logFile: join(dir, 'logs', `${r.slot.id}.log`),
        });
        components.onChild?.(r.child.pid, r.slot.id);
        r.view.state = 'starting';
      }
    }

    phase(
      'running',
      `running until ${options.tempos} epoch(s) have passed, in every subnet, since its validator's weights covered every miner`,
    );
    for (;;) {
      await pollStatuses(runs);
      const head = view.block;
      for (const run of runs) {
        if (head !== null) await followSubnet(run, head);
      }
      if (runs.every((r) => r.done)) break;
      progress();
      await sleep(TICK_MS, ac.signal);
    }

    phase('finishing', "reading every miner's incentive from the chain");
    await pollStatuses(runs);
    let finalBlock = 0;
    for (const run of runs) {
      const final = await guard(chain.getMetagraph(run.plan.netuid), ac.signal);
      finalBlock = Math.max(finalBlock, final.block);
      const subnetRows = buildRows(
        final,
        run.plan.slots,
        new Map(run.neurons.map((r) => [r.slot.id, r.hotkey] as const)),
        {
          scores: scoresFromStatus(run.validator.status),
          served: new Map(run.neurons.map((r) => [r.slot.id, r.view.served] as const)),
        },
      );
      for (const r of run.neurons) {
        const row = subnetRows.find((x) => x.name === r.slot.name);
        if (row) r.view.incentive = row.incentive;
      }
      const honest = run.plan.counts.filter((c) => c.honest).reduce((n, c) => n + c.count, 0);
      const o = decideOutcome(subnetRows, honest);
      run.view.outcome = o;
      results.push({
        subnet: run.plan.subnet,
        netuid: run.plan.netuid,
        ok: o.ok,
        reason: o.reason,
        rows: subnetRows,
      });
      rows.push(...subnetRows);
    }
    outcome = decideMarketOutcome(
      runs.map((r) => ({ subnet: r.plan.subnet, outcome: r.view.outcome! })),
    );
    view.rows = rows;
    view.outcome = outcome;
    say(`\nIncentive per neuron at block ${finalBlock} (read from the chain's metagraph):`);
    for (const r of results) {
      say(`\nsubnet ${r.subnet} (netuid ${r.netuid})\n`);
      say(formatTable(r.rows));
      if (results.length > 1) say(`\n${r.ok ? 'PASS' : 'FAIL'} ${r.subnet}: ${r.reason}`);
    }
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
    subnets: results,
    dir,
    kept: keep,
    ...(error ? { error } : {}),
  };

  /**
   * One subnet at the head block: warm-up (the validator's first step that queried every
   * miner), then the first weights set after it start its clock; done once `tempos` of its
   * epochs have passed since then.
   */
  async function followSubnet(run: SubnetRun, head: number): Promise<void> {
    const sv = run.view;
    const { netuid } = sv;
    if (sv.warmBlock === null) {
      // A runtime without `lastStep` in its status: the first weights start the clock.
      const full = fullStepBlock(run.validator.status, run.minerCount);
      if (full !== null) {
        sv.warmBlock = full === 'unknown' ? setupBlock : full;
        if (full !== 'unknown') {
          say(
            `  ${sv.subnet}: the validator has queried all ${run.minerCount} miners (step ending at block ${full})`,
          );
        }
      }
    }
    // Incentives change only at epochs: read the metagraph once per epoch, and every tick
    // until the weights that start the clock are on chain.
    if (sv.firstWeightsBlock === null || sv.epoch !== run.lastEpochSeen) {
      run.lastEpochSeen = sv.epoch ?? -1;
      const mg = await guard(chain!.getMetagraph(netuid), ac.signal);
      for (const r of run.neurons) {
        const uid = mg.hotkeys.indexOf(r.hotkey);
        if (uid >= 0) r.view.incentive = (mg.incentive[uid] ?? 0) / 65535;
      }
      const vuid = run.validator.view.uid;
      const last = vuid === null ? 0 : (mg.lastUpdate[vuid] ?? 0);
      if (
        sv.firstWeightsBlock === null &&
        sv.warmBlock !== null &&
        vuid !== null &&
        last > sv.warmBlock
      ) {
        const row = (await guard(chain!.getWeights(netuid), ac.signal)).get(vuid);
        if (row && row.length > 0) {
          sv.firstWeightsBlock = last;
          say(
            `  ${sv.subnet}: validator's weights on chain at block ${last} (${row.length} uids); counting ${options.tempos} epoch(s) from the next one at block ${nextEpochBlock(options.tempo, netuid, last)}`,
          );
        }
      }
    }
    if (sv.firstWeightsBlock !== null) {
      sv.epochsDone = Math.min(
        options.tempos,
        epochsBetween(options.tempo, netuid, sv.firstWeightsBlock, head),
      );
      // Done once its last epoch block is behind us (its incentives are in the state).
      run.done =
        sv.epochsDone >= options.tempos &&
        epochsBetween(options.tempo, netuid, sv.firstWeightsBlock, head - 1) >= options.tempos;
    }
  }
}

/** Blocks between the validator's weight settings: twice per tempo, above the rate limit. */
export function validatorEpochLength(tempo: number): number {
  return Math.max(2, Math.floor(tempo / 2));
}

/** `1 validator, 6 miners (3 honest, 1 wrong, 1 slow, 1 dead)`. */
function describePlan(plan: SubnetPlan): string {
  const counts = plan.counts.filter((c) => c.count > 0);
  const miners = counts.reduce((n, c) => n + c.count, 0);
  return `1 validator, ${miners} miners (${counts.map((c) => `${c.count} ${c.variant}`).join(', ')})`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

async function pollStatuses(runs: readonly SubnetRun[]): Promise<void> {
  const all = runs.flatMap((run) => run.neurons);
  await Promise.all(
    all.map(async (r) => {
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
  for (const run of runs) {
    const scores = scoresFromStatus(run.validator.status);
    for (const r of run.neurons) {
      if (r.slot.role === 'miner' && r.view.uid !== null) {
        r.view.score = scores.get(r.view.uid) ?? null;
      }
    }
  }
}
