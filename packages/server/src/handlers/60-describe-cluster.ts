// DescribeCluster (key 60), versions 0-2 (flexible 0+): the cluster id, the live brokers (with
// racks) and the controller, from the metadata image (one node: this broker is both). endpoint_type 2 (controllers, KIP-919) gets UNSUPPORTED_ENDPOINT_TYPE:
// mq has no separate controller endpoint. include_cluster_authorized_operations gets every cluster
// operation (no authorizer; authorized-operations.ts), else -2147483648.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler, type RequestContext } from '../handler';
import { AUTHORIZED_OPS_NOT_REQUESTED } from '../wire-constants';
import { clusterAuthorizedOperations } from '../authorized-operations';
import { clusterBrokers, controllerId } from '../cluster-view';

const BROKERS_ENDPOINT = 1;

type DescribeClusterRequest = RequestBodyFor<typeof ApiKey.DescribeCluster>;

type DescribeClusterResponse = ResponseInputFor<typeof ApiKey.DescribeCluster>;

function describe(ctx: RequestContext, errorCode: number, errorMessage: string | null, ops = AUTHORIZED_OPS_NOT_REQUESTED): DescribeClusterResponse {
  const b = ctx.broker;
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    endpointType: BROKERS_ENDPOINT,
    clusterId: b.clusterId,
    controllerId: controllerId(b),
    brokers: errorCode === ErrorCode.NONE ? clusterBrokers(b, ctx.session.listenerName).map((e) => ({ brokerId: e.nodeId, host: e.host, port: e.port, rack: e.rack, isFenced: false })) : [],
    clusterAuthorizedOperations: ops,
  };
}

export const describeClusterHandler = defineHandler<DescribeClusterRequest, DescribeClusterResponse>({
  apiKey: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    if ((req.endpointType ?? BROKERS_ENDPOINT) !== BROKERS_ENDPOINT) {
      return describe(ctx, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, 'only the brokers endpoint type (1) exists');
    }
    return describe(ctx, ErrorCode.NONE, null, clusterAuthorizedOperations(req.includeClusterAuthorizedOperations));
  },
  errorResponse(_req, errorCode, ctx) {
    return describe(ctx, errorCode, null);
  },
});
