// `_schemas` records as log records: key and value are Confluent's JSON texts in UTF-8; a null
// value is a tombstone (hard deletes, removed configs), which compaction drops with its key.
import type { CoordinatorRecordSerde } from '@mq/coordinator';
import type { RegistryRecord } from '@mq/schema';

export const registryRecordSerde: CoordinatorRecordSerde<RegistryRecord> = {
  serialize: (r) => ({ key: Buffer.from(r.key, 'utf8'), value: r.value === null ? null : Buffer.from(r.value, 'utf8') }),
  deserialize: (key, value) => {
    const text = key.toString('utf8');
    // Anything that is not JSON is not ours; RegistryState skips unknown keys, this refuses garbage loudly.
    JSON.parse(text);
    return { key: text, value: value === null ? null : value.toString('utf8') };
  },
};
