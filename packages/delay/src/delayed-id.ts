// A delayed message's id: `<delay-topic partition>-<offset of its record there>`, e.g. `2-1041`.
// Offsets are never reused, so neither is an id.

export function delayedId(storePartition: number, offset: number): string {
  return `${storePartition}-${offset}`;
}

/** The parts of an id, or undefined for a string that is not one. */
export function parseDelayedId(id: string): { storePartition: number; offset: number } | undefined {
  const m = /^(\d{1,9})-(\d{1,16})$/.exec(id);
  if (m === null) return undefined;
  return { storePartition: Number(m[1]), offset: Number(m[2]) };
}
