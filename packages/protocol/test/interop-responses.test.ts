// Every registered API's responses, at every version @platformatic/kafka 2.12.1 has a parser for:
// random bodies we encode are parsed by its independent codec to the very last byte — a layout
// check of each schema (fields, order, types, flexible encoding) against a real client.
import * as pk from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Writer, messageCodec, registeredApis } from '../src/index';
import { structArbitrary } from './support/schema-arbitrary';

type PkModule = { parseResponse(c: number, k: number, v: number, r: InstanceType<typeof pk.Reader>): unknown };
const modules = pk as unknown as Record<string, PkModule | undefined>;

const cases: { name: string; apiKey: number; version: number; module: PkModule }[] = [];
for (const api of registeredApis()) {
  const prefix = api.name[0]!.toLowerCase() + api.name.slice(1);
  for (let v = api.minVersion; v <= api.maxVersion; v++) {
    const module = modules[`${prefix}V${v}`];
    if (module?.parseResponse) cases.push({ name: `${api.name} v${v}`, apiKey: api.apiKey, version: v, module });
  }
}

describe('@platformatic/kafka parses our responses byte for byte', () => {
  it('covers the APIs it implements', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const api = registeredApis().find((a) => a.apiKey === c.apiKey)!;
    const codec = messageCodec(api.schema, 'response', c.version);
    fc.assert(
      fc.property(structArbitrary(api.schema.response.fields, c.version, { nullRecords: true, zeroErrorCodes: true }), (body) => {
        const w = new Writer();
        codec.encode(w, body);
        const bytes = w.finishBuffer();
        const reader = pk.Reader.from(bytes);
        try {
          c.module.parseResponse(1, c.apiKey, c.version, reader);
        } catch (err) {
          // A ResponseError is thrown only after a complete parse (error codes are zeroed anyway).
          if (!(err instanceof pk.ResponseError)) throw err;
        }
        expect(reader.position).toBe(bytes.length);
      }),
      { numRuns: 30 },
    );
  });
});
