// What an OAUTHBEARER validator answers (Kafka's OAuthBearerToken / OAuthBearerValidatorCallback):
// the token's principal, scope and lifetime, or a refusal with RFC 6750's error status, which the
// server sends back as its JSON error challenge (RFC 7628 §3.2.2).
import { SaslAuthenticationError } from './auth-errors';

export interface OAuthBearerToken {
  /** The principal's name (the `sub` claim, or the configured principal claim). */
  readonly principalName: string;
  /** The token's scope (the `scope` claim: a space-separated string or an array of strings). */
  readonly scope: readonly string[];
  /** When the token expires, ms since the epoch (`exp`): KIP-368's session lifetime ends there. */
  readonly lifetimeMs: number;
}

/** Checks a bearer token; throws OAuthBearerValidationError for one it does not accept. */
export interface OAuthBearerValidator {
  validate(token: string): OAuthBearerToken;
}

/** RFC 6750 §3.1's error codes, as Kafka's OAuthBearerValidationResult carries them. */
export type OAuthBearerErrorStatus = 'invalid_token' | 'insufficient_scope' | 'invalid_request';

/** A refused token: `reason` says why (for the client's message and the log, never the token itself). */
export class OAuthBearerValidationError extends SaslAuthenticationError {
  readonly status: OAuthBearerErrorStatus;
  /** The scope the token lacked (insufficient_scope). */
  readonly requiredScope: string | undefined;
  readonly reason: string;

  constructor(reason: string, status: OAuthBearerErrorStatus = 'invalid_token', requiredScope?: string) {
    super(`OAUTHBEARER: ${reason}`);
    this.status = status;
    this.requiredScope = requiredScope;
    this.reason = reason;
  }

  /** Kafka's OAuthBearerSaslServer.jsonErrorResponse: `{"status":"invalid_token"}`, with the scope when one was missing. */
  challenge(): string {
    return JSON.stringify(this.requiredScope === undefined ? { status: this.status } : { status: this.status, scope: this.requiredScope });
  }
}
