#!/usr/bin/env node
// The `mq-broker` binary: flags / env / JSON config file → startBroker(); pino JSON logs on stdout;
// SIGTERM/SIGINT shut down gracefully (also when they arrive during startup) and exit 0.
import pino from 'pino';
import { loadBrokerOptions, parseBrokerArgs } from './config';
import { helpText } from './help';
import { startBroker, type RunningBroker } from './start-broker';
import { brokerVersion } from './version';

async function main(): Promise<void> {
  const args = parseBrokerArgs(process.argv.slice(2));
  if (args.help || args.version) {
    process.stdout.write(args.help ? helpText(brokerVersion()) : `${brokerVersion()}\n`);
    return;
  }
  const opts = await loadBrokerOptions(process.argv.slice(2), process.env);
  const logger = pino({ level: opts.logLevel, base: { pid: process.pid } });
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
    if (signalled !== undefined) return;
    signalled = signal;
    logger.info({ signal }, 'shutdown requested');
    shutdown();
  };
  // Installed before startup so a signal during startup is never the default (exit by signal).
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  broker = await startBroker({ ...opts, logger });
  if (signalled !== undefined) shutdown();
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad flags, unreadable config): write one JSON line by hand.
  const message = err instanceof Error ? err.message : String(err);
  const error = err instanceof Error ? err.name : 'Error'; // ConfigError, DataDirLockedError, KafkaStorageError, ...
  process.stdout.write(`${JSON.stringify({ level: 60, time: Date.now(), msg: 'broker failed to start', error, err: message })}\n`);
  process.exit(1);
});
