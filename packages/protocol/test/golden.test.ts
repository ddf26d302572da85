// Golden bytes computed by hand from the wire grammar (see the comments atop each schema), plus
// header-version rules: v2 request headers for flexible versions, v0 response header for ApiVersions.
import { describe, expect, it } from 'vitest';
import { ApiKey, decodeRequestBody, decodeRequestHeader, decodeResponse, encodeRequest, encodeResponse } from '../src/index';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('golden request bytes', () => {
  it('ApiVersions v0 request', () => {
    const bytes = encodeRequest(ApiKey.ApiVersions, 0, { correlationId: 1, clientId: 'mq' }, {});
    // size=12 | api_key=18 | api_version=0 | correlation_id=1 | client_id="mq" | (empty body)
    expect(bytes.toString('hex')).toBe(hex('0000000c 0012 0000 00000001 0002 6d71').toString('hex'));
  });

  it('ApiVersions v3 request as librdkafka sends it (header v2, compact strings, tag buffers)', () => {
    const expected = hex('00000021 0012 0003 00000007 0004 6b636174 00 0b 6c696272646b61666b61 06 322e302e32 00');
    const bytes = encodeRequest(ApiKey.ApiVersions, 3, { correlationId: 7, clientId: 'kcat' }, { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
    expect(bytes.equals(expected)).toBe(true);
    const frame = expected.subarray(4);
    const h = decodeRequestHeader(frame);
    expect(h).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 7, clientId: 'kcat', headerVersion: 2, bodyOffset: 15 });
    expect(decodeRequestBody(ApiKey.ApiVersions, 3, frame, h.bodyOffset)).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  });

  it('Metadata v1 request with two topics and with null (= all topics)', () => {
    const two = encodeRequest(ApiKey.Metadata, 1, { correlationId: 5, clientId: null }, { topics: [{ name: 'a' }, { name: 'bc' }] });
    expect(two.toString('hex')).toBe(hex('00000015 0003 0001 00000005 ffff 00000002 0001 61 0002 6263').toString('hex'));
    const all = encodeRequest(ApiKey.Metadata, 1, { correlationId: 5, clientId: null }, { topics: null });
    expect(all.toString('hex')).toBe(hex('0000000e 0003 0001 00000005 ffff ffffffff').toString('hex'));
    const h = decodeRequestHeader(all.subarray(4));
    expect(decodeRequestBody(ApiKey.Metadata, 1, all.subarray(4), h.bodyOffset).topics).toBeNull();
  });

  it('Produce v3 request (header v1) and v9 request (header v2, compact)', () => {
    const body = { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: 't', partitionData: [{ index: 0, records: hex('010203') }] }] };
    const v3 = encodeRequest(ApiKey.Produce, 3, { correlationId: 0x01020304, clientId: 'kcat' }, body);
    const v3body = 'ffff ffff 00007530 00000001 0001 74 00000001 00000000 00000003 010203';
    const v3header = '0000 0003 01020304 0004 6b636174';
    expect(v3.subarray(4).toString('hex')).toBe(hex(v3header + v3body).toString('hex'));
    expect(v3.readInt32BE(0)).toBe(v3.length - 4);

    const v9 = encodeRequest(ApiKey.Produce, 9, { correlationId: 0x01020304, clientId: 'kcat' }, body);
    const v9expected = '0000 0009 01020304 0004 6b636174 00' + '00 ffff 00007530 02 02 74 02 00000000 04 010203 00 00 00';
    expect(v9.subarray(4).toString('hex')).toBe(hex(v9expected).toString('hex'));
    const frame = v9.subarray(4);
    const h = decodeRequestHeader(frame);
    const req = decodeRequestBody(ApiKey.Produce, 9, frame, h.bodyOffset);
    expect(req.topicData[0]!.partitionData[0]!.records!.equals(hex('010203'))).toBe(true);
    // Records decode as a view into the frame, not a copy.
    expect(req.topicData[0]!.partitionData[0]!.records!.buffer).toBe(frame.buffer);
  });

  it('skips tagged fields in a v2 request header', () => {
    // header with one tagged field (tag 5, 2 bytes) before an ApiVersions v3 body
    const frame = hex('0012 0003 00000001 ffff 01 05 02 abcd 01 01 00');
    const h = decodeRequestHeader(frame);
    expect(h.clientId).toBeNull();
    expect(h.bodyOffset).toBe(15);
    expect(decodeRequestBody(ApiKey.ApiVersions, 3, frame, h.bodyOffset)).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' });
  });

  it('parses headers of unknown API keys and versions as header v1', () => {
    const h = decodeRequestHeader(hex('03e7 0063 0000002a 0001 78 deadbeef'));
    expect(h).toEqual({ apiKey: 999, apiVersion: 99, correlationId: 42, clientId: 'x', headerVersion: 1, bodyOffset: 11 });
  });
});

describe('golden response bytes', () => {
  it('ApiVersions v3 response uses response header v0 (no tag buffer)', () => {
    const chunks = encodeResponse(ApiKey.ApiVersions, 3, 7, { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 11 }], throttleTimeMs: 0 });
    expect(Buffer.concat(chunks).toString('hex')).toBe(hex('00000013 00000007 0000 02 0000 0000 000b 00 00000000 00').toString('hex'));
  });

  it('ApiVersions v0 response (the UNSUPPORTED_VERSION fallback)', () => {
    const chunks = encodeResponse(ApiKey.ApiVersions, 0, 1, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] });
    expect(Buffer.concat(chunks).toString('hex')).toBe(hex('00000010 00000001 0023 00000001 0012 0000 0003').toString('hex'));
  });

  it('flexible responses carry response header v1', () => {
    const chunks = encodeResponse(ApiKey.InitProducerId, 2, 9, { throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 0 });
    expect(Buffer.concat(chunks).toString('hex')).toBe(hex('00000016 00000009 00 00000000 0000 00000000000003e8 0000 00').toString('hex'));
    const res = decodeResponse(ApiKey.InitProducerId, 2, Buffer.concat(chunks).subarray(4));
    expect(res).toEqual({ correlationId: 9, body: { throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 0 } });
  });

  it('Fetch v12 tagged fields: only non-default ones are written, in tag order', () => {
    const base = { partitionIndex: 0, errorCode: 0, highWatermark: 1n, records: null };
    const plain = Buffer.concat(encodeResponse(ApiKey.Fetch, 12, 1, { responses: [{ topic: 't', partitions: [base] }] }));
    const withLeader = Buffer.concat(
      encodeResponse(ApiKey.Fetch, 12, 1, { responses: [{ topic: 't', partitions: [{ ...base, snapshotId: { endOffset: 3n, epoch: 4 }, currentLeader: { leaderId: 1, leaderEpoch: 2 } }] }] }),
    );
    // currentLeader (tag 1, 8+1 bytes) then snapshotId (tag 2, 12+1 bytes): count 2, then each tag/size/value
    const tags = '02 01 09 00000001 00000002 00 02 0d 0000000000000003 00000004 00';
    // In `plain` the partition's tag section is the 3rd byte from the end (then topic's, then top-level).
    const at = plain.length - 3;
    expect(withLeader.subarray(0, at).equals(plain.subarray(0, at))).toBe(false); // size prefix differs
    expect(withLeader.subarray(4, at).equals(plain.subarray(4, at))).toBe(true);
    expect(withLeader.subarray(at).toString('hex')).toBe(hex(tags + ' 00 00').toString('hex'));
    const decoded = decodeResponse(ApiKey.Fetch, 12, withLeader.subarray(4)).body;
    expect(decoded.responses[0]!.partitions[0]!.currentLeader).toEqual({ leaderId: 1, leaderEpoch: 2 });
    expect(decoded.responses[0]!.partitions[0]!.divergingEpoch).toEqual({ epoch: -1, endOffset: -1n });
  });
});
