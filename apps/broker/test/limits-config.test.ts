// The resource-limit settings (fetch.max.bytes, queued.max.request.bytes, max.connections,
// max.connections.per.ip): Kafka defaults, parsed from the config file, ranges refused at start.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBrokerOptions } from '../src/index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-broker-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(props: Record<string, unknown>) {
  const file = join(dir, 'broker.json');
  await writeFile(file, JSON.stringify(props));
  return loadBrokerOptions(['--config', file], {});
}

describe('resource limit configs', () => {
  it('defaults: fetch.max.bytes 55 MiB as Kafka, queued.max.request.bytes 100 MiB, connections unlimited', async () => {
    const { config } = await load({});
    expect(config.fetchMaxBytes).toBe(57_671_680);
    expect(config.queuedMaxRequestBytes).toBe(104_857_600);
    expect(config.maxConnections).toBe(2_147_483_647);
    expect(config.maxConnectionsPerIp).toBe(2_147_483_647);
  });

  it('reads them from the config file', async () => {
    const { config } = await load({
      'fetch.max.bytes': 1_000_000,
      'queued.max.request.bytes': '209715200',
      'max.connections': 100,
      'max.connections.per.ip': 10,
    });
    expect(config).toMatchObject({ fetchMaxBytes: 1_000_000, queuedMaxRequestBytes: 209_715_200, maxConnections: 100, maxConnectionsPerIp: 10 });
    expect((await load({ 'queued.max.request.bytes': -1 })).config.queuedMaxRequestBytes).toBe(-1);
  });

  it('reads listener.name.<listener>.max.connections per listener (names case-insensitive), --override beating the file', async () => {
    const { config } = await load({ 'listener.name.client.max.connections': 5, 'listener.name.PLAINTEXT.max.connections': '7' });
    expect(config.listenerMaxConnections).toEqual({ CLIENT: 5, PLAINTEXT: 7 });
    const file = join(dir, 'listener.json');
    await writeFile(file, JSON.stringify({ 'listener.name.client.max.connections': 5 }));
    const overridden = await loadBrokerOptions(['--config', file, '--override', 'listener.name.CLIENT.max.connections=9'], {});
    expect(overridden.config.listenerMaxConnections).toEqual({ CLIENT: 9 });
    expect((await load({})).config.listenerMaxConnections).toBeUndefined();
    await expect(load({ 'listener.name.client.max.connections': -1 })).rejects.toThrow(/listener\.name\.client\.max\.connections: -1 is outside \[0, 2147483647\]/);
    await expect(load({ 'listener.name.client.max.connections': 'many' })).rejects.toThrow(/listener\.name\.client\.max\.connections: not a number/);
  });

  it('refuses values out of range with the key and the range', async () => {
    await expect(load({ 'fetch.max.bytes': 1023 })).rejects.toThrow(/fetch\.max\.bytes: 1023 is outside \[1024, 2147483647\]/);
    await expect(load({ 'fetch.max.bytes': 2.5e9 })).rejects.toThrow(/fetch\.max\.bytes: 2500000000 is outside/);
    await expect(load({ 'fetch.max.bytes': 'lots' })).rejects.toThrow(/fetch\.max\.bytes: not a number/);
    await expect(load({ 'max.connections': -1 })).rejects.toThrow(/max\.connections: -1 is outside \[0, 2147483647\]/);
    await expect(load({ 'max.connections.per.ip': 1.5 })).rejects.toThrow(/max\.connections\.per\.ip: 1\.5 is not an integer/);
    await expect(load({ 'max.connections.per.ip.overrides': '127.0.0.1' })).rejects.toThrow(/max\.connections\.per\.ip\.overrides: "127\.0\.0\.1" is not address:limit/);
    await expect(load({ 'max.connections.per.ip.overrides': 'db.local:5' })).rejects.toThrow(/not an IP address/);
    expect((await load({ 'max.connections.per.ip.overrides': '10.0.0.1:5, [::1]:7', 'max.connection.creation.rate': 20 })).config).toMatchObject({
      maxConnectionsPerIpOverrides: '10.0.0.1:5, [::1]:7',
      maxConnectionCreationRate: 20,
    });
    await expect(load({ 'queued.max.request.bytes': 0 })).rejects.toThrow(/queued\.max\.request\.bytes: 0 is outside \[1, \d+\] or -1/);
    await expect(load({ 'queued.max.request.bytes': 1_000_000 })).rejects.toThrow(
      /queued\.max\.request\.bytes \(1000000\) must be at least socket\.request\.max\.bytes \(104857600\)/,
    );
    expect((await load({ 'queued.max.request.bytes': 1_000_000, 'socket.request.max.bytes': 1_000_000 })).config.queuedMaxRequestBytes).toBe(1_000_000);
  });
});
