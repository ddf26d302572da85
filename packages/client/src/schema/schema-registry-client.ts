// A Confluent Schema Registry REST client (mq's registry on the broker's HTTP listener, or
// Confluent's own): subjects, versions, registration, lookups, deletes, compatibility checks,
// configs. It is also a SchemaSource, so @mq/schema's SchemaSerde encodes and decodes through it.
// Answers are cached where Confluent's clients cache them (schemas by id, which never change).
import type { CompatibilityLevel, Mode, SchemaReference, SchemaSource, SchemaText, SchemaType } from '@mq/schema';
import { MqClientError } from '../errors';

export interface SchemaRegistryClientOptions {
  /**
   * The registry's base URL, e.g. http://127.0.0.1:8081 (a path prefix is kept); `http://user:password@host` sets basicAuth.
   * Several, comma-separated (Confluent's `schema.registry.url` list; with mq every broker of a
   * cluster serves the registry): a request goes to the one that answered last and moves on to
   * the next when it cannot be reached.
   */
  readonly url: string;
  /** HTTP Basic credentials (Confluent's basic.auth.user.info; mq: a SCRAM or PLAIN user of the broker). */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /**
   * A bearer token sent as `Authorization: Bearer` (Confluent's bearer.auth.token with
   * bearer.auth.credentials.source=STATIC_TOKEN; mq: a JWT its OAUTHBEARER validator accepts,
   * http.authentication.methods=bearer). Not together with Basic credentials.
   */
  readonly bearerToken?: string;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
}

/** A schema to register or look up, as the REST API takes it (schemaType absent: AVRO). */
export interface SchemaDefinition {
  readonly schema: string;
  readonly schemaType?: SchemaType;
  readonly references?: readonly SchemaReference[];
}

/** GET /subjects/{s}/versions/{v}: the version with its id and text. */
export interface RegisteredSchema {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** The registry answered with an error: its HTTP status, Confluent's `error_code` and message. */
export class SchemaRegistryError extends MqClientError {
  constructor(
    readonly status: number,
    readonly registryErrorCode: number,
    message: string,
  ) {
    super(message, { retriable: status >= 500 });
    this.name = 'SchemaRegistryError';
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class SchemaRegistryClient implements SchemaSource {
  private readonly bases: readonly string[];
  private current = 0;
  private readonly timeoutMs: number;
  private readonly authorization: string | undefined;
  private readonly byId = new Map<number, Promise<SchemaText>>();

  constructor(opts: SchemaRegistryClientOptions) {
    const urls = opts.url
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '')
      .map((u) => registryUrl(u));
    if (urls.length === 0) throw new MqClientError(`schema registry URL "${opts.url}" is not a URL (e.g. http://127.0.0.1:8081)`);
    const fromUrl = urls.find((u) => u.credentials !== undefined)?.credentials;
    const auth = opts.basicAuth ?? fromUrl;
    if (opts.bearerToken !== undefined) {
      // One Authorization header: which of two credentials the registry judged would be a guess.
      if (auth !== undefined) throw new MqClientError('schema registry: give Basic credentials (basicAuth or user:password@ in the URL) or a bearer token, not both');
      if (!/^[\x21-\x7e]+$/.test(opts.bearerToken)) throw new MqClientError('schema registry: the bearer token must be non-empty printable ASCII without spaces');
      this.authorization = `Bearer ${opts.bearerToken}`;
    } else {
      this.authorization = auth === undefined ? undefined : `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    }
    this.bases = urls.map((u) => u.base);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** The URL requests go to now (the last one that answered). */
  private get base(): string {
    return this.bases[this.current]!;
  }

  /** GET /schemas/ids/{id} (cached: an id's schema never changes). */
  schemaById(id: number): Promise<SchemaText> {
    let p = this.byId.get(id);
    if (p === undefined) {
      p = this.call<SchemaText>('GET', `/schemas/ids/${id}`);
      p.catch(() => this.byId.delete(id));
      this.byId.set(id, p);
    }
    return p;
  }

  schemaByVersion(subject: string, version: number): Promise<SchemaText> {
    return this.getVersion(subject, version);
  }

  /** GET /schemas/ids/{id}/versions: every subject-version pair that holds this id. */
  versionsOfId(id: number, options: { deleted?: boolean } = {}): Promise<Array<{ subject: string; version: number }>> {
    return this.call('GET', `/schemas/ids/${id}/versions`, undefined, { deleted: options.deleted });
  }

  /** GET /contexts: "." (the default context) and every context a subject lives in (`:.ctx:name`). */
  listContexts(): Promise<string[]> {
    return this.call('GET', '/contexts');
  }

  listSubjects(options: { deleted?: boolean; prefix?: string } = {}): Promise<string[]> {
    return this.call('GET', '/subjects', undefined, { deleted: options.deleted, subjectPrefix: options.prefix });
  }

  listVersions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    return this.call('GET', `/subjects/${enc(subject)}/versions`, undefined, { deleted: options.deleted });
  }

  /** `version` a number or 'latest'. */
  async getVersion(subject: string, version: number | 'latest', options: { deleted?: boolean } = {}): Promise<RegisteredSchema> {
    const v = await this.call<Partial<RegisteredSchema> & { subject: string; version: number; id: number; schema: string }>(
      'GET',
      `/subjects/${enc(subject)}/versions/${version === -1 ? 'latest' : version}`,
      undefined,
      { deleted: options.deleted },
    );
    return { subject: v.subject, version: v.version, id: v.id, schemaType: v.schemaType ?? 'AVRO', schema: v.schema, references: v.references ?? [] };
  }

  /** POST /subjects/{s}/versions: the id (an existing one when this schema is already there). */
  async register(subject: string, schema: SchemaDefinition, options: { normalize?: boolean } = {}): Promise<number> {
    return (await this.call<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, body(schema), { normalize: options.normalize })).id;
  }

  /** POST /subjects/{s}: the version holding this schema (40403 when it is not registered there). */
  lookup(subject: string, schema: SchemaDefinition, options: { normalize?: boolean; deleted?: boolean } = {}): Promise<RegisteredSchema> {
    return this.call<RegisteredSchema>('POST', `/subjects/${enc(subject)}`, body(schema), { normalize: options.normalize, deleted: options.deleted }).then((v) => ({
      ...v,
      schemaType: v.schemaType ?? 'AVRO',
      references: v.references ?? [],
    }));
  }

  /** DELETE /subjects/{s}: the versions deleted (soft, or hard with permanent after a soft delete). */
  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    return this.call('DELETE', `/subjects/${enc(subject)}`, undefined, { permanent: options.permanent });
  }

  deleteVersion(subject: string, version: number | 'latest', options: { permanent?: boolean } = {}): Promise<number> {
    return this.call('DELETE', `/subjects/${enc(subject)}/versions/${version}`, undefined, { permanent: options.permanent });
  }

  /** POST /compatibility/subjects/{s}/versions/{v} (default: against what the subject's level names), verbose. */
  checkCompatibility(subject: string, schema: SchemaDefinition, version?: number | 'latest'): Promise<{ is_compatible: boolean; messages?: string[] }> {
    const path = version === undefined ? `/compatibility/subjects/${enc(subject)}/versions` : `/compatibility/subjects/${enc(subject)}/versions/${version}`;
    return this.call('POST', path, body(schema), { verbose: true });
  }

  /**
   * GET /config or /config/{s}: the level that applies (defaultToGlobal, the default), or with
   * `defaultToGlobal: false` the subject's own (40408 when it has none).
   */
  async getCompatibility(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
    const defaultToGlobal = subject === undefined ? undefined : (options.defaultToGlobal ?? true);
    return (await this.call<{ compatibilityLevel: CompatibilityLevel }>('GET', path, undefined, { defaultToGlobal })).compatibilityLevel;
  }

  /** DELETE /config/{s} (the subject falls back to the global level) or DELETE /config (global back to BACKWARD): the level it had. */
  async deleteCompatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
    return (await this.call<{ compatibilityLevel: CompatibilityLevel }>('DELETE', path)).compatibilityLevel;
  }

  /** GET /mode or /mode/{s}: READWRITE, READONLY, READONLY_OVERRIDE or IMPORT (defaultToGlobal as getCompatibility). */
  async getMode(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<Mode> {
    const path = subject === undefined ? '/mode' : `/mode/${enc(subject)}`;
    const defaultToGlobal = subject === undefined ? undefined : (options.defaultToGlobal ?? true);
    return (await this.call<{ mode: Mode }>('GET', path, undefined, { defaultToGlobal })).mode;
  }

  /** PUT /mode or /mode/{s}; `force` lets IMPORT be set on a registry that already holds schemas. */
  async setMode(mode: string, subject?: string, options: { force?: boolean } = {}): Promise<Mode> {
    const path = subject === undefined ? '/mode' : `/mode/${enc(subject)}`;
    return (await this.call<{ mode: Mode }>('PUT', path, JSON.stringify({ mode }), { force: options.force })).mode;
  }

  async setCompatibility(level: string, subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
    return (await this.call<{ compatibility: CompatibilityLevel }>('PUT', path, JSON.stringify({ compatibility: level }))).compatibility;
  }

  /** The subject's latest live version's id (what a producer encodes with). */
  async latestId(subject: string): Promise<number> {
    return (await this.getVersion(subject, 'latest')).id;
  }

  private async call<T>(method: string, path: string, payload?: string, query: Record<string, string | boolean | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== false) params.set(k, String(v));
    const search = params.size > 0 ? `?${params}` : '';
    let res: Response | undefined;
    const failures: string[] = [];
    // From the one that answered last, each once: an unreachable registry passes the request on.
    for (let tried = 0; tried < this.bases.length && res === undefined; tried++) {
      const base = this.base;
      try {
        res = await fetch(`${base}${path}${search}`, {
          method,
          headers: { Accept: CONTENT_TYPE, ...(payload === undefined ? {} : { 'Content-Type': CONTENT_TYPE }), ...(this.authorization === undefined ? {} : { Authorization: this.authorization }) },
          ...(payload === undefined ? {} : { body: payload }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        const why = (err as Error).name === 'TimeoutError' ? `no answer in ${this.timeoutMs} ms` : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
        failures.push(`${base} unreachable: ${why}`);
        if (tried === this.bases.length - 1) throw new MqClientError(`schema registry at ${failures.join('; ')}`, { cause: err, retriable: true });
        this.current = (this.current + 1) % this.bases.length;
      }
    }
    if (res === undefined) throw new MqClientError('schema registry: no URL to send to');
    const text = await res.text();
    if (!res.ok) {
      let parsed: { error_code?: unknown; message?: unknown } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // not JSON: the status and the text say what happened
      }
      const code = typeof parsed.error_code === 'number' ? parsed.error_code : res.status;
      const message = typeof parsed.message === 'string' ? parsed.message : text.slice(0, 200) || res.statusText;
      throw new SchemaRegistryError(res.status, code, `${message} (HTTP ${res.status}, error_code ${code})`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MqClientError(`schema registry at ${this.base}: ${method} ${path} answered something that is not JSON`);
    }
  }
}

/** One base URL checked (http or https), its credentials taken out (fetch() refuses URLs with them; messages name the base). */
function registryUrl(text: string): { base: string; credentials: { username: string; password: string } | undefined } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MqClientError(`schema registry URL "${text}" is not a URL (e.g. http://127.0.0.1:8081)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MqClientError(`schema registry URL "${url.origin}" must be http:// or https://`);
  const credentials = url.username === '' && url.password === '' ? undefined : { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  return { base: url.href.replace(/\/$/, ''), credentials };
}

function enc(subject: string): string {
  return encodeURIComponent(subject);
}

function body(s: SchemaDefinition): string {
  return JSON.stringify({
    schema: s.schema,
    ...(s.schemaType === undefined || s.schemaType === 'AVRO' ? {} : { schemaType: s.schemaType }),
    ...(s.references === undefined || s.references.length === 0 ? {} : { references: s.references }),
  });
}
