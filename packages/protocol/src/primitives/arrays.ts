// Classic (non-flexible) int32-length arrays written and read item by item, for the hand-coded
// formats outside the schema codec: the consumer protocol and the internal topics' records.
import type { Reader } from './reader';
import type { Writer } from './writer';

export function writeArray<T>(w: Writer, items: readonly T[], each: (item: T) => void): void {
  w.arrayLength(items.length);
  for (const item of items) each(item);
}

/** A null array (-1) reads as empty, as Kafka's consumer protocol treats it. */
export function readArray<T>(r: Reader, each: () => T): T[] {
  const n = r.arrayLength();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(each());
  return out;
}
