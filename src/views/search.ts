// `lmi search TEXT`: occupations and programs by the words people use ("welder", "dental
// assistant", "registerd nurse"), from the latest snapshot's titles (OEWS, O*NET alternate and
// reported titles) and program titles. DuckDB's full-text extension (fts) is not among the
// extensions this project can load offline (parquet, json, icu only), so the index is MiniSearch,
// a kept JS full-text library: case- and accent-insensitive, word prefixes, typo tolerance.
// Our code only orders its results: exact title first, then the occupation's own title over
// O*NET's alternate and reported titles, and "all other" catch-alls after named occupations.
import { existsSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { ConfigError } from '../errors.js';
import { areaOption } from './program.js';
import { SnapshotReader } from '../publish/snapshot-reader.js';

export interface SearchHit {
  kind: 'occupation' | 'program';
  code: string;
  title: string;
  /** The title that matched (an alternate or reported title, or the title itself; for a program reached through an occupation, the occupation's title). */
  matched: string;
  matched_source: string;
  score: number;
  clusters: string[];
  sub_clusters: string[];
  employment: number | null;
  annual_wage_median: number | null;
  annual_wage_median_flag: string | null;
  high_opportunity: boolean | null;
  /** Why employment is empty: no_estimate (the snapshot has no OEWS estimate for the area), or BLS's own suppression flag. */
  employment_flag: string | null;
  /** A program's completions in the area (IPEDS, first majors, all award levels); null for occupations and where the snapshot has none. */
  completions: number | null;
}

interface TitleDoc {
  id: number;
  code: string;
  kind: 'occupation' | 'program';
  title: string;
  source: string;
}

/** Lower case, accents off: "Café" and "cafe" are one word. */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A result being ranked: its best title, score and tier, how many alternate titles name it, and for a program reached through an occupation, that occupation's title. */
interface Found {
  doc: TitleDoc;
  score: number;
  tier: number;
  titles: number;
  via?: string;
}

/** Places a list keeps for programs when more occupations than fit match. */
export const PROGRAM_PLACES = 2;

/** Programs also reached through the occupation found first: at most this many. */
export const VIA_PROGRAMS = 3;

/** A word without its plural ending, for comparing titles' words ("analysts", "analyst"). */
const stem = (w: string) => w.replace(/(?<=[a-z]{3})(es|s)$/, '');

/** How much each kind of title counts when two titles match equally well. Default: own title first. */
export const SOURCE_BOOST: Record<string, number> = { oews: 1.3, cip: 1.2, onet_alternate: 1.0, onet_reported: 0.9 };

/** The longest query taken, in characters: job titles are short, and fuzzy matching costs grow with a query's length. */
export const MAX_QUERY_CHARS = 200;
/** The most words a query may have. */
export const MAX_QUERY_WORDS = 12;

export async function searchSnapshot(outputDir: string, text: string, area: string, limit = 10): Promise<SearchHit[]> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (text.length > MAX_QUERY_CHARS || words.length > MAX_QUERY_WORDS || words.some((w) => w.length > 40))
    throw new ConfigError(
      `lmi search: the query is too long (${text.length.toLocaleString('en-US')} characters, ${words.length.toLocaleString('en-US')} words): give at most ${MAX_QUERY_CHARS} characters in ${MAX_QUERY_WORDS} words of up to 40 letters, e.g. lmi search "dental assistant"`,
    );
  return SnapshotReader.withLatest(outputDir, async (db) => {
    const file = (t: string) => db.file(t);
    const areaCode = await db.areaCode(areaOption(area));
    const titles = await db.all<Omit<TitleDoc, 'id'>>(
      // Only what the area has: the titles of every area's codes are in one table, and a code
      // only another area's source uses (a state's hybrid 15-1256) is no answer for this one.
      `SELECT soc_code AS code, 'occupation' AS kind, title, source FROM read_parquet($titles)
       WHERE soc_code IN (SELECT soc_code FROM read_parquet($occupations) WHERE area_code = $area)
       UNION ALL
       SELECT DISTINCT cip_code, 'program', cip_title, 'cip' FROM read_parquet($programs) WHERE area_code = $area
       ORDER BY ALL`,
      { titles: file('occupation_titles'), programs: file('programs'), occupations: file('occupations'), area: areaCode },
    );
    const docs: TitleDoc[] = titles.map((t, id) => ({ id, ...t }));
    const ownTitle = new Map(titles.filter((t) => t.source === 'oews').map((t) => [t.code, t.title]));
    const index = new MiniSearch<TitleDoc>({
      fields: ['title'],
      storeFields: ['code', 'kind', 'title', 'source'],
      processTerm: (term) => fold(term),
      searchOptions: {
        prefix: true,
        // Typos: two letters in a long word ('registerd'), three in a very long one ('electrishun').
        fuzzy: (term) => (term.length > 9 ? 0.3 : term.length > 4 ? 0.2 : false),
        combineWith: 'AND',
        boostDocument: (_id, _term, stored) => SOURCE_BOOST[String(stored?.source)] ?? 1,
      },
    });
    index.addAll(docs);
    const query = fold(text.trim());
    if (!query) throw new ConfigError('lmi search: give some words to look for, e.g. lmi search welder');
    // Ranked by what matched, most telling first: the occupation's own title (or the program's
    // CIP title) with every word of the query in it; then alternate and reported titles (the more
    // of them name it, the better: 'HVAC' names the HVAC mechanics in dozens); then typo-tolerant
    // matches only. Within each, the catch-all "All Other" occupations after named ones, then
    // the most jobs in the area (nurse: Registered, then Licensed Practical Nurses).
    const queryWords = words
      .map(fold)
      .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
      .filter(Boolean);
    const titleWords = (title: string) =>
      fold(title)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
    // Whole words: a word of the title is the query's, its plural or -ing form ('nurse': 'nurses',
    // 'nursing'; 'teachers': 'teacher'), not a longer word it begins ('nurse': 'nursery').
    const sameWord = (w: string, q: string) => w === q || w === `${q}s` || w === `${q}es` || `${w}s` === q || w === `${q.replace(/e$/, '')}ing`;
    const literal = (title: string) => {
      const ws = titleWords(title);
      return queryWords.every((q) => ws.some((w) => sameWord(w, q)));
    };
    // The area's occupations and programs, read once: their jobs rank the results, their figures fill them.
    const occ = await db.all<{
      soc_code: string;
      soc_title: string;
      employment: number | null;
      employment_flag: string | null;
      annual_wage_median: number | null;
      annual_wage_median_flag: string | null;
      high_opportunity: boolean | null;
    }>(`SELECT soc_code, soc_title, employment, employment_flag, annual_wage_median, annual_wage_median_flag, high_opportunity FROM read_parquet($file) WHERE area_code = $area`, {
      area: areaCode,
      file: file('occupations'),
    });
    const programs = await db.all<{
      cip_code: string;
      cip_title: string;
      clusters: string[];
      sub_clusters: string[];
      employment: number | null;
      median_annual_wage: number | null;
      median_annual_wage_flag: string | null;
      occupation_codes: string[];
    }>(
      `SELECT cip_code, cip_title, clusters, sub_clusters, employment, median_annual_wage, median_annual_wage_flag, occupation_codes FROM read_parquet($file) WHERE area_code = $area`,
      {
        area: areaCode,
        file: file('programs'),
      },
    );
    const jobs = new Map([...occ.map((o) => [o.soc_code, o.employment ?? 0] as const), ...programs.map((p) => [p.cip_code, p.employment ?? 0] as const)]);
    const found = new Map<string, Found>();
    // The -ing form too ('nurse' finds 'Nursing Assistants'), which a prefix search does not reach.
    const ing = queryWords.map((q) => (q.length > 3 ? `${q.replace(/e$/, '')}ing` : q)).join(' ');
    const results = [...index.search(query), ...(ing !== queryWords.join(' ') ? index.search(ing) : [])];
    for (const r of results) {
      const doc = docs[r.id as number]!;
      const key = `${doc.kind}|${doc.code}`;
      const own = doc.source === 'oews' || doc.source === 'cip';
      const tier = literal(doc.title) ? (own ? 3 : 2) : 1;
      const exact = fold(doc.title) === query || fold(doc.title).replace(/s$/, '') === query.replace(/s$/, '');
      const prior = found.get(key);
      const titles = (prior?.titles ?? 0) + (tier === 2 ? 1 : 0);
      const score = r.score * (exact ? 10 : 1);
      if (!prior || tier > prior.tier || (tier === prior.tier && score > prior.score)) found.set(key, { doc, score, tier, titles });
      else prior.titles = titles;
    }
    // Programs reached through the occupation found first: "cybersecurity" names no program in
    // its own title, but it names Information Security Analysts, and the programs that lead there
    // are an answer. Those whose title shares most words with the occupation's titles first
    // (Computer and Information Systems Security…), then the most specific (fewest occupations);
    // after the programs whose own title matches.
    const best = [...found.values()]
      .filter((f) => f.doc.kind === 'occupation' && f.tier >= 2)
      .sort((a, b) => b.tier - a.tier || b.titles - a.titles || (jobs.get(b.doc.code) ?? 0) - (jobs.get(a.doc.code) ?? 0))[0];
    if (best) {
      const via = ownTitle.get(best.doc.code) ?? best.doc.title;
      const named = new Set([...titleWords(via), ...titleWords(best.doc.title)].map(stem).filter((w) => w.length > 3));
      const shared = (title: string) => [...new Set(titleWords(title).map(stem))].filter((w) => named.has(w)).length;
      const leading = programs
        .filter((p) => p.occupation_codes.includes(best.doc.code))
        .map((p) => ({ p, shared: shared(p.cip_title) }))
        .sort((a, b) => b.shared - a.shared || a.p.occupation_codes.length - b.p.occupation_codes.length || a.p.cip_code.localeCompare(b.p.cip_code))
        .slice(0, VIA_PROGRAMS);
      for (const { p } of leading)
        if (!found.has(`program|${p.cip_code}`))
          found.set(`program|${p.cip_code}`, {
            doc: { id: -1, code: p.cip_code, kind: 'program', title: p.cip_title, source: 'via_occupation' },
            score: 0,
            tier: best.tier,
            titles: 0,
            via,
          });
    }
    const catchAll = (f: { doc: TitleDoc }) => /\ball other\b/i.test(ownTitle.get(f.doc.code) ?? f.doc.title);
    // A program's CIP variants (51.3801, 51.3803 … the nursing programs) count as one result, the
    // best of them; within a tier occupations come before programs.
    const family = (f: { doc: TitleDoc }) => (f.doc.kind === 'program' ? f.doc.code.slice(0, 5) : f.doc.code);
    const ordered = [...found.values()]
      .sort(
        (a, b) =>
          b.tier - a.tier ||
          Number(a.doc.kind === 'program') - Number(b.doc.kind === 'program') ||
          Number(a.via !== undefined) - Number(b.via !== undefined) ||
          Number(catchAll(a)) - Number(catchAll(b)) ||
          (a.tier === 2 ? b.titles - a.titles : 0) ||
          (a.tier === 1 ? b.score - a.score : 0) ||
          (jobs.get(b.doc.code) ?? 0) - (jobs.get(a.doc.code) ?? 0) ||
          a.doc.code.localeCompare(b.doc.code),
      )
      // The family's best tier, then its lowest code (51.3801 for the nursing programs).
      .filter((f, _i, all) => {
        const kin = all.filter((g) => g.doc.kind === f.doc.kind && family(g) === family(f));
        const best = Math.max(...kin.map((g) => g.tier));
        return f === kin.filter((g) => g.tier === best).sort((x, y) => x.doc.code.localeCompare(y.doc.code))[0];
      });
    // Programs keep a place when many occupations match ('HVAC' names dozens): the last
    // occupations of the list give way to the best programs, up to PROGRAM_PLACES of them (not
    // those only a typo-tolerant match found: 'welder' is no 'elder law').
    let ranked = ordered.slice(0, limit);
    const programsShown = ranked.filter((f) => f.doc.kind === 'program').length;
    for (const program of ordered
      .slice(limit)
      .filter((f) => f.doc.kind === 'program' && f.tier >= 2)
      .slice(0, Math.max(0, PROGRAM_PLACES - programsShown))) {
      const last = ranked.map((f) => f.doc.kind).lastIndexOf('occupation');
      if (last <= 0) break;
      ranked = [...ranked.slice(0, last), ...ranked.slice(last + 1), program];
    }
    const occCodes = ranked.filter((r) => r.doc.kind === 'occupation').map((r) => r.doc.code);
    const cipCodes = ranked.filter((r) => r.doc.kind === 'program').map((r) => r.doc.code);
    const clusters = await db.all<{ soc_code: string; clusters: string[]; sub_clusters: string[] }>(
      `SELECT soc_code, list(DISTINCT cluster ORDER BY cluster) AS clusters, list(DISTINCT sub_cluster ORDER BY sub_cluster) AS sub_clusters
       FROM read_parquet($file) WHERE framework = '2024' AND list_contains(CAST($codes AS VARCHAR[]), soc_code) GROUP BY soc_code`,
      { codes: JSON.stringify(occCodes), file: file('occupation_clusters') },
    );
    // An area whose every occupation is without an OEWS estimate (a state with only projections):
    // its programs' jobs are absent from the snapshot, not withheld.
    const noOews = occ.length > 0 && occ.every((o) => o.employment_flag === 'no_estimate');
    const supplyFile = file('program_supply_demand');
    const completions = new Map(
      cipCodes.length && existsSync(supplyFile)
        ? (
            await db.all<{ cip_code: string; completions: number }>(
              'SELECT cip_code, completions FROM read_parquet($file) WHERE area_code = $area AND list_contains(CAST($codes AS VARCHAR[]), cip_code)',
              { area: areaCode, codes: JSON.stringify(cipCodes), file: supplyFile },
            )
          ).map((c) => [c.cip_code, c.completions] as const)
        : [],
    );
    return ranked.map(({ doc, score, via }) => {
      if (doc.kind === 'program') {
        const p = programs.find((x) => x.cip_code === doc.code);
        return {
          kind: 'program',
          code: doc.code,
          title: doc.title,
          // Reached through an occupation: the occupation it leads to is what matched.
          matched: via ?? doc.title,
          matched_source: via === undefined ? 'cip' : 'via_occupation',
          score: Math.round(score * 100) / 100,
          clusters: p?.clusters ?? [],
          sub_clusters: p?.sub_clusters ?? [],
          employment: p?.employment ?? null,
          annual_wage_median: p?.median_annual_wage ?? null,
          annual_wage_median_flag: p?.median_annual_wage_flag ?? null,
          high_opportunity: null,
          employment_flag: p?.employment == null && noOews ? 'no_estimate' : null,
          completions: completions.get(doc.code) ?? null,
        };
      }
      const o = occ.find((x) => x.soc_code === doc.code);
      const c = clusters.find((x) => x.soc_code === doc.code);
      return {
        kind: 'occupation',
        code: doc.code,
        title: o?.soc_title ?? ownTitle.get(doc.code) ?? doc.title,
        matched: doc.title,
        matched_source: doc.source,
        score: Math.round(score * 100) / 100,
        clusters: c?.clusters ?? [],
        sub_clusters: c?.sub_clusters ?? [],
        employment: o?.employment ?? null,
        annual_wage_median: o?.annual_wage_median ?? null,
        annual_wage_median_flag: o?.annual_wage_median_flag ?? null,
        high_opportunity: o?.high_opportunity ?? null,
        employment_flag: o?.employment_flag ?? null,
        completions: null,
      };
    });
  });
}
