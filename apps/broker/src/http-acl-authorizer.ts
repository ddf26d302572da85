// The HTTP listener's authorizer (installed only with authorizer.class.name, as the Kafka side's
// middleware): each route's rule (http-acl-rules.ts) checked against the Kafka listeners' ACLs
// before the route runs, listings filtered after; a route with no rule needs ALTER on the cluster.
import { AclOperation as Op, type AclStore } from '@mq/acl';
import type { HttpAuthorizer, HttpRequest, Route, RouteMatch, RouteResult, WebSocketRoute } from '@mq/http';
import { type HttpAclRule, HTTP_ACL_RULES, HTTP_ACL_STREAM_RULES } from './http-acl-rules';
import { HttpAuthz } from './http-authz';

export class HttpAclAuthorizer implements HttpAuthorizer {
  private readonly rules: Map<string, HttpAclRule>;

  constructor(
    private readonly acls: AclStore,
    /** Rules of routes mounted beside the table's (the schema registry's), by `METHOD path`. */
    extra: ReadonlyMap<string, HttpAclRule> = new Map(),
  ) {
    this.rules = new Map([...HTTP_ACL_RULES, ...extra]);
  }

  /** The rule of a route, if it has one. */
  ruleOf(method: string, path: string): HttpAclRule | undefined {
    return this.rules.get(`${method} ${path}`);
  }

  async route(req: HttpRequest, match: RouteMatch<Route>, next: () => Promise<RouteResult>): Promise<RouteResult> {
    const authz = new HttpAuthz(this.acls, req);
    const rule = this.ruleOf(match.route.method, match.route.path);
    if (rule === undefined) authz.cluster(Op.ALTER);
    else rule.check?.(authz, match.params, req);
    const result = await next();
    const filter = rule?.filter;
    if (filter === undefined || 'stream' in result || result.status !== 200) return result;
    const body = result.body as { data?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.data)) return result;
    return { ...result, body: { ...body, data: body.data.filter((item: Record<string, unknown>) => filter(authz, item)) } };
  }

  webSocket(req: HttpRequest, match: RouteMatch<WebSocketRoute>): void {
    const authz = new HttpAuthz(this.acls, req);
    const rule = HTTP_ACL_STREAM_RULES.get(match.route.path);
    if (rule === undefined) authz.cluster(Op.ALTER);
    else rule.check?.(authz, match.params, req);
  }
}
