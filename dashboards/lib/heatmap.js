// A heatmap on a chart.js scatter chart: the axes index the parameter values, a plugin paints
// one rectangle per cell (with its value) under the points, and the points carry the tooltips.
import { heatColour } from './sweep-data.js';

function cellText(v) {
  return v >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/** The chart.js plugin painting the `cells` ({i, j, value}) of a heatmap. */
export const heatmapPlugin = {
  id: 'heatmap',
  beforeDatasetsDraw(chart) {
    const heat = chart.config.options.plugins.heatmap;
    if (!heat?.cells?.length) return;
    const { ctx, scales } = chart;
    const values = heat.cells.map((c) => c.value);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    ctx.save();
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const c of heat.cells) {
      const x0 = scales.x.getPixelForValue(c.i - 0.5);
      const x1 = scales.x.getPixelForValue(c.i + 0.5);
      const y0 = scales.y.getPixelForValue(c.j + 0.5);
      const y1 = scales.y.getPixelForValue(c.j - 0.5);
      ctx.fillStyle = heatColour(c.value, lo, hi);
      ctx.fillRect(x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2);
      ctx.fillStyle = (c.value - lo) / (hi - lo || 1) > 0.6 ? '#fff' : '#222';
      ctx.fillText(cellText(c.value), (x0 + x1) / 2, (y0 + y1) / 2);
    }
    ctx.restore();
  },
};

/** A linear axis whose integer ticks are labelled by `values` (the parameter values). */
export function indexAxis(title, values) {
  return {
    type: 'linear',
    min: -0.5,
    max: values.length - 0.5,
    title: { display: true, text: title },
    grid: { display: false },
    // One tick per cell centre (a linear axis from -0.5 would put its ticks on the cell edges).
    afterBuildTicks: (axis) => {
      axis.ticks = values.map((_, i) => ({ value: i }));
    },
    ticks: { callback: (v) => (Number.isInteger(v) && v >= 0 && v < values.length ? String(values[v]) : '') },
  };
}
