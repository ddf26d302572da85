// Inter-broker replication over SASL_SSL: 3 brokers with two SASL_SSL listeners, CLIENT (what clients
// bootstrap from) and REPLICATION (inter.broker.listener.name), SCRAM-SHA-512 and openssl-made
// certificates; followers fetch from their leaders as User:broker over TLS on REPLICATION, and a
// client on CLIENT is told every broker's CLIENT address (each listener is registered in etcd). kcat
// produces with acks=all over SASL_SSL SCRAM-SHA-512 before and after the fault, and an idempotent
// acks=all kafkajs load (SCRAM-SHA-512 over TLS) runs through it. Injected: SIGKILL of the leader
// of partition 0; then that broker restarted with a wrong inter-broker password — it cannot
// replicate (the error is logged, it keeps running) and stays out of every ISR. The history
// checker must find every acknowledged record read back exactly once, in order; no password in any log.
import { readFile } from 'node:fs/promises';
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedLoad } from '../src/acked-load';
import { readBack, topicMetadata, until } from '../src/cluster-probe';
import { checkHistory } from '../src/history-checker';
import { kcat } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { makeTestCerts } from '../src/test-certs';

const PASSWORDS = { broker: 'inter-broker-pw-71', carol: 'carol-scram512-pw-3', wrong: 'not-the-broker-pw-5' };
const TOPIC = 'ib-sasl';
let dir: string;
let cluster: RunningCluster;
let caPem: string;
let kcatSecurity: string[];

beforeAll(async () => {
  dir = await makeTempDir('ib-sasl');
  const certs = await makeTestCerts(dir);
  caPem = await readFile(certs.caCert, 'utf8');
  kcatSecurity = ['-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=carol', '-X', `sasl.password=${PASSWORDS.carol}`, '-X', `ssl.ca.location=${certs.caCert}`];
  cluster = await startCluster({
    brokers: 3,
    config: {
      listeners: 'CLIENT://127.0.0.1:0,REPLICATION://127.0.0.1:0',
      'listener.security.protocol.map': 'CLIENT:SASL_SSL,REPLICATION:SASL_SSL',
      'inter.broker.listener.name': 'REPLICATION',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
      'inter.broker.sasl.username': 'broker',
      'inter.broker.sasl.password': PASSWORDS.broker,
      'mq.sasl.bootstrap.users': `broker:SCRAM-SHA-512:${PASSWORDS.broker},carol:SCRAM-SHA-512:${PASSWORDS.carol}`,
      'ssl.keystore.location': certs.serverKeystore,
      'ssl.truststore.location': certs.caCert,
      // A follower that cannot fetch leaves the ISR within 1.5 × this.
      'replica.lag.time.max.ms': '3000',
    },
  });
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await removeDir(dir);
});

const security = () => ({ ssl: { ca: [caPem], servername: 'localhost' }, sasl: { mechanism: 'scram-sha-512' as const, username: 'carol', password: PASSWORDS.carol } });
const bootstrap = () => cluster.brokers.filter((b) => b.running).map((b) => `${b.host}:${b.port}`).join(',');
const metadata = () => topicMetadata(bootstrap(), TOPIC, kcatSecurity);
const kcatProduce = (values: string[]) => kcat(['-P', '-b', bootstrap(), '-t', TOPIC, '-X', 'request.required.acks=-1', ...kcatSecurity], 120_000, `${values.join('\n')}\n`);

describe('inter-broker replication over SASL_SSL (SCRAM-SHA-512)', () => {
  it('replicates, survives a leader SIGKILL with every ack read back; a broker with wrong credentials stays out of the ISR', async () => {
    const admin = new Kafka({ brokers: bootstrap().split(','), logLevel: logLevel.NOTHING, ...security(), retry: { retries: 20 } }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    // Only replication fetches over SASL_SSL can fill the ISR.
    await until('every replica in sync over SASL_SSL', 90_000, async () => (await metadata()).partitions.every((p) => p.isr.length === 3));
    const listed = JSON.parse((await kcat(['-L', '-J', '-b', bootstrap(), ...kcatSecurity], 60_000)).stdout.toString('utf8')) as { brokers: { name: string }[] };
    expect(listed.brokers.map((b) => b.name).sort()).toEqual(bootstrap().split(',').sort());

    const before = Array.from({ length: 60 }, (_, i) => `kcat-before-${i}`);
    expect((await kcatProduce(before)).code).toBe(0);
    const load = AckedLoad.start(bootstrap(), { topic: TOPIC, partitions: 3, security: security() });
    await until('acks on every partition', 60_000, () => [0, 1, 2].every((p) => load.ackedCount(p) >= 20));
    const victim = (await metadata()).partitions[0]!.leader;
    await cluster.broker(victim).kill('SIGKILL');
    const killedAt = Date.now();
    await until('acks on partition 0 after the kill', 90_000, () => load.lastAckAt(0) > killedAt);
    const after = Array.from({ length: 60 }, (_, i) => `kcat-after-${i}`);
    expect((await kcatProduce(after)).code).toBe(0);

    // Back with a wrong inter-broker password: it serves its listener but cannot fetch from any leader.
    await cluster.broker(victim).restart({ 'inter.broker.sasl.password': PASSWORDS.wrong });
    await until('the refused follower logs why', 60_000, () => cluster.broker(victim).logs().some((l) => l.includes('inter-broker authentication to the leader failed')));
    await until('acks on every partition with the misconfigured broker back', 60_000, () => [0, 1, 2].every((p) => load.ackedCount(p) >= 60));
    await load.stop();
    const isr = (await metadata()).partitions.map((p) => p.isr);
    expect(isr.every((r) => !r.includes(victim) && r.length === 2)).toBe(true);
    expect(cluster.broker(victim).running).toBe(true);

    const consumed = await readBack(bootstrap(), TOPIC, kcatSecurity);
    expect(checkHistory(load.acked, consumed)).toEqual([]);
    const values = consumed.map((c) => c.value);
    for (const v of [...before, ...after]) expect(values.filter((x) => x === v)).toHaveLength(1);
    console.log(`inter-broker SASL_SSL: ${load.acked.length} kafkajs acks, ${before.length + after.length} kcat records, broker ${victim} killed then refused`);

    const logs = cluster.brokers.flatMap((b) => b.logs()).join('\n');
    for (const pw of Object.values(PASSWORDS)) expect(logs).not.toContain(pw);
  }, 420_000);
});
