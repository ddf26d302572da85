// Helpers of the groups acceptance tests: kafkajs members as child processes (fixtures/group-member.mjs)
// whose JSON-line reports are collected, and the bookkeeping that checks loss and duplicates.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Admin } from 'kafkajs';
import { killQuietly, waitForExit } from '../src/child-process';
import { FIXTURES_DIR } from '../src/paths';

export interface Processed {
  member: string;
  partition: number;
  offset: number;
  key: string | null;
  /** Order in which the test saw the report (across members). */
  seq: number;
}

let seq = 0;

/** Every report of every member, in arrival order. */
export class Ledger {
  readonly processed: Processed[] = [];
  /** member → partition → last committed offset (the next offset to read) it reported. */
  readonly commits = new Map<string, Map<number, number>>();
  /** Every commit report in arrival order. */
  readonly commitLog: { member: string; partition: number; offset: number; seq: number }[] = [];
  readonly crashes: string[] = [];
  /** member → number of GROUP_JOIN events (each completed rebalance it took part in). */
  readonly joins = new Map<string, number>();

  countFrom(first: number): number {
    return this.processed.filter((p) => p.key !== null && Number(p.key.slice(1)) >= first).length;
  }

  distinctKeys(): Set<string> {
    return new Set(this.processed.map((p) => p.key ?? ''));
  }
}

export class MemberProcess {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {}

  static start(name: string, args: { bootstrap: string; topic: string; groupId: string; assigner?: string }, ledger: Ledger): MemberProcess {
    const child = spawn(process.execPath, [join(FIXTURES_DIR, 'group-member.mjs'), args.bootstrap, args.topic, args.groupId, name, args.assigner ?? 'roundrobin'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { t: string; p?: number; o?: number | number[]; k?: (string | null)[]; error?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.t === 'batch') {
        const offsets = msg.o as number[];
        offsets.forEach((offset, i) => ledger.processed.push({ member: name, partition: msg.p!, offset, key: msg.k![i] ?? null, seq: seq++ }));
      } else if (msg.t === 'commit') {
        let m = ledger.commits.get(name);
        if (m === undefined) ledger.commits.set(name, (m = new Map()));
        m.set(msg.p!, Math.max(m.get(msg.p!) ?? -1, msg.o as number));
        ledger.commitLog.push({ member: name, partition: msg.p!, offset: msg.o as number, seq: seq++ });
      } else if (msg.t === 'joined') {
        ledger.joins.set(name, (ledger.joins.get(name) ?? 0) + 1);
      } else if (msg.t === 'crash') {
        ledger.crashes.push(`${name}: ${msg.error}`);
      }
    });
    return new MemberProcess(name, child);
  }

  /** Graceful: kafkajs disconnects, which sends LeaveGroup. */
  async leave(): Promise<void> {
    killQuietly(this.child, 'SIGTERM');
    if (!(await waitForExit(this.child, 20_000))) killQuietly(this.child, 'SIGKILL');
    await waitForExit(this.child, 5_000);
  }

  async kill(): Promise<void> {
    killQuietly(this.child, 'SIGKILL');
    await waitForExit(this.child, 5_000);
  }
}

export async function waitUntil(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await predicate()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The group's state and member count through kafkajs admin DescribeGroups. */
export async function groupState(admin: Admin, groupId: string): Promise<{ state: string; members: number; clientIds: string[] }> {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0]!;
  return { state: g.state, members: g.members.length, clientIds: g.members.map((m) => m.clientId) };
}

/**
 * Checks every re-processing of a message: it is a legal duplicate only if no commit at or past its
 * offset had been reported for that partition before it was processed again (the uncommitted window).
 * Returns the number of duplicates and the violations.
 */
export function checkDuplicates(ledger: Ledger): { duplicates: number; violations: string[] } {
  const byPartitionOffset = new Map<string, Processed[]>();
  for (const p of ledger.processed) {
    const k = `${p.partition}:${p.offset}`;
    const list = byPartitionOffset.get(k);
    if (list === undefined) byPartitionOffset.set(k, [p]);
    else list.push(p);
  }
  let duplicates = 0;
  const violations: string[] = [];
  for (const list of byPartitionOffset.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.seq - b.seq);
    for (const again of list.slice(1)) {
      duplicates++;
      let committed = -1;
      for (const c of ledger.commitLog) if (c.partition === again.partition && c.seq < again.seq && c.offset > committed) committed = c.offset;
      if (again.offset < committed) {
        violations.push(`p${again.partition} offset ${again.offset} reprocessed by ${again.member} after offset ${committed} was committed`);
      }
    }
  }
  return { duplicates, violations };
}
