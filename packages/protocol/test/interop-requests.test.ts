// Requests built by @platformatic/kafka 2.12.1 for the group and admin APIs, at every version it
// implements inside our schema's range, decode with our schemas to the last byte with the values
// it was given — the request-side counterpart of interop-responses.test.ts.
import * as pk from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { Reader, apiSchema, messageCodec } from '../src/index';

type PkModule = { createRequest(...args: unknown[]): { buffer: Buffer } };
const modules = pk as unknown as Record<string, PkModule | undefined>;

interface Case {
  readonly module: string;
  readonly apiKey: number;
  readonly args: unknown[];
  /** Top-level fields that must decode to these values. */
  readonly expect: Record<string, unknown>;
}

const G = 'group-1';
const cases: Case[] = [
  { module: 'findCoordinator', apiKey: 10, args: [0, [G]], expect: {} },
  {
    module: 'joinGroup',
    apiKey: 11,
    args: [G, 30000, 60000, 'm-1', null, 'consumer', [{ name: 'range', metadata: Buffer.from('meta') }], null],
    expect: { groupId: G, sessionTimeoutMs: 30000, memberId: 'm-1', protocolType: 'consumer' },
  },
  { module: 'heartbeat', apiKey: 12, args: [G, 3, 'm-1', null], expect: { groupId: G, generationId: 3, memberId: 'm-1' } },
  { module: 'leaveGroup', apiKey: 13, args: [G, [{ memberId: 'm-1', groupInstanceId: null }]], expect: { groupId: G } },
  {
    module: 'syncGroup',
    apiKey: 14,
    args: [G, 3, 'm-1', null, 'consumer', 'range', [{ memberId: 'm-1', assignment: Buffer.from('a') }]],
    expect: { groupId: G, generationId: 3, memberId: 'm-1' },
  },
  {
    module: 'offsetCommit',
    apiKey: 8,
    args: [G, 3, 'm-1', null, [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: null }] }]],
    expect: { groupId: G },
  },
  { module: 'offsetFetch', apiKey: 9, args: [[{ groupId: G, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0, 1] }] }], false], expect: {} },
  { module: 'describeGroups', apiKey: 15, args: [[G], false], expect: { groups: [G] } },
  { module: 'listGroups', apiKey: 16, args: [[], []], expect: {} },
  { module: 'deleteGroups', apiKey: 42, args: [[G]], expect: { groupsNames: [G] } },
  {
    module: 'createTopics',
    apiKey: 19,
    args: [[{ name: 't', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }], 5000, false],
    expect: { timeoutMs: 5000 },
  },
  { module: 'deleteTopics', apiKey: 20, args: [[{ name: 't' }], 5000], expect: { timeoutMs: 5000 } },
  { module: 'createPartitions', apiKey: 37, args: [[{ name: 't', count: 6, assignments: null }], 5000, false], expect: { timeoutMs: 5000 } },
  { module: 'describeConfigs', apiKey: 32, args: [[{ resourceType: 2, resourceName: 't', configurationKeys: null }], false, false], expect: {} },
  { module: 'deleteRecords', apiKey: 21, args: [[{ name: 't', partitions: [{ partitionIndex: 0, offset: 10n }] }], 5000], expect: { timeoutMs: 5000 } },
  { module: 'describeCluster', apiKey: 60, args: [false, 1], expect: {} },
  {
    module: 'consumerGroupHeartbeat',
    apiKey: 68,
    args: [G, 'm-1', 0, null, null, 60000, ['t'], null, null, []],
    expect: { groupId: G, memberId: 'm-1', rebalanceTimeoutMs: 60000 },
  },
];

const rows: [string, Case, number][] = [];
for (const c of cases) {
  const api = apiSchema(c.apiKey)!;
  for (let v = api.minVersion; v <= api.maxVersion; v++) {
    if (modules[`${c.module}V${v}`]?.createRequest) rows.push([`${api.name} v${v}`, c, v]);
  }
}

describe('@platformatic/kafka requests decode with our schemas', () => {
  it('covers every listed API', () => {
    expect(new Set(rows.map(([, c]) => c.module)).size).toBe(cases.length);
  });

  it.each(rows)('%s', (_name, c, v) => {
    const { buffer } = modules[`${c.module}V${v}`]!.createRequest(...c.args);
    const r = new Reader(buffer);
    const req = messageCodec(apiSchema(c.apiKey)!.schema, 'request', v).decode(r) as Record<string, unknown>;
    expect(r.remaining).toBe(0);
    for (const [k, value] of Object.entries(c.expect)) expect(req[k], k).toEqual(value);
  });
});
