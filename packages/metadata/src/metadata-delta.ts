// Applying records to an image (pure: the previous image is never touched) and the MetadataDelta
// a data-plane owner reads to learn what to open, close, grow, reconfigure or re-lead. A delta's
// questions are answered by comparing the two images by identity, so they cost O(changed topics).
import type { BrokerRegistration, MetadataImage, PartitionState, TopicImage } from './cluster-image';
import { InvalidMetadataRecordError } from './errors';
import type { EntryChange, MetadataRecord } from './metadata-record';

export class MetadataDelta {
  readonly previous: MetadataImage;
  readonly image: MetadataImage;
  readonly records: readonly MetadataRecord[];

  constructor(previous: MetadataImage, image: MetadataImage, records: readonly MetadataRecord[]) {
    this.previous = previous;
    this.image = image;
    this.records = records;
  }

  /** Topics in the new image that the previous one lacked (or had under another id: re-created). */
  topicsCreated(): TopicImage[] {
    const out: TopicImage[] = [];
    for (const t of this.image.topics.values()) if (this.previous.topics.get(t.name)?.topicId !== t.topicId) out.push(t);
    return out;
  }

  /** Topics of the previous image that are gone (or were re-created with a new id). */
  topicsRemoved(): TopicImage[] {
    const out: TopicImage[] = [];
    for (const t of this.previous.topics.values()) if (this.image.topics.get(t.name)?.topicId !== t.topicId) out.push(t);
    return out;
  }

  /** Topics present in both images whose config overrides changed. */
  configsChanged(): TopicImage[] {
    const out: TopicImage[] = [];
    for (const t of this.image.topics.values()) {
      const before = this.previous.topics.get(t.name);
      if (before !== undefined && before.topicId === t.topicId && before.configs !== t.configs) out.push(t);
    }
    return out;
  }

  /** Every partition state that is new or changed (created topics' partitions included). */
  partitionsChanged(): PartitionState[] {
    const out: PartitionState[] = [];
    for (const t of this.image.topics.values()) {
      const before = this.previous.topics.get(t.name);
      if (before === t) continue;
      const same = before?.topicId === t.topicId ? before : undefined;
      t.partitions.forEach((p, i) => {
        if (same?.partitions[i] !== p) out.push(p);
      });
    }
    return out;
  }

  brokersChanged(): boolean {
    return this.previous.brokers !== this.image.brokers;
  }

  /** Entries set or removed by this delta's records, in record order. */
  entriesChanged(): EntryChange[] {
    const out: EntryChange[] = [];
    for (const r of this.records) if (r.type === 'entry') out.push({ namespace: r.namespace, key: r.key, value: r.value });
    return out;
  }
}

/** The image after `records`, applied in order; throws InvalidMetadataRecordError for one that does not apply. */
export function applyRecords(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  let brokers = image.brokers;
  let topics = image.topics;
  let topicIds = image.topicIds;
  let entries = image.entries;
  let { nextProducerIdBlock, controller } = image;
  const own = { brokers: false, topics: false, topicIds: false, entries: new Set<string>() };
  const entriesW = (namespace: string): Map<string, string> => {
    if (own.entries.size === 0) entries = new Map(entries);
    const outer = entries as Map<string, ReadonlyMap<string, string>>;
    if (!own.entries.has(namespace)) {
      outer.set(namespace, new Map(entries.get(namespace) ?? []));
      own.entries.add(namespace);
    }
    return outer.get(namespace) as Map<string, string>;
  };
  const brokersW = (): Map<number, BrokerRegistration> => {
    if (!own.brokers) ((brokers = new Map(brokers)), (own.brokers = true));
    return brokers as Map<number, BrokerRegistration>;
  };
  const topicsW = (): Map<string, TopicImage> => {
    if (!own.topics) ((topics = new Map(topics)), (own.topics = true));
    return topics as Map<string, TopicImage>;
  };
  const idsW = (): Map<string, string> => {
    if (!own.topicIds) ((topicIds = new Map(topicIds)), (own.topicIds = true));
    return topicIds as Map<string, string>;
  };
  const topicOf = (name: string, what: string): TopicImage => {
    const t = topics.get(name);
    if (t === undefined) throw new InvalidMetadataRecordError(`${what}: unknown topic ${name}`);
    return t;
  };
  for (const r of records) {
    switch (r.type) {
      case 'registerBroker':
        brokersW().set(r.broker.nodeId, Object.freeze({ ...r.broker }));
        break;
      case 'unregisterBroker':
        if (brokers.has(r.nodeId)) brokersW().delete(r.nodeId);
        break;
      case 'topic': {
        const old = topics.get(r.name);
        if (old !== undefined) throw new InvalidMetadataRecordError(`topic record: topic ${r.name} already exists (id ${old.topicId})`);
        topicsW().set(r.name, Object.freeze({ name: r.name, topicId: r.topicId, configs: Object.freeze({ ...r.configs }), partitions: Object.freeze([]) }));
        idsW().set(r.topicId, r.name);
        break;
      }
      case 'config': {
        const t = topicOf(r.topic, 'config record');
        topicsW().set(t.name, Object.freeze({ ...t, configs: Object.freeze({ ...r.configs }) }));
        break;
      }
      case 'partition': {
        const s = r.state;
        const t = topicOf(s.topic, 'partition record');
        if (s.topicId !== t.topicId) throw new InvalidMetadataRecordError(`partition record ${s.topic}-${s.partition}: topic id ${s.topicId} is not ${t.topicId}`);
        if (!Number.isInteger(s.partition) || s.partition < 0 || s.partition > t.partitions.length) {
          throw new InvalidMetadataRecordError(`partition record ${s.topic}-${s.partition}: the topic has ${t.partitions.length} partitions (no gaps)`);
        }
        const partitions = [...t.partitions];
        partitions[s.partition] = freezeState(s);
        topicsW().set(t.name, Object.freeze({ ...t, partitions: Object.freeze(partitions) }));
        break;
      }
      case 'removeTopic': {
        const t = topicOf(r.name, 'removeTopic record');
        topicsW().delete(t.name);
        idsW().delete(t.topicId);
        break;
      }
      case 'producerIds':
        if (r.nextBlockStart < nextProducerIdBlock) {
          throw new InvalidMetadataRecordError(`producerIds record: ${r.nextBlockStart} is below the current block start ${nextProducerIdBlock}`);
        }
        nextProducerIdBlock = r.nextBlockStart;
        break;
      case 'controller':
        controller = r.controller === undefined ? undefined : Object.freeze({ ...r.controller });
        break;
      case 'entry': {
        if (r.namespace === '' || r.namespace.includes('/')) throw new InvalidMetadataRecordError(`entry record: namespace "${r.namespace}" must be non-empty without "/"`);
        if (r.key === '') throw new InvalidMetadataRecordError(`entry record in ${r.namespace}: the key is empty`);
        if (r.value === null) {
          if (entries.get(r.namespace)?.has(r.key) === true) entriesW(r.namespace).delete(r.key);
        } else {
          entriesW(r.namespace).set(r.key, r.value);
        }
        break;
      }
    }
  }
  if (own.topics) {
    for (const t of topics.values()) {
      // A topic record comes with its PartitionRecords in the same commit.
      if (t.partitions.length === 0) throw new InvalidMetadataRecordError(`topic ${t.name} has no partitions`);
    }
  }
  for (const namespace of own.entries) if (entries.get(namespace)?.size === 0) (entries as Map<string, unknown>).delete(namespace);
  return Object.freeze({ brokers, topics, topicIds, nextProducerIdBlock, controller, entries });
}

function freezeState(s: PartitionState): PartitionState {
  return Object.freeze({
    ...s,
    replicas: Object.freeze([...s.replicas]),
    isr: Object.freeze([...s.isr]),
    ...(s.offlineReplicas !== undefined ? { offlineReplicas: Object.freeze([...s.offlineReplicas]) } : {}),
  });
}
