// The benches' append loop: `batches` copies of one batch appended with at most `inFlight` pending,
// as a pipelining producer keeps them.
import type { Partition } from '../src/index';

export async function appendPipelined(p: Partition, template: Buffer, batches: number, inFlight: number): Promise<void> {
  const pending = new Set<Promise<unknown>>();
  for (let i = 0; i < batches; i++) {
    // Each append stamps its batch in place, so every append gets its own copy (as every request does).
    const pr = p.append(Buffer.from(template)).finally(() => pending.delete(pr));
    pending.add(pr);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
}
