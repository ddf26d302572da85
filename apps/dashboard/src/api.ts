// The console's only way to the broker: the HTTP admin API, plus the delay store, trace and schema
// registry routes on the same listener (same origin: served by the broker at /console/, or through
// `vite dev/preview`'s proxy to MQ_BROKER_URL). Errors carry the API's message;
// a 401 tells the app to show the login form (UNAUTHORIZED_EVENT), a 403 is shown where it happened.
import { authHeaders } from './credentials';

/** Dispatched on `window` when the broker answers 401: the credential sent is missing or wrong. */
export const UNAUTHORIZED_EVENT = 'mq-unauthorized';

/**
 * UNAUTHORIZED_EVENT's detail: the Authorization header the refused request carried (undefined: none).
 * A 401 can arrive after the user logged in again (a refused credential is answered late, on
 * purpose); the app compares this with the current credential so the old refusal never logs the new one out.
 */
export interface UnauthorizedDetail {
  readonly authorization: string | undefined;
}

export interface Cluster { cluster_id: string; controller_id: number; broker_count: number; topic_count: number; partition_count: number }
export interface Broker { broker_id: number; host: string; port: number; rack: string | null; is_controller: boolean }
export interface Topic { topic_name: string; topic_id: string; is_internal: boolean; replication_factor: number; partitions_count: number }
export interface Partition {
  partition_id: number;
  leader_id: number;
  leader_epoch: number;
  replicas: number[];
  isr: number[];
  log_start_offset: number | null;
  log_end_offset: number | null;
  high_watermark: number | null;
  size_bytes: number | null;
  segment_count: number | null;
}
export interface TopicConfig { name: string; value: string | null; is_default: boolean; is_read_only: boolean; source: string }
export interface RecordData { type: 'BINARY' | 'STRING' | 'JSON'; data: unknown }
export interface KafkaRecord { topic_name: string; partition_id: number; offset: number; timestamp: number; key: RecordData | null; value: RecordData | null; headers: { name: string; value: string | null }[] }
export interface RecordPage { data: KafkaRecord[]; next_offset: number; log_start_offset: number; high_watermark: number }
export interface GroupSummary { consumer_group_id: string; state: string; type: string; protocol_type: string }
export interface GroupDetail {
  consumer_group_id: string;
  state: string;
  protocol_type: string;
  partition_assignor: string;
  members: { consumer_id: string; client_id: string; host: string; instance_id: string | null; assignments: { topic_name: string; partition_id: number }[] }[];
  total_lag: number;
}
export interface ShareGroupSummary { share_group_id: string; state: string; member_count: number }
export interface SharePartitionView {
  topic_name: string;
  partition_id: number;
  start_offset: number;
  end_offset: number | null;
  in_flight: number | null;
  high_watermark: number | null;
  backlog: number | null;
}
export interface ShareGroupDetail {
  share_group_id: string;
  state: string;
  group_epoch: number;
  assignment_epoch: number;
  members: { member_id: string; client_id: string; host: string; subscribed_topics: string[]; assignments: { topic_name: string; partition_id: number }[] }[];
  partitions: SharePartitionView[];
  total_backlog: number;
  total_in_flight: number;
  dead_letter_topics: { topic_name: string; dead_letter_topic: string; records: number | null }[];
}
export interface Lag { topic_name: string; partition_id: number; current_offset: number; log_end_offset: number | null; lag: number | null }
export interface StatsSnapshot {
  type: 'stats';
  time: number;
  cluster_id: string;
  broker_count: number;
  topics: { topic_name: string; partitions_count: number; end_offset_total: number; appended_bytes: number; size_bytes: number }[];
  groups: { consumer_group_id: string; state: string; members: number; total_lag: number; lags: Lag[] }[];
}

/** A message pending in the delay store (GET /v1/delayed): times epoch ms, key / value / header values base64. */
export interface DelayedMessage {
  id: string;
  topic: string;
  partition: number;
  dueAt: number;
  timestamp: number;
  delivering: boolean;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
}
export interface DelayedList { pending: number; messages: DelayedMessage[] }
export interface TraceSummary { traceId: string; startTimeMs: number; endTimeMs: number; spans: number; names: string[] }
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeMs: number;
  endTimeMs: number;
  attributes: Record<string, string | number | boolean>;
}
/** One version of a subject in the schema registry (Confluent's shape; schemaType absent = AVRO). */
export interface SchemaVersion { subject: string; version: number; id: number; schemaType?: string; schema: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const auth = authHeaders();
  const headers = { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = undefined; // a proxy's HTML error page: the status says enough
  }
  if (res.status === 401) dispatchEvent(new CustomEvent<UnauthorizedDetail>(UNAUTHORIZED_EVENT, { detail: { authorization: auth.authorization } }));
  if (!res.ok) throw new ApiError(res.status, (parsed as { message?: string } | undefined)?.message ?? `${res.status} ${res.statusText}`);
  return parsed as T;
}

const enc = encodeURIComponent;

/** The API of one cluster (its id is the first path segment of every call). */
export class AdminClient {
  constructor(readonly clusterId: string) {}

  static async connect(): Promise<AdminClient> {
    const list = await request<{ data: Cluster[] }>('GET', '/v3/clusters');
    const first = list.data[0];
    if (first === undefined) throw new ApiError(503, 'the broker lists no cluster');
    return new AdminClient(first.cluster_id);
  }

  private get base(): string {
    return `/v3/clusters/${enc(this.clusterId)}`;
  }

  cluster = () => request<Cluster>('GET', this.base);
  brokers = async () => (await request<{ data: Broker[] }>('GET', `${this.base}/brokers`)).data;
  topics = async () => (await request<{ data: Topic[] }>('GET', `${this.base}/topics`)).data;
  createTopic = (topic_name: string, partitions_count: number, replication_factor: number) => request<Topic>('POST', `${this.base}/topics`, { topic_name, partitions_count, replication_factor });
  deleteTopic = (name: string) => request<void>('DELETE', `${this.base}/topics/${enc(name)}`);
  partitions = async (topic: string) => (await request<{ data: Partition[] }>('GET', `${this.base}/topics/${enc(topic)}/partitions`)).data;
  configs = async (topic: string) => (await request<{ data: TopicConfig[] }>('GET', `${this.base}/topics/${enc(topic)}/configs`)).data;
  setConfig = (topic: string, name: string, value: string) => request<void>('POST', `${this.base}/topics/${enc(topic)}/configs:alter`, { data: [{ name, value }] });
  produce = (topic: string, body: { partition_id?: number; key?: RecordData | null; value?: RecordData | null; headers?: { name: string; value: string | null }[] }) =>
    request<{ partition_id: number; offset: number }>('POST', `${this.base}/topics/${enc(topic)}/records`, body);
  records(topic: string, partition: number, from: { offset: number } | { timestamp: number }, maxCount: number, encoding: string): Promise<RecordPage> {
    const q = new URLSearchParams({ ...('offset' in from ? { offset: String(from.offset) } : { timestamp: String(from.timestamp) }), max_count: String(maxCount), encoding });
    return request<RecordPage>('GET', `${this.base}/topics/${enc(topic)}/partitions/${partition}/records?${q}`);
  }
  groups = async () => (await request<{ data: GroupSummary[] }>('GET', `${this.base}/consumer-groups`)).data;
  group = (id: string) => request<GroupDetail>('GET', `${this.base}/consumer-groups/${enc(id)}`);
  lags = async (id: string) => (await request<{ data: Lag[] }>('GET', `${this.base}/consumer-groups/${enc(id)}/lags`)).data;
  resetOffsets = (id: string, body: { topic_name: string; to: string; offset?: number; timestamp?: number }) =>
    request<{ data: { topic_name: string; partition_id: number; offset: number }[] }>('POST', `${this.base}/consumer-groups/${enc(id)}/offsets:reset`, body);
  deleteGroup = (id: string) => request<void>('DELETE', `${this.base}/consumer-groups/${enc(id)}`);
  shareGroups = async () => (await request<{ data: ShareGroupSummary[] }>('GET', `${this.base}/share-groups`)).data;
  shareGroup = (id: string) => request<ShareGroupDetail>('GET', `${this.base}/share-groups/${enc(id)}`);
  deleteShareGroup = (id: string) => request<void>('DELETE', `${this.base}/share-groups/${enc(id)}`);

  // The broker's own routes beside REST v3: the delay store, traces, the schema registry (at the root).
  delayed = (topic: string | undefined, limit: number) => request<DelayedList>('GET', `/v1/delayed?${new URLSearchParams({ ...(topic !== undefined ? { topic } : {}), limit: String(limit) })}`);
  cancelDelayed = (id: string) => request<{ cancelled: DelayedMessage }>('DELETE', `/v1/delayed/${enc(id)}`);
  recentTraces = async (limit: number) => (await request<{ traces: TraceSummary[] }>('GET', `/v1/traces?limit=${limit}`)).traces;
  trace = (traceId: string) => request<{ traceId: string; spans: TraceSpan[] }>('GET', `/v1/traces/${enc(traceId)}`);
  traceOfRecord = (topic: string, partition: number, offset: number) => request<{ traceId: string; spans: TraceSpan[] }>('GET', `/v1/traces/by-offset/${enc(topic)}/${partition}/${offset}`);
  subjects = () => request<string[]>('GET', '/subjects');
  subjectVersions = (subject: string) => request<number[]>('GET', `/subjects/${enc(subject)}/versions`);
  schemaVersion = (subject: string, version: number | 'latest') => request<SchemaVersion>('GET', `/subjects/${enc(subject)}/versions/${version}`);
  registerSchema = (subject: string, schemaType: string, schema: string) => request<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, { schemaType, schema });
  compatibility = (subject: string) => request<{ compatibilityLevel: string }>('GET', `/config/${enc(subject)}?defaultToGlobal=true`);

  /** A WebSocket URL on the page's own origin. */
  socketUrl(path: string): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}${this.base}${path}`;
  }
}
