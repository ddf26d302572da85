// RE2/J semantics of SubscribedTopicRegex: whole-name matching, the RE2 syntax Kafka accepts, the
// Perl constructs RE2 refuses (INVALID_REGULAR_EXPRESSION), and linear-time matching.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import { CoordinatorError } from '../src/errors';
import { Re2Pattern } from '../src/re2/re2-matcher';

const m = (pattern: string, name: string) => Re2Pattern.compile(pattern).matches(name);

function rejection(pattern: string): CoordinatorError {
  try {
    Re2Pattern.compile(pattern);
  } catch (err) {
    if (err instanceof CoordinatorError) return err;
    throw err;
  }
  throw new Error(`${pattern} compiled`);
}

describe('RE2 topic regex', () => {
  it('matches the whole topic name, as Matcher.matches()', () => {
    expect(m('orders', 'orders')).toBe(true);
    expect(m('orders', 'orders-eu')).toBe(false);
    expect(m('orders', 'old-orders')).toBe(false);
    expect(m('orders.*', 'orders-eu')).toBe(true);
    expect(m('a|b', 'a')).toBe(true);
    expect(m('a|b', 'ab')).toBe(false);
    expect(m('(a|b)+', 'abba')).toBe(true);
    expect(m('', '')).toBe(true);
    expect(m('x?', '')).toBe(true);
  });

  it('supports RE2 syntax: classes, repeats, flags, escapes, named groups, Unicode classes', () => {
    expect(m('[a-c]{2,3}-\\d+', 'ab-12')).toBe(true);
    expect(m('[a-c]{2,3}-\\d+', 'abcd-12')).toBe(false);
    expect(m('t{3}', 'ttt')).toBe(true);
    expect(m('t{2,}', 'tttt')).toBe(true);
    expect(m('t{,2}', 't{,2}')).toBe(true); // not a repeat: literal, as in RE2
    expect(m('(?i)ORDERS', 'orders')).toBe(true);
    expect(m('(?i:O)rders', 'orders')).toBe(true);
    expect(m('(?i:O)RDERS', 'orders')).toBe(false);
    expect(m('a(?i)b|c', 'aB')).toBe(true);
    expect(m('a(?i)b|c', 'C')).toBe(true); // (?i) lasts to the end of the group, across |
    expect(m('[[:alpha:]]+_[[:digit:]]', 'abc_1')).toBe(true);
    expect(m('[[:^digit:]]+', 'abc')).toBe(true);
    expect(m('\\w+\\.\\W', 'a.-')).toBe(true);
    expect(m('\\x41\\x{62}\\103', 'AbC')).toBe(true);
    expect(m('\\Qa.b\\E.', 'a.bz')).toBe(true);
    expect(m('\\Qa.b\\E', 'axb')).toBe(false);
    expect(m('(?P<env>dev|prod)-(?<svc>\\w+)', 'prod-api')).toBe(true);
    expect(m('\\pL+', 'topic')).toBe(true);
    expect(m('\\p{Greek}+', 'αβ')).toBe(true);
    expect(m('\\P{Greek}+', 'ab')).toBe(true);
    expect(m('[^a-c]x', 'dx')).toBe(true);
    expect(m('[]a]+', ']a')).toBe(true);
    expect(m('[a-]+', 'a-')).toBe(true);
    expect(m('\\Aab\\z', 'ab')).toBe(true);
    expect(m('^ab$', 'ab')).toBe(true);
    expect(m('a\\bb', 'ab')).toBe(false);
    expect(m('a\\b-', 'a-')).toBe(true);
    expect(m('.', '\n')).toBe(false);
    expect(m('(?s).', '\n')).toBe(true);
    expect(m('a*?b+?c??', 'aabb')).toBe(true); // laziness cannot change a whole-name match
    expect(m('\\.', '.')).toBe(true);
    expect(m('\\-\\_', '-_')).toBe(true);
  });

  it('refuses what RE2 lacks, with INVALID_REGULAR_EXPRESSION and the reason', () => {
    for (const [pattern, reason] of [
      ['(a)\\1', 'backreferences are not supported'],
      ['foo(?=bar)', 'lookahead and lookbehind'],
      ['foo(?!bar)', 'lookahead and lookbehind'],
      ['(?<=a)b', 'lookahead and lookbehind'],
      ['(?<!a)b', 'lookahead and lookbehind'],
      ['(?>a)', 'atomic groups'],
      ['a*+', 'invalid nested repetition operator'],
      ['a**', 'invalid nested repetition operator'],
      ['*a', 'missing argument to repetition operator'],
      ['a|+', 'missing argument to repetition operator'],
      ['(a', 'missing closing )'],
      ['a)', 'unexpected )'],
      ['[a', 'missing closing ]'],
      ['[z-a]', 'invalid character class range'],
      ['a{1001}', 'invalid repeat count'],
      ['a{3,2}', 'invalid repeat count'],
      ['\\Z', 'invalid escape sequence'],
      ['\\G', 'invalid escape sequence'],
      ['\\k<x>', 'invalid escape sequence'],
      ['\\p{NoSuchScript}', 'invalid character class range'],
      ['(?P<n>a)(?P<n>b)', 'duplicate capture group name'],
      ['(?#comment)', 'invalid or unsupported Perl syntax'],
      ['(?)', 'invalid or unsupported Perl syntax'],
      ['[[:nope:]]', 'invalid character class range'],
      ['abc\\', 'trailing backslash'],
      ['((a{100}){100}){100}', 'expression too large'],
    ] as const) {
      const err = rejection(pattern);
      expect(err.errorCode).toBe(E.INVALID_REGULAR_EXPRESSION);
      expect(err.message).toContain(`SubscribedTopicRegex \`${pattern}\` is not a valid regular expression`);
      expect(err.message).toContain(reason);
    }
  });

  it('agrees with a JS RegExp on ASCII topic names for patterns both engines read alike', () => {
    const patterns = ['[a-c]+(x|y)?', '(ab|a)*b?', 'a.c', '(a|b){2,3}c*', '[^b]+b?', 'a?a?aa', 'a\\b.?', '(a|\\.)\\B.*', 'x*^a|b$y*'];
    const name = fc.stringMatching(/^[abcxy.]{0,8}$/);
    for (const p of patterns) {
      const js = new RegExp(`^(?:${p})$`);
      const re2 = Re2Pattern.compile(p);
      fc.assert(fc.property(name, (n) => re2.matches(n) === js.test(n)));
    }
  });

  it('stays right when its bounded DFA memo is dropped and rebuilt', () => {
    // (a|b)*a(a|b){12}: the DFA has 2^13 states, more than the memo keeps, so it is cleared mid-run.
    const p = '(a|b)*a(a|b){12}';
    const re2 = Re2Pattern.compile(p);
    const js = new RegExp(`^(?:${p})$`);
    fc.assert(fc.property(fc.stringMatching(/^[ab]{13,40}$/), (n) => re2.matches(n) === js.test(n)), { numRuns: 3_000 });
  });

  it('matches catastrophic-backtracking patterns without blowing up', () => {
    const name = `${'a'.repeat(249)}`;
    // A backtracking engine needs ~2^249 steps to reject this; the NFA needs 249 steps.
    expect(m('(a|a)*b', name)).toBe(false);
    expect(m('(a*)*b', name)).toBe(false);
    expect(m('(a|aa)+', name)).toBe(true);
  });
});
