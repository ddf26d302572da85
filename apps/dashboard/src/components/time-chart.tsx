// A live line chart on uPlot: one line per named series over shared timestamps. The plot is built
// once per set of series names and fed with setData afterwards (cheap enough for a 1 s stream).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../live';

const COLORS = ['#1e88e5', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00897b', '#6d4c41', '#3949ab'];

export function TimeChart(props: { series: Series; names: readonly string[]; unit: string; height?: number; testId?: string; version: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = props.names.join('\u0000');

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: props.height ?? 220,
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max * 1.1)] } },
      axes: [{}, { label: props.unit, size: 60 }],
      series: [{}, ...props.names.map((name, i) => ({ label: name, stroke: COLORS[i % COLORS.length]!, width: 2, spanGaps: false }))],
    };
    plot.current = new uPlot(opts, toData(props.series, props.names), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height: props.height ?? 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [key]);

  useEffect(() => {
    plot.current?.setData(toData(props.series, props.names));
  }, [props.version, key]);

  const last = props.names.map((n) => props.series.values.get(n)?.at(-1));
  return (
    <div class="chart" data-testid={props.testId} data-points={props.series.times.length} data-last={JSON.stringify(last)}>
      <div ref={host} />
    </div>
  );
}

function toData(series: Series, names: readonly string[]): uPlot.AlignedData {
  return [series.times, ...names.map((n) => series.values.get(n) ?? series.times.map(() => Number.NaN))] as uPlot.AlignedData;
}
