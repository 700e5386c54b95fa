// A page per occupation (report/occupations/<code>.html), as O*NET OnLine and CareerOneStop
// have: what the work is (O*NET), its clusters, its jobs, openings and wage range in every area
// of the snapshot, how to get in (education, Job Zone), its outlook and interests, where it
// leads, where it works, its trend and the programs that lead to it; and an index of them all,
// searched by the titles people use.
import type { OccupationAreaRow, OccupationFacts, OccupationProfile, RelatedOccupation } from './occupation-data.js';
import type { ReportData } from './data.js';
import { formatNumber, h, numCell, page } from './html.js';
import { attribution, pageFile } from './page-parts.js';

/** An occupation's page file, e.g. 29-1141.html. */
export const occupationFile = (code: string) => pageFile(code);

/** O*NET's Job Zones in its own words. */
const JOB_ZONES: Record<number, string> = {
  1: 'little or no preparation needed',
  2: 'some preparation needed',
  3: 'medium preparation needed',
  4: 'considerable preparation needed',
  5: 'extensive preparation needed',
};

/** Related occupations listed before the rest are folded away (O*NET lists up to 20 or more). */
const RELATED_SHOWN = 10;

const relatedItem = (r: RelatedOccupation) =>
  h`<li><a href="${occupationFile(r.related_soc_code)}">${r.related_soc_title}</a> <span class="muted">${r.related_soc_code}</span>${r.other_clusters.length ? h` — also in ${r.other_clusters.join(', ')}` : ''}</li>`;

const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

/**
 * One occupation's page: `lead` is its profile (the nation's row, or the first area's), `rows` its
 * figures in every area of the snapshot, the nation first; `areaNames` names the areas.
 */
export function occupationPage(data: ReportData, facts: OccupationFacts, areaNames: Map<string, string>, code: string, lead: OccupationProfile, rows: OccupationAreaRow[]): string {
  const onet = facts.onet.get(code) ?? [];
  const own = onet.find((o) => o.primary_code) ?? (onet.length === 1 ? onet[0] : undefined);
  const clusters = data.clustersOf.get(code) ?? [];
  const related = facts.related.get(code) ?? [];
  const industries = facts.industries.get(code) ?? [];
  const history = facts.history.get(code) ?? [];
  const programs = facts.programs.get(code) ?? [];
  const interest = facts.interestCode.get(code) ?? null;
  const where = lead.area_type === 'national' ? 'the nation' : lead.area_name;
  const wageCells = (r: OccupationAreaRow) =>
    h`${numCell(r.annual_wage_p10, 'dollars', r.annual_wage_p10_flag)}${numCell(r.annual_wage_median, 'dollars', r.annual_wage_median_flag)}${numCell(r.annual_wage_p90, 'dollars', r.annual_wage_p90_flag)}`;
  const body = h`<nav class="no-print"><a href="../index.html">All areas</a> · <a href="index.html">All occupations</a></nav>
<h1>${lead.soc_title} <span class="muted">${code}</span></h1>
${own ? h`<p>${own.description}</p>` : onet.length ? h`<p class="muted">A group of occupations (below, as O*NET describes each).</p>` : h`<p class="muted">O*NET has no description of this code.</p>`}
${onet.length ? h`<p>On O*NET OnLine: ${onet.map((o, i) => h`${i ? ' · ' : ''}<a href="${o.onet_online_url}">${o.onet_title} (${o.onet_soc_code})</a>`)}</p>` : ''}
${onet.length > 1 && !own ? h`<ul>${onet.map((o) => h`<li><b>${o.onet_title}</b>: ${o.description}</li>`)}</ul>` : ''}
<p><b>Career Clusters</b>: ${clusters.length ? clusters.map((c, i) => h`${i ? '; ' : ''}${c.cluster} (${c.sub_cluster})`) : 'none in the 2024 framework'}.</p>
<div class="headline">
<div>Jobs, ${where}<b data-value="${lead.employment ?? ''}">${lead.employment === null ? (lead.employment_flag === 'no_estimate' ? 'not in this snapshot' : 'not published') : formatNumber(lead.employment)}</b></div>
<div>Annual openings<b data-value="${lead.annual_openings ?? ''}">${formatNumber(lead.annual_openings, 'openings')}</b></div>
<div>Median annual wage<b data-value="${lead.annual_wage_median ?? ''}">${lead.annual_wage_median === null ? (lead.annual_wage_median_flag === 'top_coded' ? 'top of range' : 'not published') : formatNumber(lead.annual_wage_median, 'dollars')}</b></div>
<div>Projected growth<b data-value="${lead.projected_change_pct ?? ''}">${formatNumber(lead.projected_change_pct, 'pct')}</b><span class="muted">${lead.projection_period ?? ''}</span></div>
</div>
<h2>Wages in ${where}</h2>
<p class="muted">Annual wages, ${lead.oews_release ?? 'OEWS'}: a tenth of the workers earn less than the 10th percentile, a tenth more than the 90th.</p>
<div class="scroll"><table id="wage-range"><thead><tr><th class="num">10th percentile</th><th class="num">25th percentile</th><th class="num">median</th><th class="num">75th percentile</th><th class="num">90th percentile</th></tr></thead><tbody>
<tr>${numCell(lead.annual_wage_p10, 'dollars', lead.annual_wage_p10_flag)}${numCell(lead.annual_wage_p25, 'dollars', lead.annual_wage_p25_flag)}${numCell(lead.annual_wage_median, 'dollars', lead.annual_wage_median_flag)}${numCell(lead.annual_wage_p75, 'dollars', lead.annual_wage_p75_flag)}${numCell(lead.annual_wage_p90, 'dollars', lead.annual_wage_p90_flag)}</tr>
</tbody></table></div>
<h2>Getting in, and the outlook</h2>
<ul id="occupation-facts">
<li>Typical education to enter (BLS): <b>${lead.typical_education ?? 'not published'}</b>${lead.work_experience && lead.work_experience !== 'None' ? h`; work experience: ${lead.work_experience}` : ''}${lead.on_the_job_training && lead.on_the_job_training !== 'None' ? h`; on-the-job training: ${lead.on_the_job_training}` : ''}.</li>
<li>O*NET Job Zone: <b>${lead.job_zone ?? 'not published'}</b>${lead.job_zone ? h` (${JOB_ZONES[lead.job_zone] ?? ''})` : ''}.</li>
<li>Bright Outlook (O*NET, nationwide): <b>${yesNo(lead.bright_outlook)}</b>.</li>
<li>High opportunity in ${where} under “${data.manifest.policy.title}”: <b>${yesNo(lead.high_opportunity)}</b>${lead.opportunity_reasons ? h` (${lead.opportunity_reasons})` : ''}.</li>
<li>Interest code (RIASEC, O*NET): <b>${interest ?? 'not published'}</b>.</li>
</ul>
<h2>In each area of this snapshot</h2>
<div class="scroll"><table id="occupation-areas" class="sortable"><thead><tr><th>area</th><th class="num">jobs</th><th class="num">annual openings</th><th class="num">projected growth</th><th class="num">10th percentile wage</th><th class="num">median wage</th><th class="num">90th percentile wage</th><th>high opportunity</th></tr></thead><tbody>
${rows.map((r) => h`<tr data-area="${r.area_code}"><th scope="row"><a href="../areas/${pageFile(r.area_code)}">${areaNames.get(r.area_code) ?? r.area_code}</a></th>${numCell(r.employment, 'count', r.employment_flag)}${numCell(r.annual_openings, 'openings')}${numCell(r.projected_change_pct, 'pct')}${wageCells(r)}<td>${yesNo(r.high_opportunity)}</td></tr>`)}
</tbody></table></div>
${
  related.length
    ? h`<h2>Related occupations</h2><p class="muted">O*NET's related occupations, most related first; where one is in other clusters, they are named.</p><ul id="related">${related.slice(0, RELATED_SHOWN).map(relatedItem)}</ul>${
        related.length > RELATED_SHOWN
          ? h`<details><summary>${related.length - RELATED_SHOWN} more</summary><ul>${related.slice(RELATED_SHOWN).map(relatedItem)}</ul></details>`
          : ''
      }`
    : ''
}
${
  industries.length
    ? h`<h2>Where its workers work</h2><p class="muted">National OEWS estimates by industry sector; a share is of the sectors whose jobs BLS publishes.</p>
<div class="scroll"><table id="occupation-industries" class="sortable"><thead><tr><th>sector</th><th class="num">jobs</th><th class="num">share</th><th class="num">median wage</th></tr></thead><tbody>
${industries.map((s) => h`<tr><th scope="row">${s.naics_title} <span class="muted">${s.naics_sector}</span></th>${numCell(s.employment, 'count', s.employment_flag)}${s.share_of_occupation === null ? numCell(null) : h`<td class="num" data-value="${s.share_of_occupation}">${formatNumber(s.share_of_occupation, 'share')}</td>`}${numCell(s.annual_wage_median, 'dollars', s.annual_wage_median_flag)}</tr>`)}
</tbody></table></div>`
    : ''
}
${
  history.length
    ? h`<h2>Jobs and wages since ${history[0]!.release_label}</h2><p class="muted">National, by May release (wages not adjusted for inflation). Codes changed in May 2019 and May 2021: a release's figure is carried to today's code, so part of a change across those years can be the codes.</p>
<div class="scroll"><table id="occupation-history"><thead><tr><th>release</th><th class="num">jobs</th><th class="num">median wage</th><th>occupation codes</th></tr></thead><tbody>
${history.map((r) => h`<tr><th scope="row">${r.release_label}</th>${numCell(r.employment)}${numCell(r.annual_wage_median, 'dollars', r.annual_wage_median_flag)}<td>${r.code_system}</td></tr>`)}
</tbody></table></div>`
    : ''
}
${
  programs.length
    ? h`<h2>Programs of study that lead to it</h2><ul id="programs">${programs.map((p) => h`<li><a href="../programs/${pageFile(lead.area_code)}?q=${p.cip_code}">${p.cip_code} ${p.cip_title}</a></li>`)}</ul>`
    : ''
}
${attribution(data)}`;
  return page({ title: `${lead.soc_title} (${code})`, home: '../index.html', body });
}

/** One line of the occupations index. */
export interface OccupationListing {
  code: string;
  title: string;
  /** Other titles people use (O*NET's alternate titles), for the search. */
  alternates: string[];
  clusters: string[];
  employment: number | null;
  employment_flag: string | null;
  annual_openings: number | null;
  annual_wage_median: number | null;
  annual_wage_median_flag: string | null;
}

/** A title as the index's search reads it: lower case, words separated by single spaces, a space first. */
const searchText = (title: string) =>
  ` ${title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()}`;

/** Every word of the titles, once each (the search matches words, so repeats add nothing but bytes). */
const searchWords = (titles: string[]) => ` ${[...new Set(titles.flatMap((t) => searchText(t).trim().split(' ')))].join(' ')}`;

/** Every occupation of the snapshot with its national figures, searched by its own and its everyday titles. */
export function occupationsIndexPage(data: ReportData, list: OccupationListing[]): string {
  const body = h`<nav class="no-print"><a href="../index.html">All areas</a></nav>
<h1>Occupations</h1>
<p>The ${list.length.toLocaleString('en-US')} occupations of this snapshot, with the nation's figures (or the first area's where the nation has none). Search by a title people use, e.g. "RN", "welder" or "HVAC".</p>
<label for="occupation-search">Occupation: </label><input type="search" id="occupation-search" placeholder="job title or SOC code" autocomplete="off">
<p id="occupation-count" class="muted"></p>
<div class="scroll"><table id="occupation-list" class="sortable"><thead><tr><th>occupation</th><th>clusters</th><th class="num">jobs</th><th class="num">annual openings</th><th class="num">median wage</th></tr></thead><tbody>
${list.map(
  (o) =>
    h`<tr data-code="${o.code}" data-title="${searchText(o.title)}" data-words="${searchWords([o.title, ...o.alternates])}"><th scope="row"><a href="${occupationFile(o.code)}">${o.title}</a> <span class="muted">${o.code}</span></th><td>${o.clusters.join('; ')}</td>${numCell(o.employment, 'count', o.employment_flag)}${numCell(o.annual_openings, 'openings')}${numCell(o.annual_wage_median, 'dollars', o.annual_wage_median_flag)}</tr>`,
)}
</tbody></table></div>
${attribution(data)}`;
  // Own-title matches first, then everyday titles; each by jobs (the table's order).
  const script = `
const input = document.getElementById('occupation-search'), body = document.querySelector('#occupation-list tbody'), count = document.getElementById('occupation-count');
const rows = [...body.rows];
function show() {
  const words = input.value.toLowerCase().split(/[^\\p{L}\\p{N}]+/u).filter(Boolean);
  // A query word begins a word of the title: "rn" finds "RN", not "Government".
  const has = (text) => words.every((w) => text.includes(' ' + w));
  const own = [], other = [];
  for (const r of rows) {
    const hit = !words.length || has(r.dataset.title) || r.dataset.code.startsWith(input.value.trim()) ? own : has(r.dataset.words) ? other : null;
    r.hidden = hit === null;
    if (hit) hit.push(r);
  }
  body.append(...(words.length ? [...own, ...other] : rows));
  count.textContent = words.length ? own.length + other.length + ' occupation' + (own.length + other.length === 1 ? '' : 's') : '';
}
input.addEventListener('input', show);
const initial = new URLSearchParams(location.search).get('q'); if (initial) { input.value = initial; show(); }`;
  return page({ title: 'Occupations', home: '../index.html', body, script });
}
