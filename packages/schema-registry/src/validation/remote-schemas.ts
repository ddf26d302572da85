// Broker-side validation on a cluster member without a replica of `_schemas` (its replication factor
// below the cluster's size): there is no local view to check ids against, so the schemas a batch
// names are fetched by id from the broker leading `_schemas` — or, while it cannot answer (killed,
// failing over), another broker holding a replica — over the HTTP forwarding the REST routes use, with the subject-versions holding them and their references, and kept here: at most
// CACHE_SIZE ids, each for CACHE_TTL_MS (a soft delete there is seen here within that time, as
// Confluent Server's validator cache). Ids the leader does not know are remembered as missing too
// (as the Confluent client's missing-id cache), so a flood of records with bad ids costs one request
// per distinct id per MISS_TTL_MS, not per batch — but only briefly, and forgotten at once when a
// newer id than any seen before is fetched or this broker forwards a write (the leader assigns ids
// in increasing order: a schema registered since the miss may be the one asked for). Concurrent
// batches asking for the same id share one fetch.
import { checkReferenceDepth, parseSchema, type ParsedSchema, RegistryError, RegistryErrorCode, type ResolvedReference, type SchemaReference, type SchemaType, type SchemaValue } from '@mq/schema';
import { FORWARDED_HEADER, type ForwardedResponse, type RegistryForwarder } from '../rest/registry-forwarding.js';
import type { SchemaLookup } from './record-problem.js';

/** Distinct ids kept (least recently used dropped first). */
export const CACHE_SIZE = 1024;
/** How long a fetched id's registrations are trusted before they are fetched again. */
export const CACHE_TTL_MS = 30_000;
/** How long one batch's fetch keeps trying while the leader is unknown, unreachable or moving. */
export const FETCH_TIMEOUT_MS = 5_000;
const RETRY_MS = 100;
/** Distinct unknown ids remembered (oldest dropped first). */
export const MISS_CACHE_SIZE = 4096;
/** How long an id the leader does not know is refused without asking again. */
export const MISS_TTL_MS = 1_000;

interface Entry {
  readonly value: SchemaValue;
  /** The subjects with a live version holding the id. */
  readonly live: ReadonlySet<string>;
  readonly references: readonly ResolvedReference[];
  parsed: ParsedSchema | undefined;
  readonly expiresAt: number;
}

/** Where the fetches go: the brokers holding a replica of `_schemas`, its leader first (empty while none is known). */
export interface RemoteSchemasOptions {
  readonly forwarder: RegistryForwarder;
  readonly sources: () => readonly number[];
  /**
   * Grows when this broker forwards a write to the leader (the offset it reached there): misses
   * remembered before it are forgotten. Default: never.
   */
  readonly writesForwarded?: () => bigint;
}

interface Miss {
  readonly expiresAt: number;
  /** writesForwarded() when the leader said it does not know the id. */
  readonly writes: bigint;
}

export class RemoteSchemas implements SchemaLookup {
  private readonly entries = new Map<number, Entry>();
  private readonly misses = new Map<number, Miss>();
  private readonly inFlight = new Map<number, Promise<void>>();
  /** The highest id a fetch found: one above it means registrations since every miss remembered. */
  private highestSeen = 0;

  constructor(private readonly opts: RemoteSchemasOptions) {}

  /** Fetches the ids not cached (or expired); rejects when the leader cannot be asked within FETCH_TIMEOUT_MS. */
  async ensure(ids: Iterable<number>): Promise<void> {
    const now = this.opts.forwarder.now();
    const pending: Promise<void>[] = [];
    for (const id of new Set(ids)) {
      const e = this.entries.get(id);
      if (e !== undefined && e.expiresAt > now) continue;
      if (this.knownMissing(id, now)) continue;
      let p = this.inFlight.get(id);
      if (p === undefined) {
        p = this.fetchId(id).finally(() => this.inFlight.delete(id));
        this.inFlight.set(id, p);
      }
      pending.push(p);
    }
    await Promise.all(pending);
  }

  /** How many ids are cached (tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** How many unknown ids are remembered (tests and metrics). */
  get missing(): number {
    return this.misses.size;
  }

  private knownMissing(id: number, now: number): boolean {
    const m = this.misses.get(id);
    if (m === undefined) return false;
    if (m.expiresAt > now && m.writes === this.writesForwarded()) return true;
    this.misses.delete(id);
    return false;
  }

  private writesForwarded(): bigint {
    return this.opts.writesForwarded?.() ?? 0n;
  }

  schemaById(id: number): SchemaValue | undefined {
    const e = this.entries.get(id);
    if (e === undefined) return undefined;
    // Most recently used last: the first key is the one dropped when full.
    this.entries.delete(id);
    this.entries.set(id, e);
    return e.value;
  }

  isLiveUnder(subject: string, id: number): boolean {
    return this.entries.get(id)?.live.has(subject) ?? false;
  }

  parsed(value: SchemaValue): ParsedSchema {
    const e = this.entries.get(value.id);
    if (e === undefined) return parseSchema(value.schemaType, value.schema, []);
    e.parsed ??= parseSchema(e.value.schemaType, e.value.schema, e.references);
    return e.parsed;
  }

  private async fetchId(id: number): Promise<void> {
    const writes = this.writesForwarded();
    const highest = this.highestSeen;
    const schema = await this.get(`/schemas/ids/${id}`);
    if (schema === undefined) {
      this.entries.delete(id);
      // A newer id was found meanwhile: this answer may predate the id's registration.
      if (this.highestSeen !== highest) return;
      if (this.misses.size >= MISS_CACHE_SIZE) this.misses.delete(this.misses.keys().next().value!);
      this.misses.set(id, { expiresAt: this.opts.forwarder.now() + MISS_TTL_MS, writes });
      return;
    }
    if (id > this.highestSeen) {
      // Registered after the misses remembered so far, maybe after some of the ids they name.
      this.misses.clear();
      this.highestSeen = id;
    }
    const uses = ((await this.get(`/schemas/ids/${id}/versions`)) ?? []) as { subject: string; version: number }[];
    const s = schema as { schema: string; schemaType?: SchemaType; references?: SchemaReference[] };
    const references = s.references ?? [];
    const first = uses[0];
    const value: SchemaValue = {
      subject: first?.subject ?? '',
      version: first?.version ?? 0,
      id,
      schemaType: s.schemaType ?? 'AVRO',
      schema: s.schema,
      references,
      deleted: first === undefined,
    };
    const entry: Entry = {
      value,
      live: new Set(uses.map((u) => u.subject)),
      references: await this.resolve(references, 0),
      parsed: undefined,
      expiresAt: this.opts.forwarder.now() + CACHE_TTL_MS,
    };
    this.entries.delete(id);
    if (this.entries.size >= CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, entry);
  }

  /** A schema's references with their texts, from the leader's subject-versions (recursively). */
  private async resolve(references: readonly SchemaReference[], depth: number): Promise<ResolvedReference[]> {
    if (references.length === 0) return [];
    checkReferenceDepth(depth);
    return Promise.all(
      references.map(async (ref) => {
        const version = ref.version === -1 ? 'latest' : String(ref.version);
        const target = (await this.get(`/subjects/${encodeURIComponent(ref.subject)}/versions/${version}`)) as
          | { schema: string; schemaType?: SchemaType; references?: SchemaReference[] }
          | undefined;
        if (target === undefined) throw new RegistryError(RegistryErrorCode.INVALID_SCHEMA, `reference ${ref.name} names subject ${ref.subject} version ${ref.version}, which does not exist`);
        return { name: ref.name, schemaType: target.schemaType ?? 'AVRO', schema: target.schema, references: await this.resolve(target.references ?? [], depth + 1) };
      }),
    );
  }

  /** GET at a broker with a replica (the leader first): the JSON body of a 200, undefined for a 404; retried while none can answer. */
  private async get(pathAndQuery: string): Promise<unknown> {
    const { forwarder } = this.opts;
    const deadline = forwarder.now() + FETCH_TIMEOUT_MS;
    let last = 'no broker holds a replica of the schema registry topic';
    for (;;) {
      for (const source of this.opts.sources()) {
        if (source === forwarder.nodeId) continue;
        const answer = await forwarder.forward(source, { method: 'GET', pathAndQuery, headers: { [FORWARDED_HEADER]: String(forwarder.nodeId), accept: 'application/json' }, body: Buffer.alloc(0), onBrokersBehalf: true }).then(
          (r) => r,
          (err: unknown) => {
            last = `broker ${source}: ${(err as Error).message}`;
            return undefined;
          },
        );
        if (answer === undefined) continue;
        if (answer.status === 200) return JSON.parse(answer.body.toString('utf8')) as unknown;
        if (answer.status === 404) return undefined;
        last = `broker ${source} answered ${answer.status}: ${bodyText(answer)}`;
        // Refused (401 / 403: this broker's credentials) or malformed: another try will not help.
        if (answer.status < 500) throw new Error(`could not fetch ${pathAndQuery} from the schema registry: ${last}`);
      }
      if (forwarder.now() >= deadline) break;
      await forwarder.pause(RETRY_MS);
    }
    throw new Error(`could not fetch ${pathAndQuery} from the schema registry: ${last}`);
  }
}

function bodyText(r: ForwardedResponse): string {
  return r.body.toString('utf8').slice(0, 200);
}
