// The history checker of the share-group fault tests: what share consumers reported (each delivery
// with its delivery count, each accept the broker answered, in arrival order) against what the
// broker says at the end (the share-partition start offset: every offset below it is acknowledged
// or archived). At-least-once with acknowledgement: every record delivered; none lost (the start
// offset passed every record); no record accepted twice, or delivered again once its accept was
// answered; every record a SIGKILLed consumer held without accepting delivered again, to a live
// consumer, with a higher delivery count. An accept that failed (a broker died under it) leaves its
// record in doubt: the broker may have made it durable, so it need not come back — the start offset
// is then the judge.
export interface ShareDelivery {
  readonly member: string;
  readonly offset: number;
  readonly deliveryCount: number;
  /** Arrival order among every report. */
  readonly seq: number;
}

export interface ShareAcceptance {
  readonly member: string;
  readonly offset: number;
  readonly seq: number;
}

export interface ShareRun {
  /** Offsets 0 .. records - 1 were produced (one partition). */
  readonly records: number;
  readonly deliveries: readonly ShareDelivery[];
  readonly acceptances: readonly ShareAcceptance[];
  /** The share-partition start offset the broker reports at the end. */
  readonly startOffset: bigint;
  /** Members SIGKILLed while they held records. */
  readonly dead: ReadonlySet<string>;
}

/** Problems found, one line each (empty: the history holds). */
export function checkShareHistory(run: ShareRun): string[] {
  const problems: string[] = [];
  if (run.startOffset < BigInt(run.records)) problems.push(`the share-partition start offset is ${run.startOffset}: offsets from it on are not acknowledged (lost or stuck)`);
  const deliveries = new Map<number, ShareDelivery[]>();
  for (const d of run.deliveries) deliveries.set(d.offset, [...(deliveries.get(d.offset) ?? []), d]);
  const acceptances = new Map<number, ShareAcceptance[]>();
  for (const a of run.acceptances) acceptances.set(a.offset, [...(acceptances.get(a.offset) ?? []), a]);
  for (let offset = 0; offset < run.records; offset++) {
    const got = deliveries.get(offset) ?? [];
    const accepted = acceptances.get(offset) ?? [];
    if (got.length === 0) {
      problems.push(`offset ${offset} was never delivered`);
      continue;
    }
    if (accepted.length > 1) problems.push(`offset ${offset} accepted ${accepted.length} times (${accepted.map((a) => a.member).join(', ')})`);
    const first = accepted[0];
    if (first !== undefined) {
      for (const d of got) if (d.seq > first.seq) problems.push(`offset ${offset} delivered to ${d.member} (delivery ${d.deliveryCount}) after ${first.member}'s accept was answered`);
      if (!got.some((d) => d.member === first.member && d.seq < first.seq)) problems.push(`offset ${offset} accepted by ${first.member}, which it was not delivered to`);
    }
    // What a dead consumer held comes back to a live one, counted as one more delivery.
    for (const held of got.filter((d) => run.dead.has(d.member))) {
      const later = got.filter((d) => d.seq > held.seq && !run.dead.has(d.member));
      if (later.length === 0) problems.push(`offset ${offset}, held by ${held.member} when it was killed, was not delivered again`);
      else if (later[0]!.deliveryCount <= held.deliveryCount) problems.push(`offset ${offset} redelivered to ${later[0]!.member} with delivery count ${later[0]!.deliveryCount}, not above ${held.member}'s ${held.deliveryCount}`);
    }
    if (first === undefined && !got.some((d) => !run.dead.has(d.member))) problems.push(`offset ${offset} was never delivered to a live consumer`);
  }
  return problems;
}
