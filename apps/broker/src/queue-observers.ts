// The queues' observers for a broker: one ShareObserver and one onDelivered that fan each event out
// to the feeds that are on (tracing, metrics); with none on, neither exists and nothing is collected.
import type { Delivery } from '@mq/delay';
import type { ShareObserver, SharePartitionKey, ShareStep } from '@mq/share';

export interface QueueFeed {
  shareStep(key: SharePartitionKey, step: ShareStep): void;
  delivered(deliveries: readonly Delivery[]): void;
}

export interface QueueObservers {
  readonly share: ShareObserver | undefined;
  readonly delivered: ((deliveries: readonly Delivery[]) => void) | undefined;
}

export function queueObservers(feeds: readonly (QueueFeed | undefined)[], onError: (err: unknown) => void): QueueObservers {
  const on = feeds.filter((f): f is QueueFeed => f !== undefined);
  if (on.length === 0) return { share: undefined, delivered: undefined };
  // An observer must not throw into the share coordinator or the delay store: a failing feed is logged.
  return {
    share: (key, step) => {
      for (const f of on) {
        try {
          f.shareStep(key, step);
        } catch (err) {
          onError(err);
        }
      }
    },
    delivered: (deliveries) => {
      for (const f of on) {
        try {
          f.delivered(deliveries);
        } catch (err) {
          onError(err);
        }
      }
    },
  };
}
