// Argument checks shared by the clocks: a timer that could never fire (NaN, Infinity) is refused
// loudly instead of being lost; a negative delay means "as soon as possible", as in setTimeout.

export function checkDelay(delayMs: number): number {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs)) {
    throw new RangeError(`timer delay must be a finite number of milliseconds, got ${String(delayMs)}`);
  }
  return delayMs < 0 ? 0 : delayMs;
}

export function checkInterval(name: string, ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`${name} must be a positive finite number of milliseconds, got ${String(ms)}`);
  }
  return ms;
}
