// `mq users create|delete|list` against a real broker with a SASL_PLAINTEXT listener beside the
// PLAINTEXT one the CLI talks to: a user created by the CLI authenticates kcat (librdkafka) with
// SCRAM, its credential is listed (mechanism and iterations only), and once deleted it no longer
// authenticates. Passwords from --password and from stdin.
import { spawn } from 'node:child_process';
import { startBroker, type RunningBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
let saslPort: number;

beforeAll(async () => {
  broker = await startBroker({ security: { listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0' } });
  b = ['-b', `127.0.0.1:${broker.port}`];
  saslPort = broker.listeners.find((l) => l.name === 'SASL_PLAINTEXT')!.port;
});
afterAll(async () => {
  await broker?.stop();
});

/** kcat -L over SASL_PLAINTEXT: true when it authenticated and listed the broker (async: the broker runs in this process). */
function kcatAuthenticates(mechanism: string, user: string, password: string): Promise<boolean> {
  const args = ['-L', '-b', `127.0.0.1:${saslPort}`, '-m', '5', '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`];
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

describe('mq users', () => {
  it('create (--password and stdin), list, and the user authenticates with SCRAM; delete revokes it', async () => {
    const created = await runCli([...b, 'users', 'create', 'alice', '--mechanism', 'SCRAM-SHA-512', '--mechanism', 'SCRAM-SHA-256', '--password', 'alice-pw', '--iterations', '8192']);
    expect(created.code, created.stderr).toBe(0);
    const fromStdin = await runCli([...b, 'users', 'create', 'bob'], { input: 'bob-pw\n' });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const listed = await runCli([...b, '-o', 'json', 'users', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      { user: 'alice', mechanism: 'SCRAM-SHA-256', iterations: 8192 },
      { user: 'alice', mechanism: 'SCRAM-SHA-512', iterations: 8192 },
      { user: 'bob', mechanism: 'SCRAM-SHA-256', iterations: 4096 },
    ]);
    expect(listed.stdout).not.toContain('alice-pw');
    expect(await kcatAuthenticates('SCRAM-SHA-512', 'alice', 'alice-pw')).toBe(true);
    expect(await kcatAuthenticates('SCRAM-SHA-256', 'bob', 'bob-pw')).toBe(true);
    expect(await kcatAuthenticates('SCRAM-SHA-256', 'bob', 'wrong')).toBe(false);
    const deleted = await runCli([...b, 'users', 'delete', 'alice']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await kcatAuthenticates('SCRAM-SHA-512', 'alice', 'alice-pw')).toBe(false);
    const after = await runCli([...b, '-o', 'json', 'users', 'list', 'bob']);
    expect(JSON.parse(after.stdout)).toEqual([{ user: 'bob', mechanism: 'SCRAM-SHA-256', iterations: 4096 }]);
  });

  it('refuses bad input with one line and a non-zero exit', async () => {
    const mech = await runCli([...b, 'users', 'create', 'x', '--mechanism', 'MD5', '--password', 'p']);
    expect(mech.code).toBe(2);
    expect(mech.stderr).toContain('--mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512');
    const iters = await runCli([...b, 'users', 'create', 'x', '--iterations', '10', '--password', 'p']);
    expect(iters.code).toBe(2);
    const noPassword = await runCli([...b, 'users', 'create', 'x'], { input: '' });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('no password');
    const missing = await runCli([...b, 'users', 'list', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    const missingDelete = await runCli([...b, 'users', 'delete', 'nobody', '--mechanism', 'SCRAM-SHA-256']);
    expect(missingDelete.code).toBe(1);
  });
});
