// One inter-broker connection per other broker's endpoint, opened on first use and opened anew once
// it broke (a broker that was killed and restarted on the same port gets a fresh connection). Used
// by the broker's senders of inter-broker requests (the share persister, the dead-letter sink, the
// share-state summary reads, the transaction markers).
import { BrokerConnection, type InterBrokerSecurity } from '@mq/replication';
import type { Clock } from '@mq/timerwheel';

export interface BrokerConnectionPoolOptions {
  readonly clock: Clock;
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly security?: InterBrokerSecurity;
}

export interface BrokerConnectionPool {
  connect(host: string, port: number): Promise<BrokerConnection>;
  close(): void;
}

export function brokerConnectionPool(opts: BrokerConnectionPoolOptions): BrokerConnectionPool {
  const connections = new Map<string, Promise<BrokerConnection>>();
  const connect = (host: string, port: number): Promise<BrokerConnection> => {
    const id = `${host}:${port}`;
    let c = connections.get(id);
    if (c === undefined) {
      c = BrokerConnection.open(host, port, {
        clock: opts.clock,
        clientId: opts.clientId,
        requestTimeoutMs: opts.requestTimeoutMs,
        ...(opts.security !== undefined ? { security: opts.security } : {}),
      });
      connections.set(id, c);
      const opened = c;
      opened.catch(() => {
        if (connections.get(id) === opened) connections.delete(id);
      });
    }
    const current = c;
    return current.then((conn) => {
      if (conn.usable) return conn;
      if (connections.get(id) === current) connections.delete(id);
      return connect(host, port);
    });
  };
  return {
    connect,
    close() {
      for (const c of connections.values()) c.then((conn) => conn.close(), () => undefined);
      connections.clear();
    },
  };
}
