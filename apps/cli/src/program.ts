// Builds the `mq` command tree (commander) and runs it: global options, subcommands, and the error
// contract (one line on stderr; exit 2 for usage errors, 1 for broker/Kafka/network errors).
import { Command, Option } from 'commander';
import { type CliIO, CliContext, type GlobalOptions } from './context';
import { describeError } from './cli-error';
import { OUTPUT_FORMATS, type OutputFormat } from './output';
import { parseIntOption } from './parse';
import { registerCluster } from './commands/cluster';
import { registerConsume } from './commands/consume';
import { registerGroups } from './commands/groups';
import { registerProduce } from './commands/produce';
import { registerTopics } from './commands/topics';

export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

export function buildProgram(io: CliIO): Command {
  const program = new Command('mq');
  program
    .description('command-line client for mq, the Kafka-compatible broker')
    .version('0.1.0')
    .addOption(
      // The env var is read from io.env (not commander's .env()) so an empty MQ_BOOTSTRAP means unset.
      new Option('-b, --bootstrap-server <host:port>', 'broker to connect to, comma-separated list allowed (env MQ_BOOTSTRAP)').default(
        io.env.MQ_BOOTSTRAP || DEFAULT_BOOTSTRAP,
      ),
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('table'))
    .option('--client-id <id>', 'client id sent to the broker', 'mq-cli')
    .option('--request-timeout <ms>', 'per-request timeout', parseIntOption(1, 3_600_000), 30_000)
    .exitOverride()
    .configureOutput(outputConfig(io));

  const ctx = (): CliContext => {
    const o = program.opts<{ bootstrapServer: string; output: OutputFormat; clientId: string; requestTimeout: number }>();
    const global: GlobalOptions = { bootstrapServer: o.bootstrapServer, output: o.output, clientId: o.clientId, requestTimeout: o.requestTimeout };
    return new CliContext(io, global);
  };
  registerTopics(program, ctx);
  registerProduce(program, ctx);
  registerConsume(program, ctx);
  registerGroups(program, ctx);
  registerCluster(program, ctx);
  // Subcommands inherit the error contract (exitOverride, output routing).
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput(outputConfig(io));
  }
  return program;
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
