import { describe, expect, it } from 'vitest';
import { ConfigValueError, parseProperties } from '../src/index';

describe('parseProperties', () => {
  it('reads Kafka server.properties syntax', () => {
    const text = [
      '# The id of the broker.',
      'node.id=1',
      '! also a comment',
      '   num.partitions = 3',
      'log.dirs: /tmp/kraft-combined-logs',
      'listeners PLAINTEXT://127.0.0.1:9092',
      'log.retention.hours=168',
      'long.value=a,\\',
      '    b,\\',
      '    c',
      'escaped\\=key=tab\\there \\u0041',
      'empty=',
      'node.id=2',
      '',
    ].join('\n');
    expect(parseProperties(text)).toEqual({
      'node.id': '2',
      'num.partitions': '3',
      'log.dirs': '/tmp/kraft-combined-logs',
      listeners: 'PLAINTEXT://127.0.0.1:9092',
      'log.retention.hours': '168',
      'long.value': 'a,b,c',
      'escaped=key': 'tab\there A',
      empty: '',
    });
  });

  it('reads CRLF files', () => {
    expect(parseProperties('a=1\r\nb=2\r\n')).toEqual({ a: '1', b: '2' });
  });

  it('a key alone has an empty value, as java.util.Properties', () => {
    expect(parseProperties('lonely')).toEqual({ lonely: '' });
  });

  it('errors are ConfigValueErrors naming the source', () => {
    expect(() => parseProperties('=x', 'server.properties')).toThrow(ConfigValueError);
    expect(() => parseProperties('=x', 'server.properties')).toThrow('server.properties:1');
  });
});
