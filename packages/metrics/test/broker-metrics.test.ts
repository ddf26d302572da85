// BrokerMetrics on its own: record counting from batch headers, the error-code walk, request
// and per-topic counters, and gauges sampled from sources at scrape time (deleted partitions drop out).
import { describe, expect, it } from 'vitest';
import { BrokerMetrics, type ClientQuotaUse, type LeaderStats, countRecords, forEachErrorCode, type PartitionStats, type ReplicationUse, type ShareInFlight } from '../src/index';

/** A RecordBatch v2 header (61 bytes) plus `payload` bytes, with recordsCount set. */
function batch(records: number, payload = 10, magic = 2): Buffer {
  const b = Buffer.alloc(61 + payload);
  b.writeBigInt64BE(0n, 0);
  b.writeInt32BE(b.length - 12, 8);
  b[16] = magic;
  b.writeInt32BE(records, 57);
  return b;
}

/** `name{labels} value` lines with labels sorted, so a check does not depend on label order. */
function normalized(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^([^{ ]+)(?:\{(.*)\})? (.*)$/.exec(l);
      if (m === null) return l;
      const labels = (m[2] ?? '').split(/,(?=[a-z_]+=")/).filter((x) => x !== '').sort();
      return `${m[1]}{${labels.join(',')}} ${m[3]}`;
    });
}

function expectSeries(text: string, expected: string): void {
  expect(normalized(text)).toContain(normalized(expected)[0]);
}

describe('countRecords', () => {
  it('sums recordsCount over whole batches and ignores a trailing partial batch', () => {
    const whole = Buffer.concat([batch(3), batch(5, 0), batch(7, 100)]);
    expect(countRecords(whole)).toBe(15);
    expect(countRecords(Buffer.concat([whole, batch(9).subarray(0, 40)]))).toBe(15);
    expect(countRecords(Buffer.concat([whole, batch(9).subarray(0, 65)]))).toBe(15);
    expect(countRecords(Buffer.alloc(0))).toBe(0);
    expect(countRecords(batch(4, 10, 1))).toBe(0); // not magic 2: not counted
  });
});

describe('forEachErrorCode', () => {
  it('visits non-zero error codes at every depth, never inside Buffers', () => {
    const seen: number[] = [];
    forEachErrorCode(
      { errorCode: 0, topics: [{ errorCode: 3, partitions: [{ errorCode: 0 }, { errorCode: 6, records: Buffer.from([1]) }] }], throttleTimeMs: 0 },
      (c) => seen.push(c),
    );
    expect(seen).toEqual([3, 6]);
    forEachErrorCode(Symbol('none'), () => seen.push(-1));
    expect(seen).toEqual([3, 6]);
  });
});

describe('BrokerMetrics', () => {
  function make(partitions: PartitionStats[], led: LeaderStats[] = [], offline = 0, inFlight: ShareInFlight[] = [], quotas: ClientQuotaUse[] = [], replication?: () => ReplicationUse | undefined) {
    return new BrokerMetrics({
      defaultMetrics: false,
      labels: { node_id: '7' },
      names: { apiName: (k) => (k === 0 ? 'Produce' : `Api${k}`), errorName: (c) => `E${c}`, topicNameOf: (id) => (id === 'ID' ? 'by-id' : undefined) },
      sources: {
        connections: () => 3,
        rejectedConnections: () => 1,
        listenerConnections: () => [{ listener: 'CLIENT', open: 2, rejected: 5 }],
        fetchPurgatorySize: () => 2,
        partitions: () => partitions,
        groupLag: () => [{ group: 'g', topic: 't', partition: 0, lag: 9n }],
        ledPartitions: () => led,
        offlinePartitions: () => offline,
        dataDirSpace: async () => ({ freeBytes: 25, capacityBytes: 100 }),
        shareInFlight: () => inFlight,
        deadLetterDepths: () => [{ topic: 'jobs.dlq', records: 4 }],
        delayedPending: () => 6,
        priorityLaneDepths: async () => [{ group: 'w', topic: 'jobs', partition: 0, available: [1, 0, 4, 0, 2] }],
        clientQuotas: () => quotas,
        replication: replication ?? (() => undefined),
      },
    });
  }

  it('counts requests, latency, errors, produce pending, bytes and records in and out', async () => {
    const m = make([]);
    const done = m.requestStarted(0, 9, true);
    expectSeries(await m.metrics(), 'mq_produce_purgatory_size{node_id="7"} 1');
    done({ responses: [{ partitions: [{ errorCode: 3 }] }] }, false);
    m.requestStarted(1, 4, false)(undefined, true);
    m.appended('t', 100, 4);
    m.fetched([{ topic: 't', partitions: [{ records: Buffer.concat([batch(2), batch(3)]) }, { records: null }] }, { topicId: 'ID', partitions: [{ records: batch(1) }] }, { topicId: 'gone', partitions: [{ records: batch(1) }] }]);
    const text = await m.metrics();
    for (const line of [
      'mq_requests_total{api="Produce",version="9",node_id="7"} 1',
      'mq_request_duration_seconds_count{api="Produce",version="9",node_id="7"} 1',
      'mq_request_errors_total{api="Produce",error="E3",node_id="7"} 1',
      'mq_request_failures_total{api="Api1",node_id="7"} 1',
      'mq_produce_purgatory_size{node_id="7"} 0',
      'mq_topic_bytes_in_total{topic="t",node_id="7"} 100',
      'mq_topic_messages_in_total{topic="t",node_id="7"} 4',
      'mq_topic_bytes_out_total{topic="t",node_id="7"} 142',
      'mq_topic_messages_out_total{topic="t",node_id="7"} 5',
      'mq_topic_messages_out_total{topic="by-id",node_id="7"} 1',
      'mq_connections{node_id="7"} 3',
      'mq_connections_rejected{node_id="7"} 1',
      'mq_listener_connections{listener="CLIENT",node_id="7"} 2',
      'mq_listener_connections_rejected{listener="CLIENT",node_id="7"} 5',
      'mq_fetch_purgatory_size{node_id="7"} 2',
      'mq_consumer_group_lag{group="g",topic="t",partition="0",node_id="7"} 9',
    ]) {
      expectSeries(text, line);
    }
    expect(text).not.toContain('topic="gone"');
  });

  it('samples client quota throttles and each measured entity beside its quota', async () => {
    const quotas: ClientQuotaUse[] = [
      { quota: 'producer_byte_rate', throttledRequests: 3, throttleTimeMs: 2500, sensors: [{ user: 'alice', clientId: '', limit: 1000, rate: 1500 }] },
      { quota: 'consumer_byte_rate', throttledRequests: 0, throttleTimeMs: 0, sensors: [] },
    ];
    const m = make([], [], 0, [], quotas);
    let text = await m.metrics();
    expectSeries(text, 'mq_quota_throttled_requests_total{quota="producer_byte_rate",node_id="7"} 3');
    expectSeries(text, 'mq_quota_throttle_time_seconds_total{quota="producer_byte_rate",node_id="7"} 2.5');
    expectSeries(text, 'mq_quota_throttled_requests_total{quota="consumer_byte_rate",node_id="7"} 0');
    expectSeries(text, 'mq_quota_rate{quota="producer_byte_rate",user="alice",client_id="",node_id="7"} 1500');
    expectSeries(text, 'mq_quota_limit{quota="producer_byte_rate",user="alice",client_id="",node_id="7"} 1000');
    // An expired sensor leaves the scrape.
    quotas[0] = { ...quotas[0]!, sensors: [] };
    text = await m.metrics();
    expect(text).not.toContain('user="alice"');
  });

  it('replication: bytes in and out, ISR changes, each quota side (no limit series while unlimited), follower lag', async () => {
    let lag = [{ topic: 't', partition: 2, replica: 3, lagRecords: 40n, lagMs: 1500 }];
    const m = make([], [], 0, [], [], () => ({
      bytesOut: 1000,
      bytesIn: 200,
      isrShrinks: 2,
      isrExpands: 1,
      throttles: [
        { side: 'leader', throttledBytes: 700, throttleTimeMs: 2500, rate: 64, limit: 65536 },
        { side: 'follower', throttledBytes: 0, throttleTimeMs: 0, rate: 0, limit: undefined },
      ],
      followerLag: lag,
    }));
    let text = await m.metrics();
    for (const line of [
      'mq_replication_bytes_out_total{node_id="7"} 1000',
      'mq_replication_bytes_in_total{node_id="7"} 200',
      'mq_isr_shrinks_total{node_id="7"} 2',
      'mq_isr_expands_total{node_id="7"} 1',
      'mq_replication_throttled_bytes_total{side="leader",node_id="7"} 700',
      'mq_replication_throttle_time_seconds_total{side="leader",node_id="7"} 2.5',
      'mq_replication_throttle_rate_bytes{side="leader",node_id="7"} 64',
      'mq_replication_throttle_limit_bytes{side="leader",node_id="7"} 65536',
      'mq_replication_throttled_bytes_total{side="follower",node_id="7"} 0',
      'mq_replica_lag_records{topic="t",partition="2",replica="3",node_id="7"} 40',
      'mq_replica_lag_seconds{topic="t",partition="2",replica="3",node_id="7"} 1.5',
    ]) {
      expectSeries(text, line);
    }
    expect(text).not.toContain('mq_replication_throttle_limit_bytes{side="follower"');
    // A partition no longer led here drops out of the lag gauges.
    lag = [];
    text = await m.metrics();
    expect(text).not.toContain('mq_replica_lag_records{');
    expect(text).not.toContain('mq_replica_lag_seconds{');
  });

  it('samples partition gauges at scrape time; a deleted partition drops out', async () => {
    const parts: PartitionStats[] = [
      { topic: 'a', partition: 0, sizeBytes: 500, segments: 2, logStartOffset: 3n, logEndOffset: 10n, highWatermark: 10n },
      { topic: 'a', partition: 1, sizeBytes: 0, segments: 1, logStartOffset: 0n, logEndOffset: 0n, highWatermark: 0n },
    ];
    const m = make(parts);
    let text = await m.metrics();
    expectSeries(text, 'mq_partitions{node_id="7"} 2');
    expectSeries(text, 'mq_log_size_bytes{topic="a",partition="0",node_id="7"} 500');
    expectSeries(text, 'mq_log_segments{topic="a",partition="0",node_id="7"} 2');
    expectSeries(text, 'mq_log_start_offset{topic="a",partition="0",node_id="7"} 3');
    expectSeries(text, 'mq_high_watermark{topic="a",partition="0",node_id="7"} 10');
    parts.pop();
    text = await m.metrics();
    expectSeries(text, 'mq_partitions{node_id="7"} 1');
    expect(text).not.toContain('partition="1"');
  });

  it('fsync latency as a histogram; replica gauges of led partitions, under-replicated and offline counts', async () => {
    const led: LeaderStats[] = [
      { topic: 'r', partition: 0, replicas: 3, isr: 3 },
      { topic: 'r', partition: 1, replicas: 3, isr: 1 },
    ];
    const m = make([], led, 2);
    m.fsyncObserved(0.0002);
    m.fsyncObserved(0.03);
    let text = await m.metrics();
    for (const line of [
      'mq_log_fsync_duration_seconds_bucket{le="0.00025",node_id="7"} 1',
      'mq_log_fsync_duration_seconds_bucket{le="0.05",node_id="7"} 2',
      'mq_log_fsync_duration_seconds_count{node_id="7"} 2',
      'mq_leader_partitions{node_id="7"} 2',
      'mq_partition_replicas{topic="r",partition="1",node_id="7"} 3',
      'mq_partition_isr_size{topic="r",partition="1",node_id="7"} 1',
      'mq_under_replicated_partitions{node_id="7"} 1',
      'mq_offline_partitions{node_id="7"} 2',
      'mq_data_dir_free_bytes{node_id="7"} 25',
      'mq_data_dir_capacity_bytes{node_id="7"} 100',
    ]) {
      expectSeries(text, line);
    }
    led[1] = { topic: 'r', partition: 1, replicas: 3, isr: 3 }; // caught up
    led.shift(); // leadership of r-0 moved away
    text = await m.metrics();
    expectSeries(text, 'mq_under_replicated_partitions{node_id="7"} 0');
    expect(text).not.toContain('mq_partition_isr_size{topic="r",partition="0"');
  });

  it('queues: share-group counters per group and topic, in-flight per share-partition (dropped when unloaded), DLQ depth, delayed pending and lateness', async () => {
    const inFlight: ShareInFlight[] = [{ group: 'w', topic: 'jobs', partition: 0, records: 3 }];
    const m = make([], [], 0, inFlight);
    m.queues.acquired('w', 'jobs', 5);
    m.queues.acknowledged('w', 'jobs', 'accept', 2);
    m.queues.acknowledged('w', 'jobs', 'reject', 1);
    m.queues.released('w', 'jobs', 'lock_timeout', 2);
    m.queues.archived('w', 'jobs', 'rejected', 1);
    m.queues.deadLettered('w', 'jobs', 1);
    m.queues.delayedDelivered('later', 3);
    m.queues.delayedDelivered('later', 700);
    m.queues.delayedDelivered('later', -5); // the clock stepped back: counted as on time
    let text = await m.metrics();
    for (const line of [
      'mq_share_records_acquired_total{group="w",topic="jobs",node_id="7"} 5',
      'mq_share_records_acknowledged_total{group="w",topic="jobs",type="accept",node_id="7"} 2',
      'mq_share_records_acknowledged_total{group="w",topic="jobs",type="reject",node_id="7"} 1',
      'mq_share_records_released_total{group="w",topic="jobs",reason="lock_timeout",node_id="7"} 2',
      'mq_share_records_archived_total{group="w",topic="jobs",reason="rejected",node_id="7"} 1',
      'mq_share_records_dead_lettered_total{group="w",topic="jobs",node_id="7"} 1',
      'mq_share_records_in_flight{group="w",topic="jobs",partition="0",node_id="7"} 3',
      'mq_dlq_records{topic="jobs.dlq",node_id="7"} 4',
      'mq_share_priority_lane_records{group="w",topic="jobs",partition="0",lane="0",node_id="7"} 1',
      'mq_share_priority_lane_records{group="w",topic="jobs",partition="0",lane="2",node_id="7"} 4',
      'mq_share_priority_lane_records{group="w",topic="jobs",partition="0",lane="4",node_id="7"} 2',
      'mq_delayed_messages{node_id="7"} 6',
      'mq_delayed_messages_delivered_total{topic="later",node_id="7"} 3',
      'mq_delayed_delivery_lateness_seconds_bucket{le="0.005",node_id="7"} 2',
      'mq_delayed_delivery_lateness_seconds_bucket{le="1",node_id="7"} 3',
      'mq_delayed_delivery_lateness_seconds_count{node_id="7"} 3',
    ]) {
      expectSeries(text, line);
    }
    inFlight.pop();
    text = await m.metrics();
    expect(text).not.toContain('mq_share_records_in_flight{');
  });
});
