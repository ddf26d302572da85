// Hand-built DescribeClientQuotas / AlterClientQuotas v0 frames and their response parsers, and the
// throttle_time_ms of Produce v7 / Fetch v8 responses — byte by byte, so the broker's own codec
// cannot vouch for itself.
import { requestFrame } from './kafka-frames';
import { int16, int32, str } from './wire-bytes';

export interface WireEntity {
  readonly entityType: string;
  readonly entityName: string | null;
}

export interface WireOp {
  readonly key: string;
  readonly value: number;
  readonly remove?: boolean;
}

function nullableStr(s: string | null): Buffer {
  return s === null ? int16(-1) : str(s);
}

function float64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b;
}

function array<T>(items: readonly T[], each: (t: T) => Buffer): Buffer {
  return Buffer.concat([int32(items.length), ...items.map(each)]);
}

const entityBytes = (e: WireEntity) => Buffer.concat([str(e.entityType), nullableStr(e.entityName)]);

/** AlterClientQuotas v0: [entries => [entity] [ops => key value:float64 remove]] validate_only. */
export function alterClientQuotasV0(correlationId: number, entries: readonly { entity: readonly WireEntity[]; ops: readonly WireOp[] }[], validateOnly: boolean): Buffer {
  const body = Buffer.concat([
    array(entries, (e) =>
      Buffer.concat([array(e.entity, entityBytes), array(e.ops, (o) => Buffer.concat([str(o.key), float64(o.value), Buffer.from([o.remove === true ? 1 : 0])]))]),
    ),
    Buffer.from([validateOnly ? 1 : 0]),
  ]);
  return requestFrame(49, 0, correlationId, body, 'quota-admin');
}

/** DescribeClientQuotas v0: [components => entity_type match_type:int8 match(nullable)] strict. */
export function describeClientQuotasV0(correlationId: number, components: readonly { entityType: string; matchType: number; match: string | null }[], strict: boolean): Buffer {
  const body = Buffer.concat([
    array(components, (c) => Buffer.concat([str(c.entityType), Buffer.from([c.matchType]), nullableStr(c.match)])),
    Buffer.from([strict ? 1 : 0]),
  ]);
  return requestFrame(48, 0, correlationId, body, 'quota-admin');
}

class Cursor {
  at = 4; // after the correlation id
  constructor(private readonly b: Buffer) {}
  int8(): number {
    return this.b.readInt8(this.at++);
  }
  int16(): number {
    const v = this.b.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32(): number {
    const v = this.b.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  float64(): number {
    const v = this.b.readDoubleBE(this.at);
    this.at += 8;
    return v;
  }
  string(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    const s = this.b.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }
  array<T>(each: () => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    return Array.from({ length: n }, each);
  }
  get done(): boolean {
    return this.at === this.b.length;
  }
}

export interface AlterResult {
  readonly throttleTimeMs: number;
  readonly entries: { errorCode: number; errorMessage: string | null; entity: WireEntity[] }[];
}

export function parseAlterClientQuotasV0(frame: Buffer): AlterResult {
  const c = new Cursor(frame);
  const throttleTimeMs = c.int32();
  const entries = c.array(() => ({
    errorCode: c.int16(),
    errorMessage: c.string(),
    entity: c.array(() => ({ entityType: c.string()!, entityName: c.string() }))!,
  }))!;
  if (!c.done) throw new Error('bytes left after an AlterClientQuotas v0 response');
  return { throttleTimeMs, entries };
}

export interface DescribeResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly entries: { entity: WireEntity[]; values: Record<string, number> }[] | null;
}

export function parseDescribeClientQuotasV0(frame: Buffer): DescribeResult {
  const c = new Cursor(frame);
  c.int32(); // throttle_time_ms
  const errorCode = c.int16();
  const errorMessage = c.string();
  const entries = c.array(() => ({
    entity: c.array(() => ({ entityType: c.string()!, entityName: c.string() }))!,
    values: Object.fromEntries(c.array(() => [c.string()!, c.float64()] as const)!),
  }));
  if (!c.done) throw new Error('bytes left after a DescribeClientQuotas v0 response');
  return { errorCode, errorMessage, entries };
}

/** Produce v7 response: throttle_time_ms is the last field. */
export function produceV7ThrottleMs(frame: Buffer): number {
  return frame.readInt32BE(frame.length - 4);
}

/** Fetch v7-v11 response: throttle_time_ms, error_code, session_id, then the topic count. */
export function fetchV8ThrottleAndTopics(frame: Buffer): { throttleTimeMs: number; topics: number } {
  return { throttleTimeMs: frame.readInt32BE(4), topics: frame.readInt32BE(4 + 4 + 2 + 4) };
}
