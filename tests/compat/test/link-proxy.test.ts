// The fault injector of the network-partition tests on its own, over real loopback sockets: a
// LinkProxy forwards both ways, tells sources apart by the process holding the other end (a child
// process's socket is named, this process's is "client"), and a cut silences that source's open
// connection and blackholes its new ones — accepted, never answered — until heal() drops them and
// forwards again.
import { spawn } from 'node:child_process';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../src/cluster-probe';
import { type LinkSource, LinkProxy } from '../src/link-proxy';
import { socketOwner } from '../src/socket-owner';

let echo: Server;
let echoPort: number;

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((r) => echo.close(() => r()));
});

/** Connects through `port`; resolves with the socket and everything it has received so far. */
async function open(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect({ host: '127.0.0.1', port });
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString()));
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, received: () => got };
}

const quiet = () => new Promise((r) => setTimeout(r, 300));

describe('LinkProxy', () => {
  it('forwards, goes silent for a cut source, blackholes its new connections, and forwards again after heal', async () => {
    const proxy = await LinkProxy.start({ target: () => echoPort, identify: async () => 'client' });
    try {
      const a = await open(proxy.port);
      a.socket.write('one');
      await until('echoed through the proxy', 10_000, () => a.received() === 'one');
      proxy.cut(['client']);
      a.socket.write('two');
      const b = await open(proxy.port); // the connect succeeds: a blackhole, not a refusal
      b.socket.write('three');
      await quiet();
      expect(a.received()).toBe('one');
      expect(b.received()).toBe('');
      expect(proxy.openLinks()).toEqual([]);
      proxy.heal();
      await until('the silent connections dropped', 10_000, () => a.socket.destroyed && b.socket.destroyed);
      const c = await open(proxy.port);
      c.socket.write('four');
      await until('echoed after the heal', 10_000, () => c.received() === 'four');
      c.socket.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('names the process holding the other end, and cuts one source while another goes on', async () => {
    const children: number[] = [];
    const identify = async (local: number, proxyPort: number): Promise<LinkSource> => ((await socketOwner(local, proxyPort, children)) === undefined ? 'client' : 7);
    const proxy = await LinkProxy.start({ target: () => echoPort, identify });
    // A child process that connects through the proxy and writes "ping" every 100 ms.
    const child = spawn(process.execPath, ['-e', `const s=require('net').connect(${proxy.port},'127.0.0.1');s.on('error',()=>{});setInterval(()=>s.write('ping'),100)`], { stdio: 'ignore' });
    children.push(child.pid!);
    try {
      const mine = await open(proxy.port);
      await until('both connections named', 10_000, () => proxy.openLinks().sort().join(',') === '7,client');
      proxy.cut([7]);
      expect(proxy.openLinks()).toEqual(['client']);
      mine.socket.write('still here');
      await until('the uncut source still echoed', 10_000, () => mine.received() === 'still here');
      mine.socket.destroy();
    } finally {
      child.kill('SIGKILL');
      await proxy.close();
    }
  });
});
