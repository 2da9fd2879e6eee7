// The four figures (figures.js computes them) drawn for one or more series on the same axes:
// the figures page draws one run, the compare page two.
import { lineDataset, makeChart, scatterDataset, seriesColour } from './charts.js';
import { kieraFigures } from './figures.js';

export const FIGURES = [
  { name: 'initrd', title: 'Initrd download time per node (KiERA Fig. 3)', y: 'initrd download time (s)' },
  { name: 'rootfs', title: 'Rootfs download time per node (KiERA Fig. 4)', y: 'rootfs download time (s)' },
  { name: 'deployment', title: 'Deployment completion time per node (KiERA Fig. 5)', y: 'deployment time (s)' },
];

/** series: [{label, records}]. Draws the three per-node figures and the CDF; returns the figures computed. */
export function drawFigures(series) {
  const computed = series.map((s) => ({ label: s.label, ...kieraFigures(s.records) }));
  for (const f of FIGURES) {
    makeChart(f.name, document.querySelector(`canvas[data-chart="${f.name}"]`), {
      kind: 'scatter', title: f.title, x: 'node', y: f.y,
      datasets: computed.map((c, i) => scatterDataset(c.label, c[f.name], seriesColour(i))),
    });
  }
  makeChart('cdf', document.querySelector('canvas[data-chart="cdf"]'), {
    kind: 'line', title: 'Node completion time, CDF', x: 'completion time (s from the start)', y: 'share of nodes',
    datasets: computed.map((c, i) => lineDataset(c.label, c.completion, seriesColour(i), { stepped: 'after' })),
    options: { scales: { y: { max: 1 } } },
  });
  return computed;
}
