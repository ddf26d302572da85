// The admin API as one object: its REST routes and WebSocket streams, mounted on the broker's HTTP
// listener (@mq/http Router), and /openapi.json describing both.
import type { Route, Router, WebSocketRoute } from '@mq/http';
import type { AdminLogger, AdminServices } from './admin-services';
import { openApiDocument } from './openapi/openapi-document';
import { queueRoutes } from './queues/queue-routes';
import { QueueService } from './queues/queue-service';
import { queueSubscriptionRoute } from './queues/queue-subscription';
import { clusterRoutes } from './routes/cluster-routes';
import { delayedRoutes } from './routes/delayed-routes';
import { groupRoutes } from './routes/group-routes';
import { partitionRoutes } from './routes/partition-routes';
import { recordRoutes } from './routes/record-routes';
import { shareGroupRoutes } from './routes/share-group-routes';
import { topicRoutes } from './routes/topic-routes';
import { tenantRoutes } from './routes/tenant-routes';
import { traceRoutes } from './routes/trace-routes';
import { AdminStreams } from './streams/admin-streams';

export interface AdminApiOptions {
  /** Stats stream period; default 1000 ms. */
  readonly statsIntervalMs?: number;
  /** Record stream poll period; default 200 ms. */
  readonly recordPollMs?: number;
  /** The version shown in /openapi.json; default 0.0.0. */
  readonly version?: string;
  readonly logger?: AdminLogger;
}

export class AdminApi {
  readonly routes: readonly Route[];
  readonly webSocketRoutes: readonly WebSocketRoute[];
  private readonly streams: AdminStreams;
  private readonly queues: QueueService;

  constructor(services: AdminServices, opts: AdminApiOptions = {}) {
    this.streams = new AdminStreams(services, opts);
    this.queues = new QueueService({ topics: services.topics, clock: services.clock, share: () => services.share?.() });
    const document = openApiDocument(opts.version ?? '0.0.0');
    this.routes = [
      ...clusterRoutes(services),
      ...topicRoutes(services),
      ...partitionRoutes(services),
      ...recordRoutes(services),
      ...groupRoutes(services),
      ...shareGroupRoutes(services),
      ...queueRoutes(this.queues),
      ...delayedRoutes(services),
      ...traceRoutes(services),
      ...tenantRoutes(services),
      { method: 'GET', path: '/openapi.json', handler: () => ({ status: 200, body: document }) },
    ];
    this.webSocketRoutes = [...this.streams.routes(), queueSubscriptionRoute(this.queues, services.clock)];
  }

  /** Adds every route and stream to `router`. */
  mount(router: Router): this {
    router.add(...this.routes);
    for (const ws of this.webSocketRoutes) router.addWebSocket(ws);
    return this;
  }

  /** Stops the streams' ticks (call before the listener stops). */
  close(): void {
    this.streams.close();
    this.queues.close();
  }
}
