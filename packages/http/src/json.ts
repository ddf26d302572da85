// JSON for HTTP answers: offsets and timestamps are bigint in our types; they go out as numbers
// while exact (every real offset), as strings past 2^53 so nothing is silently rounded.

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  });
}
