// SVG charts built with DOM APIs (no library, no innerHTML, nothing inline the page's policy would block). Each chart
// is role="img" with a title and a one-line summary; the numbers themselves are in a table next to it, because a
// screen reader cannot walk the bars.
const svgNs = 'http://www.w3.org/2000/svg';

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * A stacked bar per day. days: [{ label, values: [n per series] }]; series: [{ name, className }].
 * Each bar segment carries a <title> (a tooltip for mouse users); colours come from the CSS classes.
 */
export function stackedBars(title, summary, days, series) {
  const width = 720, height = 260, left = 44, right = 8, top = 12, bottom = 34;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const max = Math.max(1, ...days.map(d => d.values.reduce((a, b) => a + b, 0)));
  const scale = niceMax(max);
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const titleId = `chart-${Math.random().toString(36).slice(2)}`;
  const y = value => top + plotHeight - (value / scale) * plotHeight;

  const grid = [0, scale / 2, scale].map(v => svg('g', { class: 'chart-grid' },
    svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v) }),
    svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, formatNumber(v))));
  // A date under every seventh bar (and the last) keeps the axis readable at phone width.
  const labelEvery = Math.max(1, Math.ceil(days.length / 6));
  const bars = days.map((day, i) => {
    let base = 0;
    const x = left + i * slot + (slot - barWidth) / 2;
    const segments = series.map((s, k) => {
      const value = day.values[k];
      if (!value) return null;
      const rect = svg('rect', { class: s.className, x: x.toFixed(1), width: barWidth.toFixed(1), y: y(base + value).toFixed(1), height: (y(base) - y(base + value)).toFixed(1) },
        svg('title', {}, `${day.label}: ${value} ${s.name.toLowerCase()}`));
      base += value;
      return rect;
    });
    const label = i % labelEvery === 0 || i === days.length - 1
      ? svg('text', { class: 'chart-axis', x: (x + barWidth / 2).toFixed(1), y: height - bottom + 16, 'text-anchor': 'middle' }, day.label)
      : null;
    return svg('g', {}, segments, label);
  });
  return svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': titleId, 'aria-describedby': `${titleId}-desc` },
    svg('title', { id: titleId }, title),
    svg('desc', { id: `${titleId}-desc` }, summary),
    grid, bars);
}

/**
 * A horizontal gauge: the rate as a bar on a scale to 1.5 × the pause threshold, with the review and pause marks.
 * The meaning is in the text beside it; the gauge only repeats it.
 */
export function gauge(label, rate, review, pause) {
  const width = 360, height = 44, max = pause * 1.5;
  const x = value => Math.min(width, (value / max) * width);
  const level = rate >= pause ? 'pause' : rate >= review ? 'review' : 'ok';
  return svg('svg', { class: 'gauge', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
    svg('rect', { class: 'gauge-track', x: 0, y: 8, width, height: 14 }),
    svg('rect', { class: `gauge-bar gauge-${level}`, x: 0, y: 8, width: Math.max(rate > 0 ? 2 : 0, x(rate)).toFixed(1), height: 14 }),
    mark(x(review), `review ${formatPercent(review)}`),
    mark(x(pause), `pause ${formatPercent(pause)}`));
}

function mark(x, text) {
  return svg('g', { class: 'gauge-mark' },
    svg('line', { x1: x, x2: x, y1: 2, y2: 28 }),
    svg('text', { x, y: 41, 'text-anchor': 'middle' }, text));
}

function niceMax(max) {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= max) return step * magnitude;
  }
  return 10 * magnitude;
}

export function formatNumber(value) {
  return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 1 });
}

export function formatPercent(rate) {
  return `${(rate * 100).toLocaleString(undefined, { maximumFractionDigits: rate < 0.01 ? 2 : 1 })} %`;
}
