// Whether a Kafka broker advertises the classic consumer-group APIs (ApiVersions v0 on a raw socket),
// so a bench can leave out group workloads with a stated reason instead of failing.
import { connect } from 'node:net';

const GROUP_APIS = [8, 9, 10, 11, 12, 13, 14]; // OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, Heartbeat, LeaveGroup, SyncGroup

export function groupsSupported(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const req = Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0]);
    let buf = Buffer.alloc(0);
    s.once('connect', () => s.write(req));
    s.on('data', (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      const n = buf.readInt32BE(10);
      const keys = new Set<number>();
      for (let i = 0; i < n; i++) keys.add(buf.readInt16BE(14 + i * 6));
      s.destroy();
      resolve(GROUP_APIS.every((k) => keys.has(k)));
    });
    s.once('error', reject);
    setTimeout(() => {
      s.destroy();
      reject(new Error('ApiVersions probe timed out'));
    }, 10_000).unref();
  });
}
