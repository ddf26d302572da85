// Character sets of RE2 syntax: the Perl classes (\d \w \s, ASCII as in RE2), POSIX [:name:]
// classes, control escapes, class pieces (ranges or a Unicode-property predicate) and simple case
// folding for (?i). Used by re2-parser.ts.

/** A character-class piece: explicit ranges or a predicate (Unicode property). */
export type ClassPart = { ranges: Range[] } | { test: (cp: number) => boolean };

export type Range = readonly [number, number];

export const DIGIT: Range[] = [[0x30, 0x39]];
export const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
export const SPACE: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
export const POSIX: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};
export const CONTROL_ESCAPES: Record<string, number> = { a: 0x07, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };

export function isWordChar(cp: number): boolean {
  return inRanges(WORD, cp);
}

export function inRanges(ranges: readonly Range[], cp: number): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

function foldVariants(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const out = [cp];
  for (const v of [s.toLowerCase(), s.toUpperCase()]) {
    const c = v.codePointAt(0)!;
    if (v.length === String.fromCodePoint(c).length && !out.includes(c)) out.push(c);
  }
  return out;
}

/** A predicate that also accepts the simple case variants of a code point under (?i). */
export function folded(test: (cp: number) => boolean, fold: boolean): (cp: number) => boolean {
  if (!fold) return test;
  return (cp) => foldVariants(cp).some(test);
}

export function single(cp: number): { ranges: Range[] } {
  return { ranges: [[cp, cp]] };
}

export function isSingle(p: ClassPart): p is { ranges: Range[] } {
  return 'ranges' in p && p.ranges.length === 1 && p.ranges[0]![0] === p.ranges[0]![1];
}

export function partTest(p: ClassPart): (cp: number) => boolean {
  if ('test' in p) return p.test;
  const ranges = p.ranges;
  return (cp) => inRanges(ranges, cp);
}

