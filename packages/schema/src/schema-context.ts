// Schema contexts, as Confluent's: a subject `:.ctx:name` lives in context `.ctx`, any other in the
// default context `.`. Each context has its own id space, its own context-level compatibility and
// mode (set on the subject `:.ctx:`), and references without a context resolve in the referrer's.

export const DEFAULT_CONTEXT = '.';

const QUALIFIED = /^:(\.[^:]*):(.*)$/s;

/** The context a subject lives in (`.` for an unqualified one). */
export function contextOf(subject: string): string {
  // Most subjects are unqualified: no regex on the produce path's per-record lookups.
  if (subject.charCodeAt(0) !== 0x3a) return DEFAULT_CONTEXT;
  const m = QUALIFIED.exec(subject);
  return m === null ? DEFAULT_CONTEXT : m[1]!;
}

/** `:.:name` (the default context spelled out) is `name`; everything else as given. */
export function normalizeSubject(subject: string): string {
  const m = QUALIFIED.exec(subject);
  return m !== null && m[1] === DEFAULT_CONTEXT ? m[2]! : subject;
}

/** A reference's subject in the referrer's context when it names none itself. */
export function qualifyIn(context: string, subject: string): string {
  if (context === DEFAULT_CONTEXT || QUALIFIED.test(subject)) return normalizeSubject(subject);
  return `:${context}:${subject}`;
}

/** The subject that holds a context's own compatibility and mode (`:.ctx:`); null for the default context (the global ones). */
export function contextSubject(context: string): string | null {
  return context === DEFAULT_CONTEXT ? null : `:${context}:`;
}
