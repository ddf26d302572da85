// What the admin API reads and changes: the broker hands these in (the broker app is the only place
// that knows every package); the API never opens a socket to the Kafka listener.
import type { GroupCoordinator } from '@mq/groups';
import type { TopicManager } from '@mq/partition';
import type { ShareCoordinator } from '@mq/share';
import type { DelayStore } from '@mq/delay';
import type { Clock } from '@mq/timerwheel';
import type { JsonlSink, TraceStore } from '@mq/trace';

export interface BrokerInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack?: string;
}

export interface ClusterInfo {
  readonly clusterId: string;
  /** This broker's node id. */
  readonly nodeId: number;
  /** The live brokers (one node: this broker). */
  brokers(): readonly BrokerInfo[];
  /** The controller's node id (one node: this broker). */
  controllerId(): number;
}

/** A request to another broker's HTTP listener (the cluster's broker-to-broker HTTP forwarding). */
export interface PeerRequest {
  readonly method: 'GET' | 'DELETE';
  /** Path (parameters percent-encoded) and query. */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /**
   * Who asks (the listener's principal): without an Authorization to carry on (a TLS client
   * certificate cannot be), the transport names them to the other broker, whose ACLs then apply to them.
   */
  readonly principal?: string;
}

/** The other broker's answer, passed back as it is. */
export interface PeerResponse {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string | undefined;
}

/** Where the other brokers' delay partitions are, and a way to ask them. */
export interface DelayedPeers {
  /** The leader of delay partition `p` (undefined: none now). */
  leaderOf(p: number): number | undefined;
  /** Brokers other than this one that lead some delay partition. */
  otherLeaders(): number[];
  forward(to: number, req: PeerRequest): Promise<PeerResponse>;
}

/** A tenant as /v1/tenants shows it: its definition (mq.tenants.file's fields) and where it comes from. */
export interface TenantInfo {
  readonly name: string;
  readonly principalPrefix: string;
  readonly resourcePrefix: string;
  readonly quotas?: Readonly<Record<string, number>>;
  readonly storageLimitBytes?: number;
  readonly maxConnections?: number;
  /** `file`: mq.tenants.file or startBroker's list (read-only here); `metadata`: stored, changed through this API. */
  readonly source: 'file' | 'metadata';
}

/** The broker's tenants: those of its file, and those in the metadata store (every broker applies them). */
export interface TenantsAdmin {
  list(): readonly TenantInfo[];
  /** Stores the tenant `name` (created or replaced); InvalidConfigError for a bad definition, PolicyViolationError for a file's tenant. */
  set(name: string, definition: unknown): Promise<TenantInfo>;
  /** Removes the stored tenant; false when none is stored under `name`; PolicyViolationError for a file's tenant. */
  delete(name: string): Promise<boolean>;
}

export interface AdminServices {
  readonly cluster: ClusterInfo;
  readonly topics: TopicManager;
  /** The group coordinator once the broker opened it (undefined while starting). */
  groups(): GroupCoordinator | undefined;
  /** The share coordinator (the HTTP queue API under /v1/queues); absent or undefined: answered 503. */
  share?(): ShareCoordinator | undefined;
  /** The delay store: produce with delay_ms / deliver_at (or delay headers) holds records there; absent: appended at once. */
  readonly delayed?: DelayStore;
  /** Cluster mode: the brokers leading the other delay partitions, so /v1/delayed answers for all of them. */
  readonly delayedPeers?: DelayedPeers;
  /** The broker's traces (/v1/traces): the ring, and the JSONL files for what it dropped; absent: 503. */
  readonly traces?: { readonly store: TraceStore; readonly sink: JsonlSink | undefined };
  /** The tenants (/v1/tenants); absent: 503. */
  readonly tenants?: TenantsAdmin;
  /** Drives the WebSocket streams' ticks. */
  readonly clock: Clock;
}

/** What AdminApi logs (pino's Logger satisfies it). */
export interface AdminLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
