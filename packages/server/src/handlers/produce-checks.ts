// The Produce handler's hook for checks beyond the partition's own validation: a topic with
// broker-side schema validation gets the schema registry's check; on a broker without a registry
// such a topic refuses every batch (INVALID_RECORD) instead of storing unvalidated records.
import { InvalidRecordError } from '@mq/protocol';
import type { BatchCheck, Topic } from '@mq/partition';
import type { BrokerServices } from '../handler';

export function produceCheckFor(topic: Topic, broker: BrokerServices): BatchCheck | undefined {
  const checks = broker.produceChecks;
  if (checks !== undefined) return checks.forTopic(topic);
  const { keySchemaValidation, valueSchemaValidation } = topic.config;
  if (!keySchemaValidation.enabled && !valueSchemaValidation.enabled) return undefined;
  return () => {
    throw new InvalidRecordError(`topic ${topic.name} has schema validation on, but this broker runs no schema registry (it needs the HTTP listener)`);
  };
}
