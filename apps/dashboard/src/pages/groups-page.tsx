// Consumer groups: the list with live lag; one group's members, assignments, lag graph and table,
// offset reset (only while it has no members) and delete.
import { useState } from 'preact/hooks';
import type { AdminClient } from '../api';
import { ErrorNote } from '../components/notice';
import { TimeChart } from '../components/time-chart';
import type { LiveStats } from '../live';
import { useAsync } from '../use-async';
import { useLive } from '../use-live';
import { TableHead } from '../components/table-head';

export function GroupsPage(props: { client: AdminClient; live: LiveStats }) {
  const version = useLive(props.live);
  const groups = props.live.latest?.groups ?? [];
  return (
    <section>
      <h2>Consumer groups</h2>
      <table data-testid="groups">
        <TableHead columns={['group', 'state', 'members', 'total lag']} />
        <tbody>
          {groups.map((g) => (
            <tr key={g.consumer_group_id} data-group={g.consumer_group_id}>
              <td>
                <a href={`#/groups/${encodeURIComponent(g.consumer_group_id)}`}>{g.consumer_group_id}</a>
              </td>
              <td>{g.state}</td>
              <td>{g.members}</td>
              <td>{g.total_lag}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Lag</h3>
      <TimeChart series={props.live.lag} names={groups.map((g) => g.consumer_group_id)} unit="messages" version={version} testId="groups-lag" />
    </section>
  );
}

export function GroupPage(props: { client: AdminClient; live: LiveStats; group: string }) {
  const version = useLive(props.live);
  const group = useAsync(() => props.client.group(props.group), [props.group, Math.floor(version / 3)]);
  const live = props.live.latest?.groups.find((g) => g.consumer_group_id === props.group);
  const lags = live?.lags ?? [];
  const topics = [...new Set(lags.map((l) => l.topic_name))];
  const [topic, setTopic] = useState<string | undefined>(undefined);
  const [to, setTo] = useState('earliest');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const reset = async (e: Event) => {
    e.preventDefault();
    const topicName = topic ?? topics[0];
    if (topicName === undefined) return;
    try {
      const body = { topic_name: topicName, to, ...(to === 'offset' ? { offset: Number(value) } : to === 'timestamp' ? { timestamp: Number.isNaN(Date.parse(value)) ? Number(value) : Date.parse(value) } : {}) };
      const res = await props.client.resetOffsets(props.group, body);
      setDone(`reset ${res.data.map((d) => `${d.topic_name}-${d.partition_id} → ${d.offset}`).join(', ')}`);
      setError(undefined);
    } catch (err) {
      setError(err);
      setDone(undefined);
    }
  };
  const remove = async () => {
    if (!confirm(`Delete consumer group ${props.group}?`)) return;
    try {
      await props.client.deleteGroup(props.group);
      location.hash = '#/groups';
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>
        Group <code>{props.group}</code> <small data-testid="group-state">{group.value?.state ?? live?.state ?? ''}</small>
      </h2>
      <ErrorNote error={group.error} />
      <h3>Lag</h3>
      <TimeChart series={props.live.lag} names={[props.group]} unit="messages" version={version} testId="group-lag" />
      <table data-testid="lags">
        <TableHead columns={['topic', 'partition', 'committed', 'end', 'lag']} />
        <tbody>
          {lags.map((l) => (
            <tr key={`${l.topic_name}-${l.partition_id}`}>
              <td>{l.topic_name}</td>
              <td>{l.partition_id}</td>
              <td>{l.current_offset}</td>
              <td>{l.log_end_offset ?? '—'}</td>
              <td>{l.lag ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Members</h3>
      <table data-testid="members">
        <TableHead columns={['member', 'client', 'host', 'assigned']} />
        <tbody>
          {(group.value?.members ?? []).map((m) => (
            <tr key={m.consumer_id}>
              <td>{m.consumer_id}</td>
              <td>{m.client_id}</td>
              <td>{m.host}</td>
              <td>{m.assignments.map((a) => `${a.topic_name}-${a.partition_id}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Reset offsets</h3>
      <form onSubmit={reset} data-testid="reset-offsets">
        <fieldset role="group">
          <select aria-label="topic" value={topic ?? topics[0]} onChange={(e) => setTopic(e.currentTarget.value)}>
            {topics.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <select aria-label="to" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="reset-to">
            <option value="earliest">earliest</option>
            <option value="latest">latest</option>
            <option value="offset">offset</option>
            <option value="timestamp">time</option>
          </select>
          {to === 'offset' || to === 'timestamp' ? <input aria-label="value" value={value} onInput={(e) => setValue(e.currentTarget.value)} /> : null}
          <button type="submit">Reset</button>
        </fieldset>
      </form>
      {done === undefined ? null : <p data-testid="reset-done">{done}</p>}
      <ErrorNote error={error} />
      <button type="button" class="secondary outline" onClick={remove}>
        Delete group
      </button>
    </section>
  );
}
