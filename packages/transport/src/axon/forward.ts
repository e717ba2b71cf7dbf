// The forward step: the handler runs under a deadline and an AbortSignal (timeout or caller
// gone); its output is checked against the schema, then written (or streamed).
import type { ServerResponse } from 'node:http';
import type { Logger } from '@subnetkit/core';
import { type Exchange, handlerError, Rejection } from './exchange.js';
import type { ReplyWriter } from './reply.js';
import { writeStream } from './stream.js';
import type { RequestInfo, Route } from './types.js';

export interface ForwardStep {
  route: Route;
  input: Record<string, unknown>;
  info: RequestInfo;
  /** `performance.now()` time the reply is due by. */
  deadline: number;
}

export async function forward(
  res: ServerResponse,
  ex: Exchange,
  step: ForwardStep,
  replies: ReplyWriter,
  logger: Logger,
): Promise<void> {
  const { route, input, info } = step;
  // The handler's AbortSignal is made when the handler first reads `ctx.signal` (an
  // AbortController costs about as much as the rest of this step, and most handlers never look):
  // if the request was already stopped by then, it comes aborted with the same reason.
  let controller: AbortController | undefined;
  let stopped: Error | undefined;
  const signal = (): AbortSignal => {
    if (!controller) {
      controller = new AbortController();
      if (stopped) controller.abort(stopped);
    }
    return controller.signal;
  };
  // The race below settles through `fail`, called where the abort is raised: no listener on
  // the signal (an EventTarget listener per request costs more than the rest of this step).
  let fail!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, reject) => {
    fail = reject;
  });
  aborted.catch(() => {});
  const stop = (reason: Error) => {
    if (stopped) return;
    stopped = reason;
    controller?.abort(reason);
    fail(reason);
  };
  const onClose = () => stop(new Error('client closed the connection'));
  res.once('close', onClose);
  const remaining = Math.max(0, step.deadline - performance.now());
  const timer = setTimeout(() => stop(new Error('handler timeout')), remaining);
  try {
    const ctx = {
      ...info,
      get signal() {
        return signal();
      },
    };
    let result: unknown;
    try {
      result = await Promise.race([
        Promise.resolve().then(() => route.handlers.forward(input, ctx)),
        aborted,
      ]);
    } catch (err) {
      if (stopped) {
        if (res.destroyed) return;
        throw new Rejection(408, 'handler_timeout', `Response timeout after: ${info.timeout}s`);
      }
      logger.error({ err, route: ex.route, hotkey: info.dendrite.hotkey }, 'handler threw');
      throw handlerError();
    }
    if (route.def.streaming) {
      await writeStream(res, ex, route.def, input, result, signal(), replies, logger);
      return;
    }
    const out = route.def.output.safeParse(result ?? {});
    if (!out.success) {
      logger.error(
        { route: ex.route, issues: out.error.issues },
        'handler returned an invalid output',
      );
      throw handlerError();
    }
    replies.respond(res, ex, route.def, { ...input, ...(out.data as Record<string, unknown>) });
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
  }
}
