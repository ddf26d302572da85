// Registry speed through its REST handlers (no HTTP: what is measured is the registry, its
// `_schemas` appends and replays): registrations/s one at a time and with 16 in flight (each a new
// compatible version of one of 50 subjects), then lookups/s — GET /schemas/ids/{id}, GET
// /subjects/{s}/versions/latest and POST /subjects/{s} (find a schema's version). Default flush
// policy (every `_schemas` append fsynced). Prints rates; asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { SystemClock } from '@mq/timerwheel';
import { type RegistryRoute, registryRoutes, SchemaRegistry } from '../src/index.js';

const SUBJECTS = 50;
const SEQUENTIAL = Number(process.env.BENCH_REGISTRATIONS ?? 200);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT_REGISTRATIONS ?? 800);
const IN_FLIGHT = 16;
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 20_000);

/** Version `n` of a subject's record: n optional fields, each new one with a default (BACKWARD-compatible). */
function schema(subject: number, n: number): string {
  const fields = [{ name: 'id', type: 'long' }, ...Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'string', default: '' }))];
  return JSON.stringify({ type: 'record', name: `Rec${subject}`, namespace: 'bench', fields });
}

const dir = await mkdtemp(join(tmpdir(), 'mq-registry-bench-'));
const clock = new SystemClock();
const topics = await TopicManager.open({ dataDir: dir, clock });
const registry = await SchemaRegistry.open({ topics, clock });
const routes = registryRoutes(registry);
const route = (method: RegistryRoute['method'], path: string) => routes.find((r) => r.method === method && r.path === path)!;
const registerRoute = route('POST', '/subjects/:subject/versions');
const byId = route('GET', '/schemas/ids/:id');
const latest = route('GET', '/subjects/:subject/versions/:version');
const lookup = route('POST', '/subjects/:subject');
const query = new URLSearchParams();
const nextVersion = new Array<number>(SUBJECTS).fill(0);
let ids: number[] = [];

async function registerNext(k: number): Promise<void> {
  const s = k % SUBJECTS;
  const body = Buffer.from(JSON.stringify({ schema: schema(s, nextVersion[s]!++) }));
  const res = await registerRoute.handler({ query, body }, { subject: `subject-${s}` });
  if (res.status !== 200) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  ids.push((res.body as { id: number }).id);
}

function report(what: string, n: number, ms: number, cpu: NodeJS.CpuUsage): void {
  const used = process.cpuUsage(cpu);
  console.log(`${what.padEnd(40)} ${((n * 1000) / ms).toFixed(0).padStart(8)} /s  (${n} in ${ms.toFixed(0)} ms, ${((used.user + used.system) / n).toFixed(0)} µs CPU each)`);
}

console.log(`schema registry: ${SUBJECTS} subjects, Avro, BACKWARD, _schemas fsynced per append`);
let cpu = process.cpuUsage();
let t = performance.now();
for (let k = 0; k < SEQUENTIAL; k++) await registerNext(k);
report('register, one at a time', SEQUENTIAL, performance.now() - t, cpu);

cpu = process.cpuUsage();
t = performance.now();
const pending = new Set<Promise<void>>();
for (let k = 0; k < CONCURRENT; k++) {
  const p = registerNext(SEQUENTIAL + k).finally(() => pending.delete(p));
  pending.add(p);
  if (pending.size >= IN_FLIGHT) await Promise.race(pending);
}
await Promise.all(pending);
report(`register, ${IN_FLIGHT} in flight`, CONCURRENT, performance.now() - t, cpu);
ids = [...new Set(ids)];

const lookups: [string, () => Promise<unknown>][] = [
  ['GET /schemas/ids/{id}', () => byId.handler({ query, body: Buffer.alloc(0) }, { id: String(ids[Math.floor(Math.random() * ids.length)]) })],
  ['GET /subjects/{s}/versions/latest', () => latest.handler({ query, body: Buffer.alloc(0) }, { subject: `subject-${Math.floor(Math.random() * SUBJECTS)}`, version: 'latest' })],
  [
    'POST /subjects/{s} (lookup)',
    () => {
      const s = Math.floor(Math.random() * SUBJECTS);
      const v = Math.floor(Math.random() * nextVersion[s]!);
      return lookup.handler({ query, body: Buffer.from(JSON.stringify({ schema: schema(s, v) })) }, { subject: `subject-${s}` });
    },
  ],
];
for (const [name, call] of lookups) {
  cpu = process.cpuUsage();
  t = performance.now();
  for (let i = 0; i < LOOKUPS; i++) {
    const res = (await call()) as { status: number };
    if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
  }
  report(name, LOOKUPS, performance.now() - t, cpu);
}
await registry.close();
await topics.close();
clock.cancelAll();
await rm(dir, { recursive: true, force: true });
