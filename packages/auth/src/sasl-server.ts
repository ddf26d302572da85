// The server side of one SASL exchange on one connection (javax.security.sasl.SaslServer's shape):
// client tokens in, server challenges out, until complete with an authorization id.
import type { SaslAuthenticationError } from './auth-errors';
import type { ScramCredential } from './scram-credential';

export interface SaslServer {
  /** The mechanism's SASL name (PLAIN, SCRAM-SHA-256, ...). */
  readonly mechanism: string;
  /**
   * One client token; returns the server's next token (empty when there is none). Throws
   * SaslAuthenticationError for anything but a correct exchange; after a throw the exchange is over.
   */
  evaluate(token: Buffer): Buffer;
  /** True once the client proved who it is. */
  readonly complete: boolean;
  /** The authenticated user (the principal's name), once complete. */
  readonly authorizationId: string | undefined;
  /** The user name the client claimed, as soon as it was parsed: for the failure log line (never a secret). */
  readonly claimedUser: string | undefined;
  /**
   * Set when the mechanism refused the client but answers with an error challenge first and fails on
   * the client's next token (OAUTHBEARER, RFC 7628 §3.2.2); a SaslAuthenticate exchange fails at once.
   */
  readonly failure?: SaslAuthenticationError | undefined;
  /** When the proven credential stops being valid, ms since the epoch (an OAUTHBEARER token's exp): KIP-368 ends the session there. */
  readonly credentialExpiresAtMs?: number | undefined;
}

/** Where a SCRAM server finds a user's credential (the metadata store's `scram` namespace, a test's map). */
export interface ScramCredentialLookup {
  credential(user: string, mechanism: string): ScramCredential | undefined;
}
