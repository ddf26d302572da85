// Public API of @mq/delay: the durable delay store (delayed and scheduled messages on the internal
// topic __mq_delayed), the delay headers, and the reading of produced batches for them.
export { DELAYED_TOPIC, DelayStore, type DelayStoreCluster, type DelayStoreOptions, type DelayedListFilter, type DelayedMessageInfo } from './delay-store';
export { DEFAULT_DELAY_STORE_CONFIG, type DelayStoreConfig, resolveDelayStoreConfig } from './delay-config';
export { type DelayTargetWriter, type Delivery, type DeliveryLogger, localTargetWriter } from './delay-delivery';
export { forwardedBatch, readForwardedBatch } from './delay-forwarding';
export { DELAY_MS_HEADER, DELIVER_AT_HEADER, DELAYED_FROM_HEADER, DEFAULT_MAX_DELAY_MS, type DueTime, dueTimeOf, isDelayHeader } from './delay-headers';
export type { DelayedMessage } from './delayed-message';
export { type DelayPlanOptions, mayCarryDelay, planDelayedBatch } from './delayed-batch';
export { DelayError, type DelayErrorCode } from './errors';
