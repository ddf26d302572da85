// Which process holds the client end of a loopback TCP connection, from the kernel's own tables:
// the socket's inode in /proc/net/tcp (local port → remote port), then the process among
// `candidates` with that socket among its file descriptors (/proc/<pid>/fd). Linux only; what the
// link proxies of the network-partition tests tell brokers from test clients with.
import { readFile, readdir, readlink } from 'node:fs/promises';

/** The inode of the IPv4 socket 127.0.0.1:`localPort` → 127.0.0.1:`remotePort`, or undefined. */
async function socketInode(localPort: number, remotePort: number): Promise<string | undefined> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const local = `0100007F:${localPort.toString(16).toUpperCase().padStart(4, '0')}`;
  const remote = `0100007F:${remotePort.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) return f[9];
  }
  return undefined;
}

async function holds(pid: number, socket: string): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === socket) return true;
  }
  return false;
}

/** The pid among `candidates` whose socket connects from `localPort` to `remotePort` on 127.0.0.1; undefined: none of them. */
export async function socketOwner(localPort: number, remotePort: number, candidates: readonly number[]): Promise<number | undefined> {
  const inode = await socketInode(localPort, remotePort);
  if (inode === undefined || inode === '0') return undefined;
  for (const pid of candidates) if (await holds(pid, `socket:[${inode}]`)) return pid;
  return undefined;
}
