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

/** The registry's routes; `prefix` mounts them under a path (default: the listener's root, as Confluent's). */
export function registryRoutes(registry: SchemaRegistry, options: { prefix?: string; logger?: RegistryLogger } = {}): RegistryRoute[] {
  const prefix = (options.prefix ?? '').replace(/\/$/, '');
  const logger = options.logger;
  const subject = (p: Params) => checkSubject(p.subject!);
  const route = (method: RegistryRoute['method'], path: string, handle: Handler): RegistryRoute => ({
    method,
    path: `${prefix}${path}`,
    async handler(req, params) {
      try {
        const body = await handle(req, params);
        // The schema text itself (GET …/schema) goes out as stored; everything else as JSON.
        return body instanceof RawBody ? { status: 200, body: body.text, contentType: REGISTRY_CONTENT_TYPE } : ok(body);
      } catch (err) {
        return errorResponse(err, `${method} ${path}`, logger);
      }
    },
  });
  const read = <T>(query: (state: RegistryState) => T): T => registry.read(query);

  return [
    route('GET', '/', () => ({})),
    route('GET', '/schemas/types', () => schemaTypes()),
    route('GET', '/subjects', (req) => read((s) => listSubjects(s, { deleted: flag(req, 'deleted'), prefix: req.query.get('subjectPrefix') ?? '' }))),
    route('GET', '/subjects/:subject/versions', (req, p) => read((s) => listVersions(s, subject(p), flag(req, 'deleted')))),
    route('GET', '/subjects/:subject/versions/:version', (req, p) =>
      read((s) => versionView(getVersion(s, subject(p), parseVersion(p.version!), flag(req, 'deleted')), flag(req, 'deleted'))),
    ),
    route('GET', '/subjects/:subject/versions/:version/schema', (req, p) =>
      // The schema itself as the body (Confluent sends the stored text, unquoted).
      rawSchema(read((s) => getVersion(s, subject(p), parseVersion(p.version!), flag(req, 'deleted'))).schema),
    ),
    route('GET', '/subjects/:subject/versions/:version/referencedby', (_req, p) => read((s) => referencedBy(s, subject(p), parseVersion(p.version!)))),
    route('POST', '/subjects/:subject/versions', async (req, p) => {
      const name = subject(p);
      const input = checkSchemaInput(objectBody(req));
      return registry.write(`register ${name}`, (s) => register(s, name, input, flag(req, 'normalize')));
    }),
    route('POST', '/subjects/:subject', (req, p) => {
      const input = checkSchemaInput(objectBody(req));
      return read((s) => versionView(lookupSchema(s, subject(p), input, { normalize: flag(req, 'normalize'), deleted: flag(req, 'deleted') })));
    }),
    route('DELETE', '/subjects/:subject', (req, p) => registry.write(`delete ${p.subject}`, (s) => deleteSubject(s, subject(p), flag(req, 'permanent')))),
    route('DELETE', '/subjects/:subject/versions/:version', (req, p) =>
      registry.write(`delete ${p.subject} ${p.version}`, (s) => deleteVersion(s, subject(p), parseVersion(p.version!), flag(req, 'permanent'))),
    ),
    route('GET', '/contexts', () => read((s) => listContexts(s))),
    route('GET', '/schemas/ids/:id', (req, p) => {
      const v = read((s) => getSchemaById(s, schemaId(p.id!), idContext(req)));
      const { subject: _s, version: _v, id: _i, deleted: _d, ...rest } = versionView(v);
      return rest;
    }),
    route('GET', '/schemas/ids/:id/schema', (req, p) => rawSchema(read((s) => getSchemaById(s, schemaId(p.id!), idContext(req))).schema)),
    route('GET', '/schemas/ids/:id/subjects', (req, p) => read((s) => subjectsOfId(s, schemaId(p.id!), flag(req, 'deleted'), idContext(req)))),
    route('GET', '/schemas/ids/:id/versions', (req, p) => read((s) => versionsOfId(s, schemaId(p.id!), flag(req, 'deleted'), idContext(req)))),
    route('POST', '/compatibility/subjects/:subject/versions/:version', (req, p) => compatibility(req, p, parseVersion(p.version!))),
    route('POST', '/compatibility/subjects/:subject/versions', (req, p) => compatibility(req, p, null)),
    route('GET', '/config', () => read((s) => getConfig(s, null))),
    route('PUT', '/config', (req) => {
      const level = levelFrom(objectBody(req));
      return registry.write('config', (s) => setConfig(s, null, level));
    }),
    route('DELETE', '/config', () => registry.write('delete config', (s) => deleteConfig(s, null))),
    route('GET', '/config/:subject', (req, p) => read((s) => getConfig(s, subject(p), flag(req, 'defaultToGlobal')))),
    route('PUT', '/config/:subject', (req, p) => {
      const level = levelFrom(objectBody(req));
      return registry.write(`config ${p.subject}`, (s) => setConfig(s, subject(p), level));
    }),
    route('DELETE', '/config/:subject', (_req, p) => registry.write(`delete config ${p.subject}`, (s) => deleteConfig(s, subject(p)))),
    route('GET', '/mode', () => read((s) => getMode(s, null))),
    route('PUT', '/mode', (req) => {
      const mode = parseMode(objectBody(req).mode);
      return registry.write('mode', (s) => setMode(s, null, mode, flag(req, 'force')));
    }),
    route('GET', '/mode/:subject', (req, p) => read((s) => getMode(s, subject(p), flag(req, 'defaultToGlobal')))),
    route('PUT', '/mode/:subject', (req, p) => {
      const mode = parseMode(objectBody(req).mode);
      return registry.write(`mode ${p.subject}`, (s) => setMode(s, subject(p), mode, flag(req, 'force')));
    }),
    route('DELETE', '/mode/:subject', (_req, p) => registry.write(`delete mode ${p.subject}`, (s) => deleteMode(s, subject(p)))),
  ];

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

