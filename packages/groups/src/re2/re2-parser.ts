// Parser for RE2 syntax as RE2/J (com.google.re2j, which Kafka's coordinator compiles
// SubscribedTopicRegex with) accepts it, in its Perl mode. Constructs RE2 lacks — backreferences,
// lookaround, atomic groups, possessive quantifiers, \Z, \G, \C — are refused, as RE2/J refuses them,
// instead of being passed on to a backtracking engine that would accept them.
// The result is a tree of code-point predicates and assertions; re2-matcher.ts runs it in linear time.
import { ErrorCode as E } from '@mq/protocol';
import { CoordinatorError } from '../errors';
import {
  CONTROL_ESCAPES,
  type ClassPart,
  DIGIT,
  POSIX,
  SPACE,
  WORD,
  folded,
  inRanges,
  isSingle,
  partTest,
  single,
} from './re2-charclass';

export { isWordChar } from './re2-charclass';

export type Assertion = 'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'notWordBoundary';

export type Re2Node =
  | { readonly t: 'char'; readonly test: (cp: number) => boolean }
  | { readonly t: 'assert'; readonly kind: Assertion }
  | { readonly t: 'cat'; readonly items: readonly Re2Node[] }
  | { readonly t: 'alt'; readonly items: readonly Re2Node[] }
  /** max -1: unbounded. */
  | { readonly t: 'rep'; readonly node: Re2Node; readonly min: number; readonly max: number };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

/** RE2's limit on counted repetition. */
const MAX_REPEAT = 1000;
const NEWLINE = 0x0a;

class Re2SyntaxError extends CoordinatorError {
  constructor(pattern: string, reason: string) {
    super(E.INVALID_REGULAR_EXPRESSION, `SubscribedTopicRegex \`${pattern}\` is not a valid regular expression: ${reason}.`);
  }
}

class Parser {
  private pos = 0;
  private readonly cps: number[];
  private readonly names = new Set<string>();

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  }

  fail(reason: string): never {
    throw new Re2SyntaxError(this.pattern, reason);
  }

  private more(): boolean {
    return this.pos < this.cps.length;
  }

  private peek(offset = 0): string {
    const cp = this.cps[this.pos + offset];
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private next(): string {
    const c = this.peek();
    this.pos++;
    return c;
  }

  private lookingAt(s: string): boolean {
    for (let i = 0; i < s.length; i++) if (this.peek(i) !== s[i]) return false;
    return true;
  }

  parse(): Re2Node {
    const node = this.parseAlternation({ i: false, m: false, s: false }, 0);
    if (this.more()) this.fail('unexpected )');
    return node;
  }

  /** Alternatives up to the group's `)`; flags set by (?i) inside persist until then, across `|`. */
  private parseAlternation(outer: Flags, depth: number): Re2Node {
    if (depth > MAX_REPEAT) this.fail('expression nests too deeply');
    const flags = { ...outer };
    const alternatives: Re2Node[] = [];
    let seq: Re2Node[] = [];
    for (;;) {
      if (!this.more() || this.peek() === ')') break;
      const c = this.peek();
      if (c === '|') {
        this.pos++;
        alternatives.push({ t: 'cat', items: seq });
        seq = [];
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatAhead() !== null)) {
        const last = seq.pop();
        if (last === undefined) this.fail(`missing argument to repetition operator: ${c}`);
        seq.push(this.parseRepeat(last));
        continue;
      }
      const atom = this.parseAtom(flags, depth);
      if (atom !== null) seq.push(...atom);
    }
    alternatives.push({ t: 'cat', items: seq });
    return alternatives.length === 1 ? alternatives[0]! : { t: 'alt', items: alternatives };
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, or null (then `{` is a literal, as in RE2). */
  private repeatAhead(): { min: number; max: number; length: number } | null {
    const rest = String.fromCodePoint(...this.cps.slice(this.pos, this.pos + 16));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (m === null) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    return { min, max, length: m[0].length };
  }

  private parseRepeat(node: Re2Node): Re2Node {
    const op = this.peek();
    let min: number;
    let max: number;
    if (op === '{') {
      const r = this.repeatAhead()!;
      if (r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max !== -1 && r.max < r.min)) this.fail(`invalid repeat count: ${this.text(r.length)}`);
      this.pos += r.length;
      ({ min, max } = r);
    } else {
      this.pos++;
      [min, max] = op === '*' ? [0, -1] : op === '+' ? [1, -1] : [0, 1];
    }
    // A trailing `?` makes it non-greedy, which cannot change whether a whole name matches.
    if (this.peek() === '?') this.pos++;
    const after = this.peek();
    if (after === '*' || after === '+' || after === '?' || (after === '{' && this.repeatAhead() !== null)) {
      this.fail(`invalid nested repetition operator: ${op}${after} (possessive and repeated quantifiers are not RE2)`);
    }
    return { t: 'rep', node, min, max };
  }

  private text(length: number): string {
    return String.fromCodePoint(...this.cps.slice(this.pos, this.pos + length));
  }

  /** One atom; null for a flag group such as (?i) that matches nothing. */
  private parseAtom(flags: Flags, depth: number): Re2Node[] | null {
    const c = this.next();
    switch (c) {
      case '(':
        return this.parseGroup(flags, depth);
      case '[':
        return [this.parseClass(flags)];
      case '.': {
        const test = flags.s ? () => true : (cp: number) => cp !== NEWLINE;
        return [{ t: 'char', test }];
      }
      case '^':
        return [{ t: 'assert', kind: flags.m ? 'beginLine' : 'beginText' }];
      case '$':
        return [{ t: 'assert', kind: flags.m ? 'endLine' : 'endText' }];
      case '\\':
        return this.parseEscapeAtom(flags);
      default:
        return [literal(c.codePointAt(0)!, flags.i)];
    }
  }

  private parseGroup(flags: Flags, depth: number): Re2Node[] | null {
    if (this.peek() !== '?') return [this.closeGroup(this.parseAlternation(flags, depth + 1))];
    this.pos++;
    if (this.lookingAt('=') || this.lookingAt('!') || this.lookingAt('<=') || this.lookingAt('<!')) {
      this.fail('lookahead and lookbehind assertions are not supported');
    }
    if (this.lookingAt('P<') || this.lookingAt('<')) {
      this.pos += this.peek() === 'P' ? 2 : 1;
      let name = '';
      while (this.more() && this.peek() !== '>') name += this.next();
      if (!this.more()) this.fail(`invalid named capture: missing >`);
      this.pos++;
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail(`invalid named capture: ${name}`);
      if (this.names.has(name)) this.fail(`duplicate capture group name: ${name}`);
      this.names.add(name);
      return [this.closeGroup(this.parseAlternation(flags, depth + 1))];
    }
    // Flags: (?imsU), (?-i), (?i-s:...); anything else after `(?` is not RE2.
    let negate = false;
    let sawFlag = false;
    const scoped = { ...flags };
    for (;;) {
      const f = this.next();
      if (f === 'i' || f === 'm' || f === 's') {
        scoped[f] = !negate;
        sawFlag = true;
      } else if (f === 'U') {
        sawFlag = true; // ungreedy: cannot change whether a whole name matches
      } else if (f === '-' && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((f === ')' || f === ':') && sawFlag) {
        if (f === ':') return [this.closeGroup(this.parseAlternation(scoped, depth + 1))];
        Object.assign(flags, scoped);
        return null;
      } else {
        this.fail(f === '>' ? 'atomic groups are not supported' : `invalid or unsupported Perl syntax: (?${f}`);
      }
    }
  }

  private closeGroup(node: Re2Node): Re2Node {
    if (this.next() !== ')') this.fail('missing closing )');
    return node;
  }

  private parseEscapeAtom(flags: Flags): Re2Node[] {
    const c = this.peek();
    switch (c) {
      case 'A':
        this.pos++;
        return [{ t: 'assert', kind: 'beginText' }];
      case 'z':
        this.pos++;
        return [{ t: 'assert', kind: 'endText' }];
      case 'b':
        this.pos++;
        return [{ t: 'assert', kind: 'wordBoundary' }];
      case 'B':
        this.pos++;
        return [{ t: 'assert', kind: 'notWordBoundary' }];
      case 'Q': {
        this.pos++;
        const out: Re2Node[] = [];
        while (this.more() && !this.lookingAt('\\E')) out.push(literal(this.next().codePointAt(0)!, flags.i));
        if (this.lookingAt('\\E')) this.pos += 2;
        return out;
      }
      default: {
        const part = this.parseEscape();
        return [{ t: 'char', test: folded(partTest(part), flags.i) }];
      }
    }
  }

  /** An escape that stands for characters (after the `\`): literal, Perl class or Unicode class. */
  private parseEscape(): ClassPart {
    if (!this.more()) this.fail('trailing backslash at end of expression');
    const c = this.next();
    const cp = c.codePointAt(0)!;
    if (c >= '1' && c <= '9' && !(c <= '7' && /[0-7]/.test(this.peek()))) {
      this.fail(`backreferences are not supported: \\${c}`);
    }
    if (c >= '0' && c <= '7') {
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(this.peek())) digits += this.next();
      return single(Number.parseInt(digits, 8));
    }
    if (c === 'x') {
      if (this.peek() === '{') {
        this.pos++;
        let hex = '';
        while (this.more() && this.peek() !== '}') hex += this.next();
        if (this.next() !== '}' || !/^[0-9A-Fa-f]{1,8}$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff) this.fail(`invalid escape sequence: \\x{${hex}`);
        return single(Number.parseInt(hex, 16));
      }
      const hex = this.next() + this.next();
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.fail(`invalid escape sequence: \\x${hex}`);
      return single(Number.parseInt(hex, 16));
    }
    if (c in CONTROL_ESCAPES) return single(CONTROL_ESCAPES[c]!);
    switch (c) {
      case 'd':
        return { ranges: DIGIT };
      case 'D':
        return { test: (x) => !inRanges(DIGIT, x) };
      case 'w':
        return { ranges: WORD };
      case 'W':
        return { test: (x) => !inRanges(WORD, x) };
      case 's':
        return { ranges: SPACE };
      case 'S':
        return { test: (x) => !inRanges(SPACE, x) };
      case 'p':
      case 'P':
        return this.parseUnicodeClass(c === 'P');
      default:
        break;
    }
    // Any ASCII punctuation may be escaped to stand for itself.
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return single(cp);
    this.fail(`invalid escape sequence: \\${c}`);
  }

  /** \pL, \p{Greek}, \p{^Lu}, \PL: general categories and scripts, as RE2's Unicode tables. */
  private parseUnicodeClass(negated: boolean): ClassPart {
    let name: string;
    if (this.peek() === '{') {
      this.pos++;
      name = '';
      while (this.more() && this.peek() !== '}') name += this.next();
      if (this.next() !== '}') this.fail('invalid character class range: missing }');
    } else {
      name = this.next();
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) this.fail(`invalid character class range: \\p{${name}}`);
    let re: RegExp | undefined;
    for (const source of name === 'Any' ? ['[^]'] : [`\\p{gc=${name}}`, `\\p{sc=${name}}`]) {
      try {
        re = new RegExp(source, 'u');
        break;
      } catch {
        // not a category of this kind; try the next
      }
    }
    if (re === undefined) this.fail(`invalid character class range: \\p{${name}}`);
    const compiled = re;
    return { test: (x) => compiled.test(String.fromCodePoint(x)) !== negated };
  }

  /** After `[`: ranges, escapes, POSIX classes; `]` first is literal, `-` is literal where no range fits. */
  private parseClass(flags: Flags): Re2Node {
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const parts: ClassPart[] = [];
    let first = true;
    for (;;) {
      if (!this.more()) this.fail('missing closing ]');
      if (this.peek() === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (this.lookingAt('[:')) {
        const end = this.cps.indexOf(0x3a, this.pos + 2);
        const name = end < 0 ? '' : String.fromCodePoint(...this.cps.slice(this.pos + 2, end));
        if (end >= 0 && this.cps[end + 1] === 0x5d) {
          const neg = name.startsWith('^');
          const ranges = POSIX[neg ? name.slice(1) : name];
          if (ranges === undefined) this.fail(`invalid character class range: [:${name}:]`);
          parts.push(neg ? { test: (x) => !inRanges(ranges, x) } : { ranges });
          this.pos = end + 2;
          continue;
        }
      }
      const lo = this.classChar();
      if (!isSingle(lo) || this.peek() !== '-' || this.peek(1) === ']' || this.peek(1) === '') {
        parts.push(lo);
        continue;
      }
      this.pos++;
      const hi = this.classChar();
      if (!isSingle(hi)) this.fail('invalid character class range');
      const from = lo.ranges[0]![0];
      const to = hi.ranges[0]![0];
      if (to < from) this.fail(`invalid character class range: ${String.fromCodePoint(from)}-${String.fromCodePoint(to)}`);
      parts.push({ ranges: [[from, to]] });
    }
    const base = (cp: number) => parts.some((p) => partTest(p)(cp));
    const test = folded(base, flags.i);
    return { t: 'char', test: negated ? (cp) => !test(cp) : test };
  }

  private classChar(): ClassPart {
    const c = this.next();
    if (c !== '\\') return single(c.codePointAt(0)!);
    return this.parseEscape();
  }
}

function literal(cp: number, fold: boolean): Re2Node {
  return { t: 'char', test: folded((x) => x === cp, fold) };
}

/** Parses an RE2 pattern; throws CoordinatorError(INVALID_REGULAR_EXPRESSION) with RE2/J's reason. */
export function parseRe2(pattern: string): Re2Node {
  return new Parser(pattern).parse();
}
