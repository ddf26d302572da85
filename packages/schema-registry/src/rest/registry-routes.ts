// The Confluent Schema Registry REST API over a SchemaRegistry: paths, query parameters, bodies,
// answers and error codes as Confluent's (so its clients work unchanged). Every error answer is
// `{error_code, message}`; a failure of the store underneath is 50001, a registry not loaded here 50003.
import {
  checkSchemaInput,
  checkSubject,
  contextOf,
  DEFAULT_CONTEXT,
  deleteConfig,
  deleteMode,
  deleteSubject,
  deleteVersion,
  getConfig,
  getMode,
  getSchemaById,
  getVersion,
  listContexts,
  listSubjects,
  listVersions,
  lookupSchema,
  parseCompatibilityLevel,
  parseMode,
  parseVersion,
  RegistryError,
  RegistryErrorCode,
  referencedBy,
  register,
  schemaInFormat,
  type SchemaValue,
  schemaTypes,
  setConfig,
  setMode,
  subjectsOfId,
  testCompatibility,
  versionsOfId,
  type RegistryState,
  versionView,
} from '@mq/schema';
import { CoordinatorLoadInProgressError, NotCoordinatorError } from '@mq/coordinator';
import type { RegistryLogger, SchemaRegistry } from '../schema-registry.js';
import { contextAliases } from './context-prefix.js';
import {
  APPLIED_OFFSET_HEADER,
  forwardedRequest,
  forwardUntilAnswered,
  isForwarded,
  movedAway,
  type RegistryForwarder,
  type RouteKind,
  servedHere,
} from './registry-forwarding.js';
import { REGISTRY_CONTENT_TYPE, type RegistryRequest, type RegistryResponse, type RegistryRoute } from './registry-route.js';

type Params = Readonly<Record<string, string>>;
type Handler = (req: RegistryRequest, params: Params) => unknown | Promise<unknown>;

const ok = (body: unknown): RegistryResponse => ({ status: 200, body, contentType: REGISTRY_CONTENT_TYPE });

function flag(req: RegistryRequest, name: string): boolean {
  return req.query.get(name) === 'true';
}

function jsonBody(req: RegistryRequest): unknown {
  if (req.body.length === 0) throw new RegistryError(RegistryErrorCode.BAD_REQUEST, 'Request body is empty');
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    throw new RegistryError(RegistryErrorCode.BAD_REQUEST, `Malformed JSON: ${(err as Error).message}`);
  }
}

function objectBody(req: RegistryRequest): Record<string, unknown> {
  const body = jsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RegistryError(RegistryErrorCode.UNPROCESSABLE_ENTITY, 'Expected a JSON object');
  return body as Record<string, unknown>;
}

function schemaId(raw: string): number {
  const id = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new RegistryError(RegistryErrorCode.SCHEMA_NOT_FOUND, `Schema ${raw} not found`);
  return id;
}

export interface RegistryRoutesOptions {
  /** Mounts the routes under a path (default: the listener's root, as Confluent's). */
  readonly prefix?: string;
  readonly logger?: RegistryLogger;
  /** A cluster member's: writes (and, without a replica here, reads) go to the leader through it. */
  readonly forwarder?: RegistryForwarder;
}

interface RouteDef {
  readonly method: RegistryRoute['method'];
  readonly path: string;
  readonly kind: RouteKind;
  readonly handle: Handler;
}

/**
 * The registry's routes, each also under Confluent's context prefix `/contexts/{context}/…` (its
 * ContextFilter: the subject, the `subject` of an id lookup or the `subjectPrefix` of a listing
 * is taken in that context; `/contexts/{context}/config` and `/mode` are the context's own).
 */
export function registryRoutes(registry: SchemaRegistry, options: RegistryRoutesOptions = {}): RegistryRoute[] {
  const prefix = (options.prefix ?? '').replace(/\/$/, '');
  const { logger, forwarder } = options;
  const subject = (p: Params) => checkSubject(p.subject!);
  const read = <T>(query: (state: RegistryState) => T): T => registry.read(query);
  const def = (method: RouteDef['method'], path: string, handle: Handler, kind: RouteKind = 'read'): RouteDef => ({ method, path, kind, handle });
  const write = (method: RouteDef['method'], path: string, handle: Handler): RouteDef => def(method, path, handle, 'write');

  const defs: RouteDef[] = [
    def('GET', '/', () => ({})),
    def('GET', '/schemas/types', () => schemaTypes()),
    def('GET', '/subjects', (req) => read((s) => listSubjects(s, { deleted: flag(req, 'deleted'), prefix: req.query.get('subjectPrefix') ?? '' }))),
    def('GET', '/subjects/:subject/versions', (req, p) => read((s) => listVersions(s, subject(p), flag(req, 'deleted')))),
    def('GET', '/subjects/:subject/versions/:version', (req, p) =>
      read((s) => versionView(inFormat(s, req, getVersion(s, subject(p), parseVersion(p.version!), flag(req, 'deleted'))), flag(req, 'deleted'))),
    ),
    def('GET', '/subjects/:subject/versions/:version/schema', (req, p) =>
      // The schema itself as the body (Confluent sends the stored text, unquoted).
      rawSchema(read((s) => inFormat(s, req, getVersion(s, subject(p), parseVersion(p.version!), flag(req, 'deleted')))).schema),
    ),
    def('GET', '/subjects/:subject/versions/:version/referencedby', (_req, p) => read((s) => referencedBy(s, subject(p), parseVersion(p.version!)))),
    write('POST', '/subjects/:subject/versions', async (req, p) => {
      const name = subject(p);
      const input = checkSchemaInput(objectBody(req));
      return registry.write(`register ${name}`, (s) => register(s, name, input, flag(req, 'normalize')));
    }),
    def('POST', '/subjects/:subject', (req, p) => {
      const input = checkSchemaInput(objectBody(req));
      return read((s) => versionView(lookupSchema(s, subject(p), input, { normalize: flag(req, 'normalize'), deleted: flag(req, 'deleted') })));
    }),
    write('DELETE', '/subjects/:subject', (req, p) => registry.write(`delete ${p.subject}`, (s) => deleteSubject(s, subject(p), flag(req, 'permanent')))),
    write('DELETE', '/subjects/:subject/versions/:version', (req, p) =>
      registry.write(`delete ${p.subject} ${p.version}`, (s) => deleteVersion(s, subject(p), parseVersion(p.version!), flag(req, 'permanent'))),
    ),
    def('GET', '/contexts', () => read((s) => listContexts(s))),
    def('GET', '/schemas/ids/:id', (req, p) => {
      const v = read((s) => inFormat(s, req, getSchemaById(s, schemaId(p.id!), idContext(req))));
      const { subject: _s, version: _v, id: _i, deleted: _d, ...rest } = versionView(v);
      return rest;
    }),
    def('GET', '/schemas/ids/:id/schema', (req, p) => rawSchema(read((s) => inFormat(s, req, getSchemaById(s, schemaId(p.id!), idContext(req)))).schema)),
    def('GET', '/schemas/ids/:id/subjects', (req, p) => read((s) => subjectsOfId(s, schemaId(p.id!), flag(req, 'deleted'), idContext(req)))),
    def('GET', '/schemas/ids/:id/versions', (req, p) => read((s) => versionsOfId(s, schemaId(p.id!), flag(req, 'deleted'), idContext(req)))),
    def('POST', '/compatibility/subjects/:subject/versions/:version', (req, p) => compatibility(req, p, parseVersion(p.version!))),
    def('POST', '/compatibility/subjects/:subject/versions', (req, p) => compatibility(req, p, null)),
    def('GET', '/config', () => read((s) => getConfig(s, null))),
    write('PUT', '/config', (req) => {
      const level = levelFrom(objectBody(req));
      return registry.write('config', (s) => setConfig(s, null, level));
    }),
    write('DELETE', '/config', () => registry.write('delete config', (s) => deleteConfig(s, null))),
    def('GET', '/config/:subject', (req, p) => read((s) => getConfig(s, subject(p), flag(req, 'defaultToGlobal')))),
    write('PUT', '/config/:subject', (req, p) => {
      const level = levelFrom(objectBody(req));
      return registry.write(`config ${p.subject}`, (s) => setConfig(s, subject(p), level));
    }),
    write('DELETE', '/config/:subject', (_req, p) => registry.write(`delete config ${p.subject}`, (s) => deleteConfig(s, subject(p)))),
    def('GET', '/mode', () => read((s) => getMode(s, null))),
    write('PUT', '/mode', (req) => {
      const mode = parseMode(objectBody(req).mode);
      return registry.write('mode', (s) => setMode(s, null, mode, flag(req, 'force')));
    }),
    def('GET', '/mode/:subject', (req, p) => read((s) => getMode(s, subject(p), flag(req, 'defaultToGlobal')))),
    write('PUT', '/mode/:subject', (req, p) => {
      const mode = parseMode(objectBody(req).mode);
      return registry.write(`mode ${p.subject}`, (s) => setMode(s, subject(p), mode, flag(req, 'force')));
    }),
    write('DELETE', '/mode/:subject', (_req, p) => registry.write(`delete mode ${p.subject}`, (s) => deleteMode(s, subject(p)))),
  ];

  const mounted = (d: RouteDef): RegistryRoute => ({
    method: d.method,
    path: `${prefix}${d.path}`,
    handler: (req, params) => serve(d, req, params),
  });
  return [...defs.map(mounted), ...contextAliases(defs, prefix, (d, req, params) => serve(d, req, params))];

  /** One request: here when this broker answers it, else at the leader (cluster), errors in Confluent's shape. */
  async function serve(d: RouteDef, req: RegistryRequest, params: Params): Promise<RegistryResponse> {
    const here = () => answer(d, req, params);
    try {
      if (forwarder === undefined || d.path === '/' || d.path === '/schemas/types') return await here();
      if (servedHere(registry, d.kind)) {
        try {
          return await here();
        } catch (err) {
          // The leadership moved while this write ran: the new leader takes it (unless it came forwarded).
          if (!movedAway(err, registry) || isForwarded(req)) throw err;
        }
      }
      if (isForwarded(req)) {
        const what = d.kind === 'write' ? `does not lead ${registry.topic}-0` : `holds no replica of ${registry.topic}-0`;
        throw new RegistryError(RegistryErrorCode.REQUEST_FORWARDING_FAILED, `Broker ${forwarder.nodeId} ${what}`);
      }
      return await forwardUntilAnswered(registry, forwarder, d.kind, forwardedRequest(d.method, `${prefix}${d.path}`, params, req, forwarder.nodeId), here);
    } catch (err) {
      // Forwarded here and the leadership moved meanwhile: 50003 tells the forwarding broker to try the next leader.
      if (forwarder !== undefined && movedAway(err, registry)) {
        return errorResponse(new RegistryError(RegistryErrorCode.REQUEST_FORWARDING_FAILED, `Broker ${forwarder.nodeId} no longer leads ${registry.topic}-0: ${(err as Error).message}`), '');
      }
      return errorResponse(err, `${d.method} ${d.path}`, logger);
    }
  }

  async function answer(d: RouteDef, req: RegistryRequest, params: Params): Promise<RegistryResponse> {
    const body = await d.handle(req, params);
    const applied = d.kind === 'write' ? registry.appliedOffset : undefined;
    const headers = applied === undefined ? {} : { headers: { [APPLIED_OFFSET_HEADER]: String(applied) } };
    // The schema text itself (GET …/schema) goes out as stored; everything else as JSON.
    return body instanceof RawBody ? { status: 200, body: body.text, contentType: REGISTRY_CONTENT_TYPE } : { ...ok(body), ...headers };
  }

  function compatibility(req: RegistryRequest, p: Params, version: number | null) {
    const input = checkSchemaInput(objectBody(req));
    const result = read((s) => testCompatibility(s, subject(p), version, input, { normalize: flag(req, 'normalize') }));
    return flag(req, 'verbose') ? result : { is_compatible: result.is_compatible };
  }
}

/** The stored text as the answer body, as Confluent sends it (JSON for Avro/JSON Schema, .proto text otherwise). */
function rawSchema(text: string): RawBody {
  return new RawBody(text);
}

class RawBody {
  constructor(readonly text: string) {}
}

/** `?format=serialized`: a Protobuf schema as a base64 FileDescriptorProto (Confluent's Protobuf serdes ask for it). */
function inFormat(state: RegistryState, req: RegistryRequest, value: SchemaValue): SchemaValue {
  return schemaInFormat(state, value, req.query.get('format'));
}

/** Ids are per context: `?subject=:.ctx:orders` (or `:.ctx:`) picks the context, as Confluent's deserializers send it. */
function idContext(req: RegistryRequest): string {
  const subject = req.query.get('subject');
  return subject === null ? DEFAULT_CONTEXT : contextOf(subject);
}

function levelFrom(body: Record<string, unknown>) {
  return parseCompatibilityLevel(body.compatibility ?? body.compatibilityLevel);
}

function errorResponse(err: unknown, context: string, logger?: RegistryLogger): RegistryResponse {
  if (err instanceof RegistryError) return { status: err.httpStatus, body: err.toJSON(), contentType: REGISTRY_CONTENT_TYPE };
  const notHere = err instanceof CoordinatorLoadInProgressError || err instanceof NotCoordinatorError;
  const code = notHere ? RegistryErrorCode.REQUEST_FORWARDING_FAILED : RegistryErrorCode.STORE_ERROR;
  logger?.error({ err }, `schema registry: ${context}`);
  const e = new RegistryError(code, `Error in the backend data store: ${(err as Error)?.message ?? String(err)}`);
  return { status: e.httpStatus, body: e.toJSON(), contentType: REGISTRY_CONTENT_TYPE };
}

