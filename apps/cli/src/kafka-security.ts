// TLS and SASL for the Kafka-protocol commands. Each setting comes from its flag, else its
// MQ_* variable, else the profile: --sasl-mechanism / MQ_SASL_MECHANISM / sasl-mechanism,
// --sasl-username, --sasl-password (MQ_SASL_USERNAME, MQ_SASL_PASSWORD; sasl-username,
// sasl-password), OAUTHBEARER's token from --bearer-token (MQ_BEARER_TOKEN, bearer-token, as the
// HTTP commands take it), and --tls, --tls-ca, --tls-cert, --tls-key (MQ_TLS, MQ_TLS_CA, ...; tls,
// tls-ca, ...). A bad combination is a usage error naming the flags, never a secret.
import { readFile } from 'node:fs/promises';
import type { SaslOptions, SslOptions } from '@mq/client';
import { UsageError } from './cli-error';
import { checkBearerToken } from './http-credentials';
import type { Profile } from './profiles';

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;

export interface SecurityFlags {
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
  bearerToken?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export interface KafkaSecurity {
  readonly sasl?: SaslOptions;
  readonly ssl?: true | SslOptions;
}

/** True when a flag or variable already settles every setting, so the profile need not be read for it. */
export function securityFromFlagsOrEnvOnly(f: SecurityFlags, env: NodeJS.ProcessEnv): boolean {
  return (f.saslMechanism ?? env.MQ_SASL_MECHANISM) !== undefined && (f.tls !== undefined || env.MQ_TLS !== undefined);
}

export async function kafkaSecurity(f: SecurityFlags, env: NodeJS.ProcessEnv, profile: Profile): Promise<KafkaSecurity> {
  const pick = (flag: string | undefined, variable: string, key: keyof Profile): string | undefined => {
    if (flag !== undefined) return flag;
    const e = env[variable];
    if (e !== undefined && e !== '') return e;
    const p = profile[key];
    return p === undefined ? undefined : String(p);
  };
  const mechanism = pick(f.saslMechanism, 'MQ_SASL_MECHANISM', 'sasl-mechanism')?.toUpperCase();
  const username = pick(f.saslUsername, 'MQ_SASL_USERNAME', 'sasl-username');
  const password = pick(f.saslPassword, 'MQ_SASL_PASSWORD', 'sasl-password');
  const out: { sasl?: SaslOptions; ssl?: true | SslOptions } = {};
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined) throw new UsageError('--sasl-username / --sasl-password need --sasl-mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)');
  } else if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new UsageError(`--sasl-mechanism must be one of ${SASL_MECHANISMS.join(', ')}, not ${mechanism}`);
  } else if (mechanism === 'OAUTHBEARER') {
    if (username !== undefined || password !== undefined) throw new UsageError('--sasl-mechanism OAUTHBEARER takes --bearer-token, not --sasl-username / --sasl-password');
    const token = f.bearerToken !== undefined ? checkBearerToken(f.bearerToken, '--bearer-token') : env.MQ_BEARER_TOKEN ? checkBearerToken(env.MQ_BEARER_TOKEN, 'MQ_BEARER_TOKEN') : profile['bearer-token'];
    if (token === undefined) throw new UsageError("--sasl-mechanism OAUTHBEARER needs a token: --bearer-token, MQ_BEARER_TOKEN or the profile's bearer-token");
    out.sasl = { mechanism: 'OAUTHBEARER', token };
  } else {
    if (username === undefined || username === '' || password === undefined) {
      throw new UsageError(`--sasl-mechanism ${mechanism} needs --sasl-username and --sasl-password (or MQ_SASL_USERNAME / MQ_SASL_PASSWORD, or the profile's sasl-username / sasl-password)`);
    }
    out.sasl = { mechanism: mechanism as 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', username, password };
  }
  const ca = pick(f.tlsCa, 'MQ_TLS_CA', 'tls-ca');
  const cert = pick(f.tlsCert, 'MQ_TLS_CERT', 'tls-cert');
  const key = pick(f.tlsKey, 'MQ_TLS_KEY', 'tls-key');
  const tlsOn = f.tls ?? (env.MQ_TLS !== undefined && env.MQ_TLS !== '' ? /^(1|true|yes)$/i.test(env.MQ_TLS) : profile.tls === true);
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together (a client certificate and its private key)');
  if (ca !== undefined || cert !== undefined) {
    out.ssl = { ...(ca !== undefined ? { ca: await readPem(ca, '--tls-ca') } : {}), ...(cert !== undefined ? { cert: await readPem(cert, '--tls-cert'), key: await readPem(key!, '--tls-key') } : {}) };
  } else if (tlsOn) {
    out.ssl = true;
  }
  return out;
}

async function readPem(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
