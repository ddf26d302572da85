// Registry writes grouped into `_schemas` appends: commands queued while an append (and its fsync)
// is in flight run together in the next coordinator operation, each against the state the earlier
// ones leave (applied tentatively, then undone, so reads never see a write before it is in the
// log), and their records go out as one batch — one fsync for all. A command that throws (409,
// 42201, …) fails alone; a failed append fails every command of its batch and changes nothing.
import type { CoordinatorResult, CoordinatorRuntime } from '@mq/coordinator';
import type { RegistryRecord, RegistryResult, RegistryState } from '@mq/schema';
import type { RegistryShard } from './registry-shard.js';

interface Queued {
  readonly name: string;
  readonly command: (state: RegistryState) => RegistryResult<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly err: unknown };

export class RegistryWriter {
  private queue: Queued[] = [];

  constructor(private readonly runtime: CoordinatorRuntime<RegistryShard, RegistryRecord>) {}

  /** `name` names the operation in the runtime's logs (a batch is named after its first command). */
  write<T>(name: string, command: (state: RegistryState) => RegistryResult<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ name, command, resolve: resolve as (value: unknown) => void, reject });
      // The first command queued schedules the operation that takes everything queued by the time it runs.
      if (this.queue.length === 1) this.schedule();
    });
  }

  private schedule(): void {
    let taken: Queued[] | undefined;
    this.runtime
      .scheduleWriteOperation(`${this.queue[0]!.name} (and the writes queued with it)`, 0, (shard): CoordinatorResult<RegistryRecord, Outcome[]> => {
        taken = this.queue;
        this.queue = [];
        return runBatch(shard.state, taken);
      })
      .then(
        (outcomes) => {
          for (let i = 0; i < outcomes.length; i++) {
            const o = outcomes[i]!;
            if (o.ok) taken![i]!.resolve(o.value);
            else taken![i]!.reject(o.err);
          }
        },
        (err: unknown) => {
          // The append failed (taken) or the operation never ran (registry not loaded): all fail.
          const failed = taken ?? this.queue.splice(0);
          for (const q of failed) q.reject(err);
        },
      );
  }
}

function runBatch(state: RegistryState, batch: readonly Queued[]): CoordinatorResult<RegistryRecord, Outcome[]> {
  const records: RegistryRecord[] = [];
  const undo: (() => void)[] = [];
  const backToDurable = () => {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  };
  let outcomes: Outcome[];
  try {
    outcomes = batch.map((q): Outcome => {
      let result: RegistryResult<unknown>;
      try {
        result = q.command(state);
      } catch (err) {
        return { ok: false, err };
      }
      if (result.records.length > 0) {
        undo.push(state.applyTentatively(result.records));
        records.push(...result.records);
      }
      return { ok: true, value: result.response };
    });
  } catch (err) {
    backToDurable();
    throw err;
  }
  // The runtime replays the records once they are appended; until then reads see the durable state.
  backToDurable();
  return { records, response: outcomes };
}
