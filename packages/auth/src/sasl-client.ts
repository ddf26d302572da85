// The client side of a SASL exchange (what a broker speaks to another broker): an initial token,
// then one answer per server challenge until the server's last message is verified.
import { SaslAuthenticationError } from './auth-errors';
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

export interface SaslClientCredentials {
  readonly mechanism: string;
  readonly username: string;
  readonly password: string;
}

/** A fresh client exchange of `mechanism` (one per connection). */
export function saslClient(c: SaslClientCredentials): SaslClient {
  if (c.mechanism === 'PLAIN') return new PlainClient(c.username, c.password);
  const m = scramMechanism(c.mechanism);
  if (m === undefined) throw new SaslAuthenticationError(`${c.mechanism}: no client side for this mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
  return new ScramClient(m, c.username, c.password);
}
