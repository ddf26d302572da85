// A small coordinator for the runtime tests: a string map whose only change is a put record
// (value null = delete), with a serde onto real log records.
import type { CoordinatorRecordSerde, CoordinatorResult, CoordinatorShard, ShardContext } from '../src/index';

export interface Put {
  key: string;
  value: string | null;
}

export const putSerde: CoordinatorRecordSerde<Put> = {
  serialize: (r) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) }),
  deserialize(key, value) {
    const k = key.toString();
    if (k.startsWith('bad:')) throw new Error(`unreadable record ${k}`);
    return { key: k, value: value === null ? null : value.toString() };
  },
};

export class KvShard implements CoordinatorShard<Put> {
  readonly map = new Map<string, string>();
  readonly replayed: { key: string; offset: bigint }[] = [];
  loaded = false;
  unloaded = false;

  constructor(readonly ctx: ShardContext<KvShard, Put>) {}

  replay(r: Put, offset: bigint): void {
    this.replayed.push({ key: r.key, offset });
    if (r.value === null) this.map.delete(r.key);
    else this.map.set(r.key, r.value);
  }

  onLoaded(): void {
    this.loaded = true;
  }

  onUnloaded(): void {
    this.unloaded = true;
  }

  /** Compare-and-set: the operation reads the state every earlier operation left. */
  cas(key: string, expected: string | undefined, value: string): CoordinatorResult<Put, boolean> {
    if (this.map.get(key) !== expected) return { records: [], response: false };
    return { records: [{ key, value }], response: true };
  }
}
