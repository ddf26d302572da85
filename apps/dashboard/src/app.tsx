// The console shell: connects to the cluster (showing the login form while the broker answers
// 401), keeps one stats stream for every page, and routes on the URL hash (#/, #/topics,
// #/topics/<name>, #/messages/<topic>, #/groups, #/groups/<id>, #/queues, #/queues/<id>, #/delayed,
// #/traces, #/traces/<id>, #/schemas, #/schemas/<subject>).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { AdminClient, ApiError, UNAUTHORIZED_EVENT, type UnauthorizedDetail } from './api';
import { LoginForm } from './components/login-form';
import { ErrorNote } from './components/notice';
import { currentAuthorization, loggedIn, logout, userName } from './credentials';
import { LiveStats } from './live';
import { DelayedPage } from './pages/delayed-page';
import { GroupPage, GroupsPage } from './pages/groups-page';
import { MessagesPage } from './pages/messages-page';
import { OverviewPage } from './pages/overview-page';
import { QueuePage, QueuesPage } from './pages/queues-page';
import { SchemasPage, SubjectPage } from './pages/schemas-page';
import { TopicPage, TopicsPage } from './pages/topics-page';
import { TracePage, TracesPage } from './pages/traces-page';
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
  const [needLogin, setNeedLogin] = useState(false);
  const connect = useCallback(async () => {
    const c = await AdminClient.connect();
    setNeedLogin(false);
    setError(undefined);
    setClient(c);
  }, []);
  useEffect(() => {
    connect().catch((err: unknown) => (err instanceof ApiError && err.status === 401 ? setNeedLogin(true) : setError(err)));
    // A credential that stops working (password changed, user deleted) brings the form back.
    // Only a refusal of the credential in use counts: a 401 answered to one sent before the last
    // login (or before the logout) says nothing about the current one.
    const onUnauthorized = (e: Event) => {
      if ((e as CustomEvent<UnauthorizedDetail>).detail?.authorization !== currentAuthorization()) return;
      logout();
      setClient(undefined);
      setNeedLogin(true);
    };
    addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [connect]);
  if (client === undefined) {
    return (
      <main class="container">
        <h1>mq console</h1>
        {needLogin ? <LoginForm onLogin={connect} /> : error === undefined ? <p aria-busy="true">connecting to the broker…</p> : <ErrorNote error={error} />}
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
            {nav('#/queues', 'Queues', page === 'queues')}
            {nav('#/delayed', 'Delayed', page === 'delayed')}
            {nav('#/traces', 'Traces', page === 'traces')}
            {nav('#/schemas', 'Schemas', page === 'schemas')}
            <li>
              <span class={live.connected ? 'ok' : 'bad'} data-testid="live-status" title="stats stream">
                ● {live.connected ? 'live' : 'offline'}
              </span>
            </li>
            {loggedIn() ? (
              <li>
                <a
                  href="#/"
                  data-testid="logout"
                  title={`logged in as ${userName() ?? ''}`}
                  onClick={(e) => {
                    // A fresh start on the overview: nothing of the last user's pages stays in memory.
                    e.preventDefault();
                    logout();
                    location.hash = '#/';
                    location.reload();
                  }}
                >
                  Log out {userName()}
                </a>
              </li>
            ) : null}
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
        ) : page === 'queues' && arg !== undefined ? (
          <QueuePage client={props.client} live={live} group={arg} />
        ) : page === 'queues' ? (
          <QueuesPage client={props.client} live={live} />
        ) : page === 'delayed' ? (
          <DelayedPage client={props.client} live={live} />
        ) : page === 'traces' && arg !== undefined ? (
          <TracePage client={props.client} traceId={arg} />
        ) : page === 'traces' ? (
          <TracesPage client={props.client} live={live} />
        ) : page === 'schemas' && arg !== undefined ? (
          <SubjectPage client={props.client} subject={arg} />
        ) : page === 'schemas' ? (
          <SchemasPage client={props.client} />
        ) : (
          <OverviewPage client={props.client} live={live} />
        )}
      </main>
    </>
  );
}
