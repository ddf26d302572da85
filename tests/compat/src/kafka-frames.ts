// Hand-built Kafka request frames (request header v1) for raw-socket tests. Written out byte by byte
// on purpose: the suite must not use the broker's own codec to judge the broker.

/** size | apiKey | apiVersion | correlationId | clientId (int16 string) | body */
export function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer = Buffer.alloc(0), clientId = 'compat'): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const header = Buffer.alloc(10 + id.length);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(id.length, 8);
  id.copy(header, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

export interface ApiVersionsV0 {
  readonly correlationId: number;
  readonly errorCode: number;
  readonly apis: Map<number, { min: number; max: number }>;
}

/** Parses an ApiVersions v0 response frame (without its size prefix). */
export function parseApiVersionsV0(frame: Buffer): ApiVersionsV0 {
  const correlationId = frame.readInt32BE(0);
  const errorCode = frame.readInt16BE(4);
  const n = frame.readInt32BE(6);
  const apis = new Map<number, { min: number; max: number }>();
  for (let i = 0, at = 10; i < n; i++, at += 6) {
    apis.set(frame.readInt16BE(at), { min: frame.readInt16BE(at + 2), max: frame.readInt16BE(at + 4) });
  }
  return { correlationId, errorCode, apis };
}

export const API_KEYS = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
} as const;
