// kafka-python 2.0.2 (Debian's python3-kafka): a pure-Python client with its own protocol code, not
// librdkafka. Its admin client creates and deletes topics, its producer sends keyed records with
// headers (acks=all, gzip), and a consumer group reads each record once and resumes from its commits.
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const PYTHON = process.env.MQ_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import json, sys
from kafka import KafkaProducer, KafkaConsumer, KafkaAdminClient, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError
a = json.loads(sys.stdin.read())
b = a['bootstrap']
out = {}
admin = KafkaAdminClient(bootstrap_servers=b, client_id='kafka-python-test')
if a['step'] == 'first':
    admin.create_topics([NewTopic('kp', 2, 1)])
    try:
        admin.create_topics([NewTopic('kp', 2, 1)])
        out['duplicate'] = 'created twice'
    except TopicAlreadyExistsError as e:
        out['duplicate'] = type(e).__name__
p = KafkaProducer(bootstrap_servers=b, acks='all', compression_type='gzip')
base = a['base']
fs = [p.send('kp', key=b'k%d' % i, value=b'v%d' % i, headers=[('h', b'%d' % i)], partition=i % 2) for i in range(base, base + a['n'])]
p.flush()
out['produced'] = [[f.get().partition, f.get().offset] for f in fs]
c = KafkaConsumer('kp', bootstrap_servers=b, group_id='kp-group', auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=15000)
got = []
for m in c:
    got.append([m.partition, m.offset, m.key.decode(), m.value.decode(), [[k, v.decode()] for k, v in m.headers]])
    if len(got) == a['n']:
        break
c.commit()
out['consumed'] = sorted(got)
c.close()
out['groups'] = [g for g, _ in admin.list_consumer_groups()]
out['committed'] = sorted([[tp.partition, om.offset] for tp, om in admin.list_consumer_group_offsets('kp-group').items()])
if a['step'] == 'second':
    admin.delete_topics(['kp'])
    out['topics'] = [t for t in admin.list_topics() if t == 'kp']
admin.close()
print(json.dumps(out))
`;

interface Result {
  duplicate?: string;
  produced: [number, number][];
  consumed: [number, number, string, string, [string, string][]][];
  groups: string[];
  committed: [number, number][];
  topics?: string[];
}

describe('kafka-python 2.0.2 (pure Python)', () => {
  let broker: Broker;

  beforeAll(async () => {
    broker = await startBroker({});
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const runPy = async (input: { step: string; base: number; n: number }): Promise<Result> => {
    const r = await run(PYTHON, ['-c', SCRIPT], { timeoutMs: 120_000, input: JSON.stringify({ bootstrap: `127.0.0.1:${broker.port}`, ...input }) });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.toString('utf8').trim().split('\n').pop()!) as Result;
  };

  it('creates a topic, produces with headers and gzip, and a group reads every record once and commits', async () => {
    const r = await runPy({ step: 'first', base: 0, n: 10 });
    expect(r.duplicate).toBe('TopicAlreadyExistsError');
    expect(r.produced).toEqual([...Array(10).keys()].map((i) => [i % 2, Math.floor(i / 2)]));
    expect(r.consumed).toHaveLength(10);
    for (const [partition, offset, key, value, headers] of r.consumed) {
      const i = offset * 2 + partition;
      expect([key, value, headers]).toEqual([`k${i}`, `v${i}`, [['h', String(i)]]]);
    }
    expect(r.groups).toContain('kp-group');
    expect(r.committed).toEqual([
      [0, 5],
      [1, 5],
    ]);
  });

  it('the group resumes from its commits, reading only what came after, and the admin client deletes the topic', async () => {
    const r = await runPy({ step: 'second', base: 10, n: 4 });
    expect(r.produced).toEqual([
      [0, 5],
      [1, 5],
      [0, 6],
      [1, 6],
    ]);
    expect(r.consumed.map(([p, o]) => [p, o])).toEqual([
      [0, 5],
      [0, 6],
      [1, 5],
      [1, 6],
    ]);
    expect(r.committed).toEqual([
      [0, 7],
      [1, 7],
    ]);
    expect(r.topics).toEqual([]);
  });
});
