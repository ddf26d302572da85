// A cluster for data-plane tests without etcd: N real BrokerServers on 127.0.0.1 (port 0), each
// with its own data dir, TopicManager and ReplicaManager, and an in-memory control plane that holds
// the partition states, applies AlterPartition as Kafka's rules (fenced leader epoch, CAS on
// partitionEpoch, KIP-841: a joining member must be proposed under the broker epoch it runs with)
// and pushes every state to every live broker — what the etcd control plane does for real. Each
// start of a broker is a new incarnation with a higher broker epoch (its "registration"). Brokers
// can be stopped and restarted on their data dir.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ProducerIdManager, TopicManager } from '@mq/partition';
import { FencedLeaderEpochError, IneligibleReplicaError, InvalidUpdateVersionError } from '@mq/metadata';
import {
  ReplicaManager,
  type AlterPartitionRequest,
  type PartitionState,
  type ReplicationConfig,
} from '@mq/replication';
import { SystemClock } from '@mq/timerwheel';
import { BrokerServer, DEFAULT_BROKER_CONFIG, type BrokerConfig } from '../src/index';

export interface ReplicatedBroker {
  readonly nodeId: number;
  readonly dataDir: string;
  server: BrokerServer;
  topics: TopicManager;
  replication: ReplicaManager;
  port: number;
  running: boolean;
}

export interface ClusterOptions {
  readonly brokers: number;
  readonly replication?: Partial<ReplicationConfig>;
  readonly topicDefaults?: Record<string, string>;
}

const logger = pino({ level: process.env.MQ_TEST_LOG ?? 'silent' });

export class ReplicatedCluster {
  readonly brokers = new Map<number, ReplicatedBroker>();
  readonly states = new Map<string, PartitionState>();
  private readonly clock = new SystemClock({ logger });
  private readonly root: string;
  private readonly opts: ClusterOptions;
  /** Topic ids, the same on every broker. */
  private readonly topicIds = new Map<string, string>();
  /** The id the topic being created gets on every broker (the control plane's job). */
  private nextTopicId = '';
  /** Each running broker's broker epoch (a new one per start, as a new registration gets). */
  readonly brokerEpochs = new Map<number, number>();
  private lastBrokerEpoch = 100;
  /** The broker epoch each running incarnation registers (or registered) under. */
  private readonly pendingEpochs = new Map<number, number>();
  /** Every AlterPartition the leaders sent, in order. */
  readonly proposals: AlterPartitionRequest[] = [];

  private constructor(root: string, opts: ClusterOptions) {
    this.root = root;
    this.opts = opts;
  }

  static async start(opts: ClusterOptions): Promise<ReplicatedCluster> {
    const c = new ReplicatedCluster(await mkdtemp(join(tmpdir(), 'mq-replicated-')), opts);
    for (let id = 1; id <= opts.brokers; id++) await c.startBroker(id);
    return c;
  }

  broker(id: number): ReplicatedBroker {
    const b = this.brokers.get(id);
    if (b === undefined) throw new Error(`no broker ${id}`);
    return b;
  }

  /** Creates the topic on every broker and makes `leader` lead every partition, all in the ISR. */
  async createTopic(topic: string, partitions: number, leader: number, configs: Record<string, string> = {}): Promise<void> {
    this.nextTopicId = `${topic.padEnd(21, '_').slice(0, 21)}A`;
    this.topicIds.set(topic, this.nextTopicId);
    for (const b of this.brokers.values()) await b.topics.createTopic(topic, partitions, configs);
    const replicas = [...this.brokers.keys()];
    for (let p = 0; p < partitions; p++) {
      await this.publish({ topicId: this.topicIds.get(topic)!, topic, partition: p, leader, leaderEpoch: 1, partitionEpoch: 1, replicas, isr: replicas });
    }
  }

  /** Elects `leader` in the next leader epoch (the controller's job on a broker's death). */
  async elect(topic: string, partition: number, leader: number, isr?: readonly number[]): Promise<PartitionState> {
    const cur = this.state(topic, partition);
    const next = { ...cur, leader, leaderEpoch: cur.leaderEpoch + 1, partitionEpoch: cur.partitionEpoch + 1, isr: isr ?? cur.isr };
    await this.publish(next);
    return next;
  }

  state(topic: string, partition: number): PartitionState {
    const s = this.states.get(`${topic}-${partition}`);
    if (s === undefined) throw new Error(`no state for ${topic}-${partition}`);
    return s;
  }

  readonly alterPartition = async (req: AlterPartitionRequest): Promise<PartitionState> => {
    this.proposals.push(req);
    const cur = this.state(req.topic, req.partition);
    for (const m of req.isrWithEpochs ?? []) {
      if (cur.isr.includes(m.brokerId)) continue;
      const epoch = this.brokerEpochs.get(m.brokerId);
      if (epoch === undefined || epoch !== m.brokerEpoch) throw new IneligibleReplicaError(`broker ${m.brokerId} is registered under epoch ${epoch}, not ${m.brokerEpoch}`);
    }
    if (req.leaderEpoch !== cur.leaderEpoch) throw new FencedLeaderEpochError(`leader epoch ${req.leaderEpoch} is not ${cur.leaderEpoch}`);
    if (req.partitionEpoch !== cur.partitionEpoch) throw new InvalidUpdateVersionError(`partition epoch ${req.partitionEpoch} is not ${cur.partitionEpoch}`);
    const next = { ...cur, isr: [...req.isr], partitionEpoch: cur.partitionEpoch + 1 };
    await this.publish(next);
    return next;
  };

  async publish(state: PartitionState): Promise<void> {
    this.states.set(`${state.topic}-${state.partition}`, state);
    await Promise.all([...this.brokers.values()].filter((b) => b.running).map((b) => b.replication.applyPartitionState(state)));
  }

  /** A broker goes down (clean stop): its listener, its fetchers, its partitions. */
  async stopBroker(id: number): Promise<void> {
    const b = this.broker(id);
    if (!b.running) return;
    b.running = false;
    this.brokerEpochs.delete(id);
    this.pendingEpochs.delete(id);
    // The README's stop order: parked acks=all produces answer first, so the listener drains at once.
    await b.replication.close();
    await b.server.stop();
    await b.topics.close();
  }

  /**
   * Starts (or restarts on its data dir) broker `id` and applies every known partition state to it.
   * `register: false`: the new incarnation does not register yet (the registration seen stays what
   * it was, e.g. a previous incarnation's whose lease has not expired) until `register(id)`.
   */
  async startBroker(id: number, opts: { register?: boolean } = {}): Promise<ReplicatedBroker> {
    const dataDir = join(this.root, `broker-${id}`);
    await mkdir(dataDir, { recursive: true });
    const config: BrokerConfig = { ...DEFAULT_BROKER_CONFIG, nodeId: id, topicDefaults: { 'flush.messages': '1', ...this.opts.topicDefaults } };
    const topics = await TopicManager.open({ dataDir, defaults: config.topicDefaults, clock: this.clock, newTopicId: () => this.nextTopicId });
    const producerIds = await ProducerIdManager.open(dataDir);
    const brokerEpoch = ++this.lastBrokerEpoch;
    const replication = new ReplicaManager({
      nodeId: id,
      topics,
      clock: this.clock,
      logger: logger.child({ nodeId: id }),
      resolveBroker: (n) => {
        const b = this.brokers.get(n);
        const epoch = this.brokerEpochs.get(n);
        return b?.running === true && epoch !== undefined ? { host: '127.0.0.1', port: b.port, brokerEpoch: epoch } : undefined;
      },
      brokerEpoch: () => (this.brokerEpochs.get(id) === brokerEpoch ? brokerEpoch : undefined),
      alterPartition: this.alterPartition,
      config: { replicaFetchWaitMaxMs: 200, replicaFetchBackoffMs: 50, ...this.opts.replication },
    });
    const server = await BrokerServer.start({ host: '127.0.0.1', port: 0, config, topics, producerIds, logger: logger.child({ nodeId: id }), clock: this.clock, replication });
    const b: ReplicatedBroker = { nodeId: id, dataDir, server, topics, replication, port: server.address().port, running: true };
    this.brokers.set(id, b);
    this.pendingEpochs.set(id, brokerEpoch);
    if (opts.register !== false) this.register(id);
    for (const s of this.states.values()) await replication.applyPartitionState(s);
    return b;
  }

  /** Broker `id`'s running incarnation registers (its broker epoch becomes the one every broker sees). */
  register(id: number): void {
    const epoch = this.pendingEpochs.get(id);
    if (epoch === undefined) throw new Error(`broker ${id} is not running`);
    this.brokerEpochs.set(id, epoch);
  }

  /** The concatenated segment files of one partition on one broker. */
  async segmentBytes(id: number, topic: string, partition: number): Promise<Buffer> {
    const dir = join(this.broker(id).dataDir, `${topic}-${partition}`);
    const logs = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
    return Buffer.concat(await Promise.all(logs.map((f) => readFile(join(dir, f)))));
  }

  async stop(): Promise<void> {
    for (const id of this.brokers.keys()) await this.stopBroker(id);
    this.clock.cancelAll();
    await rm(this.root, { recursive: true, force: true });
  }
}
