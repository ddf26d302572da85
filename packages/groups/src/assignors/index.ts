// The server-side assignors by protocol name.
import type { Assignor } from './assignor';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor';
import { rangeAssignor } from './range-assignor';
import { roundRobinAssignor } from './round-robin-assignor';
import { stickyAssignor } from './sticky-assignor';

export const assignors: ReadonlyMap<string, Assignor> = new Map(
  [rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor].map((a) => [a.name, a]),
);
