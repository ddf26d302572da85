// Debug logs of the request stream, as a dispatcher middleware (no handler touched): each request
// by API name, version and client id; each answer whose top-level error code is not NONE, with the
// client that got it. Costs one level check per request when debug is off.
import type { Logger } from 'pino';
import { ApiKey, ErrorCode, errorInfo } from '@mq/protocol';
import type { RequestMiddleware } from '@mq/server';

const API_NAME = new Map<number, string>(Object.entries(ApiKey).map(([name, key]) => [key, name]));

export function requestLogMiddleware(logger: Logger): RequestMiddleware {
  return (call, next) => {
    if (!logger.isLevelEnabled('debug')) return next();
    const { ctx } = call;
    const api = API_NAME.get(ctx.apiKey) ?? String(ctx.apiKey);
    const fields = { api, v: ctx.apiVersion, clientId: ctx.clientId, conn: ctx.connection.id, correlationId: ctx.correlationId };
    logger.debug(fields, 'request');
    return next().map(async (response) => {
      const res = await response;
      const code = (res as { errorCode?: unknown }).errorCode;
      if (typeof code === 'number' && code !== ErrorCode.NONE) logger.debug({ ...fields, error: errorInfo(code)?.name ?? code }, 'request answered with an error');
      return res;
    });
  };
}
