// Helpers of the share-group acceptance tests: @kafkats/client share consumers as child processes
// (fixtures/share-member.mjs) whose JSON-line reports are collected into one delivery history.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { killQuietly, waitForExit } from '../src/child-process';
import { FIXTURES_DIR } from '../src/paths';

export interface Delivery {
  readonly member: string;
  readonly offset: number;
  readonly deliveryCount: number;
  /** Arrival order among all the members' reports. */
  readonly seq: number;
}

export interface Acceptance {
  readonly member: string;
  readonly offset: number;
  readonly seq: number;
}

/** Every delivery and acceptance every member reported, in arrival order. */
export class ShareHistory {
  readonly deliveries: Delivery[] = [];
  /** offset → members that accepted it (an accept the broker answered). */
  readonly accepted = new Map<number, string[]>();
  /** Every accept the broker answered, in arrival order. */
  readonly acceptances: Acceptance[] = [];
  /** Accepts that failed (the broker may have made them durable): offset → members. */
  readonly ackFailures = new Map<number, string[]>();
  readonly crashes: string[] = [];
  private seq = 0;

  /** The next arrival number. */
  next(): number {
    return this.seq++;
  }

  deliveriesOf(offset: number): Delivery[] {
    return this.deliveries.filter((d) => d.offset === offset);
  }
}

export class ShareMemberProcess {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {}

  static start(name: string, args: { bootstrap: string; topic: string; groupId: string; mode?: 'accept' | 'hold' }, history: ShareHistory): ShareMemberProcess {
    const child = spawn(process.execPath, [join(FIXTURES_DIR, 'share-member.mjs'), args.bootstrap, args.topic, args.groupId, name, args.mode ?? 'accept'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { t: string; o?: number; d?: number; error?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.t === 'got') history.deliveries.push({ member: name, offset: msg.o!, deliveryCount: msg.d!, seq: history.next() });
      else if (msg.t === 'acked') {
        history.accepted.set(msg.o!, [...(history.accepted.get(msg.o!) ?? []), name]);
        history.acceptances.push({ member: name, offset: msg.o!, seq: history.next() });
      } else if (msg.t === 'ackfail') history.ackFailures.set(msg.o!, [...(history.ackFailures.get(msg.o!) ?? []), name]);
      else if (msg.t === 'crash') history.crashes.push(`${name}: ${msg.error}`);
    });
    return new ShareMemberProcess(name, child);
  }

  async stop(): Promise<void> {
    killQuietly(this.child, 'SIGTERM');
    if (!(await waitForExit(this.child, 20_000))) killQuietly(this.child, 'SIGKILL');
    await waitForExit(this.child, 5_000);
  }

  async kill(): Promise<void> {
    killQuietly(this.child, 'SIGKILL');
    await waitForExit(this.child, 5_000);
  }
}
