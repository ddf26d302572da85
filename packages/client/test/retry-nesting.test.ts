// A broker that takes the TCP connection and closes it at once (a real socket on 127.0.0.1): the
// client retries `retries` times, then fails — once, not once per nested retry loop. topic()
// retries LEADER_NOT_AVAILABLE around refreshMetadata(), which retries connection errors itself;
// before, the two loops multiplied (retries 3: 16 connections, ~4× the time a CLI took to fail).
import { type Server, type Socket, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqClient } from '../src/index';

let server: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  server = createServer((socket: Socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('retries against a broker that drops every connection', () => {
  it.each([
    ['cluster.topic()', (c: MqClient) => c.cluster.topic('t', true)],
    ['refreshMetadata()', (c: MqClient) => c.cluster.refreshMetadata(['t'])],
    ['admin listOffsets() (three loops deep)', (c: MqClient) => c.admin().listOffsets('t', 'latest')],
    ['admin createTopics() (toController around metadata())', (c: MqClient) => c.admin().createTopics([{ name: 't', numPartitions: 1 }])],
  ] as const)('%s connects 1 + retries times, then fails', async (_name, call) => {
    connections = 0;
    const client = new MqClient({ bootstrapServers: `127.0.0.1:${port}`, retry: { retries: 3, initialBackoffMs: 1, maxBackoffMs: 2 } });
    try {
      await expect(call(client)).rejects.toThrow();
    } finally {
      await client.close();
    }
    expect(connections).toBe(4);
  });
});
