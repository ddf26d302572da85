// Property: no byte sequence makes any decoder (every API, version, direction, and the request
// header) throw anything but ProtocolDecodeError — neither random bytes nor mutated valid messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ProtocolDecodeError,
  Reader,
  Writer,
  decodeRequestHeader,
  decodeResponse,
  messageCodec,
  registeredApis,
  type MessageKind,
} from '../src/index';
import { structArbitrary } from './support/schema-arbitrary';

function onlyDecodeErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolDecodeError)) {
      throw new Error(`decoder threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`, { cause: err });
    }
  }
}

const kinds: MessageKind[] = ['request', 'response'];

describe('decoders reject garbage with ProtocolDecodeError only', () => {
  it('request header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => onlyDecodeErrors(() => decodeRequestHeader(Buffer.from(bytes)))),
      { numRuns: 2000 },
    );
  });

  for (const api of registeredApis()) {
    it(`${api.name} v${api.minVersion}-${api.maxVersion}, random bytes`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: api.minVersion, max: api.maxVersion }),
          fc.constantFrom(...kinds),
          fc.uint8Array({ maxLength: 200 }),
          (version, kind, bytes) => {
            const codec = messageCodec(api.schema, kind, version);
            onlyDecodeErrors(() => codec.decode(new Reader(Buffer.from(bytes))));
            if (kind === 'response') onlyDecodeErrors(() => decodeResponse(api.apiKey, version, Buffer.from(bytes)));
          },
        ),
        { numRuns: 300 },
      );
    });

    it(`${api.name}, mutated and truncated valid messages`, () => {
      const cases = [];
      for (let v = api.minVersion; v <= api.maxVersion; v++) for (const k of kinds) cases.push({ v, k });
      fc.assert(
        fc.property(
          fc.constantFrom(...cases).chain(({ v, k }) =>
            fc.tuple(fc.constant(v), fc.constant(k), structArbitrary(api.schema[k].fields, v), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat()),
          ),
          ([version, kind, body, flips, cut]) => {
            const codec = messageCodec(api.schema, kind, version);
            const w = new Writer();
            codec.encode(w, body);
            const bytes = Buffer.from(w.finishBuffer());
            for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
            const truncated = bytes.subarray(0, bytes.length === 0 ? 0 : cut % bytes.length);
            onlyDecodeErrors(() => codec.decode(new Reader(bytes)));
            onlyDecodeErrors(() => codec.decode(new Reader(truncated)));
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('a truncated message is always rejected', () => {
    const api = registeredApis().find((a) => a.name === 'Produce')!;
    const codec = messageCodec(api.schema, 'request', 9);
    const w = new Writer();
    codec.encode(w, { acks: -1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records: Buffer.alloc(10) }] }] });
    const bytes = w.finishBuffer();
    for (let n = 0; n < bytes.length; n++) {
      expect(() => codec.decode(new Reader(bytes.subarray(0, n)))).toThrow(ProtocolDecodeError);
    }
  });
});
