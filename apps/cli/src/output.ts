// Renders command results as an aligned text table, JSON or YAML. bigint and Buffer values are
// turned into strings here so every format shows the same thing.
import { stringify as toYaml } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

export type Row = Record<string, unknown>;

/** JSON-safe copy: bigint → string (exact), Buffer → utf8 string, Map → object. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.map(cell).join(',');
  const plain = toPlain(value);
  return typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
}

/** An aligned table with an upper-case header row; columns default to the first row's keys. */
export function renderTable(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  if (cols.length === 0) return '';
  const matrix = [cols.map((c) => c.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()), ...rows.map((r) => cols.map((c) => cell(r[c])))];
  const widths = cols.map((_, i) => Math.max(...matrix.map((line) => line[i]!.length)));
  return matrix.map((line) => line.map((v, i) => (i === cols.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export interface Rendered {
  /** Rows for the table format. */
  rows: readonly Row[];
  columns?: readonly string[];
  /** Structure for json/yaml; defaults to rows. */
  data?: unknown;
}

export function render(result: Rendered, format: OutputFormat): string {
  const data = toPlain(result.data ?? result.rows);
  switch (format) {
    case 'json':
      return JSON.stringify(data, null, 2) + '\n';
    case 'yaml':
      return toYaml(data);
    case 'table':
      return result.rows.length === 0 ? '' : renderTable(result.rows, result.columns);
  }
}
