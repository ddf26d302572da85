// The client side of SASL OAUTHBEARER (RFC 7628 §3.1, Kafka's OAuthBearerSaslClient). The first
// message carries the token:
//   n,[a=<authzid>],\x01auth=Bearer <token>\x01[<key>=<value>\x01]*\x01
// (the GS2 header without channel binding, key=value pairs each ended by \x01, then one more \x01).
// A refused token is answered with a JSON error challenge; the client acknowledges it with a lone
// \x01 and the server then fails the exchange with its reason.
import { SaslAuthenticationFailedError } from '@mq/errors';
import type { SaslClient } from './sasl-client';

const SEPARATOR = '\u0001';

/** The client's first message (also what tests of the server side send). */
export function formatOAuthBearerClientResponse(token: string, extensions: ReadonlyMap<string, string> = new Map()): Buffer {
  const ext = [...extensions].map(([k, v]) => `${k}=${v}${SEPARATOR}`).join('');
  return Buffer.from(`n,,${SEPARATOR}auth=Bearer ${token}${SEPARATOR}${ext}${SEPARATOR}`, 'utf8');
}

export class OAuthBearerClient implements SaslClient {
  readonly mechanism = 'OAUTHBEARER';
  private state: 'initial' | 'sent' | 'refused' = 'initial';
  /** The server's error challenge (`{"status":"invalid_token",...}`), once it refused the token. */
  serverError: string | undefined;

  constructor(
    private readonly token: string,
    private readonly extensions?: ReadonlyMap<string, string>,
  ) {}

  initial(): Buffer {
    this.state = 'sent';
    return formatOAuthBearerClientResponse(this.token, this.extensions);
  }

  evaluate(challenge: Buffer): Buffer | undefined {
    if (this.state === 'refused') throw new SaslAuthenticationFailedError(`OAUTHBEARER: the server refused the token: ${this.serverError}`);
    if (challenge.length === 0) return undefined;
    this.state = 'refused';
    this.serverError = challenge.toString('utf8');
    return Buffer.from(SEPARATOR, 'utf8');
  }
}
