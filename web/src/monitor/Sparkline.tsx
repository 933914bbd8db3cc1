// An inline SVG sparkline of one vital over the board's 30-minute window, with a text
// alternative (lowest and highest value) for screen readers. The path comes from sparkline.ts.
import type { VitalPoint } from '../api/monitor';
import { sparklinePath, sparklineRange } from './sparkline';

const WIDTH = 120;
const HEIGHT = 32;

export function Sparkline({
  label,
  unit,
  points,
  from,
  to,
  vital,
}: {
  label: string;
  unit: string;
  points: readonly VitalPoint[];
  from: number;
  to: number;
  vital: string;
}) {
  const path = sparklinePath(points, { width: WIDTH, height: HEIGHT, from, to });
  const range = sparklineRange(points, from, to);
  const text = range
    ? `${label}, last 30 minutes: ${range.low} to ${range.high}${unit ? ` ${unit}` : ''}`
    : `${label}, last 30 minutes: no readings`;
  return (
    <figure class="sparkline" data-vital={vital}>
      <figcaption class="sparkline__label">{label}</figcaption>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={text}>
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} class="sparkline__frame" />
        {path ? <path d={path} class="sparkline__line" /> : null}
      </svg>
    </figure>
  );
}
