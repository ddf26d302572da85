// Asks a broker which APIs it advertises (ApiVersions v0 over a raw socket): tests use it to report
// clearly when a feature they exercise (e.g. consumer groups) is not advertised yet.
import { API_KEYS, parseApiVersionsV0, requestFrame } from './kafka-frames';
import { RawConnection } from './raw-connection';

export async function advertisedApis(host: string, port: number): Promise<Map<number, { min: number; max: number }>> {
  const conn = await RawConnection.open(host, port);
  try {
    await conn.write(requestFrame(API_KEYS.ApiVersions, 0, 1));
    const out = await conn.outcome(10_000);
    const frame = out.frames[0];
    if (frame === undefined) throw new Error(`no ApiVersions response (closed: ${out.closedByBroker})`);
    return parseApiVersionsV0(frame).apis;
  } finally {
    conn.destroy();
  }
}

/** True when the classic consumer-group APIs the Node clients need are all advertised. */
export async function groupsAdvertised(host: string, port: number): Promise<boolean> {
  const apis = await advertisedApis(host, port);
  return [API_KEYS.FindCoordinator, API_KEYS.JoinGroup, API_KEYS.SyncGroup, API_KEYS.Heartbeat, API_KEYS.LeaveGroup, API_KEYS.OffsetCommit, API_KEYS.OffsetFetch].every((k) =>
    apis.has(k),
  );
}
