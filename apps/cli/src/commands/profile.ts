// `mq profile create|use|list|show|delete`: named connection settings in the config file (like
// `rpk profile`), picked with --profile, $MQ_PROFILE or the file's current profile.
import type { Command } from 'commander';
import { UsageError } from '../cli-error';
import type { CliIO } from '../context';
import { type OutputFormat, render } from '../output';
import { checkBearerToken } from '../http-credentials';
import { parseIntOption } from '../parse';
import { type Profile, configPath, loadProfiles, saveProfiles } from '../profiles';

export function registerProfile(program: Command, io: CliIO): void {
  const profile = program.command('profile').description('manage connection profiles (config file: $MQ_CLI_CONFIG or ~/.config/mq/config.yaml)');
  const path = (): string => configPath(io.env);
  const print = (rows: Array<Record<string, unknown>>, data?: unknown): void => {
    io.stdout.write(render({ rows, data }, program.opts<{ output: OutputFormat }>().output));
  };

  profile
    .command('create <name>')
    .description('create or replace a profile (and make it current with --use)')
    .requiredOption('--brokers <host:port,...>', 'bootstrap servers of this profile')
    .option('--client-id <id>', 'client id')
    .option('--request-timeout <ms>', 'per-request timeout', parseIntOption(1, 3_600_000))
    .option('--schema-registry <url>', 'schema registry of this profile (mq: the broker\'s HTTP listener, e.g. http://127.0.0.1:8080)')
    .option('--bearer-token <jwt>', "token for the broker's HTTP API (Authorization: Bearer); the file is written mode 0600")
    .option('--use', 'make it the current profile')
    .action(async (name: string, opts: { brokers: string; clientId?: string; requestTimeout?: number; schemaRegistry?: string; bearerToken?: string; use?: boolean }) => {
      const file = await loadProfiles(path());
      const p: Profile = { 'bootstrap-server': opts.brokers };
      // --client-id and --request-timeout are also global options: commander may hand them to mq.
      const global = program.opts<{ clientId?: string; requestTimeout?: number; bearerToken?: string }>();
      const clientId = opts.clientId ?? global.clientId;
      const requestTimeout = opts.requestTimeout ?? global.requestTimeout;
      if (clientId !== undefined) p['client-id'] = clientId;
      if (requestTimeout !== undefined) p['request-timeout'] = requestTimeout;
      if (opts.schemaRegistry !== undefined) p['schema-registry'] = opts.schemaRegistry;
      const bearerToken = opts.bearerToken ?? global.bearerToken;
      if (bearerToken !== undefined) p['bearer-token'] = checkBearerToken(bearerToken, '--bearer-token');
      file.profiles[name] = p;
      if (opts.use || file.current === undefined) file.current = name;
      await saveProfiles(path(), file);
      print([{ profile: name, current: file.current === name, path: path() }]);
    });

  profile
    .command('use <name>')
    .description('make a profile the current one')
    .action(async (name: string) => {
      const file = await loadProfiles(path());
      if (!file.profiles[name]) throw new UsageError(`no profile "${name}" in ${path()}`);
      file.current = name;
      await saveProfiles(path(), file);
      print([{ profile: name, current: true }]);
    });

  profile
    .command('list')
    .description('list profiles (* marks the current one)')
    .action(async () => {
      const file = await loadProfiles(path());
      const rows = Object.entries(file.profiles).map(([name, p]) => ({ current: file.current === name ? '*' : '', profile: name, bootstrapServer: p['bootstrap-server'] ?? null }));
      const profiles = Object.fromEntries(Object.entries(file.profiles).map(([name, p]) => [name, redacted(p)]));
      print(rows, { current: file.current ?? null, profiles });
    });

  profile
    .command('show [name]')
    .description('print one profile (the current one by default)')
    .action(async (name: string | undefined) => {
      const file = await loadProfiles(path());
      const n = name ?? file.current;
      const p = n === undefined ? undefined : file.profiles[n];
      if (!p) throw new UsageError(n === undefined ? 'no current profile (mq profile create <name> --brokers ...)' : `no profile "${n}" in ${path()}`);
      const shown = redacted(p);
      print(Object.entries(shown).map(([key, value]) => ({ key, value })), { profile: n, ...shown });
    });

  profile
    .command('delete <name>')
    .description('delete a profile')
    .action(async (name: string) => {
      const file = await loadProfiles(path());
      if (!file.profiles[name]) throw new UsageError(`no profile "${name}" in ${path()}`);
      delete file.profiles[name];
      if (file.current === name) delete file.current;
      await saveProfiles(path(), file);
      print([{ profile: name, deleted: true }]);
    });
}

/** A token is a credential: shown as set, never printed (as `kubectl config view` redacts). */
function redacted(p: Profile): Profile {
  return p['bearer-token'] === undefined ? p : { ...p, 'bearer-token': 'REDACTED' };
}
