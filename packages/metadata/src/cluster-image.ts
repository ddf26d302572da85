// The cluster metadata image: an immutable snapshot of brokers, topics (ids, config overrides,
// partition states), producer-id blocks and the controller. Changed only by applying records
// (metadata-delta.ts); unchanged parts are shared between successive images, so `a.topics.get(n)
// === b.topics.get(n)` means topic n did not change. Keyed entries (ACL bindings, SCRAM credentials, client quotas) sit in
// namespaces of their own, so each owner reads and writes only its namespace.

/** A live broker, as registered under its lease (etcd) or the one local node. */
export interface BrokerRegistration {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  /** broker.rack; replica placement spreads a partition's replicas over racks. */
  readonly rack?: string;
  /**
   * Every advertised listener by name (upper case): a client is told the addresses of the listener
   * it connected to. `host` / `port` are the inter-broker listener's. Absent in registrations of
   * brokers from before listeners were registered: every listener gets host / port then.
   */
  readonly listeners?: Readonly<Record<string, { readonly host: string; readonly port: number }>>;
  /** Changes on every registration (etcd: the lease id), so a restarted broker is a new incarnation. */
  readonly epoch: bigint | number;
}

/** One partition's replication state (Kafka's PartitionRegistration). */
export interface PartitionState {
  readonly topicId: string;
  readonly topic: string;
  readonly partition: number;
  /** -1 = no leader (every ISR member is offline and unclean election is off). */
  readonly leader: number;
  /** Bumped on every leader change; fences requests from older leaders. */
  readonly leaderEpoch: number;
  /** Bumped on every change of this state (ISR, leader, replicas): the CAS version of AlterPartition. */
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** Replicas whose broker is not registered (Metadata's offline_replicas). */
  readonly offlineReplicas?: readonly number[];
  /**
   * KIP-455, while a reassignment is in progress: `replicas` is target ∪ original (target first);
   * these are the target's replicas not in the original (catching up) and the original's not in the
   * target (dropped once every target replica is in the ISR). Absent or empty: none in progress.
   */
  readonly addingReplicas?: readonly number[];
  readonly removingReplicas?: readonly number[];
}

export interface TopicImage {
  readonly name: string;
  /** Kafka Uuid text (22-char url-safe base64). */
  readonly topicId: string;
  /** Config overrides set on the topic (Kafka names), over broker defaults. */
  readonly configs: Readonly<Record<string, string>>;
  /** Indexed by partition number; dense (0..n-1). */
  readonly partitions: readonly PartitionState[];
}

export interface ControllerRegistration {
  readonly nodeId: number;
  /** Increases with every election; a write carrying an older epoch is refused. */
  readonly epoch: number;
}

export interface MetadataImage {
  readonly brokers: ReadonlyMap<number, BrokerRegistration>;
  readonly topics: ReadonlyMap<string, TopicImage>;
  /** topicId → topic name. */
  readonly topicIds: ReadonlyMap<string, string>;
  /** The next producer id no broker has been handed (blocks are taken from here). */
  readonly nextProducerIdBlock: bigint;
  readonly controller: ControllerRegistration | undefined;
  /**
   * namespace → key → value: state other packages keep in the metadata store (acl, scram, quota),
   * values in a format of the owner's choosing. Namespaces without entries are absent.
   */
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const NO_ENTRIES: ReadonlyMap<string, string> = new Map();

export const EMPTY_IMAGE: MetadataImage = Object.freeze({
  brokers: new Map<number, BrokerRegistration>(),
  topics: new Map<string, TopicImage>(),
  topicIds: new Map<string, string>(),
  nextProducerIdBlock: 0n,
  controller: undefined,
  entries: new Map<string, ReadonlyMap<string, string>>(),
});

/** The entries of one namespace (empty when it has none). */
export function entriesOf(image: MetadataImage, namespace: string): ReadonlyMap<string, string> {
  return image.entries.get(namespace) ?? NO_ENTRIES;
}

/** The partition's state, or undefined when the topic or partition does not exist. */
export function partitionState(image: MetadataImage, topic: string, partition: number): PartitionState | undefined {
  return image.topics.get(topic)?.partitions[partition];
}

/** Replicas of `state` whose broker is not in the image (none when the image knows no brokers: one node). */
export function offlineReplicas(image: MetadataImage, state: PartitionState): number[] {
  if (image.brokers.size === 0) return [];
  return state.replicas.filter((id) => !image.brokers.has(id));
}
