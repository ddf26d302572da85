// What any broker does with ElectLeaders / AlterPartitionReassignments: in a cluster only the
// controller may write partition states, so the request goes to it through the metadata store — an
// entry under controller-requests that the controller executes and answers under
// controller-results (one etcd txn with the partition states it changes); this broker waits for
// the answer on its watch, up to the request's timeout. A single node has no controller: it plans
// against its own image and commits itself.
import { randomBytes } from 'node:crypto';
import { entriesOf, type MetadataStore } from '@mq/metadata';
import { RequestTimedOutError } from '@mq/protocol';
import type { Clock } from '@mq/timerwheel';
import { CONTROLLER_REQUESTS, CONTROLLER_RESULTS, type ControllerRequest, type PartitionOutcome, liveBrokers, planRequest } from './controller-request';

export interface ClusterOperationsOptions {
  readonly store: MetadataStore;
  readonly nodeId: number;
  readonly clock: Clock;
  /** True in a cluster (etcd: the controller executes); false on one node (executed here). */
  readonly viaController: boolean;
}

export class ClusterOperations {
  private readonly opts: ClusterOperationsOptions;

  constructor(opts: ClusterOperationsOptions) {
    this.opts = opts;
  }

  /** Carries out `req`; resolves with one outcome per partition, or throws RequestTimedOutError (MetadataUnavailableError: etcd unreachable). */
  async run(req: ControllerRequest, timeoutMs: number): Promise<PartitionOutcome[]> {
    const { store, nodeId } = this.opts;
    if (!this.opts.viaController) {
      const plan = planRequest(store.image, req, liveBrokers(store.image, nodeId));
      if (plan.changes.length > 0) await store.commit(plan.changes.map((state) => ({ type: 'partition', state })));
      return plan.outcomes;
    }
    const key = `${nodeId}-${this.opts.clock.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const answer = this.answerOf(key, timeoutMs);
    try {
      await store.commit([{ type: 'entry', namespace: CONTROLLER_REQUESTS, key, value: JSON.stringify(req) }]);
    } catch (err) {
      answer.cancel();
      throw err;
    }
    const outcomes = await answer.promise;
    // The request is gone with the answer (same txn); on a timeout it may still be executed later, as in Kafka.
    const cleanup = [{ type: 'entry' as const, namespace: CONTROLLER_RESULTS, key, value: null }, ...(outcomes === undefined ? [{ type: 'entry' as const, namespace: CONTROLLER_REQUESTS, key, value: null }] : [])];
    await store.commit(cleanup).catch(() => undefined);
    if (outcomes === undefined) throw new RequestTimedOutError(`the controller did not answer within ${timeoutMs} ms (${req.op})`);
    return outcomes;
  }

  private answerOf(key: string, timeoutMs: number): { promise: Promise<PartitionOutcome[] | undefined>; cancel: () => void } {
    const { store, clock } = this.opts;
    let finish: (v: PartitionOutcome[] | undefined) => void = () => undefined;
    const promise = new Promise<PartitionOutcome[] | undefined>((resolve) => {
      finish = resolve;
    });
    const stopTimer = clock.schedule(timeoutMs, () => done(undefined));
    const unwatch = store.watch((d) => {
      const value = entriesOf(d.image, CONTROLLER_RESULTS).get(key);
      if (value !== undefined) done(JSON.parse(value) as PartitionOutcome[]);
    });
    const done = (v: PartitionOutcome[] | undefined): void => {
      unwatch();
      stopTimer();
      finish(v);
    };
    return { promise, cancel: () => done(undefined) };
  }
}
