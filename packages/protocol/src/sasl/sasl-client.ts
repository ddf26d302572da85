// The client side of a SASL exchange (what @mq/client and a broker replicating from another speak):
// an initial token, then one answer per server challenge until the server's last message is verified.
import { UnsupportedSaslMechanismError } from '@mq/errors';
import { OAuthBearerClient } from './oauthbearer-client';
import { PlainClient } from './plain-client';
import { ScramClient } from './scram-client';
import { scramMechanism } from './scram-mechanism';

export interface SaslClient {
  readonly mechanism: string;
  /** The first token sent (SaslAuthenticate after SaslHandshake v1). */
  initial(): Buffer;
  /** The next token for the server's answer, or undefined when the exchange is over (and verified). */
  evaluate(challenge: Buffer): Buffer | undefined;
}

/** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
export interface SaslPasswordCredentials {
  readonly mechanism: string;
  readonly username: string;
  readonly password: string;
}

export interface SaslBearerCredentials {
  readonly mechanism: 'OAUTHBEARER';
  readonly token: string;
  /** SASL extensions (KIP-342) sent beside the token. */
  readonly extensions?: ReadonlyMap<string, string>;
}

export type SaslClientCredentials = SaslPasswordCredentials | SaslBearerCredentials;

/** The mechanisms this side can speak. */
export const SASL_CLIENT_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;

/** A fresh client exchange of `mechanism` (one per connection and per re-authentication). */
export function saslClient(c: SaslClientCredentials): SaslClient {
  if ('token' in c) return new OAuthBearerClient(c.token, c.extensions);
  if (c.mechanism === 'PLAIN') return new PlainClient(c.username, c.password);
  const m = scramMechanism(c.mechanism);
  if (m === undefined) throw new UnsupportedSaslMechanismError(`${c.mechanism}: no client side for this mechanism (${SASL_CLIENT_MECHANISMS.join(', ')})`);
  return new ScramClient(m, c.username, c.password);
}
