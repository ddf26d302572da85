// AlterUserScramCredentials (key 51), version 0 (flexible): deletions and upsertions of SCRAM
// credentials, checked as Kafka does (known mechanism, 4096..16384 iterations, a salt, a salted
// password of the hash's length, a non-empty name, each user+mechanism once, deleting only what
// exists); every user without an error is committed in one metadata commit, and a user with any
// error changes nothing. Results: one per user named.
import { SCRAM_MECHANISMS, type ScramCredential, type ScramMechanismName, credentialFromSaltedPassword, scramMechanismOfType } from '@mq/auth';
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import { defineHandler } from '../handler';

type Request = RequestBodyFor<typeof ApiKey.AlterUserScramCredentials>;
type Response = ResponseInputFor<typeof ApiKey.AlterUserScramCredentials>;

interface Change {
  readonly user: string;
  readonly mechanism: ScramMechanismName;
  readonly credential: ScramCredential | null;
}

export const alterUserScramCredentialsHandler = defineHandler<Request, Response>({
  apiKey: ApiKey.AlterUserScramCredentials,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const store = ctx.broker.scramCredentials;
    const users = [...new Set([...req.deletions.map((d) => d.name), ...req.upsertions.map((u) => u.name)])];
    if (store === undefined) return { throttleTimeMs: 0, results: users.map((user) => ({ user, errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'SCRAM credentials are not served by this broker' })) };
    const errors = new Map<string, { errorCode: number; errorMessage: string }>();
    const fail = (user: string, errorCode: number, errorMessage: string) => {
      if (!errors.has(user)) errors.set(user, { errorCode, errorMessage });
    };
    const seen = new Map<string, number>();
    for (const k of [...req.deletions, ...req.upsertions].map((c) => `${c.mechanism}:${c.name}`)) seen.set(k, (seen.get(k) ?? 0) + 1);
    const changes: Change[] = [];
    const existing = store.users();
    for (const d of req.deletions) {
      const m = scramMechanismOfType(d.mechanism);
      if (d.name === '') fail(d.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty');
      else if (m === undefined) fail(d.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, `Unknown SCRAM mechanism type ${d.mechanism} (known: ${SCRAM_MECHANISMS.map((x) => `${x.type}=${x.name}`).join(', ')})`);
      else if ((seen.get(`${d.mechanism}:${d.name}`) ?? 0) > 1) fail(d.name, ErrorCode.DUPLICATE_RESOURCE, `A user credential cannot be altered twice in the same request: ${m.name} of ${d.name}`);
      else if (!(existing.get(d.name) ?? []).some((c) => c.mechanism === m.name)) fail(d.name, ErrorCode.RESOURCE_NOT_FOUND, `Attempt to delete a user credential that does not exist: ${m.name} of ${d.name}`);
      else changes.push({ user: d.name, mechanism: m.name, credential: null });
    }
    for (const u of req.upsertions) {
      const m = scramMechanismOfType(u.mechanism);
      if (u.name === '') {
        fail(u.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty');
        continue;
      }
      if (m === undefined) {
        fail(u.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, `Unknown SCRAM mechanism type ${u.mechanism}`);
        continue;
      }
      if ((seen.get(`${u.mechanism}:${u.name}`) ?? 0) > 1) {
        fail(u.name, ErrorCode.DUPLICATE_RESOURCE, `A user credential cannot be altered twice in the same request: ${m.name} of ${u.name}`);
        continue;
      }
      try {
        changes.push({ user: u.name, mechanism: m.name, credential: credentialFromSaltedPassword(m, Buffer.from(u.salt), Buffer.from(u.saltedPassword), u.iterations) });
      } catch (err) {
        fail(u.name, kafkaErrorCode(err), (err as Error).message);
      }
    }
    const accepted = changes.filter((c) => !errors.has(c.user));
    if (accepted.length > 0) {
      try {
        await store.alter(accepted);
      } catch (err) {
        ctx.logger.error({ err }, 'AlterUserScramCredentials: metadata commit failed');
        for (const c of accepted) fail(c.user, kafkaErrorCode(err), (err as Error).message);
      }
    }
    for (const c of accepted) if (!errors.has(c.user)) ctx.logger.info({ user: c.user, mechanism: c.mechanism, change: c.credential === null ? 'deleted' : 'upserted', by: ctx.session.principal }, 'SCRAM credential changed');
    return {
      throttleTimeMs: 0,
      results: users.map((user) => {
        const e = errors.get(user);
        return { user, errorCode: e?.errorCode ?? ErrorCode.NONE, errorMessage: e?.errorMessage ?? null };
      }),
    };
  },
  errorResponse(req, errorCode) {
    const users = [...new Set([...req.deletions.map((d) => d.name), ...req.upsertions.map((u) => u.name)])];
    return { throttleTimeMs: 0, results: users.map((user) => ({ user, errorCode, errorMessage: null })) };
  },
});
