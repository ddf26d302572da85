// Generic codec behaviour: defaults for absent fields, typed encode errors, unknown tagged fields
// skipped, unsupported versions, and zero-copy record passthrough in responses.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiKey,
  ProtocolEncodeError,
  Reader,
  UnsupportedVersionError,
  apiSchema,
  decodeRequestBody,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type fetchSchema,
  messageCodec,
  type metadataSchema,
  produceSchema,
  schemaVersions,
  type FetchResponse,
  type MetadataRequest,
  type ProduceRequest,
  type RequestInput,
  type ResponseInput,
} from '../src/index';

describe('defaults', () => {
  it('fields absent in a version decode to their defaults', () => {
    const frame = encodeRequest(ApiKey.Produce, 0, { correlationId: 1, clientId: 'c' }, { acks: 1, timeoutMs: 5, topicData: [] }).subarray(4);
    const body = decodeRequestBody(ApiKey.Produce, 0, frame, decodeRequestHeader(frame).bodyOffset);
    expect(body).toEqual({ transactionalId: null, acks: 1, timeoutMs: 5, topicData: [] });

    const meta = encodeRequest(ApiKey.Metadata, 3, { correlationId: 1, clientId: null }, { topics: [] }).subarray(4);
    expect(decodeRequestBody(ApiKey.Metadata, 3, meta, decodeRequestHeader(meta).bodyOffset)).toEqual({
      topics: [],
      allowAutoTopicCreation: true, // spec default
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  });

  it('omitted fields are encoded from their defaults', () => {
    const chunks = encodeResponse(ApiKey.Produce, 8, 1, {
      responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 10n }] }],
    });
    const body = decodeResponse(ApiKey.Produce, 8, Buffer.concat(chunks).subarray(4)).body;
    expect(body.responses[0]!.partitionResponses[0]).toEqual({
      index: 0,
      errorCode: 0,
      baseOffset: 10n,
      logAppendTimeMs: -1n,
      logStartOffset: -1n,
      recordErrors: [],
      errorMessage: null,
      currentLeader: { leaderId: -1, leaderEpoch: -1 },
    });
    expect(body.throttleTimeMs).toBe(0);
  });
});

describe('encode errors are typed', () => {
  it('null in a non-nullable field', () => {
    expect(() => encodeRequest(ApiKey.Metadata, 0, { correlationId: 1, clientId: null }, { topics: null })).toThrow(ProtocolEncodeError);
    expect(() => encodeRequest(ApiKey.Metadata, 1, { correlationId: 1, clientId: null }, { topics: [{ name: null as unknown as string }] })).toThrow(
      /non-nullable field MetadataRequestv1\.topics\[\]\.name/,
    );
  });

  it('wrong JS types and out-of-range values', () => {
    const bad = { acks: -1, timeoutMs: 1, topicData: [{ name: 't', partitionData: [{ index: 2 ** 40, records: null }] }] };
    expect(() => encodeRequest(ApiKey.Produce, 3, { correlationId: 1, clientId: null }, bad)).toThrow(ProtocolEncodeError);
    const notBigint = { throttleTimeMs: 0, errorCode: 0, producerId: 5 as unknown as bigint, producerEpoch: 0 };
    expect(() => encodeResponse(ApiKey.InitProducerId, 1, 1, notBigint)).toThrow(ProtocolEncodeError);
  });

  it('unsupported versions and unknown API keys', () => {
    expect(() => encodeRequest(ApiKey.Produce, 12, { correlationId: 1, clientId: null }, { acks: 1, timeoutMs: 1, topicData: [] })).toThrow(UnsupportedVersionError);
    expect(() => encodeResponse(999 as number, 0, 1, {})).toThrow(UnsupportedVersionError);
    expect(() => decodeRequestBody(ApiKey.Fetch, -1, Buffer.alloc(0), 0)).toThrow(UnsupportedVersionError);
  });
});

describe('tagged fields', () => {
  it('unknown tags are skipped on decode', () => {
    // ApiVersions v3 request body with an unknown tag 9 (3 bytes) in its tag section
    const body = Buffer.from('02 61 02 62 01 09 03 aabbcc'.replace(/ /g, ''), 'hex');
    const codec = messageCodec(apiSchema(ApiKey.ApiVersions)!.schema, 'request', 3);
    const r = new Reader(body);
    expect(codec.decode(r)).toEqual({ clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
    expect(r.remaining).toBe(0);
  });
});

describe('zero-copy records', () => {
  it('Fetch response chunks reference the record buffers given', () => {
    const a = Buffer.alloc(64 * 1024, 1);
    const b = Buffer.alloc(32 * 1024, 2);
    const chunks = encodeResponse(ApiKey.Fetch, 11, 3, {
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 9n, records: [a, b] }] }],
    });
    expect(chunks).toContain(a);
    expect(chunks).toContain(b);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(chunks[0]!.readInt32BE(0)).toBe(total - 4);
    const body = decodeResponse(ApiKey.Fetch, 11, Buffer.concat(chunks).subarray(4)).body;
    expect(body.responses[0]!.partitions[0]!.records!.equals(Buffer.concat([a, b]))).toBe(true);
  });
});

describe('registry', () => {
  it('knows the version ranges', () => {
    expect(schemaVersions(ApiKey.Produce)).toEqual({ min: 0, max: 11 });
    expect(schemaVersions(ApiKey.Fetch)).toEqual({ min: 0, max: 17 });
    expect(schemaVersions(ApiKey.Metadata)).toEqual({ min: 0, max: 12 });
    expect(schemaVersions(ApiKey.ListOffsets)).toEqual({ min: 0, max: 9 });
    expect(schemaVersions(ApiKey.InitProducerId)).toEqual({ min: 0, max: 5 });
    expect(schemaVersions(ApiKey.ApiVersions)).toEqual({ min: 0, max: 4 });
    expect(schemaVersions(ApiKey.LeaderAndIsr)).toBeUndefined();
    expect(apiSchema(ApiKey.Produce)).toMatchObject({ apiKey: 0, name: 'Produce', minVersion: 0, maxVersion: 11 });
  });

  it('a compiled codec is cached', () => {
    expect(messageCodec(produceSchema, 'request', 9)).toBe(messageCodec(produceSchema, 'request', 9));
  });
});

describe('inferred types', () => {
  it('map schema types to JS types', () => {
    expectTypeOf<ProduceRequest['topicData'][number]['partitionData'][number]['records']>().toEqualTypeOf<Buffer | null>();
    expectTypeOf<ProduceRequest['transactionalId']>().toEqualTypeOf<string | null>();
    expectTypeOf<FetchResponse['responses'][number]['partitions'][number]['highWatermark']>().toEqualTypeOf<bigint>();
    expectTypeOf<MetadataRequest['topics']>().toEqualTypeOf<{ topicId: string; name: string | null }[] | null>();
    type FetchPartitionInput = NonNullable<ResponseInput<typeof fetchSchema>['responses']>[number]['partitions'][number];
    expectTypeOf<FetchPartitionInput['records']>().toEqualTypeOf<Buffer | readonly Buffer[] | null>();
    // fields not in every version are optional on encode
    expectTypeOf<RequestInput<typeof metadataSchema>>().toMatchTypeOf<{ topics: unknown }>();
    expectTypeOf<{ topics: null }>().toMatchTypeOf<RequestInput<typeof metadataSchema>>();
  });
});
