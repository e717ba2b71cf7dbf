import { rmSync } from 'node:fs';
import { DemoError, isDemoError } from '../errors.js';
import type { MarketReport } from './finish.js';
import type { MarketResult, MarketRun } from './types.js';

/** The run's failure as a DemoError, shown in the view and printed (`Stopped` if interrupted). */
export function reportFailure(market: MarketRun, e: unknown): DemoError {
  const error = isDemoError(e)
    ? e
    : new DemoError('CHILD_FAILED', (e as Error)?.message ?? String(e), { cause: e });
  market.view.phase = 'failed';
  market.view.message = error.message;
  market.clearLine();
  market.say(`\n${error.code === 'INTERRUPTED' ? 'Stopped' : 'FAILED'}: ${error.message}`);
  return error;
}

/** Stops everything the run started: timeout, blocks, chain, every child, dashboard, handlers. */
export async function stopMarket(market: MarketRun): Promise<void> {
  market.clearDeadline();
  market.clearLine();
  market.held.unsubscribe?.();
  market.say('• stopping every process');
  await market.held.chain?.close().catch(() => {});
  // SIGTERM to every group, SIGKILL after the grace.
  const grace = market.components.stopGraceMs ?? 5000;
  const exits = await market.supervisor.stopAll(grace);
  const forced = exits.filter((x) => x.signal === 'SIGKILL').length;
  if (forced > 0) {
    market.say(
      `  ${forced} process(es) did not stop on SIGTERM within ${grace} ms and were killed`,
    );
  }
  await market.held.dashboard?.close();
  // Last: until now a second Ctrl-C still kills everything at once.
  market.removeHandlers();
}

/** Removes the run directory unless it is kept, and says how the run ended. */
export function settleMarket(
  market: MarketRun,
  report: MarketReport,
  error: DemoError | undefined,
): MarketResult {
  const ok = error === undefined && report.outcome?.ok === true;
  // A failed run keeps its logs for reading; an interrupted one (or one whose output was
  // closed) keeps them only on --keep.
  const stopped = error?.code === 'INTERRUPTED' || error?.code === 'OUTPUT_CLOSED';
  const keep = market.options.keep || (!ok && !stopped);
  if (keep) {
    market.say(`  kept ${market.dir} (wallets, logs, validator state)`);
  } else {
    rmSync(market.dir, { recursive: true, force: true });
  }
  return {
    ok,
    // 141 = 128 + SIGPIPE: what a shell reports for a writer a closed pipe stops.
    exitCode: ok
      ? 0
      : error?.code === 'INTERRUPTED'
        ? 130
        : error?.code === 'OUTPUT_CLOSED'
          ? 141
          : 1,
    reason: error?.message ?? report.outcome?.reason ?? 'unknown',
    rows: report.rows,
    subnets: report.subnets,
    dir: market.dir,
    kept: keep,
    ...(error ? { error } : {}),
  };
}
