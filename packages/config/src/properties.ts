// Java's .properties format (Kafka's server.properties): `key=value`, `key: value` or `key value`;
// `#` / `!` comments; a trailing backslash continues the line; \t \n \uXXXX escapes. Pure text in,
// key → string out; the caller reads the file and types the values through the ConfigDefs.
import { ConfigValueError } from './config-value-error';

function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
  });
}

/** Joins continuation lines: a line ending in an odd number of backslashes goes on with the next. */
function logicalLines(text: string): { line: string; at: number }[] {
  const out: { line: string; at: number }[] = [];
  const physical = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i++) {
    const at = i + 1;
    let line = physical[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) {
      line = line.slice(0, -1) + physical[++i]!.replace(/^[ \t\f]+/, '');
    }
    out.push({ line, at });
  }
  return out;
}

/** Parses a .properties text; a later key replaces an earlier one, as java.util.Properties. */
export function parseProperties(text: string, source = 'properties'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { line, at } of logicalLines(text)) {
    const m = /^((?:\\.|[^\\=: \t\f])+)[ \t\f]*(?:[=:][ \t\f]*|[ \t\f]*)(.*)$/.exec(line);
    if (m === null) throw new ConfigValueError(source, `${source}:${at}: cannot read "${line}"`);
    out[unescapeJava(m[1]!)] = unescapeJava(m[2]!);
  }
  return out;
}
