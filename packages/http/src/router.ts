// The route table other packages register on (admin API, /metrics, traces, schema registry). One
// pattern shape per method: a second registration of the same method and shape is a startup bug.
import { PathPattern, splitPath } from './path-pattern';
import type { HttpMethod, PathParams, Route, WebSocketRoute } from './route';

export type RouteMatch<R> = { readonly route: R; readonly params: PathParams };

/** What a lookup found: a route, or only other methods on that path (405), or nothing (404). */
export type Lookup = RouteMatch<Route> | { readonly allowed: readonly HttpMethod[] } | undefined;

export class Router {
  private readonly routes: { pattern: PathPattern; route: Route }[] = [];
  private readonly sockets: { pattern: PathPattern; route: WebSocketRoute }[] = [];

  /** Registers routes; throws on a malformed path or a duplicate method + path shape. */
  add(...routes: readonly Route[]): this {
    for (const route of routes) {
      const pattern = new PathPattern(route.path);
      const clash = this.routes.find((r) => r.route.method === route.method && r.pattern.shape === pattern.shape);
      if (clash !== undefined) throw new Error(`route ${route.method} ${route.path} clashes with ${clash.route.path}`);
      this.routes.push({ pattern, route });
    }
    return this;
  }

  /** Registers a WebSocket endpoint (a GET upgrade on its path). */
  addWebSocket(route: WebSocketRoute): this {
    const pattern = new PathPattern(route.path);
    if (this.sockets.some((s) => s.pattern.shape === pattern.shape)) throw new Error(`WebSocket route ${route.path} registered twice`);
    this.sockets.push({ pattern, route });
    return this;
  }

  /** Literal segments win over :params at the same position (`/topics/_all` before `/topics/:name`). */
  lookup(method: string, path: string): Lookup {
    const parts = splitPath(path);
    const allowed: HttpMethod[] = [];
    let best: { match: RouteMatch<Route>; literals: number } | undefined;
    for (const { pattern, route } of this.routes) {
      const params = pattern.match(parts);
      if (params === undefined) continue;
      if (route.method !== method) {
        if (!allowed.includes(route.method)) allowed.push(route.method);
        continue;
      }
      const literals = parts.length - Object.keys(params).length;
      if (best === undefined || literals > best.literals) best = { match: { route, params }, literals };
    }
    if (best !== undefined) return best.match;
    return allowed.length > 0 ? { allowed } : undefined;
  }

  lookupWebSocket(path: string): RouteMatch<WebSocketRoute> | undefined {
    const parts = splitPath(path);
    for (const { pattern, route } of this.sockets) {
      const params = pattern.match(parts);
      if (params !== undefined) return { route, params };
    }
    return undefined;
  }

  /** Every registered method and path (an index page, an OpenAPI check). */
  list(): { method: HttpMethod; path: string }[] {
    return this.routes.map(({ route }) => ({ method: route.method, path: route.path }));
  }
}
