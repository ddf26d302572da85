#!/usr/bin/env node
// The `mq-broker` binary: flags / env / config file (server.properties or JSON) → startBroker().
// Logs: pino JSON on stdout, or one readable line per entry on a terminal (--log-format). A start
// that fails is one line: human on a terminal (stderr), JSON otherwise (stdout). SIGTERM/SIGINT
// stop gracefully (also during startup) and exit 0; a second one exits at once, without the stop.
import pino, { type Logger } from 'pino';
import { type LogFormat, loadBrokerOptions, parseBrokerArgs } from './config';
import { helpText } from './help';
import { prettyStream } from './pretty-log';
import { type RunningBroker, startBroker } from './start-broker';
import { brokerVersion } from './version';

/** The format asked for before the options are parsed (they may be what failed). */
function requestedFormat(argv: readonly string[], env: NodeJS.ProcessEnv): LogFormat | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a.startsWith('--log-format=') ? a.slice('--log-format='.length) : a === '--log-format' ? argv[i + 1] : undefined;
    if (v === 'json' || v === 'pretty') return v;
  }
  const e = env.MQ_LOG_FORMAT;
  return e === 'json' || e === 'pretty' ? e : undefined;
}

function formatOf(asked: LogFormat | undefined): LogFormat {
  return asked ?? (process.stdout.isTTY === true ? 'pretty' : 'json');
}

/** Exit codes of a forced exit, as a shell reports death by that signal. */
const FORCED_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseBrokerArgs(argv);
  if (args.help || args.version) {
    process.stdout.write(args.help ? helpText(brokerVersion()) : `${brokerVersion()}\n`);
    return;
  }
  const opts = await loadBrokerOptions(argv, process.env);
  const format = formatOf(opts.logFormat);
  const pinoOpts = { level: opts.logLevel, base: { pid: process.pid } };
  const logger: Logger = format === 'pretty' ? pino(pinoOpts, prettyStream(process.stdout)) : pino(pinoOpts);
  if (opts.ignored.length > 0) {
    logger.warn({ ignored: Object.fromEntries(opts.ignored.map((i) => [i.key, i.reason])) }, `ignored Kafka settings that have no effect on mq: ${opts.ignored.map((i) => i.key).join(', ')}`);
  }
  let broker: RunningBroker | undefined;
  let signalled: NodeJS.Signals | undefined;
  const shutdown = (): void => {
    if (broker === undefined) return; // startup finishes first, then sees `signalled`
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) {
      // The operator means it: no more waiting for in-flight requests or logs to close. Every
      // acknowledged write is already on disk (or as durable as flush.* says); recovery does the rest.
      logger.warn({ signal }, 'second signal: exiting now, without a clean shutdown (the next start recovers the logs)');
      logger.flush?.();
      process.exit(FORCED_EXIT[signal] ?? 1);
    }
    signalled = signal;
    logger.info({ signal }, 'shutdown requested (send it again to exit at once)');
    shutdown();
  };
  // Installed before startup so a signal during startup is never the default (exit by signal).
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  broker = await startBroker({ ...opts, logger });
  if (signalled !== undefined) shutdown();
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  const error = err instanceof Error ? err.name : 'Error'; // ConfigError, DataDirLockedError, KafkaStorageError, ...
  if (formatOf(requestedFormat(process.argv.slice(2), process.env)) === 'pretty') {
    process.stderr.write(`mq-broker: ${message}\n`);
  } else {
    // The logger may not exist yet (bad flags, unreadable config): one JSON line by hand.
    process.stdout.write(`${JSON.stringify({ level: 60, time: Date.now(), msg: 'broker failed to start', error, err: message })}\n`);
  }
  process.exit(1);
});
