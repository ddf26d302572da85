// Build buffers for producer batches, reused once a batch is acknowledged: a steady producer writes
// its records into the same few buffers instead of allocating (and collecting) one per batch.

export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    /** Size of every pooled buffer (the producer's batchBytes). */
    readonly bufferBytes: number,
    /** Free buffers kept; more are dropped for the GC. */
    private readonly maxFree = 16,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.bufferBytes);
  }

  release(buf: Buffer): void {
    if (buf.length === this.bufferBytes && this.free.length < this.maxFree) this.free.push(buf);
  }
}
