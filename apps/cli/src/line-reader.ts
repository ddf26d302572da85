// Splits a byte stream into records at a delimiter (default \n, with a trailing \r dropped),
// as bytes — never decoded, so any byte sequence other than the delimiter survives — yielding
// them in chunks so a producer can send many per call, and counting bytes consumed for progress.

export interface RecordChunk {
  records: Buffer[];
  /** Bytes of input consumed so far (including delimiters). */
  bytesRead: number;
}

export interface SplitOptions {
  delimiter?: Buffer;
  /** Drop one trailing \r per record (on for the default newline delimiter). */
  stripCR?: boolean;
}

const NL = Buffer.from('\n');

function trimCR(b: Buffer, strip: boolean): Buffer {
  return strip && b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
}

export async function* readRecords(stream: AsyncIterable<Buffer | string>, opts: SplitOptions = {}, maxChunk = 1000): AsyncGenerator<RecordChunk> {
  const delim = opts.delimiter ?? NL;
  if (delim.length === 0) throw new Error('the delimiter must not be empty');
  const strip = opts.stripCR ?? delim.equals(NL);
  let carry: Buffer = Buffer.alloc(0);
  let bytesRead = 0;
  let records: Buffer[] = [];
  for await (const piece of stream) {
    const buf = typeof piece === 'string' ? Buffer.from(piece) : piece;
    bytesRead += buf.length;
    const data = carry.length > 0 ? Buffer.concat([carry, buf]) : buf;
    let from = 0;
    for (let i = data.indexOf(delim, from); i >= 0; i = data.indexOf(delim, from)) {
      // Copy: the record outlives the chunk it came from (batched sends).
      records.push(Buffer.from(trimCR(data.subarray(from, i), strip)));
      from = i + delim.length;
      if (records.length >= maxChunk) {
        yield { records, bytesRead };
        records = [];
      }
    }
    carry = Buffer.from(data.subarray(from));
    if (records.length > 0) {
      yield { records, bytesRead };
      records = [];
    }
  }
  // A last record without a delimiter is still a message; an empty tail is not.
  if (carry.length > 0) records.push(trimCR(carry, strip));
  if (records.length > 0) yield { records, bytesRead };
}

/** Text lines (UTF-8), for callers that want strings. */
export async function* readLines(stream: AsyncIterable<Buffer | string>, maxChunk = 1000): AsyncGenerator<{ lines: string[]; bytesRead: number }> {
  for await (const c of readRecords(stream, {}, maxChunk)) yield { lines: c.records.map((r) => r.toString('utf8')), bytesRead: c.bytesRead };
}

/** A delimiter from the command line: \n \r \t \0 \\ and \xNN escapes. */
export function parseDelimiter(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i === s.length - 1) {
      out.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const n = s[++i]!;
    if (n === 'n') out.push(0x0a);
    else if (n === 'r') out.push(0x0d);
    else if (n === 't') out.push(0x09);
    else if (n === '0') out.push(0x00);
    else if (n === '\\') out.push(0x5c);
    else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`unknown escape \\${n} (use \\n \\r \\t \\0 \\\\ \\xNN)`);
  }
  if (out.length === 0) throw new Error('must not be empty');
  return Buffer.from(out);
}
