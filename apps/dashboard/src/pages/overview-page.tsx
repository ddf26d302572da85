// Overview: the cluster, its brokers, health (stats stream up, partitions with a leader and a full
// ISR) and the cluster's throughput.
import type { AdminClient, Partition } from '../api';
import { TimeChart } from '../components/time-chart';
import { ErrorNote } from '../components/notice';
import { bytes, rate } from '../format';
import type { LiveStats } from '../live';
import { useAsync } from '../use-async';
import { useLive } from '../use-live';
import { TableHead } from '../components/table-head';

export function OverviewPage(props: { client: AdminClient; live: LiveStats }) {
  const version = useLive(props.live);
  const cluster = useAsync(() => props.client.cluster(), [version > 0 ? Math.floor(version / 10) : 0]);
  const brokers = useAsync(() => props.client.brokers(), []);
  const health = useAsync(async () => {
    const topics = await props.client.topics();
    const parts: Partition[] = (await Promise.all(topics.map((t) => props.client.partitions(t.topic_name)))).flat();
    return { partitions: parts.length, offline: parts.filter((p) => p.leader_id < 0).length, underReplicated: parts.filter((p) => p.isr.length < p.replicas.length).length };
  }, [cluster.value?.partition_count]);
  const latest = props.live.latest;
  const healthy = props.live.connected && health.value !== undefined && health.value.offline === 0;
  return (
    <section>
      <h2>Overview</h2>
      <ErrorNote error={cluster.error ?? brokers.error ?? health.error} />
      <div class="grid">
        <article data-testid="cluster-card">
          <header>Cluster</header>
          <p>
            <code>{props.client.clusterId}</code>
          </p>
          <p>
            {cluster.value?.broker_count ?? '…'} brokers · {cluster.value?.topic_count ?? '…'} topics · {cluster.value?.partition_count ?? '…'} partitions
          </p>
        </article>
        <article data-testid="health-card">
          <header>Health</header>
          <p>
            <strong class={healthy ? 'ok' : 'bad'} data-testid="health">
              {healthy ? 'healthy' : props.live.connected ? 'degraded' : 'stats stream down'}
            </strong>
          </p>
          <p>
            {health.value?.offline ?? '…'} offline · {health.value?.underReplicated ?? '…'} under-replicated
          </p>
        </article>
        <article>
          <header>Throughput</header>
          <p>
            <strong data-testid="msg-rate">{rate(props.live.messageRate.values.get('all topics')?.at(-1))}</strong> msg/s ·{' '}
            {bytes(Math.round(props.live.byteRate.values.get('all topics')?.at(-1) ?? 0))}/s
          </p>
          <p>{latest === undefined ? '…' : `${latest.groups.length} consumer groups`}</p>
        </article>
      </div>
      <h3>Messages in per second</h3>
      <TimeChart series={props.live.messageRate} names={['all topics']} unit="msg/s" testId="overview-throughput" version={version} />
      <h3>Brokers</h3>
      <table data-testid="brokers">
        <TableHead columns={['id', 'host', 'port', 'rack', 'role']} />
        <tbody>
          {(brokers.value ?? []).map((b) => (
            <tr key={b.broker_id}>
              <td>{b.broker_id}</td>
              <td>{b.host}</td>
              <td>{b.port}</td>
              <td>{b.rack ?? '—'}</td>
              <td>{b.is_controller ? 'controller' : 'broker'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
