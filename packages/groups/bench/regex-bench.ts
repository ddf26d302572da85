// Regex subscription benchmark: what a KIP-848 group pays to re-resolve its SubscribedTopicRegex
// after a topic change — one RE2 pattern matched (whole name, Thompson NFA) against 10,000 topic
// names — next to a JS RegExp doing the same where both engines read the pattern alike, and the
// pattern class a backtracking engine cannot survive.
import { performance } from 'node:perf_hooks';
import { Re2Pattern } from '../src/index';

const TOPICS = 10_000;
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const names = Array.from({ length: TOPICS }, (_, i) => `${['orders', 'payments', 'audit', 'events'][i % 4]}-${['eu', 'us', 'ap'][i % 3]}-${String(i).padStart(5, '0')}`);

function time(fn: () => number): { ms: number; matched: number } {
  fn();
  const start = performance.now();
  let matched = 0;
  for (let r = 0; r < ROUNDS; r++) matched = fn();
  return { ms: (performance.now() - start) / ROUNDS, matched };
}

console.log(`${TOPICS} topic names, mean of ${ROUNDS} rounds`);
for (const pattern of ['orders-.*', '(orders|payments)-(eu|us)-\\d+', '.*-ap-0[0-4]\\d{3}', '(?i)AUDIT-.*']) {
  const re2 = Re2Pattern.compile(pattern);
  const nfa = time(() => names.filter((n) => re2.matches(n)).length);
  let line = `${pattern.padEnd(32)} re2 (NFA) ${nfa.ms.toFixed(2).padStart(7)} ms/resolution  ${((nfa.ms * 1e6) / TOPICS).toFixed(0).padStart(5)} ns/name  ${nfa.matched} matched`;
  if (!pattern.startsWith('(?i)')) {
    const js = new RegExp(`^(?:${pattern})$`);
    const bt = time(() => names.filter((n) => js.test(n)).length);
    line += `   JS RegExp ${bt.ms.toFixed(2).padStart(6)} ms`;
  }
  console.log(line);
}
const evil = Re2Pattern.compile('(a|a)*b');
const longName = 'a'.repeat(249);
const start = performance.now();
evil.matches(longName);
console.log(`(a|a)*b against 249 × 'a': re2 (NFA) ${(performance.now() - start).toFixed(2)} ms (a backtracking engine needs ~2^249 steps)`);
