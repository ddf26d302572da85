// DescribeConfigs (key 32), versions 0-4 (flexible 4+). Resources: TOPIC (2) — every supported
// topic config with its effective value and source; BROKER (4) — this broker's static settings
// (read-only; from the broker app's config table when it runs the server) and its dynamic configs
// (this broker's value, the cluster default's, or the default; the empty name: only the keys set as the cluster default, as Kafka). configuration_keys
// filters by name. include_synonyms (v1+) lists a config's override, static broker setting and
// default under their Kafka names; documentation (v3+) is the key's doc line.
// Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST (unknown type or other broker).
import { ApiKey, ErrorCode, KafkaError, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import type { ConfigEntry } from '@mq/partition';
import { describeBrokerConfig } from '../broker-config-entries';
import { defineHandler, type RequestContext } from '../handler';

export const ResourceType = { topic: 2, broker: 4 } as const;

type DescribeConfigsRequest = RequestBodyFor<typeof ApiKey.DescribeConfigs>;

interface DescribeConfigsResourceResult {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  configType: number;
  documentation: string | null;
}

interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsResourceResult[];
}

type DescribeConfigsResponse = ResponseInputFor<typeof ApiKey.DescribeConfigs>;

function toWire(e: ConfigEntry, includeSynonyms: boolean): DescribeConfigsResourceResult {
  // As Kafka: a password's value (and its synonyms') never leaves the broker.
  return {
    name: e.name,
    value: e.isSensitive ? null : e.value,
    readOnly: e.readOnly,
    isDefault: e.isDefault,
    configSource: e.source,
    isSensitive: e.isSensitive,
    synonyms: includeSynonyms ? e.synonyms.map((s) => ({ name: s.name, value: e.isSensitive ? null : s.value, source: s.source })) : [],
    configType: e.configType,
    documentation: e.documentation ?? null,
  };
}

function entriesFor(resourceType: number, resourceName: string, ctx: RequestContext): readonly ConfigEntry[] {
  if (resourceType === ResourceType.topic) return ctx.broker.topics.describeConfigs(resourceName);
  if (resourceType === ResourceType.broker) {
    if (resourceName !== '' && resourceName !== String(ctx.broker.nodeId)) {
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `broker ${resourceName} is not this broker (${ctx.broker.nodeId})`);
    }
    return ctx.broker.dynamicConfigs.describe(ctx.broker.describeBrokerConfig?.() ?? describeBrokerConfig(ctx.broker.config), resourceName);
  }
  throw new KafkaError(ErrorCode.INVALID_REQUEST, `resource type ${resourceType} is not supported`);
}

export const describeConfigsHandler = defineHandler<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const results = req.resources.map((r): DescribeConfigsResult => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      try {
        const keys = r.configurationKeys === null ? undefined : new Set(r.configurationKeys);
        const entries = entriesFor(r.resourceType, r.resourceName, ctx).filter((e) => keys === undefined || keys.has(e.name));
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: entries.map((e) => toWire(e, req.includeSynonyms === true)) };
      } catch (err) {
        return { ...base, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : null, configs: [] };
      }
    });
    return { throttleTimeMs: 0, results };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      results: (req.resources ?? []).map((r) => ({
        errorCode,
        errorMessage: null,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: [],
      })),
    };
  },
});
