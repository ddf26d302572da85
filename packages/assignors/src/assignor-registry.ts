// Every assignor by the protocol name clients advertise (the broker's KIP-848 assignors and the client's).
import type { Assignor } from './assignor';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor';
import { rangeAssignor } from './range-assignor';
import { roundRobinAssignor } from './round-robin-assignor';
import { stickyAssignor } from './sticky-assignor';

export const assignors: ReadonlyMap<string, Assignor> = new Map(
  [rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor].map((a) => [a.name, a]),
);
