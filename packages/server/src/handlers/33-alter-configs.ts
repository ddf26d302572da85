// AlterConfigs (key 33), versions 0-2 (flexible 2+): replaces a topic's whole set of overrides
// (configs not listed return to their defaults). validate_only checks without applying.
// Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG (unknown name / bad value /
// null value), INVALID_REQUEST (broker resources: mq's broker configs are static).
import { ApiKey, ErrorCode } from '@mq/protocol';
import { kafkaErrorCode } from '@mq/partition';
import { defineHandler } from '../handler';
import { ResourceType } from './32-describe-configs';

interface AlterConfigsRequest {
  resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[];
  validateOnly: boolean;
}

interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: { errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string }[];
}

export const alterConfigsHandler = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const responses = await Promise.all(
      req.resources.map(async (r) => {
        const base = { resourceType: r.resourceType, resourceName: r.resourceName };
        if (r.resourceType !== ResourceType.topic) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'only topic configs can be altered' };
        }
        const replace: Record<string, string> = {};
        for (const c of r.configs) {
          if (c.value === null) return { ...base, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `config ${c.name} has a null value` };
          replace[c.name] = c.value;
        }
        try {
          await ctx.broker.topics.alterConfigs(r.resourceName, { replace }, req.validateOnly);
          return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
        } catch (err) {
          return { ...base, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : null };
        }
      }),
    );
    return { throttleTimeMs: 0, responses };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      responses: (req.resources ?? []).map((r) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
    };
  },
});
