// Codec microbenchmark: Produce request decode and Fetch response encode through the public API,
// printing ops/s. Run with `pnpm --filter @mq/protocol bench`.
import {
  ApiKey,
  decodeRequestBody,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type FetchResponse,
} from '../src/index';

function measure(name: string, fn: () => unknown, minMs = 1500): void {
  for (let i = 0; i < 2000; i++) fn(); // warm up (compile codecs, let V8 optimise)
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1000; i++) fn();
    ops += 1000;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const perSec = (ops / elapsed) * 1000;
  console.log(`${name.padEnd(58)} ${Math.round(perSec).toLocaleString('en-US').padStart(12)} ops/s  ${((elapsed * 1e6) / ops).toFixed(0).padStart(6)} ns/op`);
}

const batch = Buffer.alloc(16 * 1024, 7);

function produceFrame(version: number, topics: number, partitions: number): Buffer {
  const topicData = Array.from({ length: topics }, (_, t) => ({
    name: `topic-${t}`,
    partitionData: Array.from({ length: partitions }, (_, p) => ({ index: p, records: batch })),
  }));
  return encodeRequest(ApiKey.Produce, version, { correlationId: 1, clientId: 'bench' }, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData }).subarray(4);
}

for (const [version, topics, partitions] of [
  [3, 1, 1],
  [9, 1, 1],
  [9, 4, 8],
] as const) {
  const frame = produceFrame(version, topics, partitions);
  measure(`Produce v${version} request decode (${topics}x${partitions} partitions, 16 KiB batches)`, () => {
    const h = decodeRequestHeader(frame);
    return decodeRequestBody(ApiKey.Produce, h.apiVersion, frame, h.bodyOffset);
  });
}

const chunk = Buffer.alloc(1024 * 1024, 3);
for (const [version, partitions] of [
  [11, 1],
  [12, 1],
  [12, 16],
] as const) {
  const body = {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: 'bench',
        partitions: Array.from({ length: partitions }, (_, p) => ({
          partitionIndex: p,
          errorCode: 0,
          highWatermark: 1_000_000n,
          lastStableOffset: 1_000_000n,
          logStartOffset: 0n,
          abortedTransactions: null,
          records: [chunk, chunk],
        })),
      },
    ],
  };
  measure(`Fetch v${version} response encode (${partitions} partitions, 2x1 MiB records by ref)`, () => encodeResponse(ApiKey.Fetch, version, 1, body));
}

const metaFrame = Buffer.concat(
  encodeResponse(ApiKey.Metadata, 12, 1, {
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    clusterId: 'c',
    controllerId: 1,
    topics: Array.from({ length: 20 }, (_, t) => ({
      errorCode: 0,
      name: `topic-${t}`,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      partitions: Array.from({ length: 8 }, (_, p) => ({ errorCode: 0, partitionIndex: p, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] })),
    })),
  }),
).subarray(4);
measure('Metadata v12 response decode (20 topics x 8 partitions)', () => decodeResponse(ApiKey.Metadata, 12, metaFrame));

// Keep the type import honest: the bench decodes what clients decode.
const sample: FetchResponse = decodeResponse(ApiKey.Fetch, 12, Buffer.concat(encodeResponse(ApiKey.Fetch, 12, 1, { responses: [] })).subarray(4)).body;
void sample;
