// Builds the `mq` command tree (commander) and runs it: global options, subcommands, and the error
// contract (one line on stderr; exit 2 for usage errors, 1 for broker/Kafka/network errors).
import { Command, Option } from 'commander';
import { type CliIO, CliContext, type GlobalOptions } from './context';
import { UsageError, describeError } from './cli-error';
import { parseHostPort } from '@mq/client';
import { type SecurityFlags, kafkaSecurity, securityFromFlagsOrEnvOnly } from './kafka-security';
import { configPath, loadProfiles, pickProfile } from './profiles';
import { registerProfile } from './commands/profile';
import { registerCompletion } from './commands/completion';
import { OUTPUT_FORMATS, type OutputFormat } from './output';
import { parseIntOption } from './parse';
import { cliVersion } from './version';
import { registerAcl } from './commands/acl';
import { registerUsers } from './commands/users';
import { registerCluster } from './commands/cluster';
import { registerConsume } from './commands/consume';
import { registerDelayed } from './commands/delayed';
import { registerTenants } from './commands/tenants';
import { registerDlq } from './commands/dlq';
import { registerGroups } from './commands/groups';
import { registerProduce } from './commands/produce';
import { registerQueue } from './commands/queue';
import { registerQuotas } from './commands/quotas';
import { registerSchemas } from './commands/schemas';
import { registerShareGroups } from './commands/share-groups';
import { registerTopics } from './commands/topics';
import { registerTrace } from './commands/trace';

export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

export function buildProgram(io: CliIO): Command {
  const program = new Command('mq');
  program
    .description('command-line client for mq, the Kafka-compatible broker')
    .version(cliVersion(), '-V, --version', 'print the version of mq')
    // No commander defaults here: precedence is flag, then env, then profile, then built-in (below).
    .option('-b, --bootstrap-server <host:port>', `broker to connect to, comma-separated list allowed (env MQ_BOOTSTRAP, else the profile, else ${DEFAULT_BOOTSTRAP})`)
    .option('--profile <name>', 'connection profile from the config file (env MQ_PROFILE, else the current one; see `mq profile`)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('table'))
    .option('--client-id <id>', 'client id sent to the broker (default mq-cli)')
    .option('--request-timeout <ms>', 'per-request timeout (default 30000)', parseIntOption(1, 3_600_000))
    .option('--bearer-token <jwt>', "token sent as Authorization: Bearer to the broker's HTTP API (schemas, delayed, trace), and with --sasl-mechanism OAUTHBEARER to the Kafka listener (env MQ_BEARER_TOKEN, else the profile's bearer-token)")
    .option('--sasl-mechanism <name>', 'SASL on the Kafka listener: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (env MQ_SASL_MECHANISM, else the profile)')
    .option('--sasl-username <user>', 'SASL user for PLAIN / SCRAM (env MQ_SASL_USERNAME, else the profile)')
    .option('--sasl-password <password>', 'SASL password for PLAIN / SCRAM (env MQ_SASL_PASSWORD, else the profile; the env keeps it out of ps)')
    .option('--tls', 'connect to the Kafka listener over TLS, trusting the system CAs unless --tls-ca (env MQ_TLS=1, else the profile)')
    .option('--tls-ca <file>', "PEM CA certificates the brokers' certificates must chain to; implies --tls (env MQ_TLS_CA)")
    .option('--tls-cert <file>', 'PEM client certificate for mTLS, with --tls-key (env MQ_TLS_CERT)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert (env MQ_TLS_KEY)')
    .exitOverride()
    .configureOutput(outputConfig(io));

  let global: GlobalOptions | undefined;
  program.hook('preAction', async (_program, action) => {
    // `profile` and `completion` never connect: a broken config file must not lock them out.
    if (action.name() === 'completion' || action.parent?.name() === 'profile') return;
    global = await resolveGlobals(program, io);
  });
  const ctx = (): CliContext => new CliContext(io, global!);
  registerTopics(program, ctx);
  registerProduce(program, ctx);
  registerConsume(program, ctx);
  registerGroups(program, ctx);
  registerShareGroups(program, ctx);
  registerQueue(program, ctx);
  registerQuotas(program, ctx);
  registerDelayed(program, ctx);
  registerTenants(program, ctx);
  registerDlq(program, ctx);
  registerCluster(program, ctx);
  registerAcl(program, ctx);
  registerUsers(program, ctx);
  registerTrace(program, ctx);
  registerSchemas(program, ctx);
  registerProfile(program, io);
  registerCompletion(program, io);
  // Subcommands inherit the error contract (exitOverride, output routing).
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput(outputConfig(io));
  }
  return program;
}

interface RawGlobals extends SecurityFlags {
  bootstrapServer?: string;
  profile?: string;
  output: OutputFormat;
  clientId?: string;
  requestTimeout?: number;
}

async function resolveGlobals(program: Command, io: CliIO): Promise<GlobalOptions> {
  const o = program.opts<RawGlobals>();
  const path = configPath(io.env);
  const profileName = o.profile ?? (io.env.MQ_PROFILE || undefined);
  // Only read the file when something may come from it: a broken file never blocks `-b`.
  const needFile =
    profileName !== undefined || o.bootstrapServer === undefined || o.clientId === undefined || o.requestTimeout === undefined || !securityFromFlagsOrEnvOnly(o, io.env);
  const profile = needFile ? pickProfile(await loadProfiles(path), path, profileName) : {};
  const bootstrapServer = o.bootstrapServer ?? (io.env.MQ_BOOTSTRAP || undefined) ?? profile['bootstrap-server'] ?? DEFAULT_BOOTSTRAP;
  checkBootstrap(bootstrapServer);
  return {
    bootstrapServer,
    profileName,
    output: o.output,
    clientId: o.clientId ?? profile['client-id'] ?? 'mq-cli',
    requestTimeout: o.requestTimeout ?? profile['request-timeout'] ?? 30_000,
    ...(o.bearerToken === undefined ? {} : { bearerToken: o.bearerToken }),
    security: await kafkaSecurity(o, io.env, profile),
  };
}

/** A bad address is a usage error (exit 2), found before any connection attempt. */
function checkBootstrap(list: string): void {
  const parts = list.split(',').map((s) => s.trim());
  for (const p of parts) {
    if (p === '') throw new UsageError(`bad --bootstrap-server "${list}": empty address in the list`);
    try {
      parseHostPort(p);
    } catch {
      throw new UsageError(`bad --bootstrap-server "${p}": want host:port with a port from 1 to 65535`);
    }
  }
}

/** Commander's errors (and its "Did you mean" hint) folded into one stderr line. */
function outputConfig(io: CliIO): { writeOut(s: string): void; writeErr(s: string): void; outputError(s: string, write: (s: string) => void): void } {
  return {
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(`${s.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
  };
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Runs the CLI and returns the process exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    const { code, message } = describeError(err);
    if (message) io.stderr.write(`${message}\n`);
    return code;
  }
}
