// Admin operations on topics, partitions, configs and the cluster. Group and offset operations
// live in group-admin.ts and are exposed through this class too, so callers hold one object.
import { ApiKey, KafkaError, type RequestInputFor, type ResponseBodyFor, ErrorCode } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { InvalidArgumentError } from '../errors';
import { type OffsetSpec, type PartitionOffset, listOffsets } from '../consumer/list-offsets';
import { type CommittedOffset, fetchCommittedOffsets } from '../consumer/group-offsets';
import {
  CONFIG_SOURCES,
  type ClusterDescription,
  type ConfigAlteration,
  type ConfigEntry,
  type ConfigResourceKind,
  ConfigResourceType,
  type NewTopic,
  type TopicDescription,
} from './config-types';
import {
  type DeleteResult,
  type GroupDescription,
  type GroupListing,
  type GroupLag,
  type OffsetResetPlan,
  type ResetTarget,
  deleteGroups,
  describeGroups,
  groupLag,
  listGroups,
  resetOffsets,
  alterGroupOffsets,
  deleteGroupsEach,
  deleteOffsets,
  type OffsetDeleteResult,
} from './group-admin';
import { type ClientQuotaAlteration, type ClientQuotaEntry, type QuotaFilterPart, alterClientQuotas, describeClientQuotas } from './quota-admin';
import { ShareGroupAdmin } from './share-group-admin';
import {
  type ElectionType,
  type PartitionReassignment,
  type PartitionResult,
  type ReassignmentTarget,
  type TopicPartition,
  alterPartitionReassignments,
  electLeaders,
  listPartitionReassignments,
} from './partition-admin';
import { type AclBinding, type AclFilter, createAcls, deleteAcls, describeAcls } from './acl-admin';
import { type ScramDeletion, type ScramUpsertion, type ScramUserCredentials, alterUserScramCredentials, describeUserScramCredentials } from './scram-admin';

interface TopicResultBody {
  name: string | null;
  errorCode: number;
  errorMessage?: string | null;
}

function check(r: TopicResultBody, what: string): void {
  if (r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, `${what} "${r.name}": ${r.errorMessage ?? new KafkaError(r.errorCode).message}`);
}

export class Admin {
  constructor(private readonly cluster: Cluster) {}

  /** Share-group (KIP-932) administration: list, describe, offsets, reset, delete offsets. */
  shareGroups(): ShareGroupAdmin {
    return new ShareGroupAdmin(this.cluster);
  }

  /** Topic names, sorted (internal topics only with `includeInternal`). */
  async listTopics(includeInternal = false): Promise<string[]> {
    const meta = await this.cluster.refreshMetadata();
    return [...meta.topics.values()].filter((t) => t.errorCode === ErrorCode.NONE && (includeInternal || !t.isInternal)).map((t) => t.name).sort();
  }

  /** Partitions, leaders, replicas, ISR of each topic (all topics when `names` is omitted). */
  async describeTopics(names?: readonly string[]): Promise<TopicDescription[]> {
    const meta = await this.cluster.refreshMetadata(names);
    const wanted = names ?? [...meta.topics.keys()].sort();
    return wanted.map((name) => {
      const t = meta.topics.get(name);
      if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${name}" does not exist`);
      if (t.errorCode !== ErrorCode.NONE) throw new KafkaError(t.errorCode, `topic "${name}": ${new KafkaError(t.errorCode).message}`);
      return { name: t.name, topicId: t.topicId, isInternal: t.isInternal, partitions: t.partitions };
    });
  }

  async createTopics(topics: readonly NewTopic[], opts: { timeoutMs?: number; validateOnly?: boolean } = {}): Promise<void> {
    if (topics.length === 0) return;
    for (const t of topics) if (!t.name) throw new InvalidArgumentError('topic name is required');
    const res = await this.toController(ApiKey.CreateTopics, {
      topics: topics.map((t) => ({
        name: t.name,
        numPartitions: t.numPartitions ?? -1,
        replicationFactor: t.replicationFactor ?? -1,
        assignments: [],
        configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
      timeoutMs: opts.timeoutMs ?? 30_000,
      validateOnly: opts.validateOnly ?? false,
    });
    for (const r of res.topics) check(r, 'create topic');
    this.cluster.invalidate();
  }

  async deleteTopics(names: readonly string[], opts: { timeoutMs?: number } = {}): Promise<void> {
    if (names.length === 0) return;
    const res = await this.toController(ApiKey.DeleteTopics, {
      topicNames: names,
      topics: names.map((name) => ({ name })),
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
    for (const r of res.responses) check(r, 'delete topic');
    this.cluster.invalidate();
  }

  /** Like deleteTopics, but one result per topic instead of throwing on the first failure. */
  async deleteTopicsEach(names: readonly string[], opts: { timeoutMs?: number } = {}): Promise<DeleteResult[]> {
    if (names.length === 0) return [];
    const res = await this.toController(ApiKey.DeleteTopics, {
      topicNames: names,
      topics: names.map((name) => ({ name })),
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
    this.cluster.invalidate();
    const byName = new Map(res.responses.map((r) => [r.name, r]));
    return names.map((name) => {
      const r = byName.get(name);
      if (!r) return { name, error: new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `delete topic "${name}": no result from the broker`) };
      if (r.errorCode === ErrorCode.NONE) return { name };
      return { name, error: new KafkaError(r.errorCode, `delete topic "${name}": ${r.errorMessage ?? new KafkaError(r.errorCode).message}`) };
    });
  }

  /**
   * DeleteRecords: moves each partition's log start offset up to `offset` (-1n: the high
   * watermark), so older records become unreadable. Returns the new log start per partition.
   */
  async deleteRecords(topic: string, offsets: ReadonlyArray<{ partition: number; offset: bigint }>, opts: { timeoutMs?: number } = {}): Promise<Array<{ partition: number; lowWatermark: bigint }>> {
    if (offsets.length === 0) return [];
    return this.cluster.withRetry(async () => {
      const byLeader = new Map<number, Array<{ partition: number; offset: bigint }>>();
      for (const o of offsets) {
        const leader = await this.cluster.leaderFor(topic, o.partition);
        let l = byLeader.get(leader);
        if (!l) byLeader.set(leader, (l = []));
        l.push(o);
      }
      const out: Array<{ partition: number; lowWatermark: bigint }> = [];
      for (const [leader, list] of byLeader) {
        const res = await this.cluster.requestBroker(leader, ApiKey.DeleteRecords, {
          topics: [{ name: topic, partitions: list.map((o) => ({ partitionIndex: o.partition, offset: o.offset })) }],
          timeoutMs: opts.timeoutMs ?? 30_000,
        });
        for (const t of res.topics) {
          for (const p of t.partitions) {
            if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `delete records of ${topic}-${p.partitionIndex}: ${new KafkaError(p.errorCode).message}`);
            out.push({ partition: p.partitionIndex, lowWatermark: BigInt(p.lowWatermark) });
          }
        }
      }
      return out.sort((a, b) => a.partition - b.partition);
    });
  }

  /** Grows a topic to `totalCount` partitions. */
  async createPartitions(topic: string, totalCount: number, opts: { timeoutMs?: number; validateOnly?: boolean } = {}): Promise<void> {
    const res = await this.toController(ApiKey.CreatePartitions, {
      topics: [{ name: topic, count: totalCount, assignments: null }],
      timeoutMs: opts.timeoutMs ?? 30_000,
      validateOnly: opts.validateOnly ?? false,
    });
    for (const r of res.results) check(r, 'create partitions for');
    this.cluster.invalidate();
  }

  /**
   * A topic's or broker's configs (`keys`: only these). A broker id is asked of that broker; the
   * empty broker name is the cluster default. `synonyms`: each entry also lists where its value
   * could come from, highest precedence first (include_synonyms).
   */
  async describeConfigs(kind: ConfigResourceKind, name: string, keys?: readonly string[], opts: { synonyms?: boolean } = {}): Promise<ConfigEntry[]> {
    const body = {
      resources: [{ resourceType: ConfigResourceType[kind], resourceName: name, configurationKeys: keys ?? null }],
      includeSynonyms: opts.synonyms ?? false,
      includeDocumentation: false,
    };
    // A broker describes its own configs (as Kafka's admin client, a named broker is asked itself).
    const res = kind === 'broker' && /^\d+$/.test(name) ? await this.cluster.requestBroker(Number(name), ApiKey.DescribeConfigs, body) : await this.cluster.requestAny(ApiKey.DescribeConfigs, body);
    const r = res.results[0];
    if (!r) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `DescribeConfigs returned no result for ${kind} "${name}"`);
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, `describe configs of ${kind} "${name}": ${r.errorMessage ?? new KafkaError(r.errorCode).message}`);
    return r.configs
      .map((c) => {
        // v0 carries only isDefault; v1+ only configSource (isDefault then decodes as false).
        const source = c.configSource === -1 ? (c.isDefault ? 5 : -1) : c.configSource;
        return {
          name: c.name,
          value: c.value,
          readOnly: c.readOnly,
          // Defaults from the broker (static or built in) are not set on the topic itself.
          isDefault: source === 5 || source === 4 || source === 3,
          source: CONFIG_SOURCES[source] ?? String(source),
          isSensitive: c.isSensitive,
          ...(opts.synonyms === true ? { synonyms: (c.synonyms ?? []).map((y) => ({ name: y.name, value: y.value, source: CONFIG_SOURCES[y.source] ?? String(y.source) })) } : {}),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** IncrementalAlterConfigs: SET and DELETE operations on one resource. */
  async alterConfigs(kind: ConfigResourceKind, name: string, change: ConfigAlteration, opts: { validateOnly?: boolean } = {}): Promise<void> {
    const configs = [
      ...Object.entries(change.set ?? {}).map(([k, value]) => ({ name: k, configOperation: 0, value })),
      ...(change.delete ?? []).map((k) => ({ name: k, configOperation: 1, value: null })),
    ];
    if (configs.length === 0) throw new InvalidArgumentError('no config changes given');
    const res = await this.cluster.requestAny(
      ApiKey.IncrementalAlterConfigs,
      { resources: [{ resourceType: ConfigResourceType[kind], resourceName: name, configs }], validateOnly: opts.validateOnly ?? false },
    );
    for (const r of res.responses) {
      if (r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, `alter configs of ${kind} "${r.resourceName}": ${r.errorMessage ?? new KafkaError(r.errorCode).message}`);
    }
  }

  async describeCluster(): Promise<ClusterDescription> {
    const meta = await this.cluster.refreshMetadata([]);
    const conn = await this.cluster.any();
    const apiVersions: Array<{ apiKey: number; minVersion: number; maxVersion: number }> = [];
    for (const k of Object.values(ApiKey)) {
      const r = conn.brokerRange(k);
      if (r) apiVersions.push({ apiKey: k, minVersion: r.minVersion, maxVersion: r.maxVersion });
    }
    return {
      clusterId: meta.clusterId,
      controllerId: meta.controllerId,
      brokers: [...meta.brokers.values()].sort((a, b) => a.nodeId - b.nodeId),
      apiVersions,
    };
  }

  /** Earliest / latest / by-timestamp offsets of a topic's partitions (all of them by default). */
  async listOffsets(topic: string, spec: Exclude<OffsetSpec, bigint>, partitions?: readonly number[]): Promise<PartitionOffset[]> {
    const t = await this.cluster.topic(topic);
    const ps = partitions ?? t.partitions.map((p) => p.partition);
    return listOffsets(this.cluster, ps.map((partition) => ({ topic, partition })), spec);
  }

  /** CreateAcls: adds the bindings (needs ALTER on the cluster); throws the first refusal. */
  createAcls(bindings: readonly AclBinding[]): Promise<void> {
    return createAcls(this.cluster, bindings);
  }

  /** DescribeAcls: the bindings matching the filter (default: all). */
  describeAcls(filter: AclFilter = {}): Promise<AclBinding[]> {
    return describeAcls(this.cluster, filter);
  }

  /** DeleteAcls: removes what each filter matches and returns it, per filter. */
  deleteAcls(filters: readonly AclFilter[]): Promise<AclBinding[][]> {
    return deleteAcls(this.cluster, filters);
  }

  /** DescribeUserScramCredentials: the SCRAM mechanisms and iterations of users (all, or those named). */
  describeUserScramCredentials(users?: readonly string[]): Promise<ScramUserCredentials[]> {
    return describeUserScramCredentials(this.cluster, users);
  }

  /** AlterUserScramCredentials: passwords are salted here; only salt and salted password are sent. */
  alterUserScramCredentials(change: { upsertions?: readonly ScramUpsertion[]; deletions?: readonly ScramDeletion[] }): Promise<void> {
    return alterUserScramCredentials(this.cluster, change);
  }

  listGroups(): Promise<GroupListing[]> {
    return listGroups(this.cluster);
  }

  describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    return describeGroups(this.cluster, groupIds);
  }

  deleteGroups(groupIds: readonly string[]): Promise<void> {
    return deleteGroups(this.cluster, groupIds);
  }

  /** Like deleteGroups, but one result per group instead of throwing on the first failure. */
  deleteGroupsEach(groupIds: readonly string[]): Promise<DeleteResult[]> {
    return deleteGroupsEach(this.cluster, groupIds);
  }

  /** OffsetDelete: removes committed offsets of topics the group no longer subscribes to (all partitions when none given). */
  deleteOffsets(groupId: string, topics: ReadonlyArray<{ topic: string; partitions?: readonly number[] }>): Promise<OffsetDeleteResult[]> {
    return deleteOffsets(this.cluster, groupId, topics);
  }

  /** Commits exact offsets for a group with no active members (NON_EMPTY_GROUP otherwise). */
  alterGroupOffsets(groupId: string, offsets: ReadonlyArray<{ topic: string; partition: number; offset: bigint }>): Promise<void> {
    return alterGroupOffsets(this.cluster, groupId, offsets);
  }

  committedOffsets(groupId: string, partitions?: ReadonlyArray<{ topic: string; partition: number }>): Promise<CommittedOffset[]> {
    return fetchCommittedOffsets(this.cluster, groupId, partitions);
  }

  /** Per partition: committed offset, high watermark, lag = highWatermark − committed. */
  groupLag(groupId: string): Promise<GroupLag[]> {
    return groupLag(this.cluster, groupId);
  }

  /** The plan of a reset; committed only with `execute` (the group must have no active members). */
  resetOffsets(groupId: string, topic: string, target: ResetTarget, opts: { execute?: boolean; partitions?: readonly number[] } = {}): Promise<OffsetResetPlan[]> {
    return resetOffsets(this.cluster, groupId, topic, target, opts);
  }

  /** DescribeClientQuotas: the quota entities matching every filter part (strict: no other entity types). */
  describeClientQuotas(filter: readonly QuotaFilterPart[] = [], strict = false): Promise<ClientQuotaEntry[]> {
    return describeClientQuotas(this.cluster, filter, strict);
  }

  /** AlterClientQuotas: sets and removes quota keys of user / client-id / ip entities. */
  alterClientQuotas(alterations: readonly ClientQuotaAlteration[], opts: { validateOnly?: boolean } = {}): Promise<void> {
    return alterClientQuotas(this.cluster, alterations, opts.validateOnly ?? false);
  }

  /**
   * ElectLeaders: moves leadership to each partition's preferred replica (`unclean`: gives a
   * partition without a live leader any live replica); null partitions: all of them. One result
   * per partition, refusals (ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ...) as data.
   */
  electLeaders(type: ElectionType, partitions: readonly TopicPartition[] | null, opts: { timeoutMs?: number } = {}): Promise<PartitionResult[]> {
    return electLeaders(this.cluster, type, partitions, opts.timeoutMs);
  }

  /** AlterPartitionReassignments: starts (target replicas) or cancels (null) reassignments; one result per partition. */
  alterPartitionReassignments(targets: readonly ReassignmentTarget[], opts: { timeoutMs?: number } = {}): Promise<PartitionResult[]> {
    return alterPartitionReassignments(this.cluster, targets, opts.timeoutMs);
  }

  /** ListPartitionReassignments: those in progress (of `partitions`, else of every partition). */
  listPartitionReassignments(partitions?: readonly TopicPartition[], opts: { timeoutMs?: number } = {}): Promise<PartitionReassignment[]> {
    return listPartitionReassignments(this.cluster, partitions, opts.timeoutMs);
  }

  /** Topic admin requests go to the controller (any broker when it is unknown). */
  private async toController<K extends number>(apiKey: K, body: RequestInputFor<K>): Promise<ResponseBodyFor<K>> {
    return this.cluster.withRetry(async () => {
      const meta = await this.cluster.metadata();
      const conn = meta.controllerId >= 0 && meta.brokers.has(meta.controllerId) ? await this.cluster.broker(meta.controllerId) : await this.cluster.any();
      return conn.request(apiKey, body);
    });
  }
}

