// The metric names a PromQL expression refers to (enough PromQL for dashboards and alert rules):
// strings, label matchers, range and offset selectors, label lists of by / without / on /
// ignoring / group_*, numbers and function names are stripped; what is left are metric names.

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

export function promqlMetricNames(expr: string): string[] {
  let e = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  // Grafana's label_values(metric, label): only the metric is one.
  e = e.replace(/label_values\s*\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:,[^)]*)?\)/g, ' $1 ');
  e = e.replace(/\{[^}]*\}/g, ' ');
  e = e.replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  e = e.replace(/\$\{?[a-zA-Z_]+\}?/g, ' ');
  e = e.replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, ' ');
  e = e.replace(/[a-zA-Z_][a-zA-Z0-9_]*\s*\(/g, '('); // function calls
  const names = new Set<string>();
  for (const m of e.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) if (!KEYWORDS.has(m[0].toLowerCase())) names.add(m[0]);
  return [...names];
}

/** Every series name a scrape declares (# TYPE lines), histograms with their _bucket/_sum/_count. */
export function exportedMetricNames(exposition: string): Set<string> {
  const out = new Set<string>();
  for (const m of exposition.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    out.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) out.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) out.add(name + suffix);
  }
  return out;
}
