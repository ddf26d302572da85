// Compile-time proof (checked by `pnpm typecheck`, not run): the dispatch phase cannot await. If a
// change to ApiHandler, RequestMiddleware or Completion ever let an async function through, the
// expect-error directives below would become unused and typecheck would fail.
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Completion, defineHandler, type RequestMiddleware } from '../src/index';

interface PingRequest {
  topic: string;
}
interface PingResponse {
  errorCode: number;
}

export const synchronousDispatch = defineHandler<PingRequest, PingResponse>({
  apiKey: ApiKey.Produce,
  minVersion: 0,
  maxVersion: 0,
  dispatch: () => Completion.now({ errorCode: ErrorCode.NONE }),
  errorResponse: (_req, errorCode) => ({ errorCode }),
});

export const asyncDispatch = defineHandler<PingRequest, PingResponse>({
  apiKey: ApiKey.Produce,
  minVersion: 0,
  maxVersion: 0,
  // @ts-expect-error an async dispatch phase returns a Promise, not a Completion
  async dispatch() {
    await Promise.resolve();
    return Completion.now({ errorCode: ErrorCode.NONE });
  },
  errorResponse: (_req, errorCode) => ({ errorCode }),
});

// @ts-expect-error an async middleware would let an await run before the handler's dispatch phase
export const asyncMiddleware: RequestMiddleware = async (_call, next) => {
  await Promise.resolve();
  return next();
};

// @ts-expect-error a Promise is not a Completion (the class is nominal)
export const promiseAsCompletion: Completion<PingResponse> = Promise.resolve({ errorCode: ErrorCode.NONE });
