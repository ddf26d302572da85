// startCluster(): a real mq cluster for tests — an etcd it starts (the @mq/metadata/testing
// harness: MQ_ETCD_BIN, else /usr/bin/etcd, else PATH) and N `mq-broker` child processes
// (`--node-id i --etcd <endpoint>`; the script MQ_BROKER_BIN, else this package's own main), each on a free 127.0.0.1 port with a temp data dir. Brokers can
// be killed with real signals, stopped, paused (SIGSTOP) and restarted on the same port and data
// dir; stop() ends every process it started, by pid, and removes every dir it made.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEtcd, type EtcdServer } from '@mq/metadata/testing';

export interface StartClusterOptions {
  /** Default 3. */
  brokers?: number;
  /** broker.rack per broker (index i for node i + 1). */
  racks?: readonly (string | undefined)[];
  /** Extra broker keys for every broker (`--override key=value`), e.g. `{ 'min.insync.replicas': '2' }`. */
  config?: Readonly<Record<string, string>>;
  /**
   * Security keys too (`listeners=SASL_SSL://127.0.0.1:0`, ssl.*, sasl.*, inter.broker.*): then
   * `port` is the first listener's, and a restart binds a new free port (registered in etcd anew).
   */
  /**
   * Default 'info' (logs are kept per broker: `broker.logs()`, never printed). 'debug' or 'trace'
   * add detail; a level above info is refused: a start waits for each broker's info line
   * "broker registered in etcd".
   */
  logLevel?: 'info' | 'debug' | 'trace';
  /**
   * Per broker (by node id): the etcd endpoint it is given instead of the cluster's etcd, and keys
   * of its own — e.g. a test's fault-injecting proxies in front of etcd and of its listener
   * (`advertised.port`), so links can be cut without killing anything.
   */
  perBroker?: (nodeId: number, etcdEndpoint: string) => { readonly etcd?: string; readonly config?: Readonly<Record<string, string>> };
  /** Told each time a broker's listener is bound, before it registers (its port and pid: what a proxy in front of it needs). */
  onListening?: (broker: ClusterBroker) => void;
}

export interface ClusterBroker {
  readonly nodeId: number;
  readonly host: string;
  /** Its port (kept across restarts). */
  readonly port: number;
  /** Its HTTP listener's port (with `http.port` in the config; 0 there binds a new one each start), else undefined. */
  readonly httpPort: number | undefined;
  readonly dataDir: string;
  /** The running process's pid; undefined while it is down. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Sends `signal` to the process (SIGKILL: waits for it to exit; SIGSTOP / SIGCONT: pause, resume). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM and wait for exit 0 (graceful: it leaves the cluster first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir; `config`: keys overriding the cluster's from this start on (a broker misconfigured on purpose). */
  restart(config?: Readonly<Record<string, string>>): Promise<void>;
  /** Its last log lines (pino JSON), for diagnostics. */
  logs(): string[];
}

export interface RunningCluster extends AsyncDisposable {
  readonly etcd: EtcdServer;
  readonly brokers: readonly ClusterBroker[];
  /** host:port of every broker, comma-separated (kcat -b, kafkajs brokers). */
  readonly bootstrap: string;
  broker(nodeId: number): ClusterBroker;
  /** Kills every broker still running (SIGKILL), stops etcd, removes the data dirs. */
  stop(): Promise<void>;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * MQ_BROKER_BIN (a built main.js: a suite that has checked its build is fresh saves tsx's ~1 s of
 * CPU per broker start); else from source (workspace tests, tsx) when this module is itself
 * source; else the built binary beside it.
 */
function brokerCommand(): string[] {
  const fromEnv = process.env.MQ_BROKER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`MQ_BROKER_BIN=${fromEnv} does not exist`);
    return [fromEnv];
  }
  if (import.meta.url.endsWith('.ts')) {
    const tsx = createRequire(import.meta.url).resolve('tsx/esm');
    return ['--conditions=@mq/source', '--import', pathToFileURL(tsx).href, join(HERE, 'main.ts')];
  }
  return [join(HERE, 'main.js')];
}

export async function startCluster(opts: StartClusterOptions = {}): Promise<RunningCluster> {
  const n = opts.brokers ?? 3;
  const level: string = opts.logLevel ?? 'info';
  if (!['info', 'debug', 'trace'].includes(level)) throw new Error(`startCluster: logLevel '${level}' hides the "broker registered in etcd" line a start waits for; use info, debug or trace`);
  const etcd = await startEtcd();
  const brokers: BrokerProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(brokers.map((b) => b.kill('SIGKILL').catch(() => undefined)));
    await Promise.all(brokers.map((b) => rm(b.dataDir, { recursive: true, force: true })));
    await etcd.stop();
  };
  try {
    for (let i = 1; i <= n; i++) {
      const dataDir = await mkdtemp(join(tmpdir(), `mq-cluster-${i}-`));
      brokers.push(new BrokerProcess(i, dataDir, etcd.endpoint, opts, opts.racks?.[i - 1]));
    }
    // One at a time: a start is CPU-bound (transpile + load), and node 1 usually wins the controller.
    for (const b of brokers) await b.restart();
  } catch (err) {
    await stopAll();
    throw err;
  }
  const cluster: RunningCluster = {
    etcd,
    brokers,
    get bootstrap() {
      return brokers.map((b) => `${b.host}:${b.port}`).join(',');
    },
    broker(nodeId) {
      const b = brokers.find((x) => x.nodeId === nodeId);
      if (b === undefined) throw new RangeError(`no broker ${nodeId} in this cluster (1..${n})`);
      return b;
    },
    stop: stopAll,
    [Symbol.asyncDispose]: stopAll,
  };
  return cluster;
}

class BrokerProcess implements ClusterBroker {
  readonly nodeId: number;
  readonly host = '127.0.0.1';
  port = 0;
  httpPort: number | undefined;
  readonly dataDir: string;
  private child: ChildProcess | undefined;
  private readonly lines: string[] = [];
  private etcd: string;
  private readonly opts: StartClusterOptions;
  private readonly rack: string | undefined;
  private own: Readonly<Record<string, string>> = {};

  constructor(nodeId: number, dataDir: string, etcd: string, opts: StartClusterOptions, rack: string | undefined) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    this.etcd = etcd;
    this.opts = opts;
    this.rack = rack;
    const own = opts.perBroker?.(nodeId, etcd);
    if (own?.etcd !== undefined) this.etcd = own.etcd;
    if (own?.config !== undefined) this.own = own.config;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  logs(): string[] {
    return [...this.lines];
  }

  async restart(config?: Readonly<Record<string, string>>): Promise<void> {
    if (this.running) throw new Error(`broker ${this.nodeId} is running (pid ${this.child?.pid})`);
    if (config !== undefined) this.own = { ...this.own, ...config };
    const args = [
      ...brokerCommand(),
      '--node-id', String(this.nodeId),
      '--etcd', this.etcd,
      '--host', this.host,
      '--port', String(this.port),
      '--data-dir', this.dataDir,
      '--log-level', this.opts.logLevel ?? 'info',
      '--log-format', 'json',
      ...(this.rack !== undefined ? ['--rack', this.rack] : []),
      ...Object.entries({ ...this.opts.config, ...this.own }).flatMap(([k, v]) => ['--override', `${k}=${v}`]),
    ];
    const start = this.lines.length;
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let buf = '';
    const keep = (line: string): void => {
      this.lines.push(line);
      if (this.lines.length > 2_000) this.lines.splice(0, 1_000);
    };
    const listening = new Promise<{ port: number; httpPort?: number }>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        for (const line of parts) {
          keep(line);
          if (line.includes('"msg":"broker listening"')) resolve(JSON.parse(line) as { port: number; httpPort?: number });
        }
      });
      child.stderr!.on('data', (d: Buffer) => keep(d.toString()));
      child.once('exit', (code, signal) => reject(new Error(`broker ${this.nodeId} exited (${code ?? signal}) before listening: ${this.lines.slice(-5).join(' | ')}`)));
    });
    const bound = await listening;
    this.port = bound.port;
    this.httpPort = bound.httpPort;
    this.opts.onListening?.(this);
    await this.registered(start);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
      child.kill(signal);
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const exitCode = await exited;
    if (exitCode !== 0) throw new Error(`broker ${this.nodeId} exited ${exitCode} on SIGTERM: ${this.lines.slice(-5).join(' | ')}`);
  }

  /** "broker registered in etcd" follows the listener; a cluster is usable once every broker said it. */
  private async registered(start: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!this.lines.slice(start).some((l) => l.includes('"msg":"broker registered in etcd"'))) {
      if (!this.running) throw new Error(`broker ${this.nodeId} exited before registering: ${this.lines.slice(-5).join(' | ')}`);
      if (Date.now() > deadline) throw new Error(`broker ${this.nodeId} did not register in etcd within 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
