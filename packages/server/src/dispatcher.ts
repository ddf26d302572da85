// Decodes one request frame, runs it through the middleware chain to the handler registered for
// its API key (dispatch phase: synchronous, in arrival order), and encodes the answer once its
// completion settles. Handler exceptions and unencodable responses become the handler's
// errorResponse(UNKNOWN_SERVER_ERROR); versions we do not advertise get UNSUPPORTED_VERSION
// (ApiVersions: a v0 response listing our APIs, KIP-511).
import {
  ApiKey,
  ErrorCode,
  apiSchema,
  decodeRequestBody,
  decodeRequestHeader,
  encodeResponse,
  type RequestHeader,
} from '@mq/protocol';
import type { Logger } from 'pino';
import type { Completion } from './completion';
import {
  NO_RESPONSE,
  type AnyApiHandler,
  type ApiVersionRange,
  type Body,
  type BrokerServices,
  type ConnectionInfo,
  type RequestContext,
  type RequestMemory,
  UNBOUNDED_MEMORY,
} from './handler';
import type { RequestCall, RequestMiddleware } from './request-middleware';
import { saslAuthenticate } from './sasl-exchange';
import { DEFAULT_LISTENER_NAME, Session } from './session';
import { traceGroups, traceRequests } from './trace-channels';

/** A request that cannot be answered: the connection must close (garbage, unknown API key). */
export class FatalRequestError extends Error {
  override readonly name = 'FatalRequestError';
}

/** What a SASL listener answers before authentication (Kafka's SaslServerAuthenticator); anything else closes the connection. */
const PRE_AUTHENTICATION_APIS: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);

/** Registered handler ranges intersected with the protocol's schema ranges. */
export function advertisedVersions(handlers: readonly AnyApiHandler[]): ApiVersionRange[] {
  const out: ApiVersionRange[] = [];
  for (const h of handlers) {
    const schema = apiSchema(h.apiKey);
    if (schema === undefined) continue;
    const min = Math.max(h.minVersion, schema.minVersion);
    const max = Math.min(h.maxVersion, schema.maxVersion);
    if (min <= max) out.push({ apiKey: h.apiKey, minVersion: min, maxVersion: max });
  }
  return out.sort((a, b) => a.apiKey - b.apiKey);
}

export class Dispatcher {
  private readonly handlers = new Map<number, { handler: AnyApiHandler; range: ApiVersionRange }>();
  /** Tracing first (it times the rest), then what the broker wiring adds. */
  private readonly middleware: readonly RequestMiddleware[];

  constructor(
    handlers: readonly AnyApiHandler[],
    private readonly services: BrokerServices,
    middleware: readonly RequestMiddleware[] = [],
  ) {
    this.middleware = [traceRequests, traceGroups, ...middleware];
    const ranges = new Map(services.apiVersions.map((r) => [r.apiKey, r]));
    for (const h of handlers) {
      const range = ranges.get(h.apiKey);
      if (range !== undefined) this.handlers.set(h.apiKey, { handler: h, range });
    }
  }

  /**
   * Handles one frame (without its size prefix). Resolves to the response chunks (size prefix
   * included) or null when Kafka sends no response. Throws FatalRequestError when the
   * connection must close. The dispatch phase (middleware and the handler's dispatch) runs
   * synchronously, so requests of one connection reach their partitions in arrival order.
   */
  dispatch(
    frame: Buffer,
    connection: ConnectionInfo,
    logger: Logger,
    closeConnection: (reason: string) => void = () => undefined,
    memory: RequestMemory = UNBOUNDED_MEMORY,
    session: Session = new Session(connection.id, DEFAULT_LISTENER_NAME, connection.remoteAddress, connection.remotePort),
    throttleConnection: (ms: number) => void = () => undefined,
  ): Promise<Buffer[] | null> {
    // KIP-511: an ApiVersions request newer than ours is answered from its first 8 bytes alone —
    // its header/body layout may be one we cannot parse (clients differ on header v1 vs v2 here).
    if (frame.length >= 8 && frame.readInt16BE(0) === ApiKey.ApiVersions) {
      const range = this.handlers.get(ApiKey.ApiVersions)?.range;
      const version = frame.readInt16BE(2);
      if (range !== undefined && (version < range.minVersion || version > range.maxVersion)) {
        logger.debug({ apiVersion: version }, 'unsupported ApiVersions version');
        return Promise.resolve(this.apiVersionsFallback(frame.readInt32BE(4)));
      }
    }
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(frame);
    } catch (err) {
      throw new FatalRequestError(`undecodable request header: ${(err as Error).message}`, { cause: err });
    }
    const entry = this.handlers.get(header.apiKey);
    if (entry === undefined) {
      throw new FatalRequestError(`unsupported API key ${header.apiKey}`);
    }
    if ((!session.authenticated || session.sessionExpiresAtMs !== null) && !PRE_AUTHENTICATION_APIS.has(header.apiKey)) {
      if (!session.authenticated) throw new FatalRequestError(`API key ${header.apiKey} before SASL authentication completed`);
      // KIP-368: past its lifetime a session serves nothing until it re-authenticates.
      if (this.services.clock.monotonic() >= session.sessionExpiresAtMs!) {
        throw new FatalRequestError(`SASL session of ${session.principal} expired (connections.max.reauth.ms, or its credential's expiry) without re-authentication`);
      }
    }
    const { handler, range } = entry;
    session.clientId = header.clientId;
    const ctx: RequestContext = {
      apiKey: header.apiKey,
      apiVersion: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      connection,
      session,
      broker: this.services,
      logger,
      memory,
      requestBytes: frame.length + 4,
      throttleConnection,
      closeConnection,
    };
    if (header.apiVersion < range.minVersion || header.apiVersion > range.maxVersion) {
      return Promise.resolve(this.unsupportedVersion(handler, header, ctx, frame));
    }
    let req: Body;
    try {
      req = decodeRequestBody(header.apiKey, header.apiVersion, frame, header.bodyOffset) as Body;
    } catch (err) {
      throw new FatalRequestError(
        `undecodable ${header.apiKey} v${header.apiVersion} request body: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return this.run(handler, req, ctx);
  }

  /**
   * A raw SASL token after SaslHandshake v0 (no Kafka header): the reply token, size-prefixed, and
   * whether the connection closes after it (a failed exchange: Kafka sends nothing back then).
   */
  async rawSaslToken(frame: Buffer, session: Session, logger: Logger): Promise<{ chunks: Buffer[] | null; close: boolean }> {
    const r = await saslAuthenticate(session, frame, this.services, logger);
    if (r.errorCode !== ErrorCode.NONE) return { chunks: null, close: true };
    const size = Buffer.alloc(4);
    size.writeInt32BE(r.authBytes.length);
    return { chunks: [size, r.authBytes], close: r.close };
  }

  private async run(handler: AnyApiHandler, req: Body, ctx: RequestContext): Promise<Buffer[] | null> {
    let res: object | typeof NO_RESPONSE;
    try {
      // The dispatch phase runs here, before the first await; `res` is its completion.
      res = await this.chain(handler, req, ctx).response;
    } catch (err) {
      ctx.logger.error({ err, apiKey: ctx.apiKey, apiVersion: ctx.apiVersion }, 'handler failed');
      try {
        res = handler.errorResponse(req, ErrorCode.UNKNOWN_SERVER_ERROR, ctx);
      } catch (inner) {
        throw new FatalRequestError(`API key ${ctx.apiKey} v${ctx.apiVersion}: handler and its error response failed`, { cause: inner });
      }
    }
    if (res === NO_RESPONSE) return null;
    return this.encodeOrFallback(handler, req, ctx, res);
  }

  /** Runs the middleware chain, innermost the handler's dispatch phase. */
  private chain(handler: AnyApiHandler, req: Body, ctx: RequestContext): Completion<object> {
    const middleware = this.middleware;
    const errorResponseFor = (r: Body, code: number): object => handler.errorResponse(r, code, ctx);
    const callFor = (r: Body): RequestCall => ({ request: r, ctx, errorResponse: (code) => handler.errorResponse(r, code, ctx), errorResponseFor });
    const step = (i: number, call: RequestCall): Completion<object> => {
      const mw = middleware[i];
      if (mw === undefined) return handler.dispatch(call.request, ctx);
      return mw(call, (replaced) => step(i + 1, replaced === undefined || replaced === call.request ? call : callFor(replaced)));
    };
    return step(0, callFor(req));
  }

  /**
   * The encoder checks the body against the schema of (apiKey, apiVersion) at run time. A body it
   * refuses is a handler bug: answer the handler's errorResponse(UNKNOWN_SERVER_ERROR) instead, and
   * when even that cannot be encoded close this connection (one log line) rather than fail anything else.
   */
  private encodeOrFallback(handler: AnyApiHandler, req: Body, ctx: RequestContext, res: object): Buffer[] {
    try {
      return encodeResponse(ctx.apiKey, ctx.apiVersion, ctx.correlationId, res as Body);
    } catch (err) {
      ctx.logger.error({ err, apiKey: ctx.apiKey, apiVersion: ctx.apiVersion }, 'response could not be encoded: answering UNKNOWN_SERVER_ERROR');
    }
    try {
      const fallback = handler.errorResponse(req, ErrorCode.UNKNOWN_SERVER_ERROR, ctx);
      return encodeResponse(ctx.apiKey, ctx.apiVersion, ctx.correlationId, fallback as Body);
    } catch (err) {
      throw new FatalRequestError(`API key ${ctx.apiKey} v${ctx.apiVersion}: neither the response nor the error response could be encoded`, {
        cause: err,
      });
    }
  }

  /** KIP-511: a v0 ApiVersions response (every client can parse it) with error 35 and our list. */
  private apiVersionsFallback(correlationId: number): Buffer[] {
    return encodeResponse(ApiKey.ApiVersions, 0, correlationId, {
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: this.services.apiVersions.map((r) => ({ apiKey: r.apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion })),
    });
  }

  private unsupportedVersion(handler: AnyApiHandler, header: RequestHeader, ctx: RequestContext, frame: Buffer): Buffer[] {
    ctx.logger.debug({ apiKey: header.apiKey, apiVersion: header.apiVersion }, 'unsupported API version');
    const schema = apiSchema(header.apiKey);
    if (schema === undefined || header.apiVersion < schema.minVersion || header.apiVersion > schema.maxVersion) {
      throw new FatalRequestError(`unsupported version ${header.apiVersion} of API key ${header.apiKey}`);
    }
    // The schema can encode this version: decode the request so the error response names its
    // topics/partitions, and answer UNSUPPORTED_VERSION everywhere.
    let req: Body;
    try {
      req = decodeRequestBody(header.apiKey, header.apiVersion, frame, header.bodyOffset) as Body;
    } catch (err) {
      throw new FatalRequestError(`undecodable ${header.apiKey} v${header.apiVersion} request body`, { cause: err });
    }
    try {
      return encodeResponse(header.apiKey, header.apiVersion, header.correlationId, handler.errorResponse(req, ErrorCode.UNSUPPORTED_VERSION, ctx));
    } catch (err) {
      throw new FatalRequestError(`UNSUPPORTED_VERSION response for API key ${header.apiKey} v${header.apiVersion} could not be encoded`, { cause: err });
    }
  }
}
