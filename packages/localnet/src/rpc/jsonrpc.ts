import { invalidRequest, parseError, RpcError } from './errors.js';
import type { RpcHandler, Session } from './handler.js';

type Id = string | number | null;
type Response = { jsonrpc: '2.0'; id: Id; result?: unknown; error?: unknown };

const errorResponse = (id: Id, e: RpcError): Response => ({
  jsonrpc: '2.0',
  id,
  error: e.toJSON(),
});

function one(handler: RpcHandler, req: unknown, session: Session): Response | undefined {
  if (typeof req !== 'object' || req === null || Array.isArray(req))
    return errorResponse(null, invalidRequest());
  const r = req as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  const id: Id =
    typeof r.id === 'string' || typeof r.id === 'number' || r.id === null ? (r.id as Id) : null;
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string')
    return errorResponse(id, invalidRequest());
  const isNotification = !('id' in r);
  try {
    const result = handler.call(r.method, r.params, session);
    return isNotification
      ? undefined
      : { jsonrpc: '2.0', id, result: result === undefined ? null : result };
  } catch (e) {
    const err = e instanceof RpcError ? e : new RpcError(-32603, 'Internal error', String(e));
    return isNotification ? undefined : errorResponse(id, err);
  }
}

/**
 * Handles one JSON-RPC 2.0 text frame (a request or a batch). Returns the reply text, or
 * undefined when nothing is owed (notifications). Never throws: garbage gets an error reply.
 */
export function handleFrame(
  handler: RpcHandler,
  text: string,
  session: Session,
): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return JSON.stringify(errorResponse(null, parseError()));
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return JSON.stringify(errorResponse(null, invalidRequest()));
    const out = parsed.map((r) => one(handler, r, session)).filter((r) => r !== undefined);
    return out.length > 0 ? JSON.stringify(out) : undefined;
  }
  const res = one(handler, parsed, session);
  return res ? JSON.stringify(res) : undefined;
}

export const notificationFrame = (method: string, subscription: string, result: unknown): string =>
  JSON.stringify({ jsonrpc: '2.0', method, params: { subscription, result } });
