// Queues (share groups, KIP-932): the list with state and members; one group's backlog and
// in-flight records over time, each share partition's window (start offset, end offset, high
// watermark), its topics' dead-letter topics with their depth, the members and their assignments,
// and delete (only while it has no members).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AdminClient } from '../api';
import { ErrorNote } from '../components/notice';
import { TimeChart } from '../components/time-chart';
import { type LiveStats, push, type Series } from '../live';
import { useAsync } from '../use-async';
import { useLive } from '../use-live';
import { TableHead } from '../components/table-head';

/** Re-reads every other stats tick (~2 s): share-group state is not on the stats stream. */
const pollKey = (version: number) => Math.floor(version / 2);

export function QueuesPage(props: { client: AdminClient; live: LiveStats }) {
  const version = useLive(props.live);
  const groups = useAsync(() => props.client.shareGroups(), [pollKey(version)]);
  return (
    <section>
      <h2>Queues (share groups)</h2>
      <ErrorNote error={groups.error} />
      <table data-testid="share-groups">
        <TableHead columns={['share group', 'state', 'members']} />
        <tbody>
          {(groups.value ?? []).map((g) => (
            <tr key={g.share_group_id} data-share-group={g.share_group_id}>
              <td>
                <a href={`#/queues/${encodeURIComponent(g.share_group_id)}`}>{g.share_group_id}</a>
              </td>
              <td>{g.state}</td>
              <td>{g.member_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.value !== undefined && groups.value.length === 0 ? <p>No share groups yet: a share consumer or an HTTP queue receive creates one.</p> : null}
    </section>
  );
}

export function QueuePage(props: { client: AdminClient; live: LiveStats; group: string }) {
  const version = useLive(props.live);
  const group = useAsync(() => props.client.shareGroup(props.group), [props.group, pollKey(version)]);
  const series = useMemo<Series>(() => ({ times: [], values: new Map() }), [props.group]);
  const [points, setPoints] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    const d = group.value;
    if (d === undefined) return;
    push(series, Date.now() / 1000, new Map([
      ['backlog', d.total_backlog],
      ['in flight', d.total_in_flight],
    ]));
    setPoints((n) => n + 1);
  }, [group.value, series]);
  const remove = async () => {
    if (!confirm(`Delete share group ${props.group} and its state?`)) return;
    try {
      await props.client.deleteShareGroup(props.group);
      location.hash = '#/queues';
    } catch (err) {
      setError(err);
    }
  };
  const d = group.value;
  return (
    <section>
      <h2>
        Queue <code>{props.group}</code> <small data-testid="share-group-state">{d?.state ?? ''}</small>
      </h2>
      <ErrorNote error={group.error} />
      <p>
        backlog <strong data-testid="share-backlog">{d?.total_backlog ?? '—'}</strong> · in flight <strong data-testid="share-in-flight">{d?.total_in_flight ?? '—'}</strong> · group epoch{' '}
        {d?.group_epoch ?? '—'}
      </p>
      <TimeChart series={series} names={['backlog', 'in flight']} unit="records" version={points} testId="share-chart" />
      <h3>Share partitions</h3>
      <table data-testid="share-partitions">
        <TableHead columns={['topic', 'partition', 'start offset', 'end offset', 'high watermark', 'in flight', 'backlog']} />
        <tbody>
          {(d?.partitions ?? []).map((p) => (
            <tr key={`${p.topic_name}-${p.partition_id}`} data-share-partition={`${p.topic_name}-${p.partition_id}`}>
              <td>{p.topic_name}</td>
              <td>{p.partition_id}</td>
              <td>{p.start_offset}</td>
              <td>{p.end_offset ?? '—'}</td>
              <td>{p.high_watermark ?? '—'}</td>
              <td>{p.in_flight ?? '—'}</td>
              <td>{p.backlog ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Dead-letter topics</h3>
      <table data-testid="dead-letter-topics">
        <TableHead columns={['topic', 'dead-letter topic', 'records']} />
        <tbody>
          {(d?.dead_letter_topics ?? []).map((t) => (
            <tr key={t.topic_name} data-dead-letter-topic={t.dead_letter_topic}>
              <td>{t.topic_name}</td>
              <td>
                <a href={`#/messages/${encodeURIComponent(t.dead_letter_topic)}`}>{t.dead_letter_topic}</a>
              </td>
              <td data-testid="dead-letter-depth">{t.records ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Members</h3>
      <table data-testid="share-members">
        <TableHead columns={['member', 'client', 'host', 'subscribed', 'assigned']} />
        <tbody>
          {(d?.members ?? []).map((m) => (
            <tr key={m.member_id}>
              <td>{m.member_id}</td>
              <td>{m.client_id}</td>
              <td>{m.host}</td>
              <td>{m.subscribed_topics.join(', ')}</td>
              <td>{m.assignments.map((a) => `${a.topic_name}-${a.partition_id}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={error} />
      <button type="button" class="secondary outline" onClick={remove} data-testid="delete-share-group">
        Delete share group
      </button>
    </section>
  );
}
