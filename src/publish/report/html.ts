// HTML building blocks for the report: every text from the data goes through `esc`, numbers are
// formatted for people but kept exact in data-value attributes (copyable, testable), and a value
// BLS did not publish reads "not published", never 0.
import { FORMULA_START } from './csv.js';

/** Escape text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  // Numbers and most texts have nothing to escape: returned as they are, without a replace (a
  // report writes a million cells).
  if (typeof value === 'number') return String(value);
  const text = String(value ?? '');
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]!) : text;
}
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A raw HTML fragment (already escaped). */
export interface Html {
  html: string;
}
export const raw = (html: string): Html => ({ html });
const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && 'html' in v;

/** Tagged template: interpolated values are escaped unless they are Html (or arrays of it). */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (isHtml(x) ? x.html : esc(x))).join('') : isHtml(v) ? v.html : v === false || v === undefined || v === null ? '' : esc(v);
    out += part + strings[i + 1]!;
  });
  return raw(out);
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Why a value is missing, in words a board member understands. */
const FLAG_WORDS: Record<string, string> = {
  not_available: 'BLS did not publish this figure',
  top_coded: 'at or above the top of the published wage range',
  hourly_only: 'BLS publishes only an hourly wage for this occupation',
  annual_only: 'BLS publishes only an annual wage for this occupation',
  no_estimate: 'no OEWS estimate for this area in this snapshot',
  under_half_percent_reporting: 'too few establishments report it',
  unknown: 'unknown: the policy could not be tested for some of its occupations (no published wage or projection)',
};

/** openings: persons, shown to the precision projections are published in (hundreds; tens below 1,000), the exact figure kept in data-value. */
export type NumberKind = 'count' | 'openings' | 'dollars' | 'pct' | 'share';

/** A table cell for a number: formatted text, exact value in data-value; missing values say so. */
export function numCell(value: number | null | undefined, kind: NumberKind = 'count', flag?: string | null): Html {
  if (value === null || value === undefined) {
    if (flag === 'top_coded') return h`<td class="num" data-value="" data-flag="top_coded" title="${FLAG_WORDS.top_coded}">top of range</td>`;
    if (flag === 'unknown') return h`<td class="num np" data-value="" data-flag="unknown" title="${FLAG_WORDS.unknown}">unknown</td>`;
    // Absent from the snapshot (no source for it), not withheld by BLS: said differently.
    if (flag === 'no_estimate') return h`<td class="num np" data-value="" data-flag="no_estimate" title="${FLAG_WORDS.no_estimate}">not in this snapshot</td>`;
    return h`<td class="num np" data-value="" ${flag ? raw(`data-flag="${esc(flag)}"`) : ''} title="${FLAG_WORDS[flag ?? ''] ?? 'not published for this area'}">not published</td>`;
  }
  return h`<td class="num" data-value="${value}">${formatNumber(value, kind)}${flag === 'top_coded' ? '+' : ''}</td>`;
}

export function formatNumber(value: number | null | undefined, kind: NumberKind = 'count'): string {
  if (value === null || value === undefined) return 'not published';
  if (kind === 'dollars') return `$${whole.format(value)}`;
  if (kind === 'pct') return `${value > 0 ? '+' : ''}${oneDecimal.format(value)}%`;
  if (kind === 'share') return `${oneDecimal.format(value * 100)}%`;
  if (kind === 'openings') return whole.format(Math.abs(value) >= 1000 ? Math.round(value / 100) * 100 : Math.round(value / 10) * 10);
  return whole.format(value);
}

/**
 * Inline styles: no web fonts, no external sheet; readable on screen and on paper. Tables fit
 * their column (headers wrap, numbers never break); on a phone a table scrolls inside itself,
 * never the page; printed, every column is on the paper and folded sections are open.
 */
const STYLE = `
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6775; --line: #d5dbe1; --accent: #1f5f8b; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; }
header.site { background: #16324a; color: #fff; padding: 12px 24px; }
header.site a { color: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: .6em 0 .2em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05em; margin-bottom: .3em; }
.muted { color: var(--muted); } .np { color: var(--muted); font-style: italic; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 16px 0; }
.headline div { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.headline b { display: block; font-size: 1.35em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: .88em; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 5px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #f3f5f7; vertical-align: bottom; } tbody th { font-weight: 600; min-width: 9em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
td.num { white-space: nowrap; } td.num.np { white-space: normal; min-width: 6em; }
th[data-sort] { cursor: pointer; } th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
.table-tools { font-size: .85em; margin: 0 0 16px; text-align: right; }
.scroll { overflow-x: auto; } figure { margin: 12px 0; } figure svg { max-width: 100%; height: auto; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: 600; }
input[type=search] { font: inherit; padding: 6px 8px; width: min(100%, 420px); border: 1px solid var(--line); border-radius: 4px; }
ul.areas { columns: 3 220px; padding-left: 1.2em; }
footer { margin-top: 32px; font-size: .85em; color: var(--muted); }
a { color: var(--accent); }
@media (max-width: 700px) { main { padding: 12px; } table { display: block; overflow-x: auto; } }
@media print {
  @page { size: letter; margin: 12mm; }
  body { font-size: 10pt; }
  header.site, input[type=search], nav.no-print, .no-print, .table-tools { display: none; }
  main { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  table { font-size: 8pt; } th, td { padding: 2px 3px; }
  details::details-content { content-visibility: visible; display: contents; }
  h2 { break-after: avoid; } tr, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/**
 * Every page's tables: a click on a heading sorts by it (by the exact data-value, else the text),
 * and each table of figures gets a "download CSV" link, built in the page from what it shows
 * (exact values; text that a spreadsheet would run as a formula is quoted). Folded sections
 * open for printing.
 */
const TABLE_SCRIPT = `
(() => {
  const value = (cell) => cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  const number = (v) => v === '' || isNaN(Number(v)) ? null : Number(v);
  const csvCell = (v) => { const t = number(v) === null && ${FORMULA_START}.test(v) ? "'" + v : v; return /[",\\n\\r]/.test(t) ? '"' + t.replaceAll('"', '""') + '"' : t; };
  for (const table of document.querySelectorAll('main table')) {
    const heads = [...table.querySelectorAll('thead th')];
    const body = table.tBodies[0];
    if (!body || !heads.length) continue;
    if (body.rows.length > 1) heads.forEach((th, i) => {
      th.dataset.sort = ''; th.tabIndex = 0; th.title = 'sort by this column';
      const sort = () => {
        const dir = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
        for (const o of heads) o.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', dir);
        const sign = dir === 'ascending' ? 1 : -1;
        const key = (row) => value(row.cells[i] ?? row);
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a), y = key(b), nx = number(x), ny = number(y);
          if (nx !== null && ny !== null) return sign * (nx - ny);
          if (nx === null && ny === null) return sign * x.localeCompare(y);
          return nx === null ? 1 : -1;
        });
        body.append(...rows);
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
    const tools = document.createElement('p'); tools.className = 'table-tools';
    const link = document.createElement('a'); link.textContent = 'download this table (CSV)';
    link.download = (document.title + (table.id ? ' ' + table.id : '')).replace(/[^\\p{L}\\p{N} ._-]+/gu, ' ').replace(/\\s+/g, ' ').trim() + '.csv';
    link.href = '#';
    link.addEventListener('click', () => {
      const lines = [heads.map((th) => csvCell(th.textContent.trim()))];
      for (const row of body.rows) if (!row.hidden) lines.push([...row.cells].map((c) => csvCell(value(c))));
      link.href = 'data:text/csv;charset=utf-8,' + encodeURIComponent('\\ufeff' + lines.map((l) => l.join(',')).join('\\r\\n') + '\\r\\n');
    });
    tools.append(link);
    (table.closest('.scroll') ?? table).after(tools);
  }
  addEventListener('beforeprint', () => { for (const d of document.querySelectorAll('details')) d.open = true; });
})();
`;

/** A whole page: title, a link home (relative, so it works from file:// and any host), body. */
export function page(opts: { title: string; home: string; body: Html; script?: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'none'">
<title>${esc(opts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="site"><a href="${esc(opts.home)}">Career Clusters labor demand</a></header>
<main>
${opts.body.html}
</main>
${opts.script ? `<script>${opts.script}</script>` : ''}
<script>${TABLE_SCRIPT}</script>
</body>
</html>
`;
}
