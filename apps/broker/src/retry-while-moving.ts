// Retrying an inter-broker step while what it talks to moves: a coordinator or partition leader
// being re-elected, a broker that was killed, an ISR that does not answer yet. The attempt runs
// until it succeeds, fails with a code outside `retriable`, or the deadline passes (then its last
// error, as a KafkaError). A failure that is not a KafkaError (a broken or timed-out connection)
// counts as NETWORK_EXCEPTION.
import { ErrorCode, KafkaError, kafkaErrorCode } from '@mq/protocol';
import type { Clock } from '@mq/timerwheel';

const RETRY_BACKOFF_MS = 50;

export async function retryWhileMoving<T>(clock: Clock, deadlineMs: number, retriable: ReadonlySet<number>, what: string, attempt: () => Promise<T>): Promise<T> {
  const deadline = clock.monotonic() + deadlineMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const code = err instanceof KafkaError ? err.errorCode : kafkaErrorCode(err) === ErrorCode.UNKNOWN_SERVER_ERROR ? ErrorCode.NETWORK_EXCEPTION : kafkaErrorCode(err);
      if (!retriable.has(code) || clock.monotonic() >= deadline) throw err instanceof KafkaError ? err : new KafkaError(code, `${what}: ${(err as Error).message}`, { cause: err });
      await new Promise<void>((resolve) => clock.schedule(RETRY_BACKOFF_MS, resolve));
    }
  }
}
