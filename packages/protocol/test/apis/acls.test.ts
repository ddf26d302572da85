// CreateAcls (30), DescribeAcls (29), DeleteAcls (31) schemas: every version round-trips; v1 bytes;
// kafkajs' v0/v1 requests decode with ours; @platformatic/kafka parses every response version.
import { describe, expect, it } from 'vitest';
import { createAclsSchema } from '../../src/apis/create-acls';
import { deleteAclsSchema } from '../../src/apis/delete-acls';
import { describeAclsSchema } from '../../src/apis/describe-acls';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(createAclsSchema);
roundTripEveryVersion(describeAclsSchema);
roundTripEveryVersion(deleteAclsSchema);

const creation = { resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:a', host: '*', operation: 4, permissionType: 3 };

describe('CreateAcls', () => {
  it('v0 has no pattern type (LITERAL); v1 writes it', () => {
    const v1 = encodeBody(createAclsSchema, 'request', 1, { creations: [creation] });
    expect(v1.toString('hex')).toBe(hex('00000001 02 0001 74 03 0006 557365723a61 0001 2a 04 03').toString('hex'));
    const v0 = encodeBody(createAclsSchema, 'request', 0, { creations: [creation] });
    expect(decodeBody(createAclsSchema, 'request', 0, v0)).toEqual({ creations: [creation] });
  });

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('createAcls', version, { creations: [creation] });
    expect(decodeBody(createAclsSchema, 'request', version, bytes)).toEqual({ creations: [creation] });
  });

  platformaticParsesEveryResponse(createAclsSchema, 'createAcls');
});

describe('DescribeAcls', () => {
  const filter = { resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 };
  it.each([1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('describeAcls', version, {
      resourceType: 1,
      resourceName: null,
      resourcePatternType: 1,
      principal: null,
      host: null,
      operation: 1,
      permissionType: 1,
    });
    expect(decodeBody(describeAclsSchema, 'request', version, bytes)).toEqual(filter);
  });

  platformaticParsesEveryResponse(describeAclsSchema, 'describeAcls');
});

describe('DeleteAcls', () => {
  it.each([1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('deleteAcls', version, {
      filters: [{ resourceType: 2, resourceName: 'a', resourcePatternType: 4, principal: 'User:x', host: '*', operation: 2, permissionType: 3 }],
    });
    expect(decodeBody(deleteAclsSchema, 'request', version, bytes)).toEqual({
      filters: [{ resourceTypeFilter: 2, resourceNameFilter: 'a', patternTypeFilter: 4, principalFilter: 'User:x', hostFilter: '*', operation: 2, permissionType: 3 }],
    });
  });

  platformaticParsesEveryResponse(deleteAclsSchema, 'deleteAcls');
});
