// PriorityLanes: which available records of one share-partition a share fetch hands out, by the
// records' lanes (header mq-priority, 0 critical … 4 background). Deficit Round Robin: each turn a
// lane earns its weight in credits and spends one per record; the turn and the credits carry over
// from fetch to fetch, so over many fetches each backlogged lane gets weight / Σweights of the
// records. `strict`: lane 0 first, then 1, …. Either way a lane whose records waited
// starvationMs without being served goes first. Single-threaded: choose() never awaits.

export const LANE_COUNT = 5;
/** The lane of a record without a valid mq-priority header. */
export const DEFAULT_LANE = 2;

export interface PriorityPolicy {
  /** The quantum of lanes 0 … 4 (mq.priority.weights). */
  readonly weights: readonly number[];
  /** mq.priority.strict. */
  readonly strict: boolean;
  /** mq.priority.starvation.ms. */
  readonly starvationMs: number;
}

export class PriorityLanes {
  private readonly deficit: number[] = new Array<number>(LANE_COUNT).fill(0);
  /** Since when (monotonic ms) each lane has had records waiting without being served; undefined: none waiting. */
  private readonly waitingSince: (number | undefined)[] = new Array<number | undefined>(LANE_COUNT).fill(undefined);
  /** The lane whose turn it is, and whether it already earned its quantum this turn. */
  private current = 0;
  private earned = false;
  /** Records handed out per lane so far (describe, tests, the bench). */
  readonly served: number[] = new Array<number>(LANE_COUNT).fill(0);

  /**
   * Picks up to `budget` records among `candidates` (per lane, each in offset order, lane 0 first);
   * `nowMs` is the monotonic clock. Returns them in the order chosen.
   */
  choose(candidates: readonly (readonly bigint[])[], budget: number, policy: PriorityPolicy, nowMs: number): bigint[] {
    const out: bigint[] = [];
    const next = new Array<number>(LANE_COUNT).fill(0);
    const left = (lane: number): number => (candidates[lane]?.length ?? 0) - next[lane]!;
    const take = (lane: number): void => {
      out.push(candidates[lane]![next[lane]!]!);
      next[lane]!++;
      this.served[lane]!++;
      budget--;
    };
    const servedNow = new Set<number>();
    for (let lane = 0; lane < LANE_COUNT; lane++) {
      if (left(lane) === 0) this.waitingSince[lane] = undefined;
      else this.waitingSince[lane] ??= nowMs;
    }
    // Anti-starvation first, the longest-waiting lane first: a quantum (at least one record) each.
    const starved = [...Array(LANE_COUNT).keys()]
      .filter((l) => this.waitingSince[l] !== undefined && nowMs - this.waitingSince[l]! >= policy.starvationMs)
      .sort((a, b) => this.waitingSince[a]! - this.waitingSince[b]!);
    for (const lane of starved) {
      for (let n = Math.max(1, policy.weights[lane] ?? 0); n > 0 && budget > 0 && left(lane) > 0; n--) take(lane);
      servedNow.add(lane);
    }
    if (policy.strict) {
      for (let lane = 0; lane < LANE_COUNT && budget > 0; lane++) {
        if (left(lane) > 0) servedNow.add(lane);
        while (budget > 0 && left(lane) > 0) take(lane);
      }
    } else {
      // Deficit Round Robin; a lane with weight 0 is served only when starved.
      const servable = (): boolean => {
        for (let l = 0; l < LANE_COUNT; l++) if (left(l) > 0 && (policy.weights[l] ?? 0) > 0) return true;
        return false;
      };
      while (budget > 0 && servable()) {
        const lane = this.current;
        const weight = policy.weights[lane] ?? 0;
        if (left(lane) === 0 || weight <= 0) {
          this.deficit[lane] = 0; // an idle lane saves no credit (DRR)
          this.advance();
          continue;
        }
        if (!this.earned) {
          this.deficit[lane]! += weight;
          this.earned = true;
        }
        servedNow.add(lane);
        while (this.deficit[lane]! >= 1 && left(lane) > 0 && budget > 0) {
          take(lane);
          this.deficit[lane]!--;
        }
        // Out of budget with credit left: the turn continues in the next fetch (which sees more of
        // the lane than this one may have; a lane with nothing then is idle and loses the credit).
        if (budget === 0 && this.deficit[lane]! >= 1) break;
        if (left(lane) === 0) this.deficit[lane] = 0;
        this.advance();
      }
    }
    for (const lane of servedNow) this.waitingSince[lane] = left(lane) > 0 ? nowMs : undefined;
    return out;
  }

  private advance(): void {
    this.current = (this.current + 1) % LANE_COUNT;
    this.earned = false;
  }
}
