// Display helpers: sizes, rates, times and record data as people read them.
import type { RecordData } from './api';

export function bytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function rate(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '—';
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

export function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** A key or value as text: STRING as is, JSON compact, BINARY as base64 with a marker. */
export function data(d: RecordData | null): string {
  if (d === null) return 'null';
  if (d.type === 'STRING') return String(d.data);
  if (d.type === 'JSON') return JSON.stringify(d.data);
  return `base64:${String(d.data)}`;
}

/** Base64 bytes (a header value, a delayed message's key or value) as text when printable. */
export function base64Text(value: string | null): string {
  if (value === null) return 'null';
  const raw = atob(value);
  // Printable ASCII shown as text, anything else as base64.
  return /^[\x20-\x7e]*$/.test(raw) ? raw : `base64:${value}`;
}

/** How far `ms` (epoch) is from `now`: "in 4 min", "12 s ago". */
export function relative(ms: number, now: number): string {
  const d = Math.round((ms - now) / 1000);
  const a = Math.abs(d);
  const span = a < 90 ? `${a} s` : a < 5400 ? `${Math.round(a / 60)} min` : a < 129_600 ? `${(a / 3600).toFixed(1)} h` : `${(a / 86_400).toFixed(1)} d`;
  return d >= 0 ? `in ${span}` : `${span} ago`;
}
