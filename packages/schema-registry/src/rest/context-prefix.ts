// Confluent's context URL prefix (its ContextFilter): `/contexts/{context}/<route>` is `<route>` with
// the context applied — a subject in the path becomes `:.ctx:subject` (unless it names a context
// itself), the `subject` of an id lookup and the `subjectPrefix` of a listing start with `:.ctx:`,
// and `/contexts/{context}/config` or `/mode` without a subject is the context's own setting (the
// `:.ctx:` subject). The default context (`.`) adds nothing.
import { RegistryError, RegistryErrorCode } from '@mq/schema';
import { REGISTRY_CONTENT_TYPE, type RegistryRequest, type RegistryResponse, type RegistryRoute } from './registry-route.js';

type Params = Readonly<Record<string, string>>;

interface Def {
  readonly method: RegistryRoute['method'];
  readonly path: string;
}

const CONTEXT_PARAM = 'contextPrefix';

/** `ctx`, `.ctx`, `:.ctx:` → `:.ctx:`; the default context → ''. A colon inside is refused (400), as Confluent's. */
export function contextPrefixOf(context: string): string {
  let c = context;
  if (c.startsWith(':')) c = c.slice(1);
  if (c.endsWith(':')) c = c.slice(0, -1);
  if (c.includes(':')) throw new RegistryError(RegistryErrorCode.BAD_REQUEST, 'Context name cannot contain a colon');
  if (!c.startsWith('.')) c = `.${c}`;
  return c === '.' ? '' : `:${c}:`;
}

/** Already in a context of its own (`:.other:name`, or Confluent's wildcard `:*:`): left as it is. */
function namesContext(s: string): boolean {
  return s.startsWith(':.') || s.startsWith(':*:');
}

function inContext(prefix: string, s: string): string {
  return namesContext(s) ? s : `${prefix}${s}`;
}

/** The aliases of `defs` under `/contexts/:context`, each serving the def it maps onto with the context applied. */
export function contextAliases<D extends Def>(
  defs: readonly D[],
  mountPrefix: string,
  serve: (def: D, req: RegistryRequest, params: Params) => Promise<RegistryResponse>,
): RegistryRoute[] {
  const find = (method: string, path: string) => defs.find((d) => d.method === method && d.path === path);
  const routes: RegistryRoute[] = [];
  for (const d of defs) {
    if (d.path === '/' || d.path === '/contexts') continue;
    const root = d.path === '/config' || d.path === '/mode';
    // A context's own level / mode is its `:.ctx:` subject's: the def with a subject serves it.
    const bySubject = root ? find(d.method, `${d.path}/:subject`) : undefined;
    routes.push({
      method: d.method,
      path: `${mountPrefix}/contexts/:${CONTEXT_PARAM}${d.path}`,
      async handler(req, params) {
        let prefix: string;
        try {
          prefix = contextPrefixOf(params[CONTEXT_PARAM]!);
        } catch (err) {
          const e = err as RegistryError;
          return { status: e.httpStatus, body: e.toJSON(), contentType: REGISTRY_CONTENT_TYPE };
        }
        const { [CONTEXT_PARAM]: _context, ...rest } = params;
        if (root && prefix !== '' && bySubject !== undefined) return serve(bySubject, req, { ...rest, subject: prefix });
        const mapped: Record<string, string> = { ...rest };
        if (mapped.subject !== undefined) mapped.subject = inContext(prefix, mapped.subject);
        return serve(d, withQuery(d.path, req, prefix), mapped);
      },
    });
  }
  return routes;
}

/** An id lookup's `subject` and a listing's `subjectPrefix` in the context. */
function withQuery(path: string, req: RegistryRequest, prefix: string): RegistryRequest {
  const name = path.startsWith('/schemas/ids') ? 'subject' : path === '/subjects' ? 'subjectPrefix' : undefined;
  if (name === undefined || prefix === '') return req;
  const query = new URLSearchParams(req.query);
  query.set(name, inContext(prefix, query.get(name) ?? ''));
  return { ...req, query };
}
