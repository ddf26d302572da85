// Turns a consumed record into output: a --format template ({key} {value} {partition} {offset}
// {timestamp} {headers} {topic}, \t and \n escapes) or a JSON object for --output json/yaml.
import type { ConsumerRecord } from '@mq/client';

const FIELDS = ['topic', 'partition', 'offset', 'timestamp', 'key', 'value', 'headers'] as const;

function text(b: Buffer | null): string {
  return b === null ? '' : b.toString('utf8');
}

function headersText(r: ConsumerRecord): string {
  return r.headers.map((h) => `${h.key}=${text(h.value)}`).join(',');
}

/** Checks a template up front so a typo fails before anything is consumed. */
export function validateTemplate(template: string): string | undefined {
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(FIELDS as readonly string[]).includes(m[1]!)) return `unknown placeholder {${m[1]}} (use ${FIELDS.map((f) => `{${f}}`).join(' ')})`;
  }
  return undefined;
}

export function formatRecord(r: ConsumerRecord, template: string): string {
  const expanded = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return expanded.replace(/\{(topic|partition|offset|timestamp|key|value|headers)\}/g, (_, f: string) => {
    switch (f) {
      case 'topic':
        return r.topic;
      case 'partition':
        return String(r.partition);
      case 'offset':
        return r.offset.toString();
      case 'timestamp':
        return r.timestamp.toString();
      case 'key':
        return text(r.key);
      case 'value':
        return text(r.value);
      default:
        return headersText(r);
    }
  });
}

/** JSON-safe record: offsets/timestamps as strings (exact), keys/values as UTF-8 text. */
export function recordToJson(r: ConsumerRecord): Record<string, unknown> {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset.toString(),
    timestamp: r.timestamp.toString(),
    key: r.key === null ? null : text(r.key),
    value: r.value === null ? null : text(r.value),
    headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value === null ? null : text(h.value)])),
  };
}
