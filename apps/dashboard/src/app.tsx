// The console shell: connects to the cluster, keeps one stats stream for every page, and routes on
// the URL hash (#/, #/topics, #/topics/<name>, #/messages/<topic>, #/groups, #/groups/<id>).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AdminClient } from './api';
import { ErrorNote } from './components/notice';
import { LiveStats } from './live';
import { GroupPage, GroupsPage } from './pages/groups-page';
import { MessagesPage } from './pages/messages-page';
import { OverviewPage } from './pages/overview-page';
import { TopicPage, TopicsPage } from './pages/topics-page';
import { useLive } from './use-live';

function useHash(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(decodeURIComponent);
}

export function App() {
  const [client, setClient] = useState<AdminClient | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    AdminClient.connect().then(setClient, setError);
  }, []);
  if (client === undefined) {
    return (
      <main class="container">
        <h1>mq console</h1>
        {error === undefined ? <p aria-busy="true">connecting to the broker…</p> : <ErrorNote error={error} />}
      </main>
    );
  }
  return <Connected client={client} />;
}

function Connected(props: { client: AdminClient }) {
  const live = useMemo(() => new LiveStats(props.client), [props.client]);
  useEffect(() => () => live.close(), [live]);
  useLive(live);
  const [page, arg] = useHash();
  const nav = (href: string, label: string, active: boolean) => (
    <li>
      <a href={href} aria-current={active ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <>
      <header class="container">
        <nav>
          <ul>
            <li>
              <strong>mq console</strong>
            </li>
          </ul>
          <ul>
            {nav('#/', 'Overview', page === undefined)}
            {nav('#/topics', 'Topics', page === 'topics')}
            {nav('#/messages', 'Messages', page === 'messages')}
            {nav('#/groups', 'Consumer groups', page === 'groups')}
            <li>
              <span class={live.connected ? 'ok' : 'bad'} data-testid="live-status" title="stats stream">
                ● {live.connected ? 'live' : 'offline'}
              </span>
            </li>
          </ul>
        </nav>
      </header>
      <main class="container">
        {page === 'topics' && arg !== undefined ? (
          <TopicPage client={props.client} live={live} topic={arg} />
        ) : page === 'topics' ? (
          <TopicsPage client={props.client} live={live} />
        ) : page === 'messages' ? (
          <MessagesPage client={props.client} topic={arg} />
        ) : page === 'groups' && arg !== undefined ? (
          <GroupPage client={props.client} live={live} group={arg} />
        ) : page === 'groups' ? (
          <GroupsPage client={props.client} live={live} />
        ) : (
          <OverviewPage client={props.client} live={live} />
        )}
      </main>
    </>
  );
}
