// Full-match of an RE2 pattern (Kafka's `Pattern.compile(regex).matcher(topic).matches()`), run as
// a Thompson NFA whose state sets are memoised as a lazy DFA (as RE2 does): time linear in the name,
// never the exponential backtracking a JS RegExp can fall into on patterns such as (a|a)*b. The
// memo key carries the class of the next character, so ^ $ \b \B are exact. Topic names are at most 249 characters.
import { ErrorCode as E } from '@mq/protocol';
import { CoordinatorError } from '../errors';
import { type Assertion, type Re2Node, isWordChar, parseRe2 } from './re2-parser';

/** Bounds the compiled program (counted repetition expands): RE2 also refuses huge programs. */
const MAX_STATES = 20_000;
/** Bounds the memoised DFA of one pattern (NFA state ids kept over all its sets): a few hundred KB at most. */
const MAX_DFA_ENTRIES = 50_000;

type State =
  | { kind: 'char'; test: (cp: number) => boolean; out: number }
  | { kind: 'assert'; assertion: Assertion; out: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'match' };

/** A set of NFA states after some input, with its memoised transitions (key: code point × 4 + class of the next character). */
interface DfaState {
  readonly states: readonly number[];
  readonly match: boolean;
  readonly next: Map<number, DfaState>;
}

/** A fragment under construction: its entry and the dangling exits to patch. */
interface Fragment {
  start: number;
  /** [state index, which exit: 0 = out, 1 = out1]. */
  exits: [number, 0 | 1][];
}

export class Re2Pattern {
  private readonly states: State[] = [];
  private readonly start: number;
  private readonly marks: Int32Array;
  private generation = 0;
  private readonly dfa = new Map<string, DfaState>();
  private dfaEntries = 0;
  /** Start sets by the class of the first character (assertions at position 0 depend on it). */
  private readonly initial: (DfaState | undefined)[] = [undefined, undefined, undefined, undefined];

  private constructor(
    readonly pattern: string,
    root: Re2Node,
  ) {
    const frag = this.compile(root);
    const match = this.add({ kind: 'match' });
    this.patch(frag, match);
    this.start = frag.start;
    this.marks = new Int32Array(this.states.length);
  }

  /** Throws CoordinatorError(INVALID_REGULAR_EXPRESSION) for anything RE2/J would not compile. */
  static compile(pattern: string): Re2Pattern {
    return new Re2Pattern(pattern, parseRe2(pattern));
  }

  /** Whether the whole of `name` matches. */
  matches(name: string): boolean {
    let set = this.initial[classOf(name.codePointAt(0))] ?? this.startSet(classOf(name.codePointAt(0)));
    for (let i = 0; i < name.length && set.states.length > 0; ) {
      const cp = name.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      const key = cp * 4 + classOf(name.codePointAt(i));
      set = set.next.get(key) ?? this.step(set, cp, key);
    }
    return set.match;
  }

  private startSet(after: CharClass): DfaState {
    const list: number[] = [];
    this.generation++;
    this.addState(list, this.start, NONE, after);
    const set = this.intern(list);
    this.initial[after] = set;
    return set;
  }

  /** One NFA step from `set` on `cp`, memoised as a DFA transition (RE2's lazy DFA, without its byte classes). */
  private step(set: DfaState, cp: number, key: number): DfaState {
    if (this.dfaEntries >= MAX_DFA_ENTRIES) {
      // Bounded memory: start the memo over (correct, just slower for a while).
      this.dfa.clear();
      this.dfaEntries = 0;
      this.initial.fill(undefined);
    }
    const list: number[] = [];
    this.generation++;
    const before = classOf(cp);
    const after = (key % 4) as CharClass;
    for (const s of set.states) {
      const st = this.states[s]!;
      if (st.kind === 'char' && st.test(cp)) this.addState(list, st.out, before, after);
    }
    const next = this.intern(list);
    set.next.set(key, next);
    return next;
  }

  private intern(list: number[]): DfaState {
    list.sort((x, y) => x - y);
    const id = list.join(',');
    let set = this.dfa.get(id);
    if (set === undefined) {
      set = { states: list, match: list.some((s) => this.states[s]!.kind === 'match'), next: new Map() };
      this.dfa.set(id, set);
      this.dfaEntries += list.length + 1;
    }
    return set;
  }

  /** Adds a state and everything reachable through empty transitions valid between `before` and `after`. */
  private addState(list: number[], s: number, before: CharClass, after: CharClass): void {
    const stack = [s];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (this.marks[id] === this.generation) continue;
      this.marks[id] = this.generation;
      const st = this.states[id]!;
      if (st.kind === 'split') {
        stack.push(st.out1, st.out);
      } else if (st.kind === 'assert') {
        if (holds(st.assertion, before, after)) stack.push(st.out);
      } else {
        list.push(id);
      }
    }
  }

  private add(st: State): number {
    if (this.states.length >= MAX_STATES) {
      throw new CoordinatorError(E.INVALID_REGULAR_EXPRESSION, `SubscribedTopicRegex \`${this.pattern}\` is not a valid regular expression: expression too large.`);
    }
    this.states.push(st);
    return this.states.length - 1;
  }

  private patch(frag: Fragment, target: number): void {
    for (const [id, which] of frag.exits) {
      const st = this.states[id]!;
      if (st.kind === 'split' && which === 1) st.out1 = target;
      else if (st.kind !== 'match') st.out = target;
    }
  }

  private compile(node: Re2Node): Fragment {
    switch (node.t) {
      case 'char': {
        const id = this.add({ kind: 'char', test: node.test, out: -1 });
        return { start: id, exits: [[id, 0]] };
      }
      case 'assert': {
        const id = this.add({ kind: 'assert', assertion: node.kind, out: -1 });
        return { start: id, exits: [[id, 0]] };
      }
      case 'cat': {
        if (node.items.length === 0) return this.empty();
        const frags = node.items.map((n) => this.compile(n));
        for (let i = 0; i + 1 < frags.length; i++) this.patch(frags[i]!, frags[i + 1]!.start);
        return { start: frags[0]!.start, exits: frags[frags.length - 1]!.exits };
      }
      case 'alt': {
        const frags = node.items.map((n) => this.compile(n));
        let acc = frags[frags.length - 1]!;
        for (let i = frags.length - 2; i >= 0; i--) {
          const f = frags[i]!;
          const id = this.add({ kind: 'split', out: f.start, out1: acc.start });
          acc = { start: id, exits: [...f.exits, ...acc.exits] };
        }
        return acc;
      }
      case 'rep':
        return this.repeat(node.node, node.min, node.max);
    }
  }

  /** An empty-width fragment (a split whose both exits dangle onto the same target). */
  private empty(): Fragment {
    const id = this.add({ kind: 'split', out: -1, out1: -1 });
    return { start: id, exits: [[id, 0], [id, 1]] };
  }

  /** x{min,max}: min copies, then (max - min) optional copies, or a loop when unbounded. */
  private repeat(node: Re2Node, min: number, max: number): Fragment {
    const parts: Fragment[] = [];
    for (let i = 0; i < min; i++) parts.push(this.compile(node));
    if (max === -1) {
      const body = this.compile(node);
      const loop = this.add({ kind: 'split', out: body.start, out1: -1 });
      this.patch(body, loop);
      parts.push({ start: loop, exits: [[loop, 1]] });
    } else {
      for (let i = min; i < max; i++) {
        const body = this.compile(node);
        const opt = this.add({ kind: 'split', out: body.start, out1: -1 });
        parts.push({ start: opt, exits: [...body.exits, [opt, 1]] });
      }
    }
    if (parts.length === 0) return this.empty();
    for (let i = 0; i + 1 < parts.length; i++) this.patch(parts[i]!, parts[i + 1]!.start);
    return { start: parts[0]!.start, exits: parts[parts.length - 1]!.exits };
  }
}

/** What an assertion needs to know about a character next to a position. */
type CharClass = 0 | 1 | 2 | 3;
const NONE: CharClass = 0;
const NEWLINE_CLASS: CharClass = 1;
const WORD_CLASS: CharClass = 2;

function classOf(cp: number | undefined): CharClass {
  if (cp === undefined) return NONE;
  if (cp === 0x0a) return NEWLINE_CLASS;
  return isWordChar(cp) ? WORD_CLASS : 3;
}

function holds(a: Assertion, before: CharClass, after: CharClass): boolean {
  switch (a) {
    case 'beginText':
      return before === NONE;
    case 'endText':
      return after === NONE;
    case 'beginLine':
      return before === NONE || before === NEWLINE_CLASS;
    case 'endLine':
      return after === NONE || after === NEWLINE_CLASS;
    case 'wordBoundary':
    case 'notWordBoundary': {
      const boundary = (before === WORD_CLASS) !== (after === WORD_CLASS);
      return a === 'wordBoundary' ? boundary : !boundary;
    }
  }
}
