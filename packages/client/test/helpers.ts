// Test helpers: a real in-process broker on a free port and a client pointed at it.
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '../src/index';

export interface Harness {
  broker: RunningBroker;
  client: MqClient;
  bootstrap: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const broker = await startBroker({ port: 0 });
  const bootstrap = `${broker.host}:${broker.port}`;
  const client = new MqClient({ bootstrapServers: bootstrap, clientId: 'client-test' });
  return {
    broker,
    client,
    bootstrap,
    async close() {
      await client.close();
      await broker.stop();
    },
  };
}

let counter = 0;
export function topicName(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

/** Polls until `n` records arrived (or fails after `timeoutMs`). */
export async function pollUntil<T>(poll: () => Promise<T[]>, n: number, timeoutMs = 10_000): Promise<T[]> {
  const out: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    if (Date.now() > deadline) throw new Error(`timed out with ${out.length}/${n} records`);
    out.push(...(await poll()));
  }
  return out;
}
