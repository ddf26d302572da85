// Acceptance (issue 4): `kcat -G` (librdkafka 2.0.2's balanced consumer) and two kafkajs members
// (child processes, using a "range" assigner compatible with librdkafka's) share one group: the
// six partitions are split 2/2/2 and every message is consumed once, by exactly one member.
// Static membership: a kcat with group.instance.id that is SIGKILLed and restarts takes its place
// back without a rebalance (the kafkajs member never rejoins) and keeps consuming its partitions.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killQuietly, waitForExit } from '../src/child-process';
import { KCAT } from '../src/kcat';
import { Ledger, MemberProcess, groupState, waitUntil } from './groups-members';

const TOPIC = 'mixed';
const GROUP = 'mixed-group';
const COUNT = 6_000;

describe('kcat -G with kafkajs members in one group', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let admin: Admin;
  let kcat: ChildProcess | undefined;
  const extraKcats: ChildProcess[] = [];
  const members: MemberProcess[] = [];

  beforeAll(async () => {
    broker = await startBroker({ groups: { initialRebalanceDelayMs: 300 } });
    admin = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }], waitForLeaders: true });
  });

  afterAll(async () => {
    if (kcat !== undefined) {
      killQuietly(kcat, 'SIGKILL');
      await waitForExit(kcat, 5_000);
    }
    for (const k of extraKcats) {
      killQuietly(k, 'SIGKILL');
      await waitForExit(k, 5_000);
    }
    for (const m of members) await m.kill();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('splits the partitions across kcat and kafkajs and consumes every message once', async () => {
    const bootstrap = `127.0.0.1:${broker.port}`;
    const ledger = new Ledger();
    for (const name of ['js-1', 'js-2']) members.push(MemberProcess.start(name, { bootstrap, topic: TOPIC, groupId: GROUP, assigner: 'range' }, ledger));
    await waitUntil('2 kafkajs members Stable', async () => {
      const g = await groupState(admin, GROUP);
      return g.state === 'Stable' && g.members === 2;
    }, 60_000);

    const kcatLines: { partition: number; offset: number; key: string }[] = [];
    kcat = spawn(
      KCAT,
      ['-b', bootstrap, '-G', GROUP, TOPIC, '-u', '-q', '-f', 'KCAT %p %o %k\\n', '-X', 'client.id=kcat-member', '-X', 'auto.offset.reset=earliest',
        '-X', 'partition.assignment.strategy=range'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let kcatStderr = '';
    kcat.stderr!.on('data', (b: Buffer) => (kcatStderr += b.toString()));
    createInterface({ input: kcat.stdout! }).on('line', (line) => {
      const m = /^KCAT (\d+) (\d+) (.*)$/.exec(line);
      if (m !== null) kcatLines.push({ partition: Number(m[1]), offset: Number(m[2]), key: m[3]! });
    });
    await waitUntil('kcat joined: 3 members Stable', async () => {
      const g = await groupState(admin, GROUP);
      return g.state === 'Stable' && g.members === 3 && g.clientIds.includes('kcat-member');
    }, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}; kcat stderr: ${kcatStderr}`);
    });
    const described = (await admin.describeGroups([GROUP])).groups[0]!;
    expect(described.protocol).toBe('range');

    const producer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    for (let i = 0; i < COUNT; i += 1_000) {
      await producer.send({ topic: TOPIC, messages: Array.from({ length: 1_000 }, (_, j) => ({ key: `k${i + j}`, value: String(i + j) })) });
    }
    await producer.disconnect();

    const all = () => ledger.processed.length + kcatLines.length;
    await waitUntil(`${COUNT} messages consumed`, () => all() >= COUNT, 90_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(all()).toBe(COUNT);
    const keys = new Set([...ledger.processed.map((p) => p.key), ...kcatLines.map((l) => l.key)]);
    expect(keys.size).toBe(COUNT);

    // Each partition was consumed by exactly one member: 2 partitions each.
    const owners = new Map<number, Set<string>>();
    const own = (p: number, m: string) => (owners.get(p) ?? owners.set(p, new Set()).get(p)!).add(m);
    for (const p of ledger.processed) own(p.partition, p.member);
    for (const l of kcatLines) own(l.partition, 'kcat');
    const perMember = new Map<string, number>();
    for (const [, set] of owners) {
      expect(set.size).toBe(1);
      const m = [...set][0]!;
      perMember.set(m, (perMember.get(m) ?? 0) + 1);
    }
    expect([...perMember.entries()].sort()).toEqual([['js-1', 2], ['js-2', 2], ['kcat', 2]]);
  });

  it('static membership: a restarted kcat with the same group.instance.id rejoins without a rebalance', async () => {
    const bootstrap = `127.0.0.1:${broker.port}`;
    const topic = 'static-topic';
    const group = 'static-group';
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const ledger = new Ledger();
    members.push(MemberProcess.start('js-static', { bootstrap, topic, groupId: group, assigner: 'range' }, ledger));
    const startKcat = () => {
      const lines: string[] = [];
      const child = spawn(
        KCAT,
        ['-b', bootstrap, '-G', group, topic, '-u', '-q', '-f', 'KCAT %p %o %k\\n', '-X', 'client.id=kcat-static', '-X', 'group.instance.id=kcat-1',
          '-X', 'session.timeout.ms=30000', '-X', 'auto.offset.reset=earliest', '-X', 'partition.assignment.strategy=range'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      extraKcats.push(child);
      createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
      return { child, lines };
    };
    const kcatMemberId = async () => (await admin.describeGroups([group])).groups[0]!.members.find((m) => m.clientId === 'kcat-static')?.memberId;

    const first = startKcat();
    await waitUntil('kcat + kafkajs Stable', async () => {
      const g = await groupState(admin, group);
      return g.state === 'Stable' && g.members === 2 && g.clientIds.includes('kcat-static');
    }, 90_000);
    const oldMemberId = await kcatMemberId();
    const joinsBefore = ledger.joins.get('js-static') ?? 0;
    expect(joinsBefore).toBeGreaterThan(0);

    killQuietly(first.child, 'SIGKILL');
    await waitForExit(first.child, 5_000);
    const second = startKcat();
    await waitUntil('the restarted kcat took over its static membership', async () => {
      const id = await kcatMemberId();
      return id !== undefined && id !== oldMemberId;
    }, 60_000);
    const g = await groupState(admin, group);
    expect(g).toMatchObject({ state: 'Stable', members: 2 });

    const producer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => ({ key: `s${i}`, value: String(i) })) });
    await producer.disconnect();
    await waitUntil('both members consumed', () => second.lines.length > 0 && ledger.processed.length > 0 && second.lines.length + ledger.processed.length >= 200, 60_000);
    // No rebalance happened: the kafkajs member joined no further generation.
    expect(ledger.joins.get('js-static')).toBe(joinsBefore);
    expect((await groupState(admin, group)).state).toBe('Stable');
  });
});
