// The trajectory chart (uPlot): one panel per instrument, its totals over time as a line with
// points, the instrument's bands shaded behind, the baseline as a dashed line, response
// (≥ 50 % reduction from baseline) and remission markers where the server's `change` says so,
// and each treatment session as a vertical line. The geometry comes from trajectoryChart.ts;
// this file only draws it. A text summary under each panel carries the same facts for screen
// readers; the table below the charts has every value.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { InstrumentTrajectory } from './trajectoryChart';

const LINE = '#1f5fa8';
const RESPONSE = '#b45309';
const REMISSION = '#15803d';
const SESSION = '#7c3aed';
const SHADES = ['rgba(31, 95, 168, 0.05)', 'rgba(31, 95, 168, 0.13)'];

function drawUnder(u: uPlot, t: InstrumentTrajectory) {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
  for (const band of t.bands) {
    const top = u.valToPos(band.to, 'y', true);
    const bottom = u.valToPos(band.from, 'y', true);
    ctx.fillStyle = SHADES[band.shade];
    ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
    ctx.fillStyle = '#475569';
    ctx.textAlign = 'right';
    ctx.fillText(band.label, bbox.left + bbox.width - 4 * devicePixelRatio, top + 12 * devicePixelRatio);
  }
  ctx.strokeStyle = SESSION;
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
  for (const x of t.sessions) {
    const px = u.valToPos(x, 'x', true);
    if (px < bbox.left || px > bbox.left + bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(px, bbox.top);
    ctx.lineTo(px, bbox.top + bbox.height);
    ctx.stroke();
  }
  if (t.baseline) {
    const py = u.valToPos(t.baseline.y, 'y', true);
    ctx.strokeStyle = '#334155';
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, py);
    ctx.lineTo(bbox.left + bbox.width, py);
    ctx.stroke();
    ctx.fillStyle = '#334155';
    ctx.textAlign = 'left';
    ctx.fillText('baseline', bbox.left + 4 * devicePixelRatio, py - 4 * devicePixelRatio);
  }
  ctx.restore();
}

function drawOver(u: uPlot, t: InstrumentTrajectory) {
  const { ctx } = u;
  ctx.save();
  ctx.lineWidth = 2 * devicePixelRatio;
  for (const m of t.markers) {
    const px = u.valToPos(m.x, 'x', true);
    const py = u.valToPos(m.y, 'y', true);
    ctx.strokeStyle = m.kind === 'response' ? RESPONSE : REMISSION;
    ctx.beginPath();
    // Response: a ring; remission: a larger ring around it.
    ctx.arc(px, py, (m.kind === 'response' ? 7 : 11) * devicePixelRatio, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

function summary(t: InstrumentTrajectory): string {
  const responses = t.markers.filter((m) => m.kind === 'response').length;
  const remissions = t.markers.filter((m) => m.kind === 'remission').length;
  const parts = [`${t.xs.length} measures`, `latest total ${t.ys[t.ys.length - 1]}`];
  if (t.baseline) parts.push(`baseline ${t.baseline.y}`);
  parts.push(`${responses} with response`, `${remissions} in remission`, `${t.sessions.length} treatment sessions`);
  return parts.join(', ');
}

export function TrajectoryChart({ trajectory }: { trajectory: InstrumentTrajectory }) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const t = trajectory;
    const options: uPlot.Options = {
      width: Math.max(320, Math.min(900, element.clientWidth || 640)),
      height: 240,
      scales: { x: { time: true, range: () => t.xRange }, y: { range: () => t.yRange } },
      series: [
        { label: 'Administered' },
        { label: t.title, stroke: LINE, width: 2, points: { show: true, size: 7, fill: LINE } },
      ],
      axes: [{}, { label: 'Total', size: 50 }],
      hooks: { drawAxes: [(u) => drawUnder(u, t)], draw: [(u) => drawOver(u, t)] },
    };
    const plot = new uPlot(options, [t.xs, t.ys], element);
    return () => plot.destroy();
  }, [trajectory]);

  const id = `trajectory-${trajectory.instrument}`;
  return (
    <figure class="trajectory" aria-labelledby={`${id}-caption`} data-instrument={trajectory.instrument}>
      <figcaption id={`${id}-caption`}>
        <strong>{trajectory.title}</strong>
        <span class="trajectory__summary" data-points={trajectory.xs.length} data-sessions={trajectory.sessions.length}>
          {' '}
          {summary(trajectory)}
        </span>
      </figcaption>
      <div ref={holder} class="trajectory__plot" role="img" aria-label={`${trajectory.title} totals over time: ${summary(trajectory)}`} />
      <p class="trajectory__key">
        <span class="key key--session">┆ treatment session</span> <span class="key key--baseline">- - baseline</span>{' '}
        <span class="key key--response">○ response (≥ 50 % below baseline)</span> <span class="key key--remission">◯ remission</span>
      </p>
    </figure>
  );
}
