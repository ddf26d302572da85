// A topic: its name, id, partitions and config overrides. Owned and mutated only by TopicManager.
import type { Partition } from './partition';
import type { TopicConfig } from './topic-config';

export class Topic {
  readonly name: string;
  /** Kafka Uuid (22-char url-safe base64), stable for the topic's lifetime; a re-created topic gets a new one. */
  readonly topicId: string;
  readonly isInternal: boolean;
  partitions: Partition[];
  /** Configs set on this topic (Kafka names), over broker defaults. */
  overrides: Record<string, string>;
  config: TopicConfig;

  constructor(
    name: string,
    topicId: string,
    isInternal: boolean,
    partitions: Partition[],
    overrides: Record<string, string>,
    config: TopicConfig,
  ) {
    this.name = name;
    this.topicId = topicId;
    this.isInternal = isInternal;
    this.partitions = partitions;
    this.overrides = overrides;
    this.config = config;
  }

  partition(index: number): Partition | undefined {
    return this.partitions[index];
  }
}
