// Turns a consumed record into output: a --format template ({key} {value} {partition} {offset}
// {timestamp} {headers} {topic}, \t and \n escapes) or a JSON object for --output json/yaml.
// Templates are assembled as bytes, so utf8 keys/values reach stdout exactly as stored.
import type { ConsumerRecord } from '@mq/client';
import { type Encoding, encodeOutput } from './encoding';

const FIELDS = ['topic', 'partition', 'offset', 'timestamp', 'key', 'value', 'headers'] as const;

export interface RecordEncodings {
  key: Encoding;
  value: Encoding;
  /** Printed for a null key/value in templates (JSON output has a real null). */
  nullText: string;
}

export const DEFAULT_ENCODINGS: RecordEncodings = { key: 'utf8', value: 'utf8', nullText: '' };

/** Checks a template up front so a typo fails before anything is consumed. */
export function validateTemplate(template: string): string | undefined {
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(FIELDS as readonly string[]).includes(m[1]!)) return `unknown placeholder {${m[1]}} (use ${FIELDS.map((f) => `{${f}}`).join(' ')})`;
  }
  return undefined;
}

function bytes(b: Buffer | null, encoding: Encoding, nullText: string): Buffer {
  if (b === null) return Buffer.from(nullText, 'utf8');
  return encoding === 'utf8' || encoding === 'json' ? b : Buffer.from(encodeOutput(b, encoding), 'latin1');
}

function headersText(r: ConsumerRecord, nullText: string): string {
  return r.headers.map((h) => `${h.key}=${h.value === null ? nullText : h.value.toString('utf8')}`).join(',');
}

export function formatRecordBytes(r: ConsumerRecord, template: string, enc: RecordEncodings = DEFAULT_ENCODINGS): Buffer {
  const expanded = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of expanded.matchAll(/\{(topic|partition|offset|timestamp|key|value|headers)\}/g)) {
    parts.push(Buffer.from(expanded.slice(last, m.index), 'utf8'));
    last = m.index + m[0].length;
    switch (m[1]) {
      case 'topic':
        parts.push(Buffer.from(r.topic, 'utf8'));
        break;
      case 'partition':
        parts.push(Buffer.from(String(r.partition)));
        break;
      case 'offset':
        parts.push(Buffer.from(r.offset.toString()));
        break;
      case 'timestamp':
        parts.push(Buffer.from(r.timestamp.toString()));
        break;
      case 'key':
        parts.push(bytes(r.key, enc.key, enc.nullText));
        break;
      case 'value':
        parts.push(bytes(r.value, enc.value, enc.nullText));
        break;
      default:
        parts.push(Buffer.from(headersText(r, enc.nullText), 'utf8'));
    }
  }
  parts.push(Buffer.from(expanded.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

export function formatRecord(r: ConsumerRecord, template: string, enc: RecordEncodings = DEFAULT_ENCODINGS): string {
  return formatRecordBytes(r, template, enc).toString('utf8');
}

function jsonField(b: Buffer | null, encoding: Encoding): unknown {
  if (b === null) return null;
  if (encoding === 'json') {
    try {
      return JSON.parse(b.toString('utf8'));
    } catch {
      // Not JSON after all: the text itself, so nothing is dropped.
      return b.toString('utf8');
    }
  }
  return encodeOutput(b, encoding);
}

/**
 * JSON-safe record: offsets/timestamps as strings (exact); key/value in their encoding, null kept
 * apart from empty; headers as a list, so a repeated key keeps every value in order.
 */
export function recordToJson(r: ConsumerRecord, enc: RecordEncodings = DEFAULT_ENCODINGS): Record<string, unknown> {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset.toString(),
    timestamp: r.timestamp.toString(),
    key: jsonField(r.key, enc.key),
    value: jsonField(r.value, enc.value),
    headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString('utf8') })),
  };
}
