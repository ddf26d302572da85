// The `sasl` connection option: which mechanism, with what credentials, checked once when the
// client is made so a bad combination fails before any socket opens.
import { SASL_CLIENT_MECHANISMS, type SaslClientCredentials } from '@mq/protocol';
import { InvalidArgumentError } from '../errors';

export type SaslMechanismName = (typeof SASL_CLIENT_MECHANISMS)[number];

/** A bearer token, or a function asked for one at every (re-)authentication (a refreshing token source). */
export type OAuthBearerTokenProvider = string | (() => string | Promise<string>);

export type SaslOptions =
  | { readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; readonly username: string; readonly password: string }
  | {
      readonly mechanism: 'OAUTHBEARER';
      readonly token: OAuthBearerTokenProvider;
      /** SASL extensions (KIP-342) sent beside the token. */
      readonly extensions?: Readonly<Record<string, string>>;
    };

/** Throws InvalidArgumentError for a mechanism this client does not speak or missing credentials; never names a secret. */
export function checkSaslOptions(sasl: SaslOptions): void {
  const mechanism = (sasl as { mechanism: unknown }).mechanism;
  if (typeof mechanism !== 'string' || !(SASL_CLIENT_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new InvalidArgumentError(`sasl.mechanism must be one of ${SASL_CLIENT_MECHANISMS.join(', ')}, not ${String(mechanism)}`);
  }
  if (sasl.mechanism === 'OAUTHBEARER') {
    if (typeof sasl.token !== 'function' && (typeof sasl.token !== 'string' || sasl.token === '')) throw new InvalidArgumentError('sasl OAUTHBEARER needs a token (a string or a function returning one)');
    return;
  }
  if (typeof sasl.username !== 'string' || sasl.username === '') throw new InvalidArgumentError(`sasl ${sasl.mechanism} needs a username`);
  if (typeof sasl.password !== 'string') throw new InvalidArgumentError(`sasl ${sasl.mechanism} needs a password`);
}

/** The credentials of one exchange: a token provider is asked now (one fresh token per authentication). */
export async function saslCredentials(sasl: SaslOptions): Promise<SaslClientCredentials> {
  if (sasl.mechanism !== 'OAUTHBEARER') return sasl;
  const token = typeof sasl.token === 'function' ? await sasl.token() : sasl.token;
  if (typeof token !== 'string' || token === '') throw new InvalidArgumentError('the OAUTHBEARER token provider returned no token');
  return { mechanism: 'OAUTHBEARER', token, ...(sasl.extensions !== undefined ? { extensions: new Map(Object.entries(sasl.extensions)) } : {}) };
}
