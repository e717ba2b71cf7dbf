import { formatProgressLine, type MarketView } from '../view.js';

/** Where the market prints (a terminal gets one live line rewritten in place). */
export type MarketOut = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface MarketConsole {
  /** Prints a line, clearing the live progress line first. */
  say(text: string): void;
  /** Clears the live progress line, if one is shown. */
  clearLine(): void;
  /** Shows the progress line: in place on a terminal, else when it changes or every 10 s. */
  progress(): void;
  /** Enters a phase; every phase but `running` is announced with a `•` line. */
  phase(phase: MarketView['phase'], message: string): void;
}

/**
 * The console for `view`: one live line on a terminal; plain lines otherwise. When `out` fails
 * (`EPIPE`: `npm run demo | head -3` closed the pipe) it stops printing for good, never throws
 * or leaves an unhandled `error` event, and calls `onClosed` once with the error.
 */
export function createConsole(
  out: MarketOut,
  view: MarketView,
  onClosed?: (e: NodeJS.ErrnoException) => void,
): MarketConsole {
  const tty = out.isTTY === true;
  let lineShown = false;
  let lastPlain = '';
  let lastPlainAt = 0;
  let closed = false;
  const close = (e: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    onClosed?.(e);
  };
  // Stays attached: an EPIPE can arrive after the run, and must not crash the process then.
  out.on('error', close);
  const write = (text: string) => {
    if (closed) return;
    try {
      out.write(text);
    } catch (e) {
      close(e as NodeJS.ErrnoException);
    }
  };
  const clearLine = () => {
    if (tty && lineShown) write('\r\x1b[2K');
    lineShown = false;
  };
  const say = (text: string) => {
    clearLine();
    write(`${text}\n`);
  };
  const progress = () => {
    const width = tty ? Math.max(40, (out.columns ?? 120) - 1) : 400 * view.subnets.length;
    const line = formatProgressLine(view, width);
    if (tty) {
      write(`\r\x1b[2K${line}`);
      lineShown = true;
      return;
    }
    const key = `${view.phase}|${view.message}|${view.subnets.map((s) => `${s.epochsDone}/${s.warmBlock}/${s.firstWeightsBlock}`).join(',')}`;
    if (key !== lastPlain || Date.now() - lastPlainAt > 10_000) {
      write(`${line}\n`);
      lastPlain = key;
      lastPlainAt = Date.now();
    }
  };
  const phase = (p: MarketView['phase'], message: string) => {
    view.phase = p;
    view.message = message;
    if (p !== 'running') say(`• ${message}`);
  };
  return { say, clearLine, progress, phase };
}
