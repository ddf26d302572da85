// DescribeUserScramCredentials (key 50), version 0 (flexible): each user's SCRAM mechanisms and
// iterations from the metadata store's `scram` entries — never a salt or key. No users (null or
// empty): every user with a credential. A named user without one: RESOURCE_NOT_FOUND; a name
// asked twice: DUPLICATE_RESOURCE (as Kafka).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { scramMechanism } from '@mq/auth';
import { defineHandler } from '../handler';

type Request = RequestBodyFor<typeof ApiKey.DescribeUserScramCredentials>;
type Response = ResponseInputFor<typeof ApiKey.DescribeUserScramCredentials>;

export const describeUserScramCredentialsHandler = defineHandler<Request, Response>({
  apiKey: ApiKey.DescribeUserScramCredentials,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const store = ctx.broker.scramCredentials;
    if (store === undefined) return { throttleTimeMs: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'SCRAM credentials are not served by this broker', results: [] };
    const users = store.users();
    const info = (name: string) =>
      (users.get(name) ?? []).map((c) => ({ mechanism: scramMechanism(c.mechanism)!.type, iterations: c.iterations })).sort((a, b) => a.mechanism - b.mechanism);
    const asked = req.users ?? [];
    if (asked.length === 0) {
      const results = [...users.keys()].sort().map((user) => ({ user, errorCode: ErrorCode.NONE, errorMessage: null, credentialInfos: info(user) }));
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results };
    }
    const counts = new Map<string, number>();
    for (const u of asked) counts.set(u.name, (counts.get(u.name) ?? 0) + 1);
    const results = [...counts.entries()].map(([user, n]) => {
      if (n > 1) return { user, errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`, credentialInfos: [] };
      if (!users.has(user)) return { user, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: `Attempt to describe a user credential that does not exist: ${user}`, credentialInfos: [] };
      return { user, errorCode: ErrorCode.NONE, errorMessage: null, credentialInfos: info(user) };
    });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, results: [] };
  },
});
