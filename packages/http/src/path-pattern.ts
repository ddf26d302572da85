// A route path compiled once: literal segments and :params, matched segment by segment.
import { HttpError } from './http-error';

export class PathPattern {
  private readonly segments: readonly ({ literal: string } | { param: string })[];

  constructor(readonly source: string) {
    if (!source.startsWith('/')) throw new Error(`route path must start with /: ${source}`);
    const seen = new Set<string>();
    this.segments = splitPath(source).map((s) => {
      if (!s.startsWith(':')) return { literal: s };
      const param = s.slice(1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(param) || seen.has(param)) throw new Error(`bad route parameter ${s} in ${source}`);
      seen.add(param);
      return { param };
    });
  }

  /** Same shape (two patterns that would match the same paths). */
  get shape(): string {
    return this.segments.map((s) => ('param' in s ? ':' : `=${s.literal}`)).join('/');
  }

  /** Params of `path` (already split, raw), or undefined when it does not match. */
  match(parts: readonly string[]): Record<string, string> | undefined {
    if (parts.length !== this.segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const seg = this.segments[i]!;
      const part = parts[i]!;
      if ('param' in seg) {
        if (part === '') return undefined;
        params[seg.param] = decodeSegment(part);
      } else if (seg.literal !== part) {
        return undefined;
      }
    }
    return params;
  }
}

/** `/a/b/` and `/a/b` are the same path; `/` is no segment at all. */
export function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed === '/' ? [] : trimmed.slice(1).split('/');
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw HttpError.badRequest(`malformed percent-encoding in path segment: ${raw}`);
  }
}
