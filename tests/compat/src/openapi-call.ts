// An HTTP call to the broker's admin API whose answer is held to /openapi.json (status and body
// schema for the route's template), and every 4xx/5xx to the {error_code, message} shape.
import { checkAnswer } from '@mq/admin-api/testing';
import { expect } from 'vitest';

export interface CheckedAnswer {
  readonly status: number;
  /** The parsed JSON, already validated against the document. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the validated JSON field by field
  readonly body: any;
}

export type CheckedCall = (method: string, template: string, path: string, body?: unknown, raw?: string) => Promise<CheckedAnswer>;

/** `base()` is read at each call: tests set their broker's address in beforeAll. */
export function openApiCall(base: () => string): CheckedCall {
  return async (method, template, path, body, raw) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await res.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (res.status >= 400) expect(parsed, `${method} ${path}`).toMatchObject({ error_code: expect.any(Number), message: expect.any(String) });
    checkAnswer(method, template, res.status, parsed);
    return { status: res.status, body: parsed };
  };
}
