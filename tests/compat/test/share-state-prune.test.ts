// __share_group_state is pruned (issue 13) and a broker SIGKILLed after pruning keeps the state: a
// real broker process (one state partition, a snapshot every 5 updates, a prune every 500 ms) and
// @kafkats/client share consumers as child processes. A holder takes 5 records (the per-member cap)
// and never acknowledges them; an acker accepts the other 395, 5 at a time (a state write per
// acquisition and per acceptance). The state topic's log start (ListOffsets earliest) moves. Injected: SIGKILL of the holder, then of the broker.
// On the same data dir the restarted broker replays the pruned log: a new member is given exactly
// the held records again (a higher delivery count) and the record produced after the restart,
// never one the acker accepted.
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { waitUntil } from './groups-members';
import { ShareHistory, ShareMemberProcess } from './share-members';

const N = 400;
const HELD = 5;
const ARGS = [
  '--override',
  'share.auto.offset.reset=earliest',
  '--override',
  'share.coordinator.state.topic.num.partitions=1',
  '--override',
  'share.coordinator.snapshot.update.records.per.snapshot=5',
  '--override',
  'share.coordinator.state.topic.prune.interval.ms=500',
  '--override',
  `mq.share.member.max.record.locks=${HELD}`,
];

async function stateOffsets(bootstrap: string): Promise<{ low: bigint; high: bigint }> {
  const admin = new Kafka({ clientId: 'prune-check', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [p] = await admin.fetchTopicOffsets('__share_group_state');
    return { low: BigInt(p!.low), high: BigInt(p!.high) };
  } finally {
    await admin.disconnect();
  }
}

async function produce(bootstrap: string, values: readonly string[], create: boolean): Promise<void> {
  const kafka = new Kafka({ clientId: 'prune-producer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  if (create) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'jobs', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'jobs', acks: -1, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

describe('__share_group_state pruning across a broker SIGKILL', () => {
  const members: ShareMemberProcess[] = [];
  let broker: BrokerProcess | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    for (const m of members.splice(0)) await m.kill();
    await broker?.kill();
    broker = undefined;
    await removeDir(dataDir);
  });

  it('the log start of the state topic advances; after a SIGKILL the held records come back and no accepted one does', async () => {
    dataDir = await makeTempDir('share-prune');
    broker = await BrokerProcess.start({ dataDir, extraArgs: ARGS });
    await produce(broker.bootstrap, Array.from({ length: N }, (_, i) => String(i)), true);
    const history = new ShareHistory();
    const args = { bootstrap: broker.bootstrap, topic: 'jobs', groupId: 'workers' };
    const holder = ShareMemberProcess.start('holder', { ...args, mode: 'hold' }, history);
    members.push(holder);
    await waitUntil(`the holder holds ${HELD} records`, () => history.deliveries.length === HELD || history.crashes.length > 0, 120_000);
    members.push(ShareMemberProcess.start('acker', args, history));
    await waitUntil('the acker accepted the rest', () => history.accepted.size === N - HELD || history.crashes.length > 0, 300_000);
    expect(history.crashes).toEqual([]);
    // Every acquisition and acceptance was a state write; the prunes deleted all but the latest snapshots' tail.
    let offsets = await stateOffsets(broker.bootstrap);
    await waitUntil(
      'the state topic pruned',
      async () => {
        offsets = await stateOffsets(broker!.bootstrap);
        return offsets.low > 0n && offsets.high - offsets.low <= 20n;
      },
      60_000,
    );
    expect(offsets.high).toBeGreaterThan(100n);
    const held = new Set(history.deliveries.filter((d) => d.member === 'holder').map((d) => d.offset));
    const accepted = new Set(history.accepted.keys());
    expect(held.size).toBe(HELD);
    for (const o of held) expect(accepted.has(o)).toBe(false);

    for (const m of members.splice(0)) await m.kill();
    await broker.kill();
    broker = await BrokerProcess.start({ dataDir, extraArgs: ARGS });
    const after = await stateOffsets(broker.bootstrap);
    expect(after.low).toBeGreaterThanOrEqual(offsets.low);
    await produce(broker.bootstrap, ['after-restart'], false);
    members.push(ShareMemberProcess.start('rescuer', { ...args, bootstrap: broker.bootstrap }, history));
    // The record produced after the restart is delivered after every held one (offset order).
    await waitUntil('the rescuer accepted the held records and the new one', () => history.accepted.has(N) || history.crashes.length > 0, 120_000);
    await waitUntil('the rescuer accepted every held record', () => [...held].every((o) => history.accepted.has(o)) || history.crashes.length > 0, 60_000);
    expect(history.crashes).toEqual([]);
    const rescued = history.deliveries.filter((d) => d.member === 'rescuer');
    expect(rescued.map((d) => d.offset).sort((a, b) => a - b)).toEqual([...held, N].sort((a, b) => a - b));
    for (const d of rescued) {
      if (d.offset === N) expect(d.deliveryCount).toBe(1);
      else expect(d.deliveryCount, `offset ${d.offset}`).toBeGreaterThan(history.deliveries.find((x) => x.member === 'holder' && x.offset === d.offset)!.deliveryCount);
    }
  }, 600_000);
});
