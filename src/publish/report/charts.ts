// Charts as SVG drawn at build time by Vega-Lite (compiled to Vega, rendered headless with the
// 'none' renderer): no chart geometry is computed here, no script runs in the page, and the SVG
// prints as crisply as the text around it. Each chart sits beside a table with its numbers.
// A chart's spec is the same for every area (the data come as named datasets), so it is
// compiled and parsed once and only rendered per area: parsing was most of the time.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { h, raw, type Html } from './html.js';

export interface Bar {
  label: string;
  value: number | null;
}

// Without a canvas, Vega estimates text at 0.8 em a character: limits are set wide so names are not cut.
const AXIS = { labelFont: 'Helvetica, Arial, sans-serif', titleFont: 'Helvetica, Arial, sans-serif', labelFontSize: 11, titleFontSize: 11, labelLimit: 400 };

const runtimes = new Map<string, vega.Runtime>();

/** Render `spec` (built once per `key`) with the datasets given by name. */
async function render(key: string, spec: () => object, data: Record<string, object[]>): Promise<string> {
  let runtime = runtimes.get(key);
  if (!runtime) runtimes.set(key, (runtime = vega.parse(compile(spec() as TopLevelSpec).spec)));
  const view = new vega.View(runtime, { renderer: 'none' });
  try {
    for (const [name, values] of Object.entries(data)) view.data(name, values);
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = (extra: object) => ({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white', config: { axis: AXIS, view: { stroke: null } }, ...extra });

/**
 * Horizontal bars, largest first; bars for missing values are left out (the table beside says
 * "not published"). `rule`: a reference line, e.g. all occupations' growth.
 */
export async function barChart(opts: { id: string; title: string; axisTitle: string; bars: Bar[]; format?: string; rule?: { value: number; label: string } }): Promise<Html> {
  const format = opts.format ?? ',d';
  const key = `bar|${opts.axisTitle}|${format}|${opts.rule ? 'rule' : ''}`;
  const spec = () =>
    base({
      width: 460,
      height: { step: 18 },
      layer: [
        {
          data: { name: 'bars' },
          transform: [{ filter: 'datum.value !== null' }],
          mark: { type: 'bar', color: '#2f6f9f' },
          encoding: {
            y: { field: 'label', type: 'nominal', sort: '-x', title: null },
            x: { field: 'value', type: 'quantitative', title: opts.axisTitle, axis: { format } },
            tooltip: [{ field: 'label' }, { field: 'value', format }],
          },
        },
        ...(opts.rule
          ? [{ data: { name: 'rule' }, mark: { type: 'rule', color: '#b5472c', strokeDash: [4, 3], strokeWidth: 2 }, encoding: { x: { field: 'value', type: 'quantitative' } } }]
          : []),
      ],
    });
  const svg = await render(key, spec, { bars: opts.bars, ...(opts.rule ? { rule: [opts.rule] } : {}) });
  return h`<figure data-chart="${opts.id}" role="img" aria-label="${opts.title}">${raw(svg)}<figcaption class="muted">${opts.title}${opts.rule ? ` — dashed line: ${opts.rule.label}` : ''}</figcaption></figure>`;
}

/** A line per series over releases (the history of jobs by cluster). */
/**
 * Lines over years: the x axis is time, so a year with no data (OEWS published no May 2020
 * release here) keeps its place and each line breaks there instead of joining its neighbours.
 */
export async function lineChart(opts: { id: string; title: string; axisTitle: string; points: { x: number; series: string; value: number | null }[] }): Promise<Html> {
  const key = `line|${opts.axisTitle}`;
  const years = opts.points.map((p) => p.x);
  const series = [...new Set(opts.points.map((p) => p.series))];
  const missing: typeof opts.points = [];
  for (let y = Math.min(...years); y <= Math.max(...years); y++) if (!years.includes(y)) for (const s of series) missing.push({ x: y, series: s, value: null });
  const spec = () =>
    base({
      width: 460,
      height: 240,
      data: { name: 'points' },
      mark: { type: 'line', point: true, invalid: 'break-paths-show-domains' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: null, scale: { zero: false }, axis: { format: 'd', tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: opts.axisTitle, axis: { format: ',d' } },
        // Ten clearly different colours, and a dash pattern and point shape per line as well:
        // fourteen clusters in one palette gave near-identical pairs.
        color: { field: 'series', type: 'nominal', title: null, scale: { scheme: 'tableau10' }, legend: { labelLimit: 400 } },
        // Seven dash patterns against ten colours: coprime counts, so no two of up to 70 lines look alike.
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: {
            range: [
              [1, 0],
              [4, 2],
              [2, 1],
              [1, 1],
              [6, 2],
              [8, 2, 2, 2],
              [4, 2, 1, 2],
            ],
          },
          legend: { labelLimit: 400 },
        },
        shape: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } },
      },
    });
  const svg = await render(key, spec, { points: [...opts.points, ...missing].sort((a, b) => a.x - b.x) });
  return h`<figure data-chart="${opts.id}" role="img" aria-label="${opts.title}">${raw(svg)}<figcaption class="muted">${opts.title}</figcaption></figure>`;
}

/**
 * Two bar charts side by side sharing one list of names (e.g. jobs and openings by cluster): one
 * view instead of two. Bars are sorted by the first measure (then by name); missing values are
 * left out (the table says "not published").
 */
export async function pairedBarChart(opts: {
  id: string;
  title: string;
  left: { axisTitle: string };
  right: { axisTitle: string };
  rows: { label: string; left: number | null; right: number | null }[];
}): Promise<Html> {
  const key = `paired|${opts.left.axisTitle}|${opts.right.axisTitle}`;
  const order = [...opts.rows].sort((a, b) => (b.left ?? -1) - (a.left ?? -1) || a.label.localeCompare(b.label));
  const panel = (field: 'left' | 'right', axisTitle: string, showLabels: boolean) => ({
    width: 300,
    height: { step: 18 },
    transform: [{ filter: `datum.${field} !== null` }],
    mark: { type: 'bar', color: field === 'left' ? '#2f6f9f' : '#5c8f3a' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: null, axis: showLabels ? {} : null },
      x: { field, type: 'quantitative', title: axisTitle, axis: { format: ',d', tickCount: 4 } },
      tooltip: [{ field: 'label' }, { field, format: ',d' }],
    },
  });
  const spec = () =>
    base({ data: { name: 'rows' }, hconcat: [panel('left', opts.left.axisTitle, true), panel('right', opts.right.axisTitle, false)], resolve: { scale: { y: 'shared' } } });
  const svg = await render(key, spec, { rows: order.map((r, rank) => ({ ...r, rank })) });
  return h`<figure data-chart="${opts.id}" role="img" aria-label="${opts.title}">${raw(svg)}<figcaption class="muted">${opts.title}</figcaption></figure>`;
}
