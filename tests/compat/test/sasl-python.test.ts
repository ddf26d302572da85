// python3-confluent-kafka (Debian: 1.7.0 on librdkafka 2.0.2) with SCRAM-SHA-256 over SASL_SSL:
// produces and consumes back; a wrong password gets no delivery.
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { type TestCerts, makeTestCerts } from '../src/test-certs';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const PYTHON = process.env.MQ_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import json, sys
from confluent_kafka import Producer, Consumer
a = json.loads(sys.stdin.read())
conf = {'bootstrap.servers': a['bootstrap'], 'security.protocol': 'SASL_SSL', 'sasl.mechanisms': 'SCRAM-SHA-256',
        'sasl.username': a['user'], 'sasl.password': a['password'], 'ssl.ca.location': a['ca']}
delivered = []
p = Producer(dict(conf, **{'message.timeout.ms': 10000}))
for i in range(3):
    p.produce('py-scram', value=('m%d' % i).encode(), on_delivery=lambda err, msg: delivered.append(err is None))
p.flush(15)
got = []
if all(delivered) and len(delivered) == 3:
    c = Consumer(dict(conf, **{'group.id': 'py-scram', 'auto.offset.reset': 'earliest'}))
    c.subscribe(['py-scram'])
    for _ in range(60):
        m = c.poll(1.0)
        if m is not None and m.error() is None:
            got.append(m.value().decode())
        if len(got) == 3:
            break
    c.close()
print(json.dumps({'delivered': delivered, 'got': got}))
`;

describe('python3-confluent-kafka with SCRAM over TLS', () => {
  let broker: Broker;
  let dir: string;
  let certs: TestCerts;

  beforeAll(async () => {
    dir = await makeTempDir('py-scram');
    certs = await makeTestCerts(dir);
    broker = await startBroker({
      security: { listeners: 'SASL_SSL://127.0.0.1:0', ssl: { keystoreLocation: certs.serverKeystore }, scramUsers: [{ name: 'py', mechanism: 'SCRAM-SHA-256', password: 'py-pw' }] },
    });
  });
  afterAll(async () => {
    await broker?.stop();
    await removeDir(dir);
  });

  const runPy = async (password: string) => {
    const r = await run(PYTHON, ['-c', SCRIPT], { timeoutMs: 120_000, input: JSON.stringify({ bootstrap: `127.0.0.1:${broker.port}`, user: 'py', password, ca: certs.caCert }) });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.toString('utf8').trim().split('\n').pop()!) as { delivered: boolean[]; got: string[] };
  };

  it('produces and consumes with the right password', async () => {
    expect(await runPy('py-pw')).toEqual({ delivered: [true, true, true], got: ['m0', 'm1', 'm2'] });
  });

  it('delivers nothing with a wrong password', async () => {
    const r = await runPy('nope');
    expect(r.delivered.every((d) => d)).toBe(false);
    expect(r.got).toEqual([]);
  });
});
