// @platformatic/kafka 2.12 (Node 24, child process) with SASL over TLS: PLAIN, SCRAM-SHA-256 and
// SCRAM-SHA-512 produce on a SASL_SSL listener; a wrong password is refused.
import { readFile } from 'node:fs/promises';
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { makeTestCerts } from '../src/test-certs';

type Broker = Awaited<ReturnType<typeof startBroker>>;

describe('@platformatic/kafka with SASL over TLS', () => {
  let broker: Broker;
  let dir: string;
  let ca: string;

  beforeAll(async () => {
    dir = await makeTempDir('platformatic-sasl');
    const certs = await makeTestCerts(dir);
    ca = await readFile(certs.caCert, 'utf8');
    broker = await startBroker({
      security: {
        listeners: 'SASL_SSL://127.0.0.1:0',
        ssl: { keystoreLocation: certs.serverKeystore },
        plainUsers: { pat: 'pat-plain-pw' },
        scramUsers: [
          { name: 'sam', mechanism: 'SCRAM-SHA-256', password: 'sam-256-pw' },
          { name: 'sue', mechanism: 'SCRAM-SHA-512', password: 'sue-512-pw' },
        ],
      },
    });
  });
  afterAll(async () => {
    await broker?.stop();
    await removeDir(dir);
  });

  it('PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 produce; a wrong password does not', async () => {
    const out = await runNode24Fixture<{ error?: string; results: { ok: boolean; offset?: string; error?: string }[] }>('platformatic-sasl.mjs', {
      bootstrap: `127.0.0.1:${broker.port}`,
      topic: 'platformatic-sasl',
      ca,
      attempts: [
        { mechanism: 'PLAIN', username: 'pat', password: 'pat-plain-pw' },
        { mechanism: 'SCRAM-SHA-256', username: 'sam', password: 'sam-256-pw' },
        { mechanism: 'SCRAM-SHA-512', username: 'sue', password: 'sue-512-pw' },
        { mechanism: 'SCRAM-SHA-512', username: 'sue', password: 'wrong' },
      ],
    });
    expect(out.error).toBeUndefined();
    expect(out.results.slice(0, 3)).toEqual([
      { ok: true, offset: '0' },
      { ok: true, offset: '1' },
      { ok: true, offset: '2' },
    ]);
    expect(out.results[3]!.ok).toBe(false);
  });
});
