// Splits a byte stream into lines (\n, with a trailing \r dropped), yielding them in chunks so a
// producer can send many per call, and counting bytes consumed for progress reporting.

export interface LineChunk {
  lines: string[];
  /** Bytes of input consumed so far (including newlines). */
  bytesRead: number;
}

export async function* readLines(stream: AsyncIterable<Buffer | string>, maxChunk = 1000): AsyncGenerator<LineChunk> {
  let carry = '';
  let bytesRead = 0;
  let lines: string[] = [];
  const decoder = new TextDecoder('utf-8');
  for await (const piece of stream) {
    const buf = typeof piece === 'string' ? Buffer.from(piece) : piece;
    bytesRead += buf.length;
    const text = carry + decoder.decode(buf, { stream: true });
    const parts = text.split('\n');
    carry = parts.pop()!;
    for (const p of parts) {
      lines.push(p.endsWith('\r') ? p.slice(0, -1) : p);
      if (lines.length >= maxChunk) {
        yield { lines, bytesRead };
        lines = [];
      }
    }
    if (lines.length > 0) {
      yield { lines, bytesRead };
      lines = [];
    }
  }
  carry += decoder.decode();
  // A last line without a newline is still a message; an empty tail is not.
  if (carry !== '') lines.push(carry.endsWith('\r') ? carry.slice(0, -1) : carry);
  if (lines.length > 0) yield { lines, bytesRead };
}
