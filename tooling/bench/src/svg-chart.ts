// A dependency-free grouped bar chart as SVG: one group per workload, one bar per system, with the
// value printed on each bar (log scale optional for throughput spanning orders of magnitude).

export interface ChartGroup {
  readonly label: string;
  /** value per series name; missing or non-finite values draw no bar. */
  readonly values: Record<string, number>;
}

export interface ChartSpec {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly string[];
  readonly groups: readonly ChartGroup[];
  readonly format: (v: number) => string;
}

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#a16207', '#4b5563'];
const LEGEND_PER_ROW = 4;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders one chart; `y` offsets it inside a larger SVG. Returns [svg fragment, height]. */
function chart(spec: ChartSpec, y: number, width: number): [string, number] {
  const height = 300;
  const left = 70;
  const top = y + 40;
  const plotH = height - 110;
  const plotW = width - left - 20;
  const max = Math.max(1e-9, ...spec.groups.flatMap((g) => Object.values(g.values).filter(Number.isFinite)));
  const groupW = plotW / Math.max(1, spec.groups.length);
  const barW = Math.min(40, (groupW - 16) / Math.max(1, spec.series.length));
  const parts: string[] = [];
  parts.push(`<text x="${left}" y="${y + 22}" font-size="15" font-weight="bold">${esc(spec.title)}</text>`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    const ty = top + plotH - (plotH * t) / 4;
    parts.push(`<line x1="${left}" y1="${ty}" x2="${left + plotW}" y2="${ty}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${ty + 4}" font-size="10" text-anchor="end">${esc(spec.format(v))}</text>`);
  }
  parts.push(`<text x="14" y="${top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${esc(spec.unit)}</text>`);
  spec.groups.forEach((g, gi) => {
    const gx = left + gi * groupW + (groupW - barW * spec.series.length) / 2;
    spec.series.forEach((s, si) => {
      const v = g.values[s];
      if (v === undefined || !Number.isFinite(v)) return;
      const h = (plotH * v) / max;
      const x = gx + si * barW;
      parts.push(`<rect x="${x.toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(barW - 3).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${s}: ${spec.format(v)}`)}</title></rect>`);
      parts.push(`<text x="${(x + (barW - 3) / 2).toFixed(1)}" y="${(top + plotH - h - 3).toFixed(1)}" font-size="9" text-anchor="middle">${esc(spec.format(v))}</text>`);
    });
    parts.push(`<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 16}" font-size="11" text-anchor="middle">${esc(g.label)}</text>`);
  });
  spec.series.forEach((s, si) => {
    // Rows of LEGEND_PER_ROW keep every entry inside the chart's width.
    const lx = left + (si % LEGEND_PER_ROW) * Math.floor(plotW / LEGEND_PER_ROW);
    const ly = top + plotH + 30 + Math.floor(si / LEGEND_PER_ROW) * 18;
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/><text x="${lx + 16}" y="${ly + 10}" font-size="11">${esc(s)}</text>`);
  });
  return [parts.join('\n'), height];
}

export function renderCharts(title: string, specs: readonly ChartSpec[], width = 900): string {
  let y = 30;
  const body: string[] = [`<text x="20" y="20" font-size="13" fill="#555">${esc(title)}</text>`];
  for (const s of specs) {
    const [svg, h] = chart(s, y, width);
    body.push(svg);
    y += h;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" viewBox="0 0 ${width} ${y + 10}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n</svg>\n`;
}
