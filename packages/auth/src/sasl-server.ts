// The server side of one SASL exchange on one connection (javax.security.sasl.SaslServer's shape):
// client tokens in, server challenges out, until complete with an authorization id.
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
}

/** Where a SCRAM server finds a user's credential (the metadata store's `scram` namespace, a test's map). */
export interface ScramCredentialLookup {
  credential(user: string, mechanism: string): ScramCredential | undefined;
}
