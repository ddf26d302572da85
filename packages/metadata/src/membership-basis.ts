// A membership basis: the broker registrations a controller decision was computed from, each with
// the etcd mod revision of its key as the image saw it ("0": not registered). A commit carrying one
// compares each of those keys inside its etcd txn, next to the controller-key guard, so a change
// computed from a stale view of membership — a broker that re-registered, or whose lease expired,
// after the image was read — is refused (StaleMembershipError) instead of shrinking an ISR or
// electing a leader from brokers that are no longer what the controller thought.

export interface MembershipBasis {
  /** nodeId → the mod revision of `brokers/<nodeId>` the decision saw; "0": the broker was not registered. */
  readonly registrations: ReadonlyMap<number, string>;
}

/** The revision a basis entry means "not registered" by (etcd's mod revision of a key that does not exist). */
export const NOT_REGISTERED = '0';
