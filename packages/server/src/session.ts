// Who is on the other end of one connection: what authorization, quotas and tracing key on. Filled
// as the connection learns it: the principal from TLS (a client certificate's subject) or SASL
// (SaslAuthenticate), the client id from every request header, client software from ApiVersions v3.
import type { SaslServer } from '@mq/auth';
import type { SecurityProtocol } from './listener-config';

/** Kafka's principal for a connection that did not authenticate (KafkaPrincipal.ANONYMOUS). */
export const ANONYMOUS_PRINCIPAL = 'User:ANONYMOUS';

/** Kafka's name for a plaintext listener without SASL (SecurityProtocol.PLAINTEXT). */
export const DEFAULT_LISTENER_NAME = 'PLAINTEXT';

export interface SessionSecurity {
  readonly securityProtocol: SecurityProtocol;
  /** TLS: the verified client certificate's subject DN (RFC 2253, e.g. CN=alice,O=mq); null without one. */
  readonly peerCertificateSubject?: string | null;
}

export class Session {
  readonly connectionId: number;
  /** The listener that accepted the connection (Kafka's listener name, e.g. PLAINTEXT, SASL_SSL, CLIENT). */
  readonly listenerName: string;
  /** The listener's security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
  readonly securityProtocol: SecurityProtocol;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /**
   * Kafka's principal string, `User:<name>`: `User:ANONYMOUS` on PLAINTEXT (and SSL without a client
   * certificate), `User:<certificate subject DN>` on SSL with one, `User:<SASL user>` once SASL
   * authenticated. Set only by the listener (TLS) and SaslAuthenticate; never changes on re-authentication.
   */
  principal = ANONYMOUS_PRINCIPAL;
  /**
   * True once requests other than ApiVersions and the SASL APIs may be served: from the start on
   * PLAINTEXT / SSL, after a successful SaslAuthenticate on SASL_PLAINTEXT / SASL_SSL.
   */
  authenticated: boolean;
  /** The SASL mechanism that authenticated the principal (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); null without SASL. */
  saslMechanism: string | null = null;
  /** KIP-368: the clock's monotonic ms past which the SASL session is over unless re-authenticated; null: never. */
  sessionExpiresAtMs: number | null = null;
  /** The SASL exchange between SaslHandshake and its last SaslAuthenticate; null otherwise. */
  sasl: SaslServer | null = null;
  /** SaslHandshake v0: the next frames are raw SASL tokens without a Kafka header. */
  saslRawTokens = false;
  readonly peerCertificateSubject: string | null;
  /** The tenant (@mq/quota) whose connection count holds this connection; null when none does. */
  tenant: string | null = null;
  /** The client id of the latest request header (null when the client sent none). */
  clientId: string | null = null;
  /** From ApiVersions v3+ (KIP-511); null until the client sent it. */
  clientSoftwareName: string | null = null;
  clientSoftwareVersion: string | null = null;

  constructor(connectionId: number, listenerName: string, remoteAddress: string, remotePort: number, security: SessionSecurity = { securityProtocol: 'PLAINTEXT' }) {
    this.connectionId = connectionId;
    this.listenerName = listenerName;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
    this.securityProtocol = security.securityProtocol;
    this.peerCertificateSubject = security.peerCertificateSubject ?? null;
    this.authenticated = !usesSasl(security.securityProtocol);
    // Kafka's DefaultKafkaPrincipalBuilder: an SSL listener's principal is the certificate's DN.
    if (security.securityProtocol === 'SSL' && this.peerCertificateSubject !== null) this.principal = `User:${this.peerCertificateSubject}`;
  }
}

export function usesSasl(p: SecurityProtocol): boolean {
  return p === 'SASL_PLAINTEXT' || p === 'SASL_SSL';
}

export function usesTls(p: SecurityProtocol): boolean {
  return p === 'SSL' || p === 'SASL_SSL';
}
