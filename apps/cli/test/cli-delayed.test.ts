// `mq produce --delay / --deliver-at / --priority / --ttl` and `mq delayed list | cancel` against a
// real broker with its HTTP listener (GET / DELETE /v1/delayed): the headers reach the record, a
// delayed message is listed and cancelled by id, and bad input is a usage error (exit 2) or the
// broker's message (exit 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli as run } from './run-cli';

/** Each call starts tsx on the sources: slow on a loaded machine. */
const runCli = (args: string[], opts: Parameters<typeof run>[1] = {}) => run(args, { timeoutMs: 120_000, ...opts });

let broker: RunningBroker;
let b: string[];
let http: string;
beforeAll(async () => {
  broker = await startBroker({ port: 0, http: { port: 0, schemaRegistry: false } });
  b = ['-b', `127.0.0.1:${broker.port}`];
  http = `http://127.0.0.1:${broker.http!.port}`;
});
afterAll(async () => {
  await broker?.stop();
});

describe('mq delayed', () => {
  it('produce --delay holds the message; list shows it with its headers; cancel drops it', async () => {
    expect((await runCli([...b, 'topics', 'create', 'later', '-p', '1'])).code).toBe(0);
    const sent = await runCli([...b, 'produce', 'later', '-K', '=', '--delay', '3600000', '--priority', '1', '--ttl', '60000', '--print-acks'], { input: 'k1=v1\n' });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toBe('1\tlater\t0\t-1\n'); // no offset until it is due

    const listed = await runCli(['-o', 'json', 'delayed', 'list', '--http', http, '--topic', 'later']);
    expect(listed.code, listed.stderr).toBe(0);
    const { pending, messages } = JSON.parse(listed.stdout) as { pending: number; messages: { id: string; key: string; value: string; dueAt: number; headers: { key: string; value: string }[] }[] };
    expect(pending).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ key: 'k1', value: 'v1', state: 'pending', topic: 'later', partition: 0 });
    expect(messages[0]!.dueAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(messages[0]!.headers).toEqual([
      { key: 'mq-priority', value: '1' },
      { key: 'mq-ttl-ms', value: '60000' },
    ]);
    const id = messages[0]!.id;

    const table = await runCli(['delayed', 'list', '--http', http]);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TOPIC\s+PARTITION\s+DUE_AT\s+KEY\s+VALUE\s+STATE$/);
    expect(table.stdout).toContain(id);
    expect(table.stderr).toBe('mq: 1 shown, 1 pending in all\n');

    const cancelled = await runCli(['delayed', 'cancel', id, '--http', http]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain(id);
    expect(JSON.parse((await runCli(['-o', 'json', 'delayed', 'list', '--http', http])).stdout)).toEqual({ pending: 0, messages: [] });

    const again = await runCli(['delayed', 'cancel', id, '--http', http]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: no delayed message .* \(HTTP 404\)\n$/);
    const bad = await runCli(['delayed', 'cancel', 'nonsense', '--http', http]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a delayed message id.*\(HTTP 400\)/);
  }, 300_000);

  it('produce --deliver-at in the past is delivered at once, with mq-delayed-from', async () => {
    expect((await runCli([...b, 'topics', 'create', 'past', '-p', '1'])).code).toBe(0);
    const sent = await runCli([...b, 'produce', 'past', '--deliver-at', '2020-01-01T00:00:00Z'], { input: 'hello\n' });
    expect(sent.code, sent.stderr).toBe(0);
    let out = '';
    for (let i = 0; i < 100 && out === ''; i++) {
      out = (await runCli([...b, '-o', 'json', 'consume', 'past', '--offset', ':end'])).stdout;
      if (out === '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain('hello');
    expect(out).toContain('mq-delayed-from');
  }, 300_000);

  it('refuses bad options before connecting', async () => {
    const both = await runCli([...b, 'produce', 'x', '--delay', '5', '--deliver-at', '5']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('use either --delay or --deliver-at');
    expect((await runCli([...b, 'produce', 'x', '--priority', '9'])).code).toBe(2);
    expect((await runCli([...b, 'produce', 'x', '--deliver-at', 'tomorrow'])).code).toBe(2);
    const noHttp = await runCli(['delayed', 'list'], { env: { MQ_HTTP_URL: '' } });
    expect(noHttp.code).toBe(2);
    expect(noHttp.stderr).toContain('--http');
    const down = await runCli(['delayed', 'list', '--http', 'http://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:1/);
  }, 300_000);
});

describe('mq delayed against a broker with http.authentication.methods=basic', () => {
  it('authenticates with the URL’s user:password and never prints the password', async () => {
    await using secured = await startBroker({
      port: 0,
      http: { port: 0, schemaRegistry: false, authentication: ['basic'] },
      security: { scramUsers: [{ name: 'ops', mechanism: 'SCRAM-SHA-512', password: 'ops-secret' }] },
      config: { connectionFailedAuthenticationDelayMs: 0 },
    });
    const port = secured.http!.port;
    const ok = await runCli(['-o', 'json', 'delayed', 'list', '--http', `http://ops:ops-secret@127.0.0.1:${port}`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ pending: 0, messages: [] });
    const anonymous = await runCli(['delayed', 'list'], { env: { MQ_HTTP_URL: `http://127.0.0.1:${port}` } });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toBe('error: authentication required: Basic credentials (HTTP 401)\n');
    const wrong = await runCli(['delayed', 'list', '--http', `http://ops:not-the-secret@127.0.0.1:${port}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong user name or password');
    expect(wrong.stderr).not.toContain('not-the-secret');
  }, 300_000);
});
