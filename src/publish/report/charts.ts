// Charts as SVG drawn at build time by Vega-Lite (compiled to Vega, rendered headless with the
// 'none' renderer): no chart geometry is computed here, no script runs in the page, and the SVG
// prints as crisply as the text around it. Each chart sits beside a table with its numbers.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { h, raw, type Html } from './html.js';

export interface Bar {
  label: string;
  value: number | null;
}

const AXIS = { labelFont: 'Helvetica, Arial, sans-serif', titleFont: 'Helvetica, Arial, sans-serif', labelFontSize: 11, titleFontSize: 11, labelLimit: 400 };
// Without a canvas, Vega estimates text at 0.8 em a character: limits are set wide so names are not cut.

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Horizontal bars, largest first; bars for missing values are left out (the table beside says
 * "not published"). `rule`: a reference line, e.g. all occupations' growth.
 */
export async function barChart(opts: { id: string; title: string; axisTitle: string; bars: Bar[]; format?: string; rule?: { value: number; label: string } }): Promise<Html> {
  const values = opts.bars.filter((b) => b.value !== null);
  const layers: object[] = [
    {
      mark: { type: 'bar', color: '#2f6f9f' },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: '-x', title: null },
        x: { field: 'value', type: 'quantitative', title: opts.axisTitle, axis: { format: opts.format ?? ',d' } },
        tooltip: [{ field: 'label' }, { field: 'value', format: opts.format ?? ',d' }],
      },
    },
  ];
  if (opts.rule)
    layers.push({
      data: { values: [opts.rule] },
      mark: { type: 'rule', color: '#b5472c', strokeDash: [4, 3], strokeWidth: 2 },
      encoding: { x: { field: 'value', type: 'quantitative' } },
    });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: opts.title,
    width: 460,
    height: { step: 18 },
    background: 'white',
    config: { axis: AXIS, view: { stroke: null } },
    data: { values },
    layer: layers,
  } as unknown as TopLevelSpec;
  const svg = await render(spec);
  return h`<figure data-chart="${opts.id}" role="img" aria-label="${opts.title}">${raw(svg)}<figcaption class="muted">${opts.title}${opts.rule ? ` — dashed line: ${opts.rule.label}` : ''}</figcaption></figure>`;
}

/**
 * Two bar charts side by side sharing one list of names (e.g. jobs and openings by cluster): one
 * Vega view instead of two, which halves the build time of a page (rendering cost is per view).
 * Bars are sorted by the first measure; missing values are left out (the table says "not published").
 */
export async function pairedBarChart(opts: { id: string; title: string; left: { axisTitle: string }; right: { axisTitle: string }; rows: { label: string; left: number | null; right: number | null }[] }): Promise<Html> {
  const order = [...opts.rows].sort((a, b) => (b.left ?? -1) - (a.left ?? -1) || a.label.localeCompare(b.label)).map((r) => r.label);
  const panel = (field: 'left' | 'right', axisTitle: string, showLabels: boolean) => ({
    width: 300,
    height: { step: 18 },
    mark: { type: 'bar', color: field === 'left' ? '#2f6f9f' : '#5c8f3a' },
    transform: [{ filter: `datum.${field} !== null` }],
    encoding: {
      y: { field: 'label', type: 'nominal', sort: order, title: null, axis: showLabels ? {} : null },
      x: { field: field, type: 'quantitative', title: axisTitle, axis: { format: ',d', tickCount: 4 } },
      tooltip: [{ field: 'label' }, { field, format: ',d' }],
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: opts.title,
    background: 'white',
    config: { axis: AXIS, view: { stroke: null } },
    data: { values: opts.rows },
    hconcat: [panel('left', opts.left.axisTitle, true), panel('right', opts.right.axisTitle, false)],
    resolve: { scale: { y: 'shared' } },
  } as unknown as TopLevelSpec;
  return h`<figure data-chart="${opts.id}" role="img" aria-label="${opts.title}">${raw(await render(spec))}<figcaption class="muted">${opts.title}</figcaption></figure>`;
}

/** A line per series over time (releases), for trends. */
export async function lineChart(opts: { id: string; title: string; axisTitle: string; points: { x: string; series: string; value: number | null }[] }): Promise<Html> {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: opts.title,
    width: 460,
    height: 220,
    background: 'white',
    config: { axis: AXIS, view: { stroke: null }, legend: { labelFontSize: 10, labelLimit: 220 } },
    data: { values: opts.points.filter((p) => p.value !== null) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: null },
      y: { field: 'value', type: 'quantitative', title: opts.axisTitle, axis: { format: ',d' } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as unknown as TopLevelSpec;
  return h`<figure data-chart="${opts.id}" role="img" aria-label="${opts.title}">${raw(await render(spec))}<figcaption class="muted">${opts.title}</figcaption></figure>`;
}
