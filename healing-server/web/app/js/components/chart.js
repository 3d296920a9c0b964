// Charts as plain SVG, always with a text alternative (a summary line and a table).
import { html } from '../../vendor/preact-htm.module.js';

const WIDTH = 600;
const HEIGHT = 240;
const PAD = { left: 36, right: 12, top: 12, bottom: 30 };

/**
 * `points`: `[{label, value, marked}]` in time order; values between `min` and `max`.
 * `bands` (optional): `[{lowest, highest, label}]` shaded behind the line, as a
 * score's severity bands; a `marked` point (a day that stands out) is drawn as a ring.
 */
export function LineChart({ id, title, summary, points, min, max, ticks, bands = [] }) {
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index) => PAD.left + (points.length <= 1 ? innerWidth / 2 : (index * innerWidth) / (points.length - 1));
  const y = (value) => PAD.top + innerHeight - ((value - min) * innerHeight) / (max - min);
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
  // A band covers its whole scores: from half a point below its lowest to half above its highest.
  const bandTop = (band) => y(Math.min(max, band.highest + 0.5));
  const bandBottom = (band) => y(Math.max(min, band.lowest - 0.5));
  return html`
    <figure class="chart">
      <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby=${`${id}-title ${id}-desc`} focusable="false">
        <title id=${`${id}-title`}>${title}</title>
        <desc id=${`${id}-desc`}>${summary}</desc>
        ${bands.map((band, index) => html`
          <rect class=${`band band--${index % 2}`} x=${PAD.left} width=${innerWidth} y=${bandTop(band)} height=${Math.max(0, bandBottom(band) - bandTop(band))} />
          ${bandBottom(band) - bandTop(band) >= 14 ? html`<text class="band-label" x=${WIDTH - PAD.right - 4} y=${bandTop(band) + 12} text-anchor="end">${band.label}</text>` : null}`)}
        ${ticks.map((tick) => html`
          <line class="grid" x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${y(tick)} y2=${y(tick)} />
          <text x=${PAD.left - 8} y=${y(tick) + 4} text-anchor="end">${tick}</text>`)}
        ${points.length ? html`<path class="line" d=${path} />` : null}
        ${points.map((point, index) => (point.marked
    ? html`<circle class="dot dot--marked" cx=${x(index)} cy=${y(point.value)} r="7" />`
    : html`<circle class="dot" cx=${x(index)} cy=${y(point.value)} r="4" />`))}
        ${points.length ? html`
          <text x=${x(0)} y=${HEIGHT - 8} text-anchor=${points.length === 1 ? 'middle' : 'start'}>${points[0].label}</text>
          ${points.length > 1 ? html`<text x=${x(points.length - 1)} y=${HEIGHT - 8} text-anchor="end">${points[points.length - 1].label}</text>` : null}` : null}
      </svg>
      <figcaption>${summary}</figcaption>
    </figure>`;
}

/** `columns`: header texts; `rows`: arrays of cell texts. */
export function DataTable({ caption, columns, rows }) {
  return html`
    <div class="table-wrap" tabindex="0" role="region" aria-label=${caption}>
      <table>
        <caption>${caption}</caption>
        <thead><tr>${columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
        <tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
      </table>
    </div>`;
}

/** "Your mood has risen over the last 4 weeks": compares the first and last thirds. */
export function trend(values) {
  if (values.length < 2) return 'flat';
  const third = Math.max(1, Math.floor(values.length / 3));
  const mean = (list) => list.reduce((sum, value) => sum + value, 0) / list.length;
  const change = mean(values.slice(-third)) - mean(values.slice(0, third));
  if (change >= 0.75) return 'up';
  if (change <= -0.75) return 'down';
  return 'flat';
}

export function shortDate(iso) {
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

export function longDate(iso) {
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return date.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** "7 Dec 2026": short enough for a table column. */
export function mediumDate(iso) {
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
