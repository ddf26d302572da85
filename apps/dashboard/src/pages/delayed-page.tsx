// Delayed messages (the broker's delay store: produced with mq-delay-ms / mq-deliver-at, or to a
// topic with mq.delay.ms): those pending, earliest due first, with their due time, target topic and
// partition, key, value and headers; cancel one by id; the pending count and how many are overdue
// (due and not yet appended: the delivery running late) over time. Re-read every other stats tick.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AdminClient, DelayedList } from '../api';
import { ErrorNote } from '../components/notice';
import { TableHead } from '../components/table-head';
import { TimeChart } from '../components/time-chart';
import { base64Text, relative, time } from '../format';
import { type LiveStats, push, type Series } from '../live';
import { useAsync } from '../use-async';
import { useLive } from '../use-live';

/** Rows one listing shows (the pending count covers them all). */
const LIST_LIMIT = 200;

const pollKey = (version: number) => Math.floor(version / 2);

export function DelayedPage(props: { client: AdminClient; live: LiveStats }) {
  const version = useLive(props.live);
  const [topic, setTopic] = useState('');
  const [tick, setTick] = useState(0);
  const list = useAsync<DelayedList>(() => props.client.delayed(topic === '' ? undefined : topic, LIST_LIMIT), [topic, pollKey(version), tick]);
  const series = useMemo<Series>(() => ({ times: [], values: new Map() }), [topic]);
  const [points, setPoints] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const [cancelled, setCancelled] = useState<string | undefined>(undefined);
  const now = Date.now();
  const messages = list.value?.messages ?? [];
  const overdue = messages.filter((m) => m.dueAt <= now);
  useEffect(() => {
    if (list.value === undefined) return;
    // Overdue counts those listed (at most LIST_LIMIT, earliest due first: the overdue ones come first).
    push(series, Date.now() / 1000, new Map([
      ['pending', list.value.pending],
      ['overdue', overdue.length],
    ]));
    setPoints((n) => n + 1);
  }, [list.value, series]);
  const topics = [...new Set(messages.map((m) => m.topic))].sort();
  if (topic !== '' && !topics.includes(topic)) topics.push(topic);

  const cancel = async (id: string) => {
    if (!confirm(`Cancel delayed message ${id}? It will never be delivered.`)) return;
    try {
      await props.client.cancelDelayed(id);
      setCancelled(id);
      setError(undefined);
      setTick((t) => t + 1);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <h2>Delayed messages</h2>
      <ErrorNote error={list.error} />
      <p>
        pending <strong data-testid="delayed-pending">{list.value?.pending ?? '—'}</strong> · overdue <strong data-testid="delayed-overdue">{list.value === undefined ? '—' : overdue.length}</strong>
        {overdue.length > 0 ? <> · oldest due {relative(overdue[0]!.dueAt, now)}</> : null}
      </p>
      <TimeChart series={series} names={['pending', 'overdue']} unit="messages" version={points} testId="delayed-chart" />
      <label>
        topic
        <select data-testid="delayed-topic" value={topic} onChange={(e) => setTopic((e.target as HTMLSelectElement).value)}>
          <option value="">every topic</option>
          {topics.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={error} />
      {cancelled !== undefined ? (
        <p class="ok" data-testid="delayed-cancelled">
          Cancelled {cancelled}.
        </p>
      ) : null}
      <table class="records" data-testid="delayed-messages">
        <TableHead columns={['id', 'due', 'topic', 'partition', 'key', 'value', 'headers', '']} />
        <tbody>
          {messages.map((m) => (
            <tr key={m.id} data-delayed-id={m.id}>
              <td>
                <code>{m.id}</code>
              </td>
              <td title={`produced ${time(m.timestamp)}`}>
                {time(m.dueAt)} <small>({relative(m.dueAt, now)})</small>
              </td>
              <td>
                <a href={`#/topics/${encodeURIComponent(m.topic)}`}>{m.topic}</a>
              </td>
              <td>{m.partition}</td>
              <td>
                <code>{base64Text(m.key)}</code>
              </td>
              <td>
                <code>{base64Text(m.value)}</code>
              </td>
              <td>{m.headers.map((h) => `${h.key}=${base64Text(h.value)}`).join(', ')}</td>
              <td>
                {m.delivering ? (
                  <small>delivering</small>
                ) : (
                  <button type="button" class="secondary outline" data-testid="cancel-delayed" onClick={() => void cancel(m.id)}>
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {topic === '' && list.value !== undefined && list.value.pending > messages.length ? (
        <p>
          Showing the {messages.length} due first of {list.value.pending}.
        </p>
      ) : null}
      {list.value !== undefined && messages.length === 0 ? <p>No delayed messages pending: produce with an mq-delay-ms or mq-deliver-at header to hold one.</p> : null}
    </section>
  );
}
