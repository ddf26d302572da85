// IncrementalAlterConfigs (key 44), versions 0-1 (flexible 1+): SET (0), DELETE (1), APPEND (2)
// and SUBTRACT (3, list configs only) on single topic configs, or on a BROKER resource's dynamic
// configs (leader/follower.replication.throttled.rate; name = broker id, empty = cluster default).
// validate_only checks without applying. Errors per resource: UNKNOWN_TOPIC_OR_PARTITION,
// INVALID_CONFIG (bad value, static or unknown broker key), INVALID_REQUEST (a broker name that is
// not an id, unknown operations, a config named twice, a resource named twice).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import type { AlterConfigOp } from '@mq/partition';
import { defineHandler } from '../handler';
import { DUPLICATE_RESOURCE, alterConfigsErrorResponse, alterTopicConfigs, duplicateResources } from './alter-topic-configs';

type IncrementalAlterConfigsRequest = RequestBodyFor<typeof ApiKey.IncrementalAlterConfigs>;

type IncrementalAlterConfigsResponse = ResponseInputFor<typeof ApiKey.IncrementalAlterConfigs>;

function toOp(c: { name: string; configOperation: number; value: string | null }): AlterConfigOp | string {
  switch (c.configOperation) {
    case 0:
    case 2:
    case 3:
      if (c.value === null) return `config ${c.name} needs a value`;
      return { name: c.name, op: c.configOperation === 0 ? 'set' : c.configOperation === 2 ? 'append' : 'subtract', value: c.value };
    case 1:
      return { name: c.name, op: 'delete' };
    default:
      return `unknown config operation ${c.configOperation}`;
  }
}

export const incrementalAlterConfigsHandler = defineHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: ApiKey.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const isDuplicate = duplicateResources(req.resources);
    const responses = await Promise.all(
      req.resources.map((r) =>
        alterTopicConfigs(ctx, r, req.validateOnly, () => {
          if (isDuplicate(r)) return DUPLICATE_RESOURCE;
          const names = new Set<string>();
          const ops: AlterConfigOp[] = [];
          for (const c of r.configs) {
            if (names.has(c.name)) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `config ${c.name} appears twice` };
            names.add(c.name);
            const op = toOp(c);
            if (typeof op === 'string') return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: op };
            ops.push(op);
          }
          return { ops };
        }),
      ),
    );
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: alterConfigsErrorResponse,
});
