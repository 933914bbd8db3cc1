// The session's live vitals chart (uPlot): blood pressures, heart rate and respiratory rate on
// the left scale, SpO₂ in % on the right, each baseline value as a dashed line in its vital's
// colour. New readings replace the data in place; the plot is rebuilt only when the set of
// vitals changes. The geometry and the text alternative come from vitalsChart.ts.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SessionMonitor } from '../api/monitor';
import { unitText } from '../monitor/readings';
import { alignVitals, baselineLines, vitalsSummary, type BaselineLine } from './vitalsChart';

function drawBaselines(u: uPlot, lines: readonly BaselineLine[]) {
  const { ctx, bbox } = u;
  const px = devicePixelRatio;
  ctx.save();
  ctx.font = `${Math.round(11 * px)}px sans-serif`;
  ctx.lineWidth = 1.5 * px;
  ctx.setLineDash([5 * px, 4 * px]);
  // Labels are staggered along the line so baselines close together stay readable.
  lines.forEach((line, index) => {
    if (!u.scales[line.scale]) return;
    const y = u.valToPos(line.value, line.scale, true);
    if (y < bbox.top || y > bbox.top + bbox.height) return;
    ctx.strokeStyle = line.colour;
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.fillStyle = line.colour;
    ctx.textAlign = 'left';
    const x = bbox.left + 4 * px + ((index * 150 * px) % Math.max(1, bbox.width - 150 * px));
    ctx.fillText(line.label, x, y - 4 * px);
  });
  ctx.restore();
}

export function VitalsChart({ monitor }: { monitor: SessionMonitor }) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; keys: string } | null>(null);
  const baselines = useRef<BaselineLine[]>([]);
  const aligned = alignVitals(monitor.vitals);
  const keys = aligned.series.map((s) => s.spec.key).join(',');
  baselines.current = baselineLines(monitor.baseline);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const data: uPlot.AlignedData = [aligned.xs, ...aligned.series.map((s) => s.values)];
    if (plot.current && plot.current.keys === keys) {
      plot.current.chart.setData(data);
      return;
    }
    plot.current?.chart.destroy();
    plot.current = null;
    if (aligned.series.length === 0) return;
    const options: uPlot.Options = {
      width: Math.max(300, Math.min(960, element.clientWidth || 640)),
      height: 280,
      scales: {
        x: { time: true },
        pressure_rate: { range: (_u, min, max) => [Math.min(30, min ?? 30), Math.max(200, (max ?? 200) + 10)] },
        percent: { range: (_u, min) => [Math.min(80, min ?? 80), 100] },
      },
      series: [
        { label: 'Time' },
        ...aligned.series.map(({ spec }) => ({
          label: `${spec.label} (${unitText(monitor.units[spec.key] ?? '') || (spec.scale === 'percent' ? '%' : '')})`,
          scale: spec.scale,
          stroke: spec.colour,
          width: 2,
          dash: spec.dash,
          spanGaps: true,
          points: { show: true, size: 5 },
        })),
      ],
      axes: [
        {},
        { scale: 'pressure_rate', label: 'mmHg · /min', size: 56 },
        { scale: 'percent', side: 1, label: 'SpO₂ %', size: 50, grid: { show: false } },
      ],
      hooks: { drawAxes: [(u) => drawBaselines(u, baselines.current)] },
    };
    plot.current = { chart: new uPlot(options, data, element), keys };
  });

  useEffect(
    () => () => {
      plot.current?.chart.destroy();
      plot.current = null;
    },
    [],
  );

  const summary = vitalsSummary(monitor, unitText);
  return (
    <figure class="vitals-chart" aria-labelledby="vitals-chart-caption" data-points={aligned.xs.length}>
      <figcaption id="vitals-chart-caption">
        <strong>Monitored vitals</strong> <span class="vitals-chart__summary">{summary}</span>
      </figcaption>
      {aligned.series.length ? (
        <div ref={holder} class="vitals-chart__plot" role="img" aria-label={`Vitals over time: ${summary}`} />
      ) : (
        <div ref={holder} />
      )}
    </figure>
  );
}
