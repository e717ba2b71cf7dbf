import { DemoError } from '../errors.js';
import { tailFile } from '../log-tail.js';
import type { MarketOptions } from '../options.js';
import type { SubnetPlan } from '../plan.js';
import { Supervisor } from '../supervisor.js';
import type { MarketView } from '../view.js';
import { createConsole } from './console.js';
import type { MarketComponents, MarketRun, Running } from './types.js';

export interface OpenOptions {
  options: MarketOptions;
  components: MarketComponents;
  root: string;
  plans: readonly SubnetPlan[];
  dir: string;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Opens a run: supervisor, abort signal, exit and signal hooks, timeout, view and console. */
export function openMarket({ options, components, root, plans, dir }: OpenOptions): MarketRun {
  const supervisor = new Supervisor();
  const ac = new AbortController();
  // The run's first failure (a crash, the timeout, a first Ctrl-C) aborts it; later ones are moot.
  const fail = (e: DemoError) => {
    if (!ac.signal.aborted) ac.abort(e);
  };
  // If this process ends anyway, no child outlives it; a second Ctrl-C kills everything at once.
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
  if (components.handleSignals) for (const s of SIGNALS) process.on(s, onSignal);

  const view = marketView(options, plans, dir);
  // The reader of our output went away (`npm run demo | head -3`): stop printing and stop the
  // market as a closed pipe would stop any writer, but cleanly: every child, the run directory.
  const io = createConsole(components.out ?? process.stdout, view, (e) =>
    fail(
      new DemoError(
        'OUTPUT_CLOSED',
        `the console output was closed (${e.code ?? e.message}); stopping every process`,
        { cause: e },
      ),
    ),
  );
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

  const running: Running[] = [];
  supervisor.onUnexpectedExit((child, info) => {
    const r = running.find((x) => x.child === child);
    const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
    const tail = tailFile(child.logFile, 12);
    if (r && r.slot.role === 'miner') {
      r.view.state = 'exited';
      io.say(`! ${child.name} exited (${how}); log ${child.logFile}\n${indent(tail)}`);
      return;
    }
    fail(
      new DemoError(
        'CHILD_EXITED',
        `${child.name} exited unexpectedly (${how}); log ${child.logFile}\n${indent(tail)}`,
      ),
    );
  });

  return {
    ...io,
    options,
    components,
    root,
    plans,
    dir,
    view,
    supervisor,
    signal: ac.signal,
    running,
    held: {},
    clearDeadline: () => clearTimeout(deadline),
    removeHandlers: () => {
      if (components.handleSignals) for (const s of SIGNALS) process.off(s, onSignal);
      process.off('exit', onExit);
    },
  };
}

/** The view of a run that has not started anything yet. */
function marketView(options: MarketOptions, plans: readonly SubnetPlan[], dir: string): MarketView {
  return {
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
}

/** Every line of `text`, indented by four spaces. */
function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
