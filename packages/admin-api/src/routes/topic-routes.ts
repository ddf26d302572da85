// Topics (REST Proxy v3): list, create, get, delete, configs (list, one, alter in a batch), grow
// partitions. Read from the metadata image (every topic of the cluster), changed through TopicManager.
import { HttpError, type Route } from '@mq/http';
import { type AlterConfigOp, ConfigSource, type ConfigEntry } from '@mq/partition';
import type { TopicImage } from '@mq/metadata';
import type { AdminServices } from '../admin-services';
import { asObject, bodyInt, objectBody, optionalArray, optionalString, requiredString } from '../request-input';
import { Answer, CLUSTER_PATH, collection, route } from './admin-route';

export const TOPIC_PATH = `${CLUSTER_PATH}/topics/:topic_name`;

const SOURCE_NAME: Readonly<Record<number, string>> = {
  [ConfigSource.dynamicTopic]: 'DYNAMIC_TOPIC_CONFIG',
  [ConfigSource.staticBroker]: 'STATIC_BROKER_CONFIG',
  [ConfigSource.default]: 'DEFAULT_CONFIG',
};

export function topicImage(s: AdminServices, name: string): TopicImage {
  const t = s.topics.image.topics.get(name);
  if (t === undefined) throw HttpError.notFound(`topic ${name} not found`);
  return t;
}

export function topicRoutes(s: AdminServices): Route[] {
  const base = `/v3/clusters/${s.cluster.clusterId}/topics`;
  const topic = (t: TopicImage) => ({
    kind: 'KafkaTopic',
    cluster_id: s.cluster.clusterId,
    topic_name: t.name,
    topic_id: t.topicId,
    is_internal: t.name.startsWith('__') || t.name === '_schemas',
    replication_factor: t.partitions[0]?.replicas.length ?? 0,
    partitions_count: t.partitions.length,
  });
  const config = (topicName: string, e: ConfigEntry) => ({
    kind: 'KafkaTopicConfig',
    cluster_id: s.cluster.clusterId,
    topic_name: topicName,
    name: e.name,
    value: e.isSensitive ? null : e.value,
    is_default: e.isDefault,
    is_read_only: e.readOnly,
    is_sensitive: e.isSensitive,
    source: SOURCE_NAME[e.source] ?? 'UNKNOWN',
    synonyms: e.synonyms.map((y) => ({ name: y.name, value: y.value, source: SOURCE_NAME[y.source] ?? 'UNKNOWN' })),
  });
  return [
    route(s, 'GET', `${CLUSTER_PATH}/topics`, () => collection('Topic', base, [...s.topics.image.topics.values()].sort((a, b) => a.name.localeCompare(b.name)).map(topic))),
    route(s, 'POST', `${CLUSTER_PATH}/topics`, async (req) => {
      const body = objectBody(req);
      const name = requiredString(body.topic_name, 'topic_name');
      const partitions = body.partitions_count === undefined ? 1 : bodyInt(body.partitions_count, 'partitions_count');
      const replicationFactor = body.replication_factor === undefined ? 1 : bodyInt(body.replication_factor, 'replication_factor', 32767);
      const configs: Record<string, string> = {};
      for (const [i, raw] of optionalArray(body.configs, 'configs').entries()) {
        const c = asObject(raw, `configs[${i}]`);
        configs[requiredString(c.name, `configs[${i}].name`)] = requiredString(c.value, `configs[${i}].value`);
      }
      const validateOnly = body.validate_only === true;
      await s.topics.createTopic(name, partitions, configs, validateOnly, { replicationFactor });
      const created = s.topics.image.topics.get(name);
      if (validateOnly || created === undefined) return new Answer({ status: 200, body: { kind: 'KafkaTopic', cluster_id: s.cluster.clusterId, topic_name: name, validate_only: true } });
      return Answer.created(topic(created));
    }),
    route(s, 'GET', TOPIC_PATH, (_req, p) => topic(topicImage(s, p.topic_name!))),
    route(s, 'DELETE', TOPIC_PATH, async (_req, p) => {
      topicImage(s, p.topic_name!);
      await s.topics.deleteTopic(p.topic_name!);
      return Answer.noContent();
    }),
    route(s, 'GET', `${TOPIC_PATH}/configs`, (_req, p) => {
      const name = topicImage(s, p.topic_name!).name;
      return collection('TopicConfig', `${base}/${name}/configs`, s.topics.describeConfigs(name).map((e) => config(name, e)));
    }),
    route(s, 'GET', `${TOPIC_PATH}/configs/:name`, (_req, p) => {
      const name = topicImage(s, p.topic_name!).name;
      const entry = s.topics.describeConfigs(name).find((e) => e.name === p.name);
      if (entry === undefined) throw HttpError.notFound(`topic config ${p.name} not found`);
      return config(name, entry);
    }),
    // REST Proxy v3's batch alter: `{ data: [{ name, value?, operation?: SET | DELETE }] }`, all or nothing.
    route(s, 'POST', `${TOPIC_PATH}/configs:alter`, async (req, p) => {
      const name = topicImage(s, p.topic_name!).name;
      const body = objectBody(req);
      const ops: AlterConfigOp[] = optionalArray(body.data, 'data').map((raw, i) => {
        const c = asObject(raw, `data[${i}]`);
        const key = requiredString(c.name, `data[${i}].name`);
        const operation = (optionalString(c.operation, `data[${i}].operation`) ?? 'SET').toUpperCase();
        if (operation === 'DELETE') return { name: key, op: 'delete' };
        if (operation !== 'SET') throw HttpError.badRequest(`data[${i}].operation must be SET or DELETE`);
        return { name: key, op: 'set', value: requiredString(c.value, `data[${i}].value`) };
      });
      if (ops.length === 0) throw HttpError.badRequest('data must list at least one config');
      await s.topics.alterConfigs(name, { ops }, body.validate_only === true);
      return Answer.noContent();
    }),
  ];
}
