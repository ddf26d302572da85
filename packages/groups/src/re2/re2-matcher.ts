// Full-match of an RE2 pattern (Kafka's `Pattern.compile(regex).matcher(topic).matches()`), run as
// a Thompson NFA: time linear in the name times the program, never the exponential backtracking a
// JS RegExp can fall into on patterns such as (a|a)*b. Topic names are at most 249 characters.
import { GroupErrorCode as E } from '../error-codes';
import { CoordinatorError } from '../errors';
import { type Assertion, type Re2Node, isWordChar, parseRe2 } from './re2-parser';

/** Bounds the compiled program (counted repetition expands): RE2 also refuses huge programs. */
const MAX_STATES = 20_000;

type State =
  | { kind: 'char'; test: (cp: number) => boolean; out: number }
  | { kind: 'assert'; assertion: Assertion; out: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'match' };

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
    const cps = Array.from(name, (c) => c.codePointAt(0)!);
    let current: number[] = [];
    this.addState(current, this.start, cps, 0);
    for (let i = 0; i < cps.length && current.length > 0; i++) {
      const next: number[] = [];
      this.generation++;
      for (const s of current) {
        const st = this.states[s]!;
        if (st.kind === 'char' && st.test(cps[i]!)) this.addState(next, st.out, cps, i + 1, true);
      }
      current = next;
    }
    return current.some((s) => this.states[s]!.kind === 'match');
  }

  /** Adds a state and everything reachable through empty transitions valid at position `pos`. */
  private addState(list: number[], s: number, cps: readonly number[], pos: number, sameGeneration = false): void {
    if (!sameGeneration && list.length === 0) this.generation++;
    const stack = [s];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (this.marks[id] === this.generation) continue;
      this.marks[id] = this.generation;
      const st = this.states[id]!;
      if (st.kind === 'split') {
        stack.push(st.out1, st.out);
      } else if (st.kind === 'assert') {
        if (holds(st.assertion, cps, pos)) stack.push(st.out);
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

function holds(a: Assertion, cps: readonly number[], pos: number): boolean {
  const before = pos > 0 ? cps[pos - 1] : undefined;
  const after = pos < cps.length ? cps[pos] : undefined;
  switch (a) {
    case 'beginText':
      return pos === 0;
    case 'endText':
      return pos === cps.length;
    case 'beginLine':
      return pos === 0 || before === 0x0a;
    case 'endLine':
      return pos === cps.length || after === 0x0a;
    case 'wordBoundary':
    case 'notWordBoundary': {
      const boundary = (before !== undefined && isWordChar(before)) !== (after !== undefined && isWordChar(after));
      return a === 'wordBoundary' ? boundary : !boundary;
    }
  }
}
