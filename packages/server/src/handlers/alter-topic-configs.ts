// What AlterConfigs (33) and IncrementalAlterConfigs (44) share: the per-resource outcome of
// applying a config change — a topic's configs, or a BROKER resource's dynamic configs (per broker
// id, or the empty name: the cluster default) —, the check that no resource appears twice (Kafka's
// ConfigAdminManager.preprocess), and the all-failed response.
import { ErrorCode, kafkaErrorCode } from '@mq/protocol';
import type { RequestContext } from '../handler';
import { duplicateKeys } from './duplicates';
import { ResourceType } from './32-describe-configs';

type TopicConfigChange = Parameters<RequestContext['broker']['topics']['alterConfigs']>[1];

interface ConfigResource {
  resourceType: number;
  resourceName: string;
}

export interface AlterConfigsResourceResponse extends ConfigResource {
  errorCode: number;
  errorMessage: string | null;
}

/** A change the handler could not build from the request: answered as this error, nothing applied. */
export interface RejectedChange {
  errorCode: number;
  errorMessage: string;
}

/** Resources named more than once (same type and name): each answered INVALID_REQUEST, none applied. */
export function duplicateResources(resources: readonly ConfigResource[]): (r: ConfigResource) => boolean {
  const key = (r: ConfigResource) => `${r.resourceType}:${r.resourceName}`;
  const dups = duplicateKeys(resources, key);
  return (r) => dups.has(key(r));
}

export const DUPLICATE_RESOURCE: RejectedChange = { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Each resource must appear at most once.' };

export async function alterTopicConfigs(
  ctx: RequestContext,
  resource: ConfigResource,
  validateOnly: boolean,
  toChange: () => TopicConfigChange | RejectedChange,
): Promise<AlterConfigsResourceResponse> {
  const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
  if (resource.resourceType !== ResourceType.topic && resource.resourceType !== ResourceType.broker) {
    return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'only topic and broker configs can be altered' };
  }
  const change = toChange();
  if ('errorCode' in change) return { ...base, ...change };
  try {
    if (resource.resourceType === ResourceType.broker) await ctx.broker.dynamicConfigs.alter(resource.resourceName, change, validateOnly);
    else await ctx.broker.topics.alterConfigs(resource.resourceName, change, validateOnly);
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (err) {
    return { ...base, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : null };
  }
}

export function alterConfigsErrorResponse(
  req: { resources?: readonly ConfigResource[] },
  errorCode: number,
): { throttleTimeMs: number; responses: AlterConfigsResourceResponse[] } {
  return {
    throttleTimeMs: 0,
    responses: (req.resources ?? []).map((r) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
  };
}
