// Starts a real BrokerServer on a temp data dir and port 0 for tests (no apps/broker dependency).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ProducerIdManager, TopicManager } from '@mq/partition';
import type { Clock } from '@mq/timerwheel';
import { BrokerServer, DEFAULT_BROKER_CONFIG, type AnyApiHandler, type BrokerConfig, type RequestMiddleware } from '../src/index';

export interface TestBroker {
  server: BrokerServer;
  topics: TopicManager;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestBroker(
  config: Partial<BrokerConfig> = {},
  dataDir?: string,
  handlers?: readonly AnyApiHandler[],
  middleware?: readonly RequestMiddleware[],
  /** The broker's one clock (topics and listener); a ManualClock makes its timers test-driven. */
  clock?: Clock,
): Promise<TestBroker> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'mq-server-test-')));
  const full: BrokerConfig = { ...DEFAULT_BROKER_CONFIG, topicDefaults: { 'flush.messages': '1' }, ...config };
  const topics = await TopicManager.open({ dataDir: dir, defaults: full.topicDefaults, ...(clock !== undefined ? { clock } : {}) });
  const producerIds = await ProducerIdManager.open(dir);
  const server = await BrokerServer.start({
    host: '127.0.0.1',
    port: 0,
    config: full,
    topics,
    producerIds,
    logger: pino({ level: process.env.MQ_TEST_LOG ?? 'silent' }),
    ...(handlers !== undefined ? { handlers } : {}),
    ...(middleware !== undefined ? { middleware } : {}),
    ...(clock !== undefined ? { clock } : {}),
  });
  return {
    server,
    topics,
    port: server.address().port,
    dataDir: dir,
    async stop() {
      await server.stop();
      await topics.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
