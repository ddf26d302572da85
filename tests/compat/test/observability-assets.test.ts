// Acceptance (issue 15): the Grafana dashboard (deploy/grafana) and the Prometheus alert rules
// (deploy/prometheus) refer only to metrics a real broker exports — every expression is parsed and
// each metric name checked against the broker's /metrics after real kafkajs traffic (a produce,
// a group's committed offsets), and the alerts the issue names are there.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/paths';
import { exportedMetricNames, promqlMetricNames } from '../src/promql-names';
import { parsePrometheus } from '../src/prometheus-text';

interface Rules {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> }[] }[];
}
interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

let exported: Set<string>;
let scrape: string;

beforeAll(async () => {
  const broker = await startBroker({ http: { port: 0 } });
  try {
    const kafka = new Kafka({ clientId: 'assets-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'assets', messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: 'assets-group', topic: 'assets', partitions: [{ partition: 0, offset: '1' }] });
    await admin.disconnect();
    scrape = await (await fetch(`http://127.0.0.1:${broker.http!.port}/metrics`)).text();
    exported = exportedMetricNames(scrape);
  } finally {
    await broker.stop();
  }
});

afterAll(() => undefined);

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);
}

describe('observability assets against a real broker’s /metrics', () => {
  it('the scrape holds the series the assets are about (lag after a commit, fsync, replication, disk)', () => {
    const samples = parsePrometheus(scrape);
    const has = (name: string, labels: Record<string, string> = {}) => samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(has('mq_consumer_group_lag', { group: 'assets-group', topic: 'assets', partition: '0' })).toBe(true);
    expect(samples.find((s) => s.name === 'mq_consumer_group_lag' && s.labels.group === 'assets-group')!.value).toBe(2);
    expect(has('mq_log_fsync_duration_seconds_count')).toBe(true);
    expect(samples.find((s) => s.name === 'mq_log_fsync_duration_seconds_count')!.value).toBeGreaterThan(0); // the produce was fsynced (flush.messages=1)
    expect(has('mq_under_replicated_partitions')).toBe(true);
    expect(has('mq_partition_isr_size', { topic: 'assets', partition: '0' })).toBe(true);
    expect(samples.find((s) => s.name === 'mq_data_dir_capacity_bytes')!.value).toBeGreaterThan(0);
    expect(has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('every alert rule expression refers only to exported metrics; lag, under-replicated, disk and fsync alerts exist', async () => {
    const rules = parse(await readFile(join(REPO_ROOT, 'deploy/prometheus/mq-alerts.yml'), 'utf8')) as Rules;
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.length).toBeGreaterThan(0);
    for (const rule of all) {
      const names = promqlMetricNames(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${rule.alert}: ${name} in ${rule.expr}`).toBe(true);
      expect(rule.labels?.severity, rule.alert).toMatch(/^(warning|critical)$/);
    }
    const about = (metric: string) => all.filter((r) => promqlMetricNames(r.expr).includes(metric)).map((r) => r.alert);
    expect(about('mq_consumer_group_lag').length).toBeGreaterThan(0);
    expect(about('mq_under_replicated_partitions').length).toBeGreaterThan(0);
    expect(about('mq_data_dir_free_bytes').length).toBeGreaterThan(0);
    expect(about('mq_log_fsync_duration_seconds_bucket').length).toBeGreaterThan(0);
  });

  it('every dashboard query and template variable refers only to exported metrics', async () => {
    const dashboard = JSON.parse(await readFile(join(REPO_ROOT, 'deploy/grafana/mq-broker-dashboard.json'), 'utf8')) as Dashboard;
    const exprs = panelsOf(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr })));
    for (const v of dashboard.templating.list) {
      if (v.type === 'query') exprs.push({ where: `$${v.name}`, expr: typeof v.query === 'string' ? v.query : v.query.query });
    }
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const { where, expr } of exprs) {
      const names = promqlMetricNames(expr);
      expect(names.length, where).toBeGreaterThan(0);
      for (const name of names) {
        used.add(name);
        expect(exported.has(name), `${where}: ${name} in ${expr}`).toBe(true);
      }
    }
    for (const m of ['mq_consumer_group_lag', 'mq_log_fsync_duration_seconds_bucket', 'mq_under_replicated_partitions', 'mq_log_size_bytes', 'mq_topic_messages_in_total', 'mq_share_records_in_flight', 'mq_delayed_messages', 'mq_share_priority_lane_records']) {
      expect(used.has(m), m).toBe(true);
    }
  });

  it('the name extraction itself: functions, labels, ranges and numbers are not metric names', () => {
    expect(promqlMetricNames('histogram_quantile(0.99, sum by (le, node_id) (rate(mq_x_bucket{api="Produce"}[5m]))) > 0.5')).toEqual(['mq_x_bucket']);
    expect(promqlMetricNames('a / b{c="d"} < 0.10 and on(node_id) predict_linear(e[6h], 24 * 3600) < 1e9')).toEqual(['a', 'b', 'e']);
    expect(promqlMetricNames('label_values(mq_connections, node_id)')).toEqual(['mq_connections']);
    expect(promqlMetricNames('sum(rate(m_total{node_id=~"$node"}[$__rate_interval]))')).toEqual(['m_total']);
  });
});
