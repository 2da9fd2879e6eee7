// Chart.js set-up shared by the pages: one registration, no animation (charts redraw many times
// a second while a run streams), common axes, colours per phase and series, PNG export.
import { Chart, registerables } from 'chart.js';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.maintainAspectRatio = false;

export { Chart };

/** Every chart a page made, by name: the browser tests read their data from here. */
export const charts = {};
window.dashboard = { charts };

const PHASE_COLOURS = {
  'power-on': '#7f7f7f',
  post: '#bcbd22',
  dhcp: '#17becf',
  bootloader: '#9467bd',
  kernel: '#8c564b',
  initrd: '#1f77b4',
  rootfs: '#ff7f0e',
  mount: '#2ca02c',
  init: '#98df8a',
  report: '#d62728',
  reboot: '#e377c2',
  image: '#1f77b4',
};
const SERIES = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function phaseColour(phase, i = 0) {
  return PHASE_COLOURS[phase] ?? SERIES[i % SERIES.length];
}

export function seriesColour(i) {
  return SERIES[i % SERIES.length];
}

export const STATE_COLOURS = { pending: '#c7c7c7', 'powering-on': '#9467bd', booting: '#1f77b4', deployed: '#2ca02c', failed: '#d62728' };

function axis(title, extra = {}) {
  return { type: 'linear', title: { display: true, text: title }, ...extra };
}

/**
 * A chart on `canvas` registered under `name`. kind: chart.js type; x, y: axis titles; datasets:
 * chart.js datasets; options: merged into the chart's options (plugins, scales).
 */
export function makeChart(name, canvas, { kind, title, x, y, datasets = [], labels, options = {}, plugins = [] }) {
  charts[name]?.destroy();
  const scales = { x: axis(x, options.scales?.x), y: axis(y, { beginAtZero: true, ...options.scales?.y }) };
  const chart = new Chart(canvas, {
    type: kind,
    data: { labels, datasets },
    plugins,
    options: {
      ...options,
      parsing: options.parsing ?? true,
      scales: { ...options.scales, ...scales },
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' }, ...options.plugins },
    },
  });
  charts[name] = chart;
  return chart;
}

/** Points {x: node id, y: seconds} as a scatter dataset. */
export function scatterDataset(label, points, colour, extra = {}) {
  return { label, data: points, backgroundColor: colour, borderColor: colour, pointRadius: points.length > 2000 ? 1 : 2, showLine: false, ...extra };
}

/** A step line through points {x, y}: for CDFs and counts over time. */
export function lineDataset(label, points, colour, extra = {}) {
  return { label, data: points, borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 1.5, stepped: false, ...extra };
}

/** Saves the chart as a PNG file named `file`. */
export function downloadPng(chart, file) {
  const a = document.createElement('a');
  a.href = chart.toBase64Image('image/png', 1);
  a.download = file;
  a.click();
}

/** Adds a "PNG" button after each canvas with a data-chart attribute, saving that chart. */
export function addPngButtons(prefix) {
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const name = canvas.dataset.chart;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'png';
    button.textContent = 'PNG';
    button.title = `save this figure as ${prefix}-${name}.png`;
    button.addEventListener('click', () => charts[name] && downloadPng(charts[name], `${prefix}-${name}.png`));
    canvas.closest('.figure')?.querySelector('.figure-tools')?.append(button);
  }
}

/** Redraws `chart` at most once per animation frame, however often it is asked. */
export function scheduleUpdate(chart) {
  if (chart.$pending) return;
  chart.$pending = true;
  requestAnimationFrame(() => {
    chart.$pending = false;
    chart.update('none');
  });
}
