// Who is on the other end of one connection: what authorization, quotas and tracing key on. Filled
// as the connection learns it (client id from every request header, client software from
// ApiVersions v3); no authentication yet, so every principal is User:ANONYMOUS, as Kafka without SASL.

/** Kafka's principal for a connection that did not authenticate (KafkaPrincipal.ANONYMOUS). */
export const ANONYMOUS_PRINCIPAL = 'User:ANONYMOUS';

/** Kafka's name for a plaintext listener without SASL (SecurityProtocol.PLAINTEXT). */
export const DEFAULT_LISTENER_NAME = 'PLAINTEXT';

export class Session {
  readonly connectionId: number;
  /** The listener that accepted the connection (Kafka's listener name, e.g. PLAINTEXT). */
  readonly listenerName: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  principal: string = ANONYMOUS_PRINCIPAL;
  /** The client id of the latest request header (null when the client sent none). */
  clientId: string | null = null;
  /** From ApiVersions v3+ (KIP-511); null until the client sent it. */
  clientSoftwareName: string | null = null;
  clientSoftwareVersion: string | null = null;

  constructor(connectionId: number, listenerName: string, remoteAddress: string, remotePort: number) {
    this.connectionId = connectionId;
    this.listenerName = listenerName;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
  }
}
