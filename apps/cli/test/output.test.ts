// Output rendering: aligned tables, exact bigint in JSON/YAML, template and JSON record formats.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { render, renderTable } from '../src/output';
import { formatRecord, recordToJson, validateTemplate } from '../src/record-format';

describe('render', () => {
  it('aligns table columns under upper-case headers', () => {
    const out = renderTable([
      { topic: 'a', partitions: 1, highWatermark: 12n },
      { topic: 'longer-name', partitions: 12, highWatermark: null },
    ]);
    expect(out).toBe('TOPIC        PARTITIONS  HIGH_WATERMARK\na            1           12\nlonger-name  12          -\n');
  });

  it('keeps bigints exact in json and yaml', () => {
    const rows = [{ offset: 9007199254740993n, key: Buffer.from('k') }];
    expect(JSON.parse(render({ rows }, 'json'))).toEqual([{ offset: '9007199254740993', key: 'k' }]);
    expect(parseYaml(render({ rows }, 'yaml'))).toEqual([{ offset: '9007199254740993', key: 'k' }]);
  });

  it('prints nothing for an empty table but [] in json', () => {
    expect(render({ rows: [] }, 'table')).toBe('');
    expect(render({ rows: [] }, 'json')).toBe('[]\n');
  });
});

describe('record format', () => {
  const rec = {
    topic: 't',
    partition: 2,
    offset: 41n,
    timestamp: 1700000000000n,
    key: Buffer.from('k1'),
    value: Buffer.from('hello'),
    headers: [{ key: 'h', value: Buffer.from('v') }],
  };

  it('expands every placeholder and escapes', () => {
    expect(formatRecord(rec, '{topic}/{partition}@{offset} {timestamp}\\t{key}={value} [{headers}]')).toBe('t/2@41 1700000000000\tk1=hello [h=v]');
  });

  it('rejects unknown placeholders', () => {
    expect(validateTemplate('{value}')).toBeUndefined();
    expect(validateTemplate('{valeu}')).toMatch(/unknown placeholder \{valeu\}/);
  });

  it('json keeps null keys distinct from empty ones', () => {
    expect(recordToJson({ ...rec, key: null })).toMatchObject({ key: null, value: 'hello', offset: '41', headers: [{ key: 'h', value: 'v' }] });
  });
});
