// The report's pages: the index (every area, releases, sources, quality, attribution), one page
// per area (headlines, clusters, sub-clusters, growth, high-opportunity occupations, what
// changed, footnotes) and one programs page per area (search CIP programs by title or code).
import type { DiffChange } from '../diff.js';
import { barChart, lineChart, pairedBarChart } from './charts.js';
import type { AreaDetail, AreaRow, DemandRow, OccupationRow, ReportData, SupplyRow } from './data.js';
import { formatNumber, h, numCell, page, raw, type Html } from './html.js';
import { pageFile, attribution } from './page-parts.js';
import { occupationFile } from './occupation-pages.js';

const FRAMEWORK_2024 = '2024';
const LEGACY = 'legacy_16';

export function indexPage(data: ReportData): string {
  const m = data.manifest;
  const body = h`<h1>Labor demand by Career Cluster</h1>
<p>From the public labor-market data of the U.S. Bureau of Labor Statistics and O*NET, joined to Advance CTE's National Career Clusters® Framework (2024). Made ${m.created_at.slice(0, 10)}; data checks: <b>${m.quality}</b>.</p>
<h2>Areas</h2>
<label for="area-search">Find an area: </label><input type="search" id="area-search" placeholder="state or area name" autocomplete="off">
<ul class="areas" id="area-list">${data.areas.map((a) => h`<li data-name="${a.area_name.toLowerCase()} ${(a.state_abbr ?? '').toLowerCase()}"><a href="areas/${pageFile(a.area_code)}">${a.area_name}</a> <span class="muted">(${a.area_type})</span> · <a href="programs/${pageFile(a.area_code)}">programs</a></li>`)}</ul>
<h2>Occupations</h2>
<p><a href="occupations/index.html">Every occupation</a>, searched by the titles people use, each with its own page: what the work is, its clusters, its jobs, openings and wage range in every area, the education it takes, its outlook, related occupations and the programs that lead to it.</p>
<h2>Download</h2>
<ul><li><a href="demand.xlsx">demand.xlsx</a>: every table of this report as an Excel workbook, with a README sheet.</li>
<li>CSV for spreadsheets (UTF-8 with a byte-order mark, header row; codes with leading zeros written ="01"; BI tools read the Parquet files): ${['cluster_demand', 'subcluster_demand', 'occupations', 'programs', 'coverage', 'areas'].map((t) => h`<a href="csv/${t}.csv">${t}.csv</a> `)}</li></ul>
<h2>Releases and sources</h2>
<table><thead><tr><th>source</th><th>release</th><th>URL</th><th>sha256</th></tr></thead><tbody>
${m.sources.map((s) => h`<tr><td>${s.source}</td><td>${s.release}</td><td>${sourceLink(s.url)}</td><td><code>${s.sha256.slice(0, 12)}</code></td></tr>`)}
</tbody></table>
<h2>Data checks</h2>
<table><thead><tr><th>check</th><th>severity</th><th>result</th><th class="num">failing rows</th></tr></thead><tbody>
${data.quality.checks.map((c) => h`<tr><td><code>${c.name}</code><br><span class="muted">${c.description}</span></td><td>${c.severity}</td><td>${c.status}</td><td class="num">${c.failing_rows}</td></tr>`)}
</tbody></table>
${attribution(data)}`;
  const script = `const q=document.getElementById('area-search');const items=[...document.querySelectorAll('#area-list li')];q.addEventListener('input',()=>{const t=q.value.trim().toLowerCase();for(const li of items)li.hidden=t!==''&&!li.dataset.name.includes(t);});`;
  return page({ title: 'Labor demand by Career Cluster', home: 'index.html', body, script });
}

/** `absent`: the area has no OEWS estimate in the snapshot, so its jobs and wages are not in it (not withheld). */
function clusterTable(rows: DemandRow[], id: string, absent = false): Html {
  const flag = absent ? 'no_estimate' : undefined;
  return h`<div class="scroll"><table id="${id}"><thead><tr><th>cluster</th><th class="num">occupations</th><th class="num">jobs (each person once)</th><th class="num">jobs (all who work in it)</th><th class="num">annual openings (each opening once)</th><th class="num">projected growth</th><th class="num">median wage</th><th class="num">high-opportunity occupations</th></tr></thead><tbody>
${rows.map((r) => h`<tr data-cluster="${r.cluster}"><th scope="row">${r.cluster}</th>${numCell(r.occupations)}${numCell(r.employment_allocated, 'count', flag)}${numCell(r.employment, 'count', flag)}${numCell(r.annual_openings_allocated, 'openings')}${numCell(r.projected_change_pct, 'pct')}${numCell(r.median_annual_wage, 'dollars', r.median_annual_wage_flag ?? flag)}${numCell(r.high_opportunity_occupations, 'count', r.high_opportunity_occupations === null && r.occupations_with_unknown_opportunity ? 'unknown' : undefined)}</tr>`)}
</tbody></table></div>`;
}

function occupationRows(list: OccupationRow[]): Html {
  return h`<table><thead><tr><th>occupation</th><th class="num">jobs</th><th class="num">annual openings</th><th class="num">median wage</th><th>why it is high opportunity</th></tr></thead><tbody>
${list.map((o) => h`<tr><td><a href="../occupations/${occupationFile(o.soc_code)}">${o.soc_title}</a> <span class="muted">${o.soc_code}</span></td>${numCell(o.employment, 'count', o.employment_flag)}${numCell(o.annual_openings, 'openings')}${numCell(o.annual_wage_median, 'dollars', o.annual_wage_median_flag)}<td>${o.opportunity_reasons ?? ''}</td></tr>`)}
</tbody></table>`;
}

function changesSection(changes: DiffChange[] | undefined, previousId: string | undefined): Html {
  if (!previousId) return h`<p class="muted">This is the first snapshot: nothing to compare with yet.</p>`;
  if (!changes?.length) return h`<p>No changes since snapshot ${previousId}.</p>`;
  const labels: Record<string, string> = {
    employment: 'jobs (all who work in it)',
    employment_allocated: 'jobs (each person once)',
    annual_openings: 'annual openings (all in its occupations)',
    median_annual_wage: 'median wage',
    high_opportunity_occupations: 'high-opportunity occupations',
  };
  return h`<p>Compared with snapshot ${previousId}:</p><table><thead><tr><th>cluster</th><th>figure</th><th class="num">before</th><th class="num">now</th><th class="num">change</th><th class="num">%</th></tr></thead><tbody>
${changes.map((c) => h`<tr><td>${c.framework === FRAMEWORK_2024 ? '' : `[${c.framework}] `}${c.cluster}</td><td>${labels[c.measure] ?? c.measure}</td>${numCell(c.before, c.measure === 'median_annual_wage' ? 'dollars' : 'count')}${numCell(c.after, c.measure === 'median_annual_wage' ? 'dollars' : 'count')}${numCell(c.change)}${numCell(c.change_pct, 'pct')}</tr>`)}
</tbody></table>`;
}

/** Jobs by cluster over the releases of the history (national), as a trend chart and a table. */
async function historySection(data: ReportData): Promise<Html> {
  if (!data.history.length) return h``;
  const releases = [...new Set(data.history.map((r) => r.release))];
  const clusters = [...new Set(data.history.map((r) => r.cluster))];
  const value = (cluster: string, release: number) => data.history.find((r) => r.cluster === cluster && r.release === release)?.employment_allocated ?? null;
  return h`<h2>Is each cluster growing? Jobs since May ${releases[0]}</h2>
<p class="muted">Each person counted once. Occupation codes changed in May 2019 (hybrid codes) and May 2021 (SOC 2018); older codes are carried to today's occupations, some shared out in proportion to their May 2021 size, so part of a change across those years can be the codes, not the jobs.</p>
${await lineChart({ id: 'history-2024', title: 'Jobs by Career Cluster, national, by May release', axisTitle: 'jobs', points: data.history.map((r) => ({ x: r.release, series: r.cluster, value: r.employment_allocated })) })}
<div class="scroll"><table id="history-table"><thead><tr><th>cluster</th>${releases.map((y) => h`<th class="num">May ${y}</th>`)}</tr></thead><tbody>
${clusters.map((c) => h`<tr><th scope="row">${c}</th>${releases.map((y) => numCell(value(c, y)))}</tr>`)}
</tbody></table></div>`;
}

/** Completions against openings per cluster: a chart of completers per opening and a table; says so where the snapshot lacks a side. */
async function supplySection(rows: SupplyRow[], areaName: string): Promise<Html> {
  if (!rows.length) return h`<h2>Program completions against openings</h2><p class="np">Not in this snapshot: IPEDS completions cover the nation, states and territories.</p>`;
  const sorted = [...rows].sort((a, b) => (b.supply_per_opening ?? -1) - (a.supply_per_opening ?? -1) || a.cluster.localeCompare(b.cluster));
  const ratios = sorted.some((r) => r.supply_per_opening !== null);
  return h`<h2>Program completions against openings</h2>
<p class="muted">Completions (IPEDS, ${rows[0]!.completions_period}, first majors) of each cluster's programs, a program in several clusters split across them, against the cluster's annual openings (each counted once). Sub-baccalaureate: certificates and associate's degrees against the openings of occupations whose typical entry education is a postsecondary nondegree award or an associate's degree. Not every completer enters the cluster's occupations, and openings include replacing workers who leave.</p>
${
  ratios
    ? await barChart({
        id: 'supply-2024',
        title: `Completers per annual opening by cluster, ${areaName}`,
        axisTitle: 'completers per opening',
        format: '.2f',
        bars: sorted.map((r) => ({ label: r.cluster, value: r.supply_per_opening })),
        rule: { value: 1, label: 'one completer per opening' },
      })
    : h`<p class="np">No openings in this snapshot for ${areaName}: it has no projections for this area, so no ratio is shown.</p>`
}
<div class="scroll"><table id="supply-table"><thead><tr><th>cluster</th><th class="num">completions a year</th><th class="num">annual openings (each opening once)</th><th class="num">completers per opening</th><th class="num">sub-baccalaureate completions</th><th class="num">sub-baccalaureate openings</th></tr></thead><tbody>
${sorted.map((r) => h`<tr data-cluster="${r.cluster}"><th scope="row">${r.cluster}</th>${numCell(r.completions)}${numCell(r.annual_openings_allocated, 'openings')}${ratioCell(r.supply_per_opening)}${numCell(r.sub_baccalaureate_completions)}${numCell(r.sub_baccalaureate_openings)}</tr>`)}
</tbody></table></div>`;
}

/** A ratio with two decimals; empty (not published) where there is none. */
function ratioCell(value: number | null): Html {
  return value === null
    ? h`<td class="num np" data-value="" title="no openings in this snapshot">not in this snapshot</td>`
    : h`<td class="num" data-value="${value}">${value.toFixed(2)}</td>`;
}

/** Where each cluster's workers work, by industry sector (national OEWS estimates, when read). */
function industriesSection(data: ReportData, areaCode: string, clusters: string[]): Html {
  const rows = data.industries.get(areaCode);
  if (!rows?.length) return h``;
  return h`<h2>Where each cluster's workers work</h2>
<p class="muted">Largest industry sectors of each cluster's jobs (each person once); ✓ marks a sector the framework aligns with the cluster — likely partners for advisory boards and work-based learning.</p>
<table id="industry-table"><thead><tr><th>cluster</th><th>largest sectors</th></tr></thead><tbody>
${clusters.map((c) => {
  const top = rows.filter((r) => r.cluster === c).slice(0, 3);
  return h`<tr><th scope="row">${c}</th><td>${top.map((r, i) => h`${i ? '; ' : ''}${r.naics_title} (${r.naics_sector})${r.aligned ? ' ✓' : ''} ${formatNumber(r.share_of_cluster, 'share')}`)}</td></tr>`;
})}
</tbody></table>`;
}

export async function areaPage(data: ReportData, area: AreaRow, detail: AreaDetail | undefined, changes: DiffChange[] | undefined): Promise<string> {
  const demand = data.demand.get(area.area_code) ?? [];
  const occupations = detail?.occupations ?? [];
  const coverage = data.coverage.get(area.area_code);
  const clusters = (fw: string) =>
    demand
      .filter((d) => d.framework === fw && d.sub_cluster === null)
      .sort((a, b) => (b.employment_allocated ?? -1) - (a.employment_allocated ?? -1) || a.cluster.localeCompare(b.cluster));
  const c2024 = clusters(FRAMEWORK_2024);
  const legacy = clusters(LEGACY);
  const published = occupations.filter((o) => o.employment !== null);
  const employment = area.all_occupations_employment ?? (published.length ? published.reduce((a, o) => a + o.employment!, 0) : null);
  const openings = occupations.some((o) => o.annual_openings !== null) ? occupations.reduce((a, o) => a + (o.annual_openings ?? 0), 0) : null;
  const highOpp = published.length ? published.filter((o) => o.high_opportunity).reduce((a, o) => a + o.employment!, 0) / published.reduce((a, o) => a + o.employment!, 0) : null;
  const vintage = c2024[0];
  // No OEWS estimate for this area in the snapshot (a state with only Projections Central): its
  // jobs and wages are absent, which is not BLS withholding them.
  const noOews = c2024.length > 0 && c2024.every((c) => c.oews_release === null);
  const absentOrNot = (what: string) => (noOews ? 'not in this snapshot' : what);
  const highOppBy = new Map<string, OccupationRow[]>();
  for (const o of occupations.filter((x) => x.high_opportunity))
    for (const c of new Set((data.clustersOf.get(o.soc_code) ?? []).map((x) => x.cluster))) highOppBy.set(c, [...(highOppBy.get(c) ?? []), o]);
  const suppressed = demand.filter((d) => d.sub_cluster === null && d.framework === FRAMEWORK_2024).reduce((a, d) => a + d.occupations_with_suppressed_employment, 0);
  const bars = (key: 'projected_change_pct') => c2024.map((c) => ({ label: c.cluster, value: c[key] }));
  const body = h`<nav class="no-print"><a href="../index.html">All areas</a> · <a href="../programs/${pageFile(area.area_code)}">Programs of study in ${area.area_name}</a></nav>
<h1>${area.area_name}</h1>
<p class="muted">${area.area_type === 'national' ? 'The nation' : area.area_type}. Employment and wages: ${vintage?.oews_release ?? 'no OEWS estimate in this snapshot'}; projections: ${vintage?.projection_period ?? 'none'}.</p>
<div class="headline">
<div>Employment<b data-value="${employment ?? ''}">${employment === null ? absentOrNot('not published') : formatNumber(employment)}</b></div>
<div>Annual openings<b data-value="${openings ?? ''}">${formatNumber(openings, 'openings')}</b></div>
<div>Median annual wage<b data-value="${area.all_occupations_median_wage ?? ''}">${area.all_occupations_median_wage === null ? absentOrNot('not published') : formatNumber(area.all_occupations_median_wage, 'dollars')}</b></div>
<div>High-opportunity share of jobs<b data-value="${highOpp ?? ''}">${highOpp === null ? absentOrNot('not published') : formatNumber(highOpp, 'share')}</b></div>
<div>Jobs that reach a cluster<b>${coverage?.employment_mapped_pct != null ? `${formatNumber(coverage.employment_mapped_pct, 'count')}%` : coverage?.projection_base_employment_mapped_pct != null ? `${coverage.projection_base_employment_mapped_pct}% (projections)` : 'not published'}</b></div>
</div>
<h2>Employment and openings by Career Cluster</h2>
${c2024.some((c) => c.employment_allocated !== null || c.annual_openings_allocated !== null) ? await pairedBarChart({ id: 'employment-2024', title: `Jobs (each person counted once) and annual openings by Career Cluster, ${area.area_name}`, left: { axisTitle: 'jobs' }, right: { axisTitle: 'openings a year' }, rows: c2024.map((c) => ({ label: c.cluster, left: c.employment_allocated, right: c.annual_openings_allocated })) }) : h`<p class="np">Employment and openings by cluster are not published for this area in this snapshot.</p>`}
${c2024.length && c2024.every((c) => c.employment_allocated === null) ? h`<p class="np">${noOews ? 'Employment and wages by cluster are not in this snapshot: it has no OEWS estimate for this area (OEWS state estimates would add them: lmi run --oews-scope st); the chart shows openings only.' : 'Employment by cluster is not published for this area; the chart shows openings only.'}</p>` : ''}
${clusterTable(c2024, 'cluster-table', noOews)}
<p class="muted">Openings are shown rounded to hundreds (tens below 1,000), the precision projections are published in; "each opening once" shares an occupation's openings among its clusters, so the clusters add up to the area's openings. The CSV and Parquet files keep the exact figures.</p>
<h2>Projected growth by cluster</h2>
${vintage?.projection_period?.startsWith('2020') ? h`<p class="np">These projections start from 2020, a pandemic year when employment was unusually low: part of the growth they show is the recovery from it.</p>` : ''}
${c2024.some((c) => c.projected_change_pct !== null) ? await barChart({ id: 'growth-2024', title: `Projected employment change by cluster, ${vintage?.projection_period ?? ''}, percent`, axisTitle: 'percent change', format: '.1f', bars: bars('projected_change_pct'), rule: area.all_occupations_growth_pct === null ? undefined : { value: area.all_occupations_growth_pct, label: `all occupations ${formatNumber(area.all_occupations_growth_pct, 'pct')}` } }) : h`<p class="np">No projections for this area.</p>`}
<h2>Sub-clusters within each cluster</h2>
${c2024.map((c) => {
  const subs = demand.filter((d) => d.framework === FRAMEWORK_2024 && d.cluster === c.cluster && d.sub_cluster !== null);
  return h`<details><summary>${c.cluster} (${subs.length} sub-clusters)</summary><table><thead><tr><th>sub-cluster</th><th class="num">occupations</th><th class="num">jobs (each person once)</th><th class="num">annual openings (each opening once)</th><th class="num">median wage</th></tr></thead><tbody>
${subs.map((s) => h`<tr><td>${s.sub_cluster}</td>${numCell(s.occupations)}${numCell(s.employment_allocated, 'count', noOews ? 'no_estimate' : undefined)}${numCell(s.annual_openings_allocated, 'openings')}${numCell(s.median_annual_wage, 'dollars', s.median_annual_wage_flag ?? (noOews ? 'no_estimate' : undefined))}</tr>`)}</tbody></table></details>`;
})}
<h2>High-opportunity occupations by cluster</h2>
<p class="muted">High opportunity means meeting the rules of the policy “${data.manifest.policy.title}”; each occupation below says which of them it meets.</p>
${c2024.map((c) => {
  const list = (highOppBy.get(c.cluster) ?? []).sort((a, b) => (b.annual_openings ?? -1) - (a.annual_openings ?? -1) || a.soc_code.localeCompare(b.soc_code));
  // A count with unknowns is a floor: said as one ("at least 3; 4 unknown"), never as the count.
  const unknown = c.high_opportunity_occupations === null ? (c.occupations_with_unknown_opportunity ?? 0) : 0;
  const count = unknown ? `at least ${list.length}; ${unknown} unknown` : String(list.length);
  return h`<details><summary>${c.cluster} (${count})</summary>${list.length ? occupationRows(list) : h`<p class="muted">${unknown ? `None known: ${unknown} of its occupations could not be tested (no published wage or projection for this area).` : 'None under this policy.'}</p>`}</details>`;
})}
${await supplySection(data.supply.get(area.area_code) ?? [], area.area_name)}
${industriesSection(
  data,
  area.area_code,
  c2024.map((c) => c.cluster),
)}
${area.area_type === 'national' ? await historySection(data) : ''}
<h2>What changed since the previous snapshot</h2>
${changesSection(changes, data.previous?.snapshotId)}
${legacy.length ? h`<h2>The legacy 16 Career Clusters</h2><p class="muted">For boards still reporting on the clusters used before 2024 (as O*NET published them).</p>${clusterTable(legacy, 'legacy-table', noOews)}` : ''}
<h2>Notes</h2>
<ul>
<li><b>"Not published"</b> means the Bureau of Labor Statistics did not release that figure (too few responses to be reliable, or kept confidential). It is never counted as zero.${suppressed ? ` In this area ${suppressed} occupation${suppressed === 1 ? '' : 's'} in the clusters above ha${suppressed === 1 ? 's' : 've'} no published employment and ${suppressed === 1 ? 'is' : 'are'} left out of the job counts.` : ''}</li>
<li><b>Jobs, each person once</b>: an occupation that belongs to several clusters (software developers, say) has its workers shared out among them, so the clusters add up to the area's total. <b>Jobs, all who work in it</b> counts such an occupation fully in every cluster it belongs to, so those figures overlap and add up to more than the total.</li>
<li>A cluster's median wage is the middle wage of its jobs, counting each person once; "top of range" means at or above the highest wage BLS publishes.</li>
</ul>
${attribution(data)}`;
  return page({ title: `${area.area_name}: labor demand by Career Cluster`, home: '../index.html', body });
}

/**
 * A source's URL as a link, when it is a public web address; a local file (a file:// URL, a
 * path) is named only as such: a published report must not carry the machine's folders.
 */
function sourceLink(url: string): Html {
  if (/^https?:\/\//i.test(url)) return h`<a href="${url}">${url}</a>`;
  if (/^s3:\/\//i.test(url)) return h`${url}`;
  return h`<span class="muted">a local file (${url.split(/[\\/]/).pop() ?? ''})</span>`;
}

/** Programs of one area: searched in the page by title or CIP code (data inline, no request). */
export function programsPage(data: ReportData, area: AreaRow, detail: AreaDetail | undefined): string {
  const payload = { json: detail?.programsJson ?? '{"programs":[],"occupations":{}}', programs: detail?.programs ?? 0 };
  const body = h`<nav class="no-print"><a href="../index.html">All areas</a> · <a href="../areas/${pageFile(area.area_code)}">${area.area_name}: demand by cluster</a></nav>
<h1>Programs of study in ${area.area_name}</h1>
<p>Search the ${payload.programs.toLocaleString('en-US')} programs (CIP 2020) of the Career Clusters framework by title or code, e.g. "nursing" or "51.38": each shows its clusters and the occupations it leads to here. A program's jobs, openings and wage are those of the occupations its completers enter: the postsecondary teachers of its field (SOC 25-1xxx), which the framework links it to as well, are listed but not counted in them.</p>
<label for="program-search">Program: </label><input type="search" id="program-search" placeholder="title or CIP code" autocomplete="off">
<p id="program-count" class="muted"></p>
<div id="program-results"></div>
<script type="application/json" id="program-data">${raw(payload.json.replace(/</g, '\\u003c'))}</script>
${attribution(data)}`;
  // Results are built with textContent: program and occupation titles are never parsed as HTML.
  const script = `
const { programs, occupations } = JSON.parse(document.getElementById('program-data').textContent);
const input = document.getElementById('program-search'), out = document.getElementById('program-results'), count = document.getElementById('program-count');
const OPEN_UP_TO = 3;
const fmt = (v, dollars) => v === null ? 'not published' : (dollars ? '$' : '') + v.toLocaleString('en-US');
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
function show() {
  const q = input.value.trim().toLowerCase();
  const hits = q ? programs.filter(p => p.c.startsWith(q) || p.t.toLowerCase().includes(q)) : [];
  out.replaceChildren();
  count.textContent = q ? hits.length + ' program' + (hits.length === 1 ? '' : 's') + (hits.length > 50 ? ' (first 50 shown)' : '') : '';
  for (const p of hits.slice(0, 50)) {
    // Each program folded to one line (its code, title and figures) when the search finds
    // several: "nursing" lists 23 programs, which unfolded ran to thousands of pixels.
    const box = el('details'); box.className = 'program'; box.dataset.cip = p.c; box.open = hits.length <= OPEN_UP_TO;
    const summary = el('summary', p.c + ' ' + p.t); summary.append(el('span', ' · ' + fmt(p.j) + ' jobs · ' + fmt(p.o) + ' openings a year · median ' + fmt(p.w, true), 'muted'));
    box.append(summary);
    box.append(el('p', 'Clusters: ' + p.k.join('; ') + '. Jobs in related occupations: ' + fmt(p.j) + '; openings a year: ' + fmt(p.o) + '; median wage: ' + fmt(p.w, true) + '.' + (p.i ? ' Interest code (RIASEC): ' + p.i + '.' : '') + (p.n === null || p.n === undefined ? '' : ' Completions a year here (IPEDS, first majors): ' + p.n.toLocaleString('en-US') + '.'), 'muted'));
    const t = el('table'), head = el('tr');
    for (const c of ['occupation', 'jobs', 'annual openings', 'median wage', 'high opportunity', 'leads to (other clusters)']) head.append(el('th', c));
    t.append(head);
    for (const code of p.s) {
      const [title, jobs, openings, wage, flag, hi, leads] = occupations[code] ?? ['', null, null, null, null, null, []];
      const r = el('tr');
      const name = el('td'), link = el('a', title); link.href = '../occupations/' + code + '.html'; name.append(link, ' (' + code + ')');
      r.append(name, el('td', fmt(jobs), jobs === null ? 'num np' : 'num'), el('td', fmt(openings), openings === null ? 'num np' : 'num'), el('td', wage === null && flag === 'top_coded' ? 'top of range' : fmt(wage, true), wage === null ? 'num np' : 'num'), el('td', hi === null ? 'unknown' : hi ? 'yes' : 'no'), el('td', leads.join('; ')));
      t.append(r);
    }
    box.append(t); out.append(box);
  }
}
input.addEventListener('input', show);
const initial = new URLSearchParams(location.search).get('q'); if (initial) { input.value = initial; } show();`;
  return page({ title: `Programs of study in ${area.area_name}`, home: '../index.html', body, script });
}
