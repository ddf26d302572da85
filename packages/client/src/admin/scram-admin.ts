// SCRAM user administration (DescribeUserScramCredentials / AlterUserScramCredentials, as
// kafka-configs --entity-type users): the password is salted and hashed here (PBKDF2, RFC 5802's
// Hi) so only the salt and the salted password cross the wire, never the password.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { InvalidArgumentError } from '../errors';

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** Kafka's ScramMechanism type ids and each hash's length. */
const MECHANISMS: Readonly<Record<ScramMechanismName, { type: number; hash: 'sha256' | 'sha512'; keyLength: number }>> = {
  'SCRAM-SHA-256': { type: 1, hash: 'sha256', keyLength: 32 },
  'SCRAM-SHA-512': { type: 2, hash: 'sha512', keyLength: 64 },
};

export interface ScramUserCredentials {
  readonly user: string;
  readonly credentials: readonly { readonly mechanism: ScramMechanismName; readonly iterations: number }[];
}

export interface ScramUpsertion {
  readonly user: string;
  readonly mechanism: ScramMechanismName;
  readonly password: string;
  /** Default 4096 (Kafka's minimum and kafka-configs' default). */
  readonly iterations?: number;
}

export interface ScramDeletion {
  readonly user: string;
  readonly mechanism: ScramMechanismName;
}

function mechanismOf(name: string): { type: number; hash: 'sha256' | 'sha512'; keyLength: number } {
  const m = MECHANISMS[name as ScramMechanismName];
  if (m === undefined) throw new InvalidArgumentError(`mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512, not ${name}`);
  return m;
}

function nameOfType(type: number): ScramMechanismName | undefined {
  return (Object.keys(MECHANISMS) as ScramMechanismName[]).find((n) => MECHANISMS[n].type === type);
}

/** Users with SCRAM credentials (all, or those named); a named user without one throws RESOURCE_NOT_FOUND. */
export async function describeUserScramCredentials(cluster: Cluster, users?: readonly string[]): Promise<ScramUserCredentials[]> {
  const res = await cluster.requestAny(ApiKey.DescribeUserScramCredentials, { users: users === undefined || users.length === 0 ? null : users.map((name) => ({ name })) });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `describe SCRAM users: ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
  return res.results.map((r) => {
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, `user ${r.user}: ${r.errorMessage ?? new KafkaError(r.errorCode).message}`);
    return {
      user: r.user,
      credentials: r.credentialInfos.flatMap((c) => {
        const mechanism = nameOfType(c.mechanism);
        return mechanism === undefined ? [] : [{ mechanism, iterations: c.iterations }];
      }),
    };
  });
}

/** Upserts and deletes in one request; throws the first user's refusal (the other users' changes still apply). */
export async function alterUserScramCredentials(cluster: Cluster, change: { upsertions?: readonly ScramUpsertion[]; deletions?: readonly ScramDeletion[] }): Promise<void> {
  const upsertions = (change.upsertions ?? []).map((u) => {
    const m = mechanismOf(u.mechanism);
    const iterations = u.iterations ?? 4096;
    const salt = randomBytes(32);
    return { name: u.user, mechanism: m.type, iterations, salt, saltedPassword: pbkdf2Sync(Buffer.from(u.password, 'utf8'), salt, iterations, m.keyLength, m.hash) };
  });
  const deletions = (change.deletions ?? []).map((d) => ({ name: d.user, mechanism: mechanismOf(d.mechanism).type }));
  if (upsertions.length + deletions.length === 0) throw new InvalidArgumentError('no SCRAM credential to change');
  const res = await cluster.requestAny(ApiKey.AlterUserScramCredentials, { upsertions, deletions });
  for (const r of res.results) {
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, `user ${r.user}: ${r.errorMessage ?? new KafkaError(r.errorCode).message}`);
  }
}
