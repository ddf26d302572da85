// KIP-368 on the wire, the run every re-authentication test makes: two connections log in, time
// moves (a ManualClock), one of them logs in again, time moves past the first session's end, then
// each sends a Metadata request — the renewed one is served, the other is closed unanswered.
import { ApiKey, encodeRequest } from '@mq/protocol';
import type { ManualClock } from '@mq/timerwheel';
import { type Outcome, RawConnection } from './raw-connection';

export interface SaslAuthenticateAnswer {
  readonly errorCode: number;
  readonly sessionLifetimeMs: bigint;
}

/** Sends SaslHandshake v1 (correlation id `base`) and SaslAuthenticate v1 (`base + 1`); answers the latter, the `want`-th frame. */
export type WireLogin = (c: RawConnection, base: number, want: number) => Promise<SaslAuthenticateAnswer>;

export interface ReauthenticationRun {
  readonly first: SaslAuthenticateAnswer;
  readonly again: SaslAuthenticateAnswer;
  /** The re-authenticated connection after its Metadata request (5 frames when served). */
  readonly renewed: Outcome;
  /** The other one after its Metadata request (2 frames and closed when its session ended). */
  readonly expired: Outcome;
}

export async function reauthenticationRun(clock: ManualClock, port: number, login: WireLogin, beforeMs: number, afterMs: number): Promise<ReauthenticationRun> {
  const metadata = encodeRequest(ApiKey.Metadata, 1, { correlationId: 5, clientId: 'wire' }, { topics: null });
  const renewedConn = await RawConnection.open('127.0.0.1', port);
  const expiredConn = await RawConnection.open('127.0.0.1', port);
  try {
    const first = await login(renewedConn, 1, 2);
    await login(expiredConn, 1, 2);
    clock.advance(beforeMs);
    const again = await login(renewedConn, 3, 4);
    clock.advance(afterMs);
    await renewedConn.write(metadata);
    const renewed = await renewedConn.outcome(10_000, 5);
    await expiredConn.write(metadata);
    const expired = await expiredConn.outcome(10_000, 3);
    return { first, again, renewed, expired };
  } finally {
    renewedConn.destroy();
    expiredConn.destroy();
  }
}
