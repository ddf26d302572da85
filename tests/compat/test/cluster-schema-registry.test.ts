// The schema registry in a 3-broker cluster on a real etcd: `_schemas` is replicated (RF 3, made by
// the controller), the broker leading its partition writes, every other forwards writes to it over
// HTTP and answers reads from its own replica. Checked through each broker's REST API: a write
// through a follower is read back there at once and seen by every broker; ids registered
// concurrently through all three never repeat; and with the `_schemas` leader SIGKILLed while
// registrations go on through the other two, every acknowledged schema keeps its id and is
// readable through every broker, the restarted one included. With `_schemas` on 2 of the 3
// brokers, the third forwards reads and writes, and its broker-side validation fetches schemas by
// id from the leader (cached) — through a SIGKILL of the leader too (injected: the kill, an
// unknown id, an id of another subject), the log read back equal to the acknowledged records.
import { type RunningCluster, startCluster } from '@mq/broker';
import { SchemaRegistryClient } from '@mq/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const CT = 'application/vnd.schemaregistry.v1+json';
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'http.port': '0' } });
  // `_schemas` is created once all three are registered; each broker's registry answers once its view follows it.
  for (const b of cluster.brokers) await eventually(async () => (await rest(b.nodeId, 'GET', '/subjects')).status === 200, `broker ${b.nodeId}'s registry`);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function rest(nodeId: number, method: string, path: string, body?: unknown): Promise<Answer> {
  const b = cluster.broker(nodeId);
  const res = await fetch(`http://127.0.0.1:${b.httpPort}${path}`, {
    method,
    headers: { 'Content-Type': CT, Accept: CT },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Polls `check` until it holds (no timing is asserted: the deadline only bounds a hang). */
async function eventually(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not so within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const avro = (name: string, fields: number) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.example', fields: Array.from({ length: fields }, (_, i) => ({ name: `f${i}`, type: 'string' })) });

async function schemasLeader(): Promise<number> {
  const kafka = new Kafka({ brokers: cluster.brokers.filter((b) => b.running).map((b) => `${b.host}:${b.port}`), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const md = await admin.fetchTopicMetadata({ topics: ['_schemas'] });
    return md.topics[0]!.partitions[0]!.leader;
  } finally {
    await admin.disconnect();
  }
}

function dumpLogs(): void {
  onTestFailed(() => {
    for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().filter((l) => l.includes('schema')).slice(-30).join('\n')}`);
  });
}

describe('schema registry across a 3-broker cluster', () => {
  it('writes through a follower go to the leader; the writer reads them back at once, every broker sees them', async () => {
    dumpLogs();
    const leader = await schemasLeader();
    const [a, b] = cluster.brokers.map((x) => x.nodeId).filter((n) => n !== leader) as [number, number];

    const reg = await rest(a, 'POST', '/subjects/orders-value/versions', { schema: avro('Order', 1) });
    expect(reg.status).toBe(200);
    const id = (reg.body as { id: number }).id;
    // Read-your-write on the broker that took the write (a follower of `_schemas`).
    const latest = await rest(a, 'GET', '/subjects/orders-value/versions/latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ subject: 'orders-value', version: 1, id });
    for (const n of [b, leader]) {
      await eventually(async () => ((await rest(n, 'GET', `/schemas/ids/${id}`)).body as { schema?: string }).schema === avro('Order', 1), `schema ${id} through broker ${n}`);
    }
    // The same schema through another broker: the same id and version (one id space).
    const again = await rest(b, 'POST', '/subjects/orders-value/versions', { schema: avro('Order', 1) });
    expect(again.body).toEqual({ id });

    // Compatibility is the leader's check, its 409 passed back in Confluent's shape.
    const bad = await rest(b, 'POST', '/subjects/orders-value/versions', { schema: JSON.stringify({ type: 'string' }) });
    expect(bad.status).toBe(409);
    expect(bad.body).toMatchObject({ error_code: 409 });
    expect((bad.body as { message: string }).message).toMatch(/incompatible/);

    // Config, mode and deletes through followers, seen by all.
    expect((await rest(b, 'PUT', '/config/orders-value', { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });
    expect((await rest(b, 'GET', '/config/orders-value')).body).toEqual({ compatibilityLevel: 'NONE' });
    const v2 = await rest(a, 'POST', '/subjects/orders-value/versions', { schema: JSON.stringify({ type: 'string' }) });
    expect(v2.status).toBe(200);
    expect((await rest(a, 'DELETE', '/subjects/orders-value/versions/2')).body).toBe(2);
    expect((await rest(a, 'GET', '/subjects/orders-value/versions')).body).toEqual([1]);
    expect((await rest(b, 'PUT', '/mode/orders-value', { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    const refused = await rest(a, 'POST', '/subjects/orders-value/versions', { schema: avro('Order', 2) });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error_code: 42205 });
    for (const n of [a, b, leader]) {
      await eventually(async () => JSON.stringify((await rest(n, 'GET', '/subjects/orders-value/versions')).body) === '[1]', `versions through broker ${n}`);
      await eventually(async () => ((await rest(n, 'GET', '/mode/orders-value')).body as { mode?: string }).mode === 'READONLY', `mode through broker ${n}`);
    }
  });

  it('registrations made concurrently through all three brokers get distinct ids, readable everywhere', async () => {
    dumpLogs();
    const nodes = cluster.brokers.map((b) => b.nodeId);
    const results = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const schema = avro(`Concurrent${i}`, 1 + (i % 3));
        const r = await rest(nodes[i % 3]!, 'POST', `/subjects/concurrent-${i}-value/versions`, { schema });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return { i, schema, id: (r.body as { id: number }).id };
      }),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    for (const n of nodes) {
      for (const r of results) {
        await eventually(async () => ((await rest(n, 'GET', `/schemas/ids/${r.id}`)).body as { schema?: string }).schema === r.schema, `id ${r.id} through broker ${n}`);
      }
    }
  });

  it('broker-side validation on every partition leader checks against its own view, a schema registered a moment ago included', async () => {
    dumpLogs();
    const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'payments', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] }],
      waitForLeaders: true,
    });
    const leaders = (await admin.fetchTopicMetadata({ topics: ['payments'] })).topics[0]!.partitions.map((p) => p.leader);
    // Registered, then produced at once (as a serializer that auto-registers does): a partition
    // leader whose view has not replayed the registration yet waits for it rather than refuse.
    const reg = await rest(cluster.brokers[0]!.nodeId, 'POST', '/subjects/payments-value/versions', { schema: avro('Payment', 1) });
    const id = (reg.body as { id: number }).id;
    // Confluent's wire format: magic 0, the id, then the Avro record (one string field "x").
    const framed = Buffer.concat([Buffer.from([0]), Buffer.from(new Uint32Array([0]).buffer), Buffer.from([0x02, 0x78])]);
    framed.writeUInt32BE(id, 1);
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      for (let partition = 0; partition < 3; partition++) {
        const sent = await producer.send({ topic: 'payments', acks: -1, messages: [{ partition, value: framed }] });
        expect(sent[0]!.errorCode).toBe(0);
        const refused = await producer.send({ topic: 'payments', acks: -1, messages: [{ partition, value: 'not framed' }] }).then(
          () => undefined,
          (e: unknown) => e as { cause?: { type?: string } },
        );
        // kafkajs speaks Produce v7: INVALID_RECORD reaches it as CORRUPT_MESSAGE (as from Kafka).
        expect(refused?.cause?.type, `partition ${partition} (leader ${leaders[partition]})`).toBe('CORRUPT_MESSAGE');
      }
      const ends = await admin.fetchTopicOffsets('payments');
      expect(ends.map((o) => o.high)).toEqual(['1', '1', '1']);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('SIGKILL of the _schemas leader: registrations through the others go on, no id is given twice, every acknowledged one stays', async () => {
    dumpLogs();
    const leader = await schemasLeader();
    const survivors = cluster.brokers.map((b) => b.nodeId).filter((n) => n !== leader);
    const acked: { subject: string; schema: string; id: number; via: number; afterKill: boolean }[] = [];
    let attempted = 0;
    const failures: string[] = [];
    let killed = false;
    const register = async (via: number, k: number): Promise<void> => {
      const subject = `failover-${via}-${k}-value`;
      const schema = avro(`Failover${via}x${k}`, 1);
      attempted++;
      const sentAfterKill = killed;
      // A client's retry of a 5xx (Confluent's clients retry too); the registry itself keeps trying the new leader.
      for (let attempt = 0; attempt < 3; attempt++) {
        const r = await rest(via, 'POST', `/subjects/${subject}/versions`, { schema }).catch((err: unknown) => ({ status: 0, body: String(err) }));
        if (r.status === 200) {
          acked.push({ subject, schema, id: (r.body as { id: number }).id, via, afterKill: sentAfterKill });
          return;
        }
        failures.push(`${subject} via ${via} (attempt ${attempt}, killed ${killed}): ${r.status} ${JSON.stringify(r.body)}`);
        if (r.status < 500) return;
      }
    };
    // Each goes on until it has made ten registrations sent after the kill (the new leader's).
    const loop = async (via: number): Promise<void> => {
      for (let k = 0, after = 0; after < 10 && k < 500; k++) {
        if (killed) after++;
        await register(via, k);
      }
    };
    const running = survivors.map((n) => loop(n));
    await eventually(async () => acked.length >= 10, 'ten registrations before the kill');
    await cluster.broker(leader).kill('SIGKILL');
    killed = true;
    await Promise.all(running);

    expect(acked.length, failures.join('\n')).toBe(attempted);
    expect(acked.filter((r) => r.afterKill).length).toBeGreaterThanOrEqual(20);
    expect(new Set(acked.map((r) => r.id)).size).toBe(acked.length);
    const newLeader = await schemasLeader();
    expect(survivors).toContain(newLeader);
    // A client given every broker's URL (the killed one's first) goes on to a live one.
    const listed = new SchemaRegistryClient({ url: [leader, ...survivors].map((n) => `http://127.0.0.1:${cluster.broker(n).httpPort}`).join(',') });
    expect((await listed.getVersion(acked[0]!.subject, 1)).id).toBe(acked[0]!.id);
    for (const n of survivors) {
      for (const r of acked) {
        const byId = await rest(n, 'GET', `/schemas/ids/${r.id}`);
        if ((byId.body as { schema?: string }).schema !== r.schema) {
          await eventually(async () => ((await rest(n, 'GET', `/schemas/ids/${r.id}`)).body as { schema?: string }).schema === r.schema, `id ${r.id} through broker ${n}`);
        }
        await eventually(async () => ((await rest(n, 'GET', `/subjects/${r.subject}/versions/1`)).body as { id?: number }).id === r.id, `${r.subject} through broker ${n}`);
      }
    }

    // Back on its data dir, the killed broker follows the topic again and answers the same.
    await cluster.broker(leader).restart();
    for (const r of acked) {
      await eventually(async () => ((await rest(leader, 'GET', `/subjects/${r.subject}/versions/1`)).body as { id?: number }).id === r.id, `${r.subject} through restarted broker ${leader}`);
    }
    // And a write through it still gets a fresh id.
    const after = await rest(leader, 'POST', '/subjects/after-restart-value/versions', { schema: avro('AfterRestart', 1) });
    expect(after.status).toBe(200);
    expect(acked.map((r) => r.id)).not.toContain((after.body as { id: number }).id);
  });
});

describe('schema registry on a broker without a replica of _schemas (replication factor 2 of 3)', () => {
  let small: RunningCluster;
  beforeAll(async () => {
    small = await startCluster({ brokers: 3, config: { 'http.port': '0', 'schema.registry.topic.replication.factor': '2' } });
  }, 180_000);
  afterAll(async () => {
    await small?.stop();
  });

  it('reads and writes there are forwarded to the leader and answered the same', async () => {
    onTestFailed(() => {
      for (const b of small.brokers) console.log(`broker ${b.nodeId}:\n${b.logs().filter((l) => l.includes('schema')).slice(-30).join('\n')}`);
    });
    const call = async (nodeId: number, method: string, path: string, body?: unknown): Promise<Answer> => {
      const res = await fetch(`http://127.0.0.1:${small.broker(nodeId).httpPort}${path}`, {
        method,
        headers: { 'Content-Type': CT },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    };
    const kafka = new Kafka({ brokers: small.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    let replicas: number[] = [];
    await eventually(async () => {
      replicas = (await admin.fetchTopicMetadata({ topics: ['_schemas'] })).topics[0]!.partitions[0]!.replicas;
      return replicas.length === 2;
    }, '_schemas with 2 replicas');
    await admin.disconnect();
    const outside = small.brokers.map((b) => b.nodeId).find((n) => !replicas.includes(n))!;
    await eventually(async () => (await call(outside, 'GET', '/subjects')).status === 200, `broker ${outside}'s registry`);

    const reg = await call(outside, 'POST', '/subjects/items-value/versions', { schema: avro('Item', 1) });
    expect(reg.status).toBe(200);
    const id = (reg.body as { id: number }).id;
    // No replica here: the read goes to the leader, so the write is there at once.
    expect((await call(outside, 'GET', '/subjects/items-value/versions/latest')).body).toMatchObject({ subject: 'items-value', version: 1, id });
    expect((await call(outside, 'GET', `/schemas/ids/${id}`)).body).toEqual({ schema: avro('Item', 1) });
    expect((await call(outside, 'GET', '/subjects/nothing-value/versions')).body).toMatchObject({ error_code: 40401 });
    for (const n of replicas) {
      await eventually(async () => ((await call(n, 'GET', `/schemas/ids/${id}`)).body as { schema?: string }).schema === avro('Item', 1), `id ${id} through broker ${n}`);
    }
  });
  it('broker-side validation on the broker without a replica fetches the schemas from the leader: framed records with a registered id are stored, the rest refused', async () => {
    onTestFailed(() => {
      for (const b of small.brokers) console.log(`broker ${b.nodeId}:\n${b.logs().filter((l) => l.includes('schema') || l.includes('valid')).slice(-30).join('\n')}`);
    });
    const kafka = new Kafka({ brokers: small.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      let replicas: number[] = [];
      await eventually(async () => {
        replicas = (await admin.fetchTopicMetadata({ topics: ['_schemas'] })).topics[0]!.partitions[0]!.replicas;
        return replicas.length === 2;
      }, '_schemas with 2 replicas');
      const outside = small.brokers.map((b) => b.nodeId).find((n) => !replicas.includes(n))!;
      // The validated topic's one partition led by the broker that holds no `_schemas` replica.
      await admin.createTopics({
        topics: [{ topic: 'orders', replicaAssignment: [{ partition: 0, replicas: [outside, replicas[0]!] }], configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] }],
        waitForLeaders: true,
      });
      await eventually(async () => (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]!.partitions[0]!.leader === outside, `orders-0 led by broker ${outside}`);
      const register = async (subject: string, name: string) => {
        const res = await fetch(`http://127.0.0.1:${small.broker(replicas[0]!).httpPort}/subjects/${subject}/versions`, {
          method: 'POST',
          headers: { 'Content-Type': CT },
          body: JSON.stringify({ schema: avro(name, 1) }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { id: number }).id;
      };
      const framed = (id: number) => {
        const b = Buffer.from([0, 0, 0, 0, 0, 0x02, 0x78]);
        b.writeUInt32BE(id, 1);
        return b;
      };
      const refusal = (value: Buffer | string) =>
        producer.send({ topic: 'orders', acks: -1, messages: [{ value }] }).then(
          () => undefined,
          (e: unknown) => (e as { cause?: { type?: string } }).cause?.type,
        );
      // Registered through a replica, then produced at once to the broker without one.
      const id = await register('orders-value', 'Order');
      expect((await producer.send({ topic: 'orders', acks: -1, messages: [{ value: framed(id) }] }))[0]!.errorCode).toBe(0);
      expect(await refusal('not framed')).toBe('CORRUPT_MESSAGE');
      expect(await refusal(framed(999_999))).toBe('CORRUPT_MESSAGE');
      // Registered, but under another subject: refused as on a broker with a view.
      const other = await register('elsewhere-value', 'Elsewhere');
      expect(await refusal(framed(other))).toBe('CORRUPT_MESSAGE');
      // Cached now: a second batch with the same id goes through too.
      expect((await producer.send({ topic: 'orders', acks: -1, messages: [{ value: framed(id) }, { value: framed(id) }] }))[0]!.errorCode).toBe(0);
      const ends = await admin.fetchTopicOffsets('orders');
      expect(ends.map((o) => o.high)).toEqual(['3']);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('SIGKILL of the _schemas leader: the broker without a replica validates with its cached schemas and fetches new ones from the new leader; the log holds exactly the acknowledged records', async () => {
    onTestFailed(() => {
      for (const b of small.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().filter((l) => l.includes('schema') || l.includes('valid')).slice(-30).join('\n')}`);
    });
    const kafka = new Kafka({ brokers: small.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    const md = (await admin.fetchTopicMetadata({ topics: ['_schemas'] })).topics[0]!.partitions[0]!;
    const leader = md.leader;
    const follower = md.replicas.find((n) => n !== leader)!;
    const outside = small.brokers.map((b) => b.nodeId).find((n) => !md.replicas.includes(n))!;
    // Led by the broker without a `_schemas` replica, replicated to the one that is not killed.
    await admin.createTopics({
      topics: [{ topic: 'ledger', replicaAssignment: [{ partition: 0, replicas: [outside, follower] }], configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] }],
      waitForLeaders: true,
    });
    await eventually(async () => (await admin.fetchTopicMetadata({ topics: ['ledger'] })).topics[0]!.partitions[0]!.leader === outside, `ledger-0 led by broker ${outside}`);
    await admin.disconnect();
    const register = async (fields: { name: string; type: string; default?: string }[]): Promise<number> => {
      let id: number | undefined;
      // Through the surviving replica: while the leadership moves the write is retried there (and by us, as a client would).
      await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${small.broker(follower).httpPort}/subjects/ledger-value/versions`, {
          method: 'POST',
          headers: { 'Content-Type': CT },
          body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Entry', fields }) }),
        });
        if (res.status !== 200) return false;
        id = ((await res.json()) as { id: number }).id;
        return true;
      }, `registration of ${fields.length} fields`);
      return id!;
    };
    // Confluent's wire format: magic 0, the id, then the Avro record (one short string field).
    const framed = (id: number, x: string) => {
      const b = Buffer.alloc(6 + x.length);
      b.writeUInt32BE(id, 1);
      b[5] = x.length * 2;
      b.write(x, 6);
      return b;
    };
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    const acked: string[] = [];
    const refused: string[] = [];
    const send = async (id: number, x: string) => {
      const ok = await producer.send({ topic: 'ledger', acks: -1, messages: [{ value: framed(id, x) }] }).then(
        () => true,
        () => false,
      );
      (ok ? acked : refused).push(x);
    };
    try {
      const first = await register([{ name: 'x', type: 'string' }]);
      await send(first, 'before-kill'); // fetched from the leader, cached
      await small.broker(leader).kill('SIGKILL');
      await send(first, 'cached'); // the leader is gone: the cached schema still validates
      // A field with a default added (BACKWARD-compatible): a new id, written by the new leader.
      const second = await register([
        { name: 'x', type: 'string' },
        { name: 'y', type: 'string', default: '' },
      ]);
      expect(second).not.toBe(first);
      await send(second, 'fetched-from-new-leader');
      await send(999_999, 'unknown-id');
    } finally {
      await producer.disconnect();
    }
    expect(acked).toEqual(['before-kill', 'cached', 'fetched-from-new-leader']);
    expect(refused).toEqual(['unknown-id']);
    // History check: the log holds exactly the acknowledged records, in order, nothing refused.
    const consumer = kafka.consumer({ groupId: 'ledger-check' });
    await consumer.connect();
    const seen: string[] = [];
    await consumer.subscribe({ topic: 'ledger', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.subarray(6).toString()) });
    await eventually(async () => seen.length >= acked.length, 'the ledger read back');
    await consumer.disconnect();
    expect(seen).toEqual(acked);
  });
});
