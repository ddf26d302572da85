// DescribeClientQuotas (48) and AlterClientQuotas (49) schemas: every version round-trips; v0 and
// flexible v1 bytes; @platformatic/kafka parses our responses and we decode its requests.
import * as pk from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { alterClientQuotasSchema } from '../../src/apis/alter-client-quotas';
import { describeClientQuotasSchema } from '../../src/apis/describe-client-quotas';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(describeClientQuotasSchema);
roundTripEveryVersion(alterClientQuotasSchema);

type PkModule = { createRequest(...args: unknown[]): { buffer: Buffer } };
const modules = pk as unknown as Record<string, PkModule | undefined>;

describe('DescribeClientQuotas', () => {
  const body = { components: [{ entityType: 'user', matchType: 1, match: null }], strict: true };

  it('v0 request bytes: a default-entity component with a null match', () => {
    expect(encodeBody(describeClientQuotasSchema, 'request', 0, body).toString('hex')).toBe(
      hex('00000001 0004 75736572 01 ffff 01').toString('hex'),
    );
  });

  it('v1 request bytes are compact', () => {
    expect(encodeBody(describeClientQuotasSchema, 'request', 1, body).toString('hex')).toBe(hex('02 05 75736572 01 00 00 01 00').toString('hex'));
  });

  it('a response without entries (an error) carries a null array', () => {
    const r = { throttleTimeMs: 0, errorCode: 42, errorMessage: 'bad filter', entries: null };
    expect(roundTrip(describeClientQuotasSchema, 'response', 1, r)).toEqual(r);
  });

  it('float64 values keep their fractions', () => {
    const r = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      entries: [{ entity: [{ entityType: 'client-id', entityName: null }], values: [{ key: 'request_percentage', value: 12.5 }] }],
    };
    expect(roundTrip(describeClientQuotasSchema, 'response', 0, r)).toEqual(r);
  });

  it.each([0, 1])('decodes @platformatic/kafka v%i requests', (v) => {
    const { buffer } = modules[`describeClientQuotasV${v}`]!.createRequest([{ entityType: 'user', matchType: 0, match: 'alice' }], false);
    expect(decodeBody(describeClientQuotasSchema, 'request', v, buffer)).toEqual({
      components: [{ entityType: 'user', matchType: 0, match: 'alice' }],
      strict: false,
    });
  });
});

describe('AlterClientQuotas', () => {
  const body = {
    entries: [{ entity: [{ entityType: 'user', entityName: 'a' }], ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }] }],
    validateOnly: true,
  };

  it('v0 request bytes: float64 value, remove flag, validate_only', () => {
    const key = Buffer.from('producer_byte_rate').toString('hex');
    expect(encodeBody(alterClientQuotasSchema, 'request', 0, body).toString('hex')).toBe(
      hex(`00000001 00000001 0004 75736572 0001 61 00000001 0012 ${key} 4090000000000000 00 01`).toString('hex'),
    );
  });

  it('v1 response round-trips', () => {
    const r = { throttleTimeMs: 5, entries: [{ errorCode: 0, errorMessage: null, entity: [{ entityType: 'ip', entityName: null }] }] };
    expect(roundTrip(alterClientQuotasSchema, 'response', 1, r)).toEqual(r);
  });

  it.each([0, 1])('decodes @platformatic/kafka v%i requests', (v) => {
    const entries = [{ entities: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'consumer_byte_rate', value: 2048, remove: false }] }];
    const { buffer } = modules[`alterClientQuotasV${v}`]!.createRequest(entries, false);
    expect(decodeBody(alterClientQuotasSchema, 'request', v, buffer)).toEqual({
      entries: [{ entity: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'consumer_byte_rate', value: 2048, remove: false }] }],
      validateOnly: false,
    });
  });
});

describe('client quota APIs with real clients', () => {
  platformaticParsesEveryResponse(describeClientQuotasSchema, 'describeClientQuotas');
  platformaticParsesEveryResponse(alterClientQuotasSchema, 'alterClientQuotas');
});
