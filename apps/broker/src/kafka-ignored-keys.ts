// Kafka broker settings that mean nothing to mq, so a server.properties copied from a Kafka
// install (KRaft's config/server.properties included) starts mq instead of being refused. Each
// has the reason it has no effect; the broker names them in one warning at start. A key that is
// neither in the config table nor here is still refused: a typo must not pass silently.
const KRAFT = 'mq has no KRaft quorum: the controller is elected through etcd (--etcd)';
const THREADS = 'mq serves each broker from one event loop; there are no thread pools to size';
const SOCKET = 'mq leaves socket buffers to the OS (autotuning)';

const IGNORED: Readonly<Record<string, string>> = {
  'process.roles': KRAFT,
  'controller.quorum.voters': KRAFT,
  'controller.quorum.bootstrap.servers': KRAFT,
  'controller.listener.names': KRAFT,
  'controller.quorum.election.timeout.ms': KRAFT,
  'controller.quorum.fetch.timeout.ms': KRAFT,
  'metadata.log.dir': KRAFT,
  'num.network.threads': THREADS,
  'num.io.threads': THREADS,
  'num.recovery.threads.per.data.dir': THREADS,
  'background.threads': THREADS,
  'num.replica.alter.log.dirs.threads': THREADS,
  'socket.send.buffer.bytes': SOCKET,
  'socket.receive.buffer.bytes': SOCKET,
  'group.coordinator.rebalance.protocols': 'mq always serves both the classic and the consumer (KIP-848) group protocols',
  'share.coordinator.state.topic.min.isr': "__share_group_state's appends wait for the whole ISR (acks=all) under the broker's min.insync.replicas",
};

/** Why `key` is accepted without effect, or undefined when it is not one of Kafka's no-op keys here. */
export function ignoredKafkaKey(key: string): string | undefined {
  return Object.hasOwn(IGNORED, key) ? IGNORED[key] : undefined;
}

/** The listener names of controller.listener.names (KRaft's controller listener is etcd's job here). */
export function controllerListenerNames(value: unknown): ReadonlySet<string> {
  return new Set(
    String(value ?? '')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter((s) => s !== ''),
  );
}
