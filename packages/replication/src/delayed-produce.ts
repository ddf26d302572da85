// An acks=all produce waiting for its ISR (Kafka's DelayedProduce), a DelayedOperation watched under
// its partition in @mq/timerwheel's purgatory: it completes when `check` has an answer (the HW passed
// its last offset, or this broker no longer leads) or with REQUEST_TIMED_OUT when its timeout runs
// out on the Clock. Re-checked when the partition's HW or role changes, never polled.
import { ErrorCode } from '@mq/protocol';
import { DelayedOperation } from '@mq/timerwheel';

/** The answer for a produce that needs `requiredOffset` below the HW, or undefined: keep waiting. */
export type DelayedProduceCheck = (requiredOffset: bigint) => number | undefined;

export class DelayedProduce extends DelayedOperation<string> {
  private errorCode: number = ErrorCode.REQUEST_TIMED_OUT;

  constructor(
    /** The batch's lastOffset + 1. */
    private readonly requiredOffset: bigint,
    timeoutMs: number,
    private readonly check: DelayedProduceCheck,
    private readonly resolve: (errorCode: number) => void,
  ) {
    super(timeoutMs);
  }

  tryComplete(): boolean {
    const code = this.check(this.requiredOffset);
    if (code === undefined) return false;
    this.errorCode = code;
    return this.forceComplete();
  }

  protected onComplete(): void {
    this.resolve(this.errorCode);
  }

  /** Expired: the answer stays REQUEST_TIMED_OUT. */
  protected onExpiration(): void {}
}
