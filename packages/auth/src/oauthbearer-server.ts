// The server side of SASL OAUTHBEARER (RFC 7628, Kafka's OAuthBearerSaslServer): the client's first
// message carries a bearer token, which the configured validator checks. A refused token is answered
// as Kafka does with a JSON error challenge (`{"status":"invalid_token"}`); the client acknowledges
// it with a lone \x01 and the exchange then fails with the reason. `failure` exposes the refusal as
// soon as it is known, so a SaslAuthenticate v1 exchange can answer SASL_AUTHENTICATION_FAILED at once.
import { SaslAuthenticationError } from './auth-errors';
import { parseOAuthBearerClientResponse } from './oauthbearer-client-response';
import { OAuthBearerValidationError, type OAuthBearerValidator } from './oauthbearer-token';
import type { SaslServer } from './sasl-server';

export class OAuthBearerServer implements SaslServer {
  readonly mechanism = 'OAUTHBEARER';
  private state: 'initial' | 'refused' | 'done' = 'initial';
  private refusal: OAuthBearerValidationError | undefined;
  private principal: string | undefined;
  private expiresAtMs: number | undefined;

  constructor(private readonly validator: OAuthBearerValidator) {}

  get complete(): boolean {
    return this.principal !== undefined;
  }

  get authorizationId(): string | undefined {
    return this.principal;
  }

  /** OAUTHBEARER has no user name before the token is checked; the principal once it was. */
  get claimedUser(): string | undefined {
    return this.principal;
  }

  get failure(): SaslAuthenticationError | undefined {
    return this.refusal;
  }

  get credentialExpiresAtMs(): number | undefined {
    return this.expiresAtMs;
  }

  evaluate(token: Buffer): Buffer {
    if (this.state === 'refused') {
      this.state = 'done';
      // The \x01 that acknowledges the error challenge (anything else is as good as a failure too).
      throw this.refusal!;
    }
    if (this.state === 'done') throw new SaslAuthenticationError('OAUTHBEARER: unexpected token after the exchange');
    this.state = 'done';
    const message = parseOAuthBearerClientResponse(token);
    let validated: ReturnType<OAuthBearerValidator['validate']>;
    try {
      validated = this.validator.validate(message.token);
    } catch (err) {
      if (!(err instanceof OAuthBearerValidationError)) throw new SaslAuthenticationError('OAUTHBEARER: the token could not be validated', { cause: err });
      this.refusal = err;
      this.state = 'refused';
      return Buffer.from(err.challenge(), 'utf8');
    }
    if (message.authorizationId !== '' && message.authorizationId !== validated.principalName) {
      throw new SaslAuthenticationError(
        `OAUTHBEARER: the client asked for authorization id ${message.authorizationId}, which is not the token's principal ${validated.principalName}`,
      );
    }
    this.principal = validated.principalName;
    this.expiresAtMs = validated.lifetimeMs;
    return Buffer.alloc(0);
  }
}
