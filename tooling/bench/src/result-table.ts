// One measured figure per row (system, client, workload, size) and its Markdown rendering.
import { fmtMB, fmtMs, fmtRate } from './stats';

export interface ResultRow {
  readonly system: string;
  readonly client: string;
  readonly workload: 'produce' | 'consume' | 'latency';
  readonly size: number;
  readonly messages: number;
  readonly msgsPerSec?: number;
  readonly mbPerSec?: number;
  readonly p50?: number;
  readonly p99?: number;
  readonly p999?: number;
  /** Broker CPU time spent during this workload, ms. */
  readonly brokerCpuMs?: number;
  readonly note?: string;
}

export function throughputRow(base: Omit<ResultRow, 'msgsPerSec' | 'mbPerSec'>, ms: number): ResultRow {
  const perSec = (base.messages * 1000) / ms;
  return { ...base, msgsPerSec: perSec, mbPerSec: (perSec * base.size) / 1e6 };
}

export function markdownTable(rows: readonly ResultRow[]): string {
  const head = '| system | client | workload | size | messages | msgs/s | MB/s | p50 ms | p99 ms | p99.9 ms | broker CPU ms |';
  const sep = '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  const cell = (v: number | undefined, f: (n: number) => string): string => (v === undefined ? '' : f(v));
  const lines = rows.map(
    (r) =>
      `| ${r.system} | ${r.client} | ${r.workload} | ${r.size} B | ${r.messages} | ${cell(r.msgsPerSec, fmtRate)} | ${cell(r.mbPerSec, (n) => n.toFixed(1))} | ${cell(r.p50, fmtMs)} | ${cell(r.p99, fmtMs)} | ${cell(r.p999, fmtMs)} | ${cell(r.brokerCpuMs, (n) => n.toFixed(0))} |${r.note ? ` ${r.note}` : ''}`,
  );
  return [head, sep, ...lines].join('\n');
}

export { fmtMB };
