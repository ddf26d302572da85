// Every registered API, every version, request and response: random valid bodies survive
// encode → decode unchanged, and re-encoding the decoded body gives identical bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer, messageCodec, registeredApis, type MessageKind } from '../src/index';
import { expectFieldsEqual, structArbitrary } from './support/schema-arbitrary';

const kinds: MessageKind[] = ['request', 'response'];

describe.each(registeredApis().map((a) => [a.name, a] as const))('%s', (_name, api) => {
  const versions: number[] = [];
  for (let v = api.minVersion; v <= api.maxVersion; v++) versions.push(v);
  for (const kind of kinds) {
    it.each(versions)(`${kind} v%i round-trips`, (version) => {
      const codec = messageCodec(api.schema, kind, version);
      const fields = api.schema[kind].fields;
      fc.assert(
        fc.property(structArbitrary(fields, version), (input) => {
          const w = new Writer(64);
          codec.encode(w, input);
          const bytes = w.finishBuffer();
          const r = new Reader(bytes);
          const decoded = codec.decode(r) as Record<string, unknown>;
          expect(r.offset).toBe(bytes.length);
          expectFieldsEqual(fields, version, input, decoded);
          const w2 = new Writer(64);
          codec.encode(w2, decoded);
          expect(w2.finishBuffer().equals(bytes)).toBe(true);
        }),
        { numRuns: 40 },
      );
    });
    it.each(versions)(`${kind} v%i encodes an empty object from defaults`, (version) => {
      const codec = messageCodec(api.schema, kind, version);
      const w = new Writer();
      codec.encode(w, {});
      const bytes = w.finishBuffer();
      const decoded = codec.decode(new Reader(bytes));
      const w2 = new Writer();
      codec.encode(w2, decoded);
      expect(w2.finishBuffer().equals(bytes)).toBe(true);
    });
  }
});
