#!/usr/bin/env node
// The `mq-broker` binary: flags / env / JSON config file → startBroker(); pino JSON logs on stdout;
// SIGTERM/SIGINT shut down gracefully and exit 0.
import pino from 'pino';
import { loadBrokerOptions } from './config';
import { startBroker } from './start-broker';

async function main(): Promise<void> {
  const opts = await loadBrokerOptions(process.argv.slice(2), process.env);
  const logger = pino({ level: opts.logLevel, base: { pid: process.pid } });
  const broker = await startBroker({ ...opts, logger });
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutdown requested');
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  // pino may not exist yet (bad flags): write one JSON line by hand.
  process.stdout.write(`${JSON.stringify({ level: 60, time: Date.now(), msg: 'broker failed to start', err: String(err instanceof Error ? err.message : err) })}\n`);
  process.exit(1);
});
