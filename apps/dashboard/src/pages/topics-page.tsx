// Topics: the list with live rates, create and delete; one topic's throughput, partitions and configs.
import { useState } from 'preact/hooks';
import type { AdminClient } from '../api';
import { ErrorNote } from '../components/notice';
import { TimeChart } from '../components/time-chart';
import { bytes, rate } from '../format';
import type { LiveStats } from '../live';
import { useAsync } from '../use-async';
import { useLive } from '../use-live';
import { TableHead } from '../components/table-head';

export function TopicsPage(props: { client: AdminClient; live: LiveStats }) {
  const version = useLive(props.live);
  const topics = useAsync(() => props.client.topics(), []);
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState(1);
  const [rf, setRf] = useState(1);
  const [error, setError] = useState<unknown>(undefined);
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      await props.client.createTopic(name, partitions, rf);
      setName('');
      setError(undefined);
      topics.reload();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (topic: string) => {
    if (!confirm(`Delete topic ${topic} and all its data?`)) return;
    try {
      await props.client.deleteTopic(topic);
      topics.reload();
    } catch (err) {
      setError(err);
    }
  };
  const stats = new Map((props.live.latest?.topics ?? []).map((t) => [t.topic_name, t]));
  return (
    <section>
      <h2>Topics</h2>
      <form onSubmit={create} data-testid="create-topic">
        <fieldset role="group">
          <input name="topic_name" placeholder="new topic name" value={name} onInput={(e) => setName(e.currentTarget.value)} required aria-label="topic name" />
          <input name="partitions_count" type="number" min={1} value={partitions} onInput={(e) => setPartitions(Number(e.currentTarget.value))} aria-label="partitions" />
          <input name="replication_factor" type="number" min={1} value={rf} onInput={(e) => setRf(Number(e.currentTarget.value))} aria-label="replication factor" />
          <button type="submit">Create</button>
        </fieldset>
      </form>
      <ErrorNote error={error ?? topics.error} />
      <table data-testid="topics">
        <TableHead columns={['topic', 'partitions', 'replicas', 'msg/s', 'size', '']} />
        <tbody>
          {(topics.value ?? []).map((t) => (
            <tr key={t.topic_name} data-topic={t.topic_name}>
              <td>
                <a href={`#/topics/${encodeURIComponent(t.topic_name)}`}>{t.topic_name}</a>
              </td>
              <td>{t.partitions_count}</td>
              <td>{t.replication_factor}</td>
              <td>{rate(props.live.messageRate.values.get(t.topic_name)?.at(-1))}</td>
              <td>{bytes(stats.get(t.topic_name)?.size_bytes ?? null)}</td>
              <td>
                {t.is_internal ? null : (
                  <button type="button" class="secondary outline" onClick={() => remove(t.topic_name)} data-testid={`delete-${t.topic_name}`}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Messages in per second, per topic</h3>
      <TimeChart series={props.live.messageRate} names={(topics.value ?? []).filter((t) => !t.is_internal).map((t) => t.topic_name)} unit="msg/s" version={version} testId="topics-throughput" />
    </section>
  );
}

export function TopicPage(props: { client: AdminClient; live: LiveStats; topic: string }) {
  const version = useLive(props.live);
  const partitions = useAsync(() => props.client.partitions(props.topic), [props.topic, Math.floor(version / 5)]);
  const configs = useAsync(() => props.client.configs(props.topic), [props.topic]);
  const [key, setKey] = useState('retention.ms');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await props.client.setConfig(props.topic, key, value);
      setError(undefined);
      configs.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>
        Topic <code>{props.topic}</code> <a href={`#/messages/${encodeURIComponent(props.topic)}`}>browse messages →</a>
      </h2>
      <ErrorNote error={partitions.error ?? configs.error} />
      <TimeChart series={props.live.messageRate} names={[props.topic]} unit="msg/s" version={version} testId="topic-throughput" />
      <h3>Partitions</h3>
      <table data-testid="partitions">
        <TableHead columns={['partition', 'leader', 'replicas', 'isr', 'log start', 'high watermark', 'size', 'segments']} />
        <tbody>
          {(partitions.value ?? []).map((p) => (
            <tr key={p.partition_id}>
              <td>{p.partition_id}</td>
              <td>{p.leader_id}</td>
              <td>{p.replicas.join(', ')}</td>
              <td>{p.isr.join(', ')}</td>
              <td>{p.log_start_offset ?? '—'}</td>
              <td data-testid={`hw-${p.partition_id}`}>{p.high_watermark ?? '—'}</td>
              <td>{bytes(p.size_bytes)}</td>
              <td>{p.segment_count ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Configs</h3>
      <form onSubmit={save}>
        <fieldset role="group">
          <input aria-label="config name" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <input aria-label="config value" placeholder="value" value={value} onInput={(e) => setValue(e.currentTarget.value)} required />
          <button type="submit">Set</button>
        </fieldset>
      </form>
      <ErrorNote error={error} />
      <table data-testid="configs">
        <tbody>
          {(configs.value ?? []).map((c) => (
            <tr key={c.name} class={c.is_default ? 'muted' : ''}>
              <td>{c.name}</td>
              <td>{c.value ?? '(sensitive)'}</td>
              <td>{c.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
