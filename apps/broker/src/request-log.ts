// Debug logs of the request stream, as a dispatcher middleware (no handler touched): each request
// by API name, version and client id; each answer that carries an error — top-level or, as most
// APIs report them, per topic / partition / group / resource — with the client that got it and
// how many entities got each error. Costs one level check per request when debug is off.
import type { Logger } from 'pino';
import { ApiKey, ErrorCode, errorInfo } from '@mq/protocol';
import type { RequestMiddleware } from '@mq/server';

const API_NAME = new Map<number, string>(Object.entries(ApiKey).map(([name, key]) => [key, name]));

/** Nesting followed into a response: Produce's responses[].partitionResponses[] is depth 2. */
const MAX_DEPTH = 4;

export function requestLogMiddleware(logger: Logger): RequestMiddleware {
  return (call, next) => {
    if (!logger.isLevelEnabled('debug')) return next();
    const { ctx } = call;
    const api = API_NAME.get(ctx.apiKey) ?? String(ctx.apiKey);
    const fields = { api, v: ctx.apiVersion, clientId: ctx.clientId, conn: ctx.connection.id, correlationId: ctx.correlationId };
    logger.debug(fields, 'request');
    return next().map(async (response) => {
      const res = await response;
      // acks=0 produces have no answer (a symbol) to look into.
      if (typeof res !== 'object') return res;
      const code = (res as { errorCode?: unknown }).errorCode;
      const errors = errorCounts(res);
      if (errors.size > 0) {
        logger.debug(
          { ...fields, ...(typeof code === 'number' && code !== ErrorCode.NONE ? { error: errorName(code) } : {}), errors: Object.fromEntries(errors) },
          'request answered with an error',
        );
      }
      return res;
    });
  };
}

/** Every non-zero `errorCode` in the response, by error name → how many times it occurs. */
export function errorCounts(response: object): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
      return;
    }
    // Record bytes and other binary fields are not answers to walk.
    if (ArrayBuffer.isView(value)) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'errorCode' && typeof v === 'number' && v !== ErrorCode.NONE) {
        const name = errorName(v);
        counts.set(name, (counts.get(name) ?? 0) + 1);
      } else if (typeof v === 'object') visit(v, depth);
    }
  };
  visit(response, 0);
  return counts;
}

function errorName(code: number): string {
  return errorInfo(code)?.name ?? String(code);
}
