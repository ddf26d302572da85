// The history checker of the cluster tests: every acknowledged (partition, offset, value) must be
// read back exactly once, at its offset, with each partition's offsets strictly increasing (no
// duplicate, no reordering). Values that were sent but never acknowledged may appear at most once.
export interface Acked {
  readonly partition: number;
  readonly offset: bigint;
  readonly value: string;
}

export interface Consumed {
  readonly partition: number;
  readonly offset: bigint;
  readonly value: string;
}

/** Problems found, one line each (empty: the history holds). */
export function checkHistory(acked: readonly Acked[], consumed: readonly Consumed[]): string[] {
  const problems: string[] = [];
  const at = new Map<string, string>();
  const seen = new Map<string, number>();
  const lastOffset = new Map<number, bigint>();
  for (const c of consumed) {
    const prev = lastOffset.get(c.partition);
    if (prev !== undefined && c.offset <= prev) problems.push(`partition ${c.partition}: offset ${c.offset} read after ${prev} (out of order or duplicated)`);
    lastOffset.set(c.partition, c.offset);
    at.set(`${c.partition}/${c.offset}`, c.value);
    seen.set(c.value, (seen.get(c.value) ?? 0) + 1);
  }
  for (const a of acked) {
    const v = at.get(`${a.partition}/${a.offset}`);
    if (v === undefined) problems.push(`acknowledged ${a.value} at ${a.partition}/${a.offset} was not read back (lost)`);
    else if (v !== a.value) problems.push(`acknowledged ${a.value} at ${a.partition}/${a.offset}, read ${v} there`);
  }
  for (const [value, n] of seen) if (n > 1) problems.push(`${value} read ${n} times`);
  return problems;
}

/** Parses `kcat -f '%p %o %s\n'` output. */
export function parseHistory(text: string): Consumed[] {
  const out: Consumed[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+) (.*)$/.exec(line);
    if (m !== null) out.push({ partition: Number(m[1]), offset: BigInt(m[2]!), value: m[3]! });
  }
  return out;
}
