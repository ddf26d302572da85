// The registry's coordinator shard: the RegistryState of @mq/schema, changed only by replaying
// `_schemas` records (at load from the log start, and after each live append).
import type { CoordinatorShard } from '@mq/coordinator';
import { type RegistryRecord, RegistryState } from '@mq/schema';

export class RegistryShard implements CoordinatorShard<RegistryRecord> {
  readonly state = new RegistryState();
  replay(record: RegistryRecord): void {
    this.state.replay(record);
  }
}
