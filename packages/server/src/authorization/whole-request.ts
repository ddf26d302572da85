// Whole-request checks: a rule that either lets the request through or answers the handler's
// errorResponse with one code (group APIs, cluster admin APIs, transactional ids).
import { ErrorCode } from '@mq/protocol';
import { Completion } from '../completion';
import type { Body } from '../handler';
import type { AclRule, RequestAuthz } from './request-authz';

/** `check` returns the refusal's error code, or 0; then `then` (default: pass on) runs. */
export function wholeRequest(check: (req: Body, authz: RequestAuthz) => number, then?: AclRule): AclRule {
  return (call, authz, next) => {
    const code = check(call.request, authz);
    if (code !== ErrorCode.NONE) return Completion.now(call.errorResponse(code));
    return then === undefined ? next() : then(call, authz, next);
  };
}

/** Runs the rule's completion, then rewrites the response (filters, authorized operations). */
export function thenRewrite(rewrite: (response: Body, req: Body, authz: RequestAuthz) => Body): AclRule {
  return (call, authz, next) =>
    next().map(async (response) => {
      const res = await response;
      return typeof res === 'object' && res !== null ? rewrite(res as Body, call.request, authz) : res;
    });
}
