// AlterConfigs (key 33), versions 0-2 (flexible 2+): replaces a topic's whole set of overrides, or
// a BROKER resource's dynamic configs (configs not listed return to their defaults). validate_only
// checks without applying. Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG
// (unknown name / static broker key / bad value / null value), INVALID_REQUEST (a broker name that
// is not an id; a resource named twice; a config named twice in one resource — as Kafka's
// ConfigAdminManager.preprocess).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { DUPLICATE_RESOURCE, alterConfigsErrorResponse, alterTopicConfigs, duplicateResources } from './alter-topic-configs';

type AlterConfigsRequest = RequestBodyFor<typeof ApiKey.AlterConfigs>;
type AlterConfigsResponse = ResponseInputFor<typeof ApiKey.AlterConfigs>;

export const alterConfigsHandler = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const isDuplicate = duplicateResources(req.resources);
    const responses = await Promise.all(
      req.resources.map((r) =>
        alterTopicConfigs(ctx, r, req.validateOnly, () => {
          if (isDuplicate(r)) return DUPLICATE_RESOURCE;
          const replace: Record<string, string> = {};
          for (const c of r.configs) {
            if (c.value === null) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `config ${c.name} has a null value` };
            if (Object.hasOwn(replace, c.name)) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' };
            replace[c.name] = c.value;
          }
          return { replace };
        }),
      ),
    );
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: alterConfigsErrorResponse,
});
