// The handler contract: one ApiHandler per Kafka API key (files in ./handlers/, registered in
// ./handlers/index.ts), and the RequestContext every handler receives. Per-partition failures are
// data in the response; a thrown exception becomes UNKNOWN_SERVER_ERROR via errorResponse().
import type { AclStore } from '@mq/acl';
import type { ClusterOperations } from '@mq/controller';
import type { Logger } from 'pino';
import type { SaslAuthenticator, ScramCredentialStore } from '@mq/auth';
import type { DelayStore } from '@mq/delay';
import type { BatchCheck, ConfigEntry, ProducerIdManager, Topic, TopicManager } from '@mq/partition';
import type { ReplicaManager } from '@mq/replication';
import type { ClientQuotas, Tenants } from '@mq/quota';
import type { Clock } from '@mq/timerwheel';
import type { BrokerConfig } from './broker-config';
import type { DynamicBrokerConfigs } from './dynamic-broker-configs';
import { Completion, type NoResponse } from './completion';
import type { FetchPurgatory } from './fetch-purgatory';
import type { FetchSessionCache } from './fetch-session-cache';
import type { BoundListener } from './listener-config';
import type { Session } from './session';
import type { TxnProduceVerification } from './txn-produce-verification';

export { Completion, NO_RESPONSE, type NoResponse } from './completion';

/**
 * Decoded request/response bodies are plain objects whose camelCase keys follow the schema in
 * @mq/protocol. Handlers declare their own narrow interfaces for the fields they read.
 */
export type Body = Record<string, unknown>;

export interface ConnectionInfo {
  /** Monotonic per-broker connection number, for logs. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/**
 * The slot the group coordinator fills (owned by the groups engineer: @mq/groups). The server
 * only needs to start and stop it; group handlers cast `ctx.broker.groups` to the concrete
 * coordinator type they import from @mq/groups.
 */
export interface GroupCoordinatorSlot {
  close(): Promise<void>;
}

/**
 * Checks of produced batches beyond the partition's own, per topic (the schema registry's
 * broker-side validation, @mq/schema-registry's SchemaValidator): undefined for a topic that needs none.
 */
export interface ProduceChecks {
  forTopic(topic: Topic): BatchCheck | undefined;
}

/** The slot the transaction coordinator fills (@mq/transactions); handlers cast it as for groups. */
export interface TransactionCoordinatorSlot {
  close(): Promise<void>;
}

/** The producer of a transactional batch, as its batch header and the Produce request name it. */
export interface TxnProducer {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/**
 * In a cluster: asks the transactional id's coordinator on another broker whether a partition is in
 * the producer's open transaction (AddPartitionsToTxn v4+ verify_only, KIP-890 part 1). Resolves
 * to the coordinator's code for the partition (NONE: it is); never rejects (a broken connection is
 * NETWORK_EXCEPTION, no known coordinator COORDINATOR_NOT_AVAILABLE).
 */
export interface TxnPartitionVerifier {
  verify(producer: TxnProducer, topic: string, partition: number): Promise<number>;
}

/** Everything a handler may use: the broker's shared services. */
export interface BrokerServices {
  readonly nodeId: number;
  readonly clusterId: string;
  /** host:port written into Metadata / FindCoordinator responses: the first listener's (see `listeners`). */
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  /** Every listener of this broker as bound; clients are told the advertised address of the listener they connected to. */
  readonly listeners: readonly BoundListener[];
  /** SASL listeners' mechanisms and users (sasl.enabled.mechanisms); undefined when no listener uses SASL. */
  readonly sasl: SaslAuthenticator | undefined;
  /** SCRAM credentials in the metadata store (DescribeUserScramCredentials / AlterUserScramCredentials); undefined: those APIs answer an error. */
  readonly scramCredentials: ScramCredentialStore | undefined;
  readonly config: BrokerConfig;
  readonly topics: TopicManager;
  readonly producerIds: ProducerIdManager;
  /** Parked Fetch requests, woken by appends. */
  readonly fetchPurgatory: FetchPurgatory;
  /** KIP-227 fetch sessions (max.incremental.fetch.session.cache.slots). */
  readonly fetchSessions: FetchSessionCache;
  readonly logger: Logger;
  /** Every timer of the broker (produce timeouts, long polls, idle connections) runs on it. */
  readonly clock: Clock;
  /** Filled by the broker wiring once @mq/groups provides a coordinator. */
  groups: GroupCoordinatorSlot | undefined;
  /** Filled by the broker wiring when the schema registry runs; topics that ask for validation are refused without it. */
  produceChecks: ProduceChecks | undefined;
  /** Filled by the broker wiring with @mq/share's ShareCoordinator (share groups, KIP-932). */
  share: GroupCoordinatorSlot | undefined;
  /** Delayed and scheduled messages (@mq/delay): where Produce sends records with delay headers; undefined: none (they are appended as sent). */
  readonly delayed: DelayStore | undefined;
  /** Filled by the broker wiring once @mq/transactions provides a coordinator (after groups). */
  transactions: TransactionCoordinatorSlot | undefined;
  /** Cluster mode: how Produce verifies a transactional batch whose coordinator is on another broker; undefined on one node. */
  readonly txnVerification: TxnProduceVerification | undefined;
  /**
   * The cluster's data plane (@mq/replication); undefined on a single node, where every partition
   * is led here and its high watermark follows local appends.
   */
  readonly replication: ReplicaManager | undefined;
  /** The API ranges this broker advertises (registered handlers ∩ schema ranges). */
  readonly apiVersions: readonly ApiVersionRange[];
  /** Aborted when the broker begins shutting down: long polls answer early. */
  readonly shutdownSignal: AbortSignal;
  /**
   * The ACLs and the authorizer (@mq/acl) when authorizer.class.name names one: CreateAcls,
   * DescribeAcls and DeleteAcls act on it and the authorization middleware checks every request
   * against it. Undefined: no authorizer (the ACL APIs answer SECURITY_DISABLED).
   */
  readonly acls?: AclStore | undefined;
  /**
   * Client quotas (@mq/quota): the user / client-id / ip entities stored in the metadata store,
   * measured and enforced by the quota middleware (quota-middleware.ts), managed with APIs 48 / 49.
   */
  readonly quotas: ClientQuotas;
  /** Tenants, when any is defined: SaslAuthenticate counts a connection against its tenant's maxConnections. */
  readonly tenants?: Tenants;
  /**
   * ElectLeaders and AlterPartitionReassignments: carried out by the controller (in a cluster the
   * request goes to it through the metadata store), or here on one node (@mq/controller).
   */
  readonly clusterOperations: ClusterOperations;
  /** Dynamic broker configs (the BROKER resource's AlterConfigs / IncrementalAlterConfigs), in the metadata store. */
  readonly dynamicConfigs: DynamicBrokerConfigs;
  /** DescribeConfigs' BROKER resource; unset: this package's own keys (broker-config-entries.ts). */
  readonly describeBrokerConfig?: (() => readonly ConfigEntry[]) | undefined;
}

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * The request's share of queued.max.request.bytes. What a handler takes is held until its
 * response has been flushed to the socket (Fetch: the record bytes it read).
 */
export interface RequestMemory {
  /** The most this request could ever take: the budget less what it holds (Infinity without one). */
  readonly capacity: number;
  /** Takes up to `max` bytes of what is free (never waits); returns how many it got. */
  take(max: number): number;
  /** Holds `n` more bytes even past the budget (a first batch larger than what was free). */
  charge(n: number): void;
  /** Gives back `n` of the bytes this request holds (a read returned less than it took). */
  release(n: number): void;
}

/** For requests outside a connection (tests, tools): no budget. */
export const UNBOUNDED_MEMORY: RequestMemory = {
  capacity: Number.POSITIVE_INFINITY,
  take: (max) => max,
  charge: () => undefined,
  release: () => undefined,
};

export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly connection: ConnectionInfo;
  /** Who is on the other end of this connection (principal, client software, listener). */
  readonly session: Session;
  readonly broker: BrokerServices;
  readonly logger: Logger;
  readonly memory: RequestMemory;
  /** The request frame's size with its 4-byte size prefix (what producer_byte_rate counts, as Kafka's request.sizeInBytes). */
  readonly requestBytes: number;
  /**
   * KIP-219: once this response is written the connection stops reading for `ms` (the longest
   * asked for wins), so a client over its quota cannot send more whatever it does with throttle_time_ms.
   */
  throttleConnection(ms: number): void;
  /**
   * Closes the connection once every earlier response (and this one, if any) is written — what
   * Kafka does after a failed acks=0 produce, so the client notices and refreshes its metadata.
   */
  closeConnection(reason: string): void;
}

export interface ApiHandler<Req extends object = Body, Res extends object = Body> {
  readonly apiKey: number;
  /** Lowest version advertised (may be above the schema's lowest, e.g. Produce 3). */
  readonly minVersion: number;
  /** Highest version implemented; advertised as min(this, schema max). */
  readonly maxVersion: number;
  /**
   * The dispatch phase: runs synchronously when the request is read, before the connection reads
   * the next one, so whatever it starts (appends, partition lookups) is in request order. Its
   * return type is a Completion, never a Promise: an `async dispatch` does not compile, so an await
   * added later (auth, tracing) cannot reorder pipelined requests.
   */
  dispatch(req: Req, ctx: RequestContext): Completion<Res>;
  /**
   * The response to send when handle() threw or the request could not be served: every
   * top-level / per-entity error field set to `errorCode` (Kafka's getErrorResponse).
   */
  errorResponse(req: Req, errorCode: number, ctx: RequestContext): Res;
}

/** Erases the request/response types so handlers of different APIs share one registry list. */
// Method parameters are bivariant, so every ApiHandler<Req, Res> is assignable to ApiHandler<object, object>.
export type AnyApiHandler = ApiHandler<object, object>;

/**
 * A handler with no ordering concern of its own (metadata, admin, group APIs): `handle` is called
 * in the dispatch phase and its promise is the completion, so only what runs before its first
 * await is ordered. Anything whose order matters across pipelined requests belongs in `dispatch`.
 */
export interface AsyncApiHandler<Req extends object, Res extends object> extends Omit<ApiHandler<Req, Res>, 'dispatch'> {
  handle(req: Req, ctx: RequestContext): Promise<Res | NoResponse>;
}

export function defineHandler<Req extends object, Res extends object>(h: ApiHandler<Req, Res> | AsyncApiHandler<Req, Res>): AnyApiHandler {
  if ('dispatch' in h) return h;
  const { handle, ...rest } = h;
  return { ...rest, dispatch: (req: Req, ctx: RequestContext) => Completion.later(handle.call(h, req, ctx)) };
}
