// One Kafka listener of the broker: its name, security protocol, bind and advertised address, and
// (SSL / SASL_SSL) its TLS material. The broker app builds these from `listeners`,
// `advertised.listeners`, `listener.security.protocol.map` and the ssl.* keys.

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** ssl.client.auth: whether a TLS listener asks for a client certificate. */
export type SslClientAuth = 'none' | 'requested' | 'required';

export interface TlsListenerOptions {
  /** PEM private key (ssl.key.location / the key of a PEM ssl.keystore.location). */
  readonly key: string | Buffer;
  /** PEM certificate chain, leaf first. */
  readonly cert: string | Buffer;
  /** ssl.key.password for an encrypted key. */
  readonly passphrase?: string | undefined;
  /** PEM CA bundle client certificates are verified against (ssl.truststore.location); default Node's roots. */
  readonly ca?: string | Buffer | undefined;
  /** Default none. */
  readonly clientAuth?: SslClientAuth;
}

export interface ListenerConfig {
  /** Kafka's listener name (PLAINTEXT, SASL_SSL, or any name mapped by listener.security.protocol.map). */
  readonly name: string;
  readonly securityProtocol: SecurityProtocol;
  readonly host: string;
  /** 0 = a free port. */
  readonly port: number;
  /** Written into Metadata / FindCoordinator answers to clients of this listener; default the bound address. */
  readonly advertisedHost?: string | undefined;
  readonly advertisedPort?: number | undefined;
  /** Required for SSL and SASL_SSL. */
  readonly tls?: TlsListenerOptions | undefined;
}

/** A listener once bound: the port is the real one (port 0 resolved). */
export interface BoundListener {
  readonly name: string;
  readonly securityProtocol: SecurityProtocol;
  readonly host: string;
  readonly port: number;
  readonly advertisedHost: string;
  readonly advertisedPort: number;
}
