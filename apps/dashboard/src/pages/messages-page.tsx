// Message browser: one partition's records from an offset or a time, keys / values as text, JSON or
// base64, headers; "live" follows the topic's record stream and shows new records on top.
import { useEffect, useState } from 'preact/hooks';
import type { AdminClient, KafkaRecord } from '../api';
import { ErrorNote } from '../components/notice';
import { base64Text, data, time } from '../format';
import { useAsync } from '../use-async';
import { socketProtocols } from '../credentials';
import { TableHead } from '../components/table-head';

const LIVE_MAX = 200;

export function MessagesPage(props: { client: AdminClient; topic: string | undefined }) {
  const topics = useAsync(() => props.client.topics(), []);
  const topic = props.topic ?? topics.value?.find((t) => !t.is_internal)?.topic_name;
  const partitions = useAsync(async () => (topic === undefined ? [] : props.client.partitions(topic)), [topic]);
  const [partition, setPartition] = useState(0);
  const [mode, setMode] = useState<'offset' | 'timestamp'>('offset');
  const [from, setFrom] = useState('0');
  const [encoding, setEncoding] = useState('string');
  const [records, setRecords] = useState<KafkaRecord[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [live, setLive] = useState(true);
  const [liveRecords, setLiveRecords] = useState<KafkaRecord[]>([]);
  const [subscribed, setSubscribed] = useState(false);
  const [refused, setRefused] = useState(false);

  const fetchPage = async (e?: Event) => {
    e?.preventDefault();
    if (topic === undefined) return;
    try {
      const start = mode === 'offset' ? { offset: Number(from) } : { timestamp: Number.isNaN(Date.parse(from)) ? Number(from) : Date.parse(from) };
      const page = await props.client.records(topic, partition, start, 100, encoding);
      setRecords(page.data);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    setLiveRecords([]);
    setSubscribed(false);
    setRefused(false);
    if (!live || topic === undefined) return;
    const ws = new WebSocket(props.client.socketUrl(`/topics/${encodeURIComponent(topic)}/streams/records?from=latest&encoding=${encoding}`), socketProtocols());
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as { type: string; data?: KafkaRecord[] };
      if (msg.type === 'subscribed') setSubscribed(true);
      if (msg.type === 'records' && msg.data !== undefined) {
        const fresh = msg.data;
        setLiveRecords((old) => [...fresh.slice().reverse(), ...old].slice(0, LIVE_MAX));
      }
    };
    // A browser does not expose a refused upgrade's status: closed before `subscribed` is a refusal (READ on the topic).
    let open = false;
    ws.onopen = () => {
      open = true;
    };
    ws.onclose = () => {
      if (!open) setRefused(true);
    };
    return () => {
      ws.onclose = null;
      ws.close();
    };
  }, [live, topic, encoding]);

  return (
    <section>
      <h2>Messages</h2>
      <form onSubmit={fetchPage} data-testid="browse">
        <div class="grid">
          <label>
            Topic
            <select value={topic} onChange={(e) => (location.hash = `#/messages/${encodeURIComponent(e.currentTarget.value)}`)} data-testid="topic-select">
              {(topics.value ?? []).map((t) => (
                <option key={t.topic_name} value={t.topic_name}>
                  {t.topic_name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Partition
            <select value={partition} onChange={(e) => setPartition(Number(e.currentTarget.value))}>
              {(partitions.value ?? []).map((p) => (
                <option key={p.partition_id} value={p.partition_id}>
                  {p.partition_id} (hw {p.high_watermark ?? '—'})
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <select value={mode} onChange={(e) => setMode(e.currentTarget.value as 'offset' | 'timestamp')}>
              <option value="offset">offset</option>
              <option value="timestamp">time (ISO or epoch ms)</option>
            </select>
          </label>
          <label>
            {mode === 'offset' ? 'Offset' : 'Time'}
            <input value={from} onInput={(e) => setFrom(e.currentTarget.value)} data-testid="from" />
          </label>
          <label>
            Show as
            <select value={encoding} onChange={(e) => setEncoding(e.currentTarget.value)}>
              <option value="string">text</option>
              <option value="json">JSON</option>
              <option value="binary">base64</option>
            </select>
          </label>
        </div>
        <button type="submit">Fetch</button>{' '}
        <label>
          <input type="checkbox" role="switch" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} data-testid="live-toggle" /> live
        </label>
      </form>
      <ErrorNote error={error ?? topics.error} />
      {live ? (
        <>
          <h3 data-testid="live-heading" data-subscribed={subscribed}>
            New records (live{subscribed || refused ? '' : ', connecting…'})
          </h3>
          {refused ? (
            <p class="error" role="alert" data-testid="live-refused">
              Not allowed: the broker refused the live record stream (it needs READ on the topic)
            </p>
          ) : null}
          <RecordTable records={liveRecords} testId="live-records" />
        </>
      ) : null}
      <h3>Page</h3>
      <RecordTable records={records} testId="records" />
    </section>
  );
}

function RecordTable(props: { records: KafkaRecord[]; testId: string }) {
  return (
    <table data-testid={props.testId} class="records">
      <TableHead columns={['partition', 'offset', 'time', 'key', 'value', 'headers']} />
      <tbody>
        {props.records.map((r) => (
          <tr key={`${r.partition_id}:${r.offset}`}>
            <td>{r.partition_id}</td>
            <td>{r.offset}</td>
            <td>{time(r.timestamp)}</td>
            <td>
              <code>{data(r.key)}</code>
            </td>
            <td>
              <code>{data(r.value)}</code>
            </td>
            <td>{r.headers.map((h) => `${h.name}=${base64Text(h.value)}`).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
