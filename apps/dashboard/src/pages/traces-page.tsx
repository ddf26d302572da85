// Traces (@mq/trace over /v1/traces): the recent traces (newest first) with their span names, a
// lookup by trace id or by a record's topic / partition / offset, and one trace as a waterfall —
// each step of the message's life (produce, replicate, fetch, commit; acquire … dead-letter, delay,
// fire for queues) at its time and duration from the trace's start, with its attributes.
import { useState } from 'preact/hooks';
import type { AdminClient, TraceSpan } from '../api';
import { ErrorNote } from '../components/notice';
import { TableHead } from '../components/table-head';
import { time } from '../format';
import type { LiveStats } from '../live';
import { useAsync } from '../use-async';
import { useLive } from '../use-live';

const RECENT = 50;
const TRACE_ID = /^[0-9a-f]{32}$/;

const open = (traceId: string) => {
  location.hash = `#/traces/${traceId}`;
};

export function TracesPage(props: { client: AdminClient; live: LiveStats }) {
  const version = useLive(props.live);
  const recent = useAsync(() => props.client.recentTraces(RECENT), [Math.floor(version / 2)]);
  const [id, setId] = useState('');
  const [where, setWhere] = useState({ topic: '', partition: '0', offset: '0' });
  const [error, setError] = useState<unknown>(undefined);
  const byId = (e: Event) => {
    e.preventDefault();
    const t = id.trim().toLowerCase();
    if (!TRACE_ID.test(t)) return setError(new Error(`not a trace id (32 lowercase hex digits): ${t}`));
    open(t);
  };
  const byOffset = async (e: Event) => {
    e.preventDefault();
    try {
      open((await props.client.traceOfRecord(where.topic, Number(where.partition), Number(where.offset))).traceId);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>Traces</h2>
      <div class="grid">
        <form onSubmit={byId} data-testid="trace-by-id">
          <fieldset role="group">
            <input aria-label="trace id" placeholder="trace id (traceparent's 32 hex digits)" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
            <button type="submit">Open</button>
          </fieldset>
        </form>
        <form onSubmit={byOffset} data-testid="trace-by-offset">
          <fieldset role="group">
            <input aria-label="topic" placeholder="topic" value={where.topic} onInput={(e) => setWhere({ ...where, topic: (e.target as HTMLInputElement).value })} />
            <input aria-label="partition" type="number" min="0" value={where.partition} onInput={(e) => setWhere({ ...where, partition: (e.target as HTMLInputElement).value })} />
            <input aria-label="offset" type="number" min="0" value={where.offset} onInput={(e) => setWhere({ ...where, offset: (e.target as HTMLInputElement).value })} />
            <button type="submit">Find</button>
          </fieldset>
        </form>
      </div>
      <ErrorNote error={error ?? recent.error} />
      <table data-testid="recent-traces">
        <TableHead columns={['trace', 'start', 'duration', 'spans', 'steps']} />
        <tbody>
          {(recent.value ?? []).map((t) => (
            <tr key={t.traceId} data-trace={t.traceId}>
              <td>
                <a href={`#/traces/${t.traceId}`}>
                  <code>{t.traceId}</code>
                </a>
              </td>
              <td>{time(t.startTimeMs)}</td>
              <td>{(t.endTimeMs - t.startTimeMs).toFixed(1)} ms</td>
              <td>{t.spans}</td>
              <td>{t.names.join(' → ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {recent.value !== undefined && recent.value.length === 0 ? <p>No traces kept: the broker's trace.sampling is off, or no traced record arrived yet (with sampling on, a record whose traceparent header is sampled always is).</p> : null}
    </section>
  );
}

export function TracePage(props: { client: AdminClient; traceId: string }) {
  const trace = useAsync(() => props.client.trace(props.traceId), [props.traceId]);
  const spans = trace.value?.spans ?? [];
  const start = Math.min(...spans.map((s) => s.startTimeMs));
  const end = Math.max(...spans.map((s) => s.endTimeMs));
  const total = Math.max(end - start, 0.001);
  return (
    <section>
      <h2>
        Trace <code>{props.traceId}</code>
      </h2>
      <p>
        <a href="#/traces">← traces</a>
        {spans.length > 0 ? (
          <>
            {' '}
            · {spans.length} spans from {time(start)} over {(end - start).toFixed(1)} ms
          </>
        ) : null}
      </p>
      <ErrorNote error={trace.error} />
      <table data-testid="trace-spans">
        <TableHead columns={['step', 'at', 'duration', 'timeline', 'attributes']} />
        <tbody>
          {spans.map((s: TraceSpan) => (
            <tr key={s.spanId} data-span={s.name}>
              <td>
                <code>{s.name}</code>
              </td>
              <td>+{(s.startTimeMs - start).toFixed(1)} ms</td>
              <td>{(s.endTimeMs - s.startTimeMs).toFixed(2)} ms</td>
              <td class="waterfall">
                <span style={{ marginLeft: `${((s.startTimeMs - start) / total) * 100}%`, width: `${Math.max(((s.endTimeMs - s.startTimeMs) / total) * 100, 0.5)}%` }} />
              </td>
              <td>
                {Object.entries(s.attributes)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
