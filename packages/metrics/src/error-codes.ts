// Every non-zero `errorCode` in a decoded response body (top level, per topic, per partition), so
// error counts need no per-API knowledge. Buffers (record bytes) are not walked.

export function forEachErrorCode(body: unknown, visit: (code: number) => void): void {
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return;
  if (Array.isArray(body)) {
    for (const item of body) forEachErrorCode(item, visit);
    return;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'errorCode') {
      if (typeof value === 'number' && value !== 0) visit(value);
    } else if (typeof value === 'object' && value !== null) {
      forEachErrorCode(value, visit);
    }
  }
}
