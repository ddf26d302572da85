// `mq users create|delete|list`: SCRAM users (AlterUserScramCredentials / DescribeUserScramCredentials,
// as kafka-configs --entity-type users --alter --add-config 'SCRAM-SHA-256=[password=...]'). The
// password comes from --password or the first line of stdin (so it need not be in shell history);
// the client salts it, so it never crosses the wire.
import type { ScramMechanismName } from '@mq/client';
import type { Command } from 'commander';
import { UsageError } from '../cli-error';
import type { CliContext } from '../context';

const MECHANISMS: readonly ScramMechanismName[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

function mechanismOf(value: string): ScramMechanismName {
  const m = value.toUpperCase();
  if (!(MECHANISMS as readonly string[]).includes(m)) throw new UsageError(`--mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512, not ${value}`);
  return m as ScramMechanismName;
}

async function readPassword(ctx: CliContext): Promise<string> {
  const stdin = ctx.io.stdin;
  if (stdin.isTTY === true) ctx.io.stderr.write('Password: ');
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.includes('\n')) break;
  }
  const line = text.split('\n')[0]!.replace(/\r$/, '');
  if (line === '') throw new UsageError('no password: give --password or one line on stdin');
  return line;
}

export function registerUsers(program: Command, ctx: () => CliContext): void {
  const users = program.command('users').description('create, delete and list SCRAM users');

  users
    .command('create <user>')
    .description('create a SCRAM user, or change its password (password from --password or stdin)')
    .option('--mechanism <mechanism>', 'SCRAM-SHA-256 or SCRAM-SHA-512 (repeatable; default SCRAM-SHA-256)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--password <password>', 'the password (default: read the first line of stdin)')
    .option('--iterations <n>', 'PBKDF2 iterations, 4096..16384 (default 4096)')
    .action(async (user: string, o: { mechanism: string[]; password?: string; iterations?: string }) => {
      const mechanisms = (o.mechanism.length === 0 ? ['SCRAM-SHA-256'] : o.mechanism).map(mechanismOf);
      const iterations = o.iterations === undefined ? 4096 : Number(o.iterations);
      if (!Number.isInteger(iterations) || iterations < 4096 || iterations > 16_384) throw new UsageError(`--iterations must be an integer in 4096..16384, not ${o.iterations}`);
      const c = ctx();
      const password = o.password ?? (await readPassword(c));
      await c.withClient((client) => client.admin().alterUserScramCredentials({ upsertions: mechanisms.map((mechanism) => ({ user, mechanism, password, iterations })) }));
      c.print({ rows: mechanisms.map((mechanism) => ({ user, mechanism, iterations })), columns: ['user', 'mechanism', 'iterations'] });
    });

  users
    .command('delete <user>')
    .description('delete a SCRAM user’s credentials (every mechanism it has, or those given)')
    .option('--mechanism <mechanism>', 'SCRAM-SHA-256 or SCRAM-SHA-512 (repeatable; default: every one the user has)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (user: string, o: { mechanism: string[] }) => {
      const c = ctx();
      const deleted = await c.withClient(async (client) => {
        const admin = client.admin();
        const mechanisms = o.mechanism.length > 0 ? o.mechanism.map(mechanismOf) : ((await admin.describeUserScramCredentials([user]))[0]?.credentials.map((x) => x.mechanism) ?? []);
        await admin.alterUserScramCredentials({ deletions: mechanisms.map((mechanism) => ({ user, mechanism })) });
        return mechanisms;
      });
      c.print({ rows: deleted.map((mechanism) => ({ user, mechanism })), columns: ['user', 'mechanism'] });
    });

  users
    .command('list [users...]')
    .description('list SCRAM users and their mechanisms (all, or those named)')
    .action(async (names: string[]) => {
      const c = ctx();
      const found = await c.withClient((client) => client.admin().describeUserScramCredentials(names));
      c.print({ rows: found.flatMap((u) => u.credentials.map((cr) => ({ user: u.user, mechanism: cr.mechanism, iterations: cr.iterations }))), columns: ['user', 'mechanism', 'iterations'] });
    });
}
