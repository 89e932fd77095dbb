// Bar charts as plain SVG: no chart library, nothing the page's CSP must allow.
import { html } from 'htm/preact';

export interface Bar {
  label: string;
  /** Stacked parts, bottom first, each with a class for its colour. */
  parts: Array<{ value: number; className: string; title: string }>;
}

const WIDTH = 520;
const HEIGHT = 200;
const LEFT = 64;
const BOTTOM = 36;

export function BarChart({ title, bars, format, testId }: { title: string; bars: Bar[]; format: (value: number) => string; testId: string }) {
  const totals = bars.map((bar) => bar.parts.reduce((sum, part) => sum + part.value, 0));
  const max = Math.max(0, ...totals);
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - BOTTOM - 10;
  const slot = bars.length > 0 ? plotWidth / bars.length : plotWidth;
  const barWidth = Math.max(4, Math.min(48, slot * 0.7));
  const scale = (value: number) => (max > 0 ? (value / max) * plotHeight : 0);
  return html`<figure data-testid=${testId}>
    <figcaption><b>${title}</b></figcaption>
    <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label=${title}>
      <line x1=${LEFT} y1=${10 + plotHeight} x2=${WIDTH - 8} y2=${10 + plotHeight} stroke="#c8cdd6" />
      <text x=${LEFT - 6} y=${14} text-anchor="end">${format(max)}</text>
      <text x=${LEFT - 6} y=${10 + plotHeight} text-anchor="end">${format(0)}</text>
      ${bars.map((bar, index) => {
        const x = LEFT + index * slot + (slot - barWidth) / 2;
        let y = 10 + plotHeight;
        return html`<g key=${bar.label}>
          ${bar.parts.map((part) => {
            const height = scale(part.value);
            y -= height;
            return html`<rect class=${`bar ${part.className}`} x=${x} y=${y} width=${barWidth} height=${height}><title>${part.title}</title></rect>`;
          })}
          <text x=${x + barWidth / 2} y=${HEIGHT - BOTTOM + 16} text-anchor="middle">${bar.label.length > 12 ? `${bar.label.slice(0, 11)}…` : bar.label}</text>
        </g>`;
      })}
    </svg>
  </figure>`;
}
