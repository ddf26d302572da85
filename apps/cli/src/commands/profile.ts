// `mq profile create|use|list|show|delete`: named connection settings in the config file (like
// `rpk profile`), picked with --profile, $MQ_PROFILE or the file's current profile.
import type { Command } from 'commander';
import { UsageError } from '../cli-error';
import type { CliIO } from '../context';
import { type OutputFormat, render } from '../output';
import { checkBearerToken } from '../http-credentials';
import { parseIntOption } from '../parse';
import { type SecurityFlags, kafkaSecurity } from '../kafka-security';
import { type Profile, SECRET_PROFILE_KEYS, configPath, loadProfiles, saveProfiles } from '../profiles';

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
    .option('--sasl-mechanism <name>', 'SASL mechanism for the Kafka-protocol commands (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER with --bearer-token)')
    .option('--sasl-username <user>', 'SASL user (PLAIN, SCRAM)')
    .option('--sasl-password <password>', 'SASL password (PLAIN, SCRAM); the file is written mode 0600')
    .option('--tls', 'connect to the brokers over TLS (system CAs unless --tls-ca)')
    .option('--tls-ca <file>', 'PEM CA certificates the brokers\' certificates must chain to')
    .option('--tls-cert <file>', 'PEM client certificate (mTLS), with --tls-key')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--use', 'make it the current profile')
    .action(async (name: string, opts: { brokers: string; clientId?: string; requestTimeout?: number; schemaRegistry?: string; bearerToken?: string; use?: boolean } & SecurityFlags) => {
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
      const g = program.opts<SecurityFlags>();
      const sec: SecurityFlags = {};
      for (const k of ['saslMechanism', 'saslUsername', 'saslPassword', 'tlsCa', 'tlsCert', 'tlsKey'] as const) {
        const v = opts[k] ?? g[k];
        if (v !== undefined) sec[k] = v;
      }
      const tls = opts.tls ?? g.tls;
      if (tls !== undefined) sec.tls = tls;
      // The same checks as at use (an OAUTHBEARER profile without a token, a cert without its key), without the env.
      await kafkaSecurity({ ...sec, ...(bearerToken !== undefined ? { bearerToken } : {}) }, {}, {});
      if (sec.saslMechanism !== undefined) p['sasl-mechanism'] = sec.saslMechanism.toUpperCase();
      if (sec.saslUsername !== undefined) p['sasl-username'] = sec.saslUsername;
      if (sec.saslPassword !== undefined) p['sasl-password'] = sec.saslPassword;
      if (sec.tls !== undefined) p.tls = sec.tls;
      if (sec.tlsCa !== undefined) p['tls-ca'] = sec.tlsCa;
      if (sec.tlsCert !== undefined) p['tls-cert'] = sec.tlsCert;
      if (sec.tlsKey !== undefined) p['tls-key'] = sec.tlsKey;
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

/** Tokens and passwords are credentials: shown as set, never printed (as `kubectl config view` redacts). */
function redacted(p: Profile): Profile {
  const shown: Profile = { ...p };
  for (const k of SECRET_PROFILE_KEYS) if (shown[k] !== undefined) shown[k] = 'REDACTED';
  return shown;
}
