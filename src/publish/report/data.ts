// What the report reads: the snapshot's own published files (so a page can never disagree
// with the tables), grouped by area for the page builders.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { QualityReportSchema, type QualityReport } from '../../check/checks.js';
import { PublishError } from '../../errors.js';
import { SnapshotReader } from '../snapshot-reader.js';
import { ManifestSchema, type Manifest } from '../manifest.js';

export interface AreaRow {
  area_code: string;
  area_name: string;
  area_type: string;
  state_abbr: string | null;
  all_occupations_employment: number | null;
  all_occupations_median_wage: number | null;
  all_occupations_growth_pct: number | null;
}

export interface DemandRow {
  area_code: string;
  framework: string;
  cluster: string;
  sub_cluster: string | null;
  occupations: number;
  employment: number | null;
  employment_allocated: number | null;
  occupations_with_suppressed_employment: number;
  annual_openings: number | null;
  annual_openings_allocated: number | null;
  projected_change_pct: number | null;
  median_annual_wage: number | null;
  median_annual_wage_flag: string | null;
  occupations_with_suppressed_wages: number;
  /** Unknown (null) when any of its occupations' opportunity is unknown. */
  high_opportunity_occupations: number | null;
  /** Occupations whose opportunity is unknown (null in snapshots from before the column). */
  occupations_with_unknown_opportunity: number | null;
  high_opportunity_employment: number | null;
  oews_release: string | null;
  projection_period: string | null;
}

export interface OccupationRow {
  area_code: string;
  soc_code: string;
  soc_title: string;
  employment: number | null;
  employment_flag: string | null;
  annual_wage_median: number | null;
  annual_wage_median_flag: string | null;
  annual_openings: number | null;
  high_opportunity: boolean | null;
  opportunity_reasons: string | null;
}

export interface CoverageRow {
  area_code: string;
  employment: number | null;
  employment_mapped_pct: number | null;
  projection_base_employment_mapped_pct: number | null;
}

/** What the pages of one area need beyond the snapshot-wide data: read area by area, so memory holds one area. */
export interface AreaDetail {
  occupations: OccupationRow[];
  /** The programs page's data as JSON text (made by DuckDB row by row). */
  programsJson: string;
  programs: number;
}

export interface ReportData {
  manifest: Manifest;
  quality: QualityReport;
  areas: AreaRow[];
  demand: Map<string, DemandRow[]>;
  coverage: Map<string, CoverageRow>;
  /** Per area, each 2024 cluster's sectors (cluster level, largest first), when the run read industry estimates. */
  industries: Map<
    string,
    { cluster: string; naics_sector: string; naics_title: string; employment_allocated: number | null; share_of_cluster: number | null; aligned: boolean | null }[]
  >;
  /** Cluster employment (allocated, 2024 framework) by release, when the run had --history. */
  history: { release: number; release_label: string; cluster: string; employment_allocated: number | null; code_system: string }[];
  /** Per occupation, up to three related occupations in other clusters ("Title (Cluster, …)"), from O*NET. */
  leadsTo: Map<string, string[]>;
  /** 2024-framework cluster(s) of each occupation code, and the sub-clusters. */
  clustersOf: Map<string, { cluster: string; sub_cluster: string }[]>;
  /** The previous snapshot's cluster demand, for "what changed" (absent for the first). */
  previous?: { snapshotId: string; file: string };
  /** Per area, each 2024 cluster's completions against its openings (cluster_supply_demand), when the snapshot has them. */
  supply: Map<string, SupplyRow[]>;
}

/** One cluster's supply and demand in an area: in all, and at the sub-baccalaureate levels (certificates and associate's). */
export interface SupplyRow {
  area_code: string;
  cluster: string;
  completions: number | null;
  annual_openings_allocated: number | null;
  supply_per_opening: number | null;
  sub_baccalaureate_completions: number | null;
  sub_baccalaureate_openings: number | null;
  completions_period: string;
}

/** Rows grouped by a column's value (an area code, an occupation code), each group in the rows' order. */
export const groupBy = <K extends string, T extends Record<K, string>>(rows: T[], key: K): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    let list = out.get(r[key]);
    if (!list) out.set(r[key], (list = []));
    list.push(r);
  }
  return out;
};

export async function loadReportData(snapshotDir: string, previousDir?: string): Promise<ReportData> {
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(path.join(snapshotDir, 'manifest.json'), 'utf8')));
  const quality = QualityReportSchema.parse(JSON.parse(await readFile(path.join(snapshotDir, 'quality.json'), 'utf8')));
  const db = await SnapshotReader.open(snapshotDir);
  try {
    const file = (name: string) => db.file(name);
    const areas = await db.all<AreaRow>(
      `SELECT area_code, area_name, area_type, state_abbr, all_occupations_employment, all_occupations_median_wage::DOUBLE AS all_occupations_median_wage, all_occupations_growth_pct::DOUBLE AS all_occupations_growth_pct
       FROM read_parquet($file) ORDER BY area_type <> 'national', area_type, area_name`,
      { file: file('areas') },
    );
    // Snapshots from before occupations_with_unknown_opportunity lack it: NULL there.
    const demandColumns = (await db.all<{ column_name: string }>('DESCRIBE SELECT * FROM read_parquet($file)', { file: file('cluster_demand') })).map((c) => c.column_name);
    const unknownColumn = demandColumns.includes('occupations_with_unknown_opportunity')
      ? 'occupations_with_unknown_opportunity'
      : 'NULL::BIGINT AS occupations_with_unknown_opportunity';
    const demand = await db.all<DemandRow>(
      `SELECT area_code, framework, cluster, NULL::VARCHAR AS sub_cluster, occupations, employment, employment_allocated, occupations_with_suppressed_employment,
              annual_openings, annual_openings_allocated, projected_change_pct::DOUBLE AS projected_change_pct, median_annual_wage, median_annual_wage_flag,
              occupations_with_suppressed_wages, high_opportunity_occupations, ${unknownColumn}, high_opportunity_employment, oews_release, projection_period
       FROM read_parquet($clusters)
       UNION ALL BY NAME
       SELECT area_code, framework, cluster, sub_cluster, occupations, employment, employment_allocated, occupations_with_suppressed_employment,
              annual_openings, annual_openings_allocated, projected_change_pct::DOUBLE AS projected_change_pct, median_annual_wage, median_annual_wage_flag,
              occupations_with_suppressed_wages, high_opportunity_occupations, ${unknownColumn}, high_opportunity_employment, oews_release, projection_period
       FROM read_parquet($subclusters)
       ORDER BY area_code, framework, cluster, sub_cluster NULLS FIRST`,
      { clusters: file('cluster_demand'), subclusters: file('subcluster_demand') },
    );
    const industryFile = path.join(snapshotDir, 'cluster_industry_demand.parquet');
    const industries = existsSync(industryFile)
      ? await db.all<{
          area_code: string;
          cluster: string;
          naics_sector: string;
          naics_title: string;
          employment_allocated: number | null;
          share_of_cluster: number | null;
          aligned: boolean | null;
        }>(
          `SELECT area_code, cluster, naics_sector, naics_title, employment_allocated, share_of_cluster::DOUBLE AS share_of_cluster, aligned
           FROM read_parquet($file) WHERE framework = '2024' AND level = 'cluster'
           ORDER BY area_code, cluster, employment_allocated DESC NULLS LAST, naics_sector`,
          { file: industryFile },
        )
      : [];
    const historyFile = path.join(snapshotDir, 'cluster_history.parquet');
    const history = existsSync(historyFile)
      ? await db.all<ReportData['history'][number]>(
          `SELECT release, release_label, cluster, employment_allocated, code_system FROM read_parquet($file) WHERE framework = '2024' ORDER BY release, cluster`,
          { file: historyFile },
        )
      : [];
    const relatedFile = path.join(snapshotDir, 'related_occupations.parquet');
    const leads = existsSync(relatedFile)
      ? await db.all<{ soc_code: string; text: string }>(
          `SELECT soc_code, related_soc_title || ' (' || array_to_string(other_clusters, ', ') || ')' AS text FROM read_parquet($file)
           WHERE NOT same_cluster AND len(other_clusters) > 0
           QUALIFY row_number() OVER (PARTITION BY soc_code ORDER BY relatedness_index, related_soc_code) <= 3
           ORDER BY soc_code, relatedness_index, related_soc_code`,
          { file: relatedFile },
        )
      : [];
    const leadsTo = new Map<string, string[]>();
    for (const l of leads) leadsTo.set(l.soc_code, [...(leadsTo.get(l.soc_code) ?? []), l.text]);
    const coverage = await db.all<CoverageRow>(
      `SELECT area_code, employment, employment_mapped_pct::DOUBLE AS employment_mapped_pct, projection_base_employment_mapped_pct::DOUBLE AS projection_base_employment_mapped_pct FROM read_parquet($file)`,
      { file: file('coverage') },
    );
    const links = await db.all<{ soc_code: string; cluster: string; sub_cluster: string }>(
      `SELECT DISTINCT soc_code, cluster, sub_cluster FROM read_parquet($file) WHERE framework = '2024' ORDER BY ALL`,
      { file: file('occupation_clusters') },
    );
    const clustersOf = new Map<string, { cluster: string; sub_cluster: string }[]>();
    for (const l of links) clustersOf.set(l.soc_code, [...(clustersOf.get(l.soc_code) ?? []), { cluster: l.cluster, sub_cluster: l.sub_cluster }]);
    const supplyFile = path.join(snapshotDir, 'cluster_supply_demand.parquet');
    const supply = existsSync(supplyFile)
      ? await db.all<SupplyRow>(
          `SELECT area_code, cluster,
             any_value(completions) FILTER (WHERE education_level = 'all') AS completions,
             any_value(annual_openings_allocated) FILTER (WHERE education_level = 'all') AS annual_openings_allocated,
             any_value(supply_per_opening::DOUBLE) FILTER (WHERE education_level = 'all') AS supply_per_opening,
             sum(completions) FILTER (WHERE education_level IN ('postsecondary_nondegree', 'associate')) AS sub_baccalaureate_completions,
             sum(annual_openings_allocated) FILTER (WHERE education_level IN ('postsecondary_nondegree', 'associate')) AS sub_baccalaureate_openings,
             any_value(completions_period) AS completions_period
           FROM read_parquet($file) WHERE framework = '2024' AND level = 'cluster'
           GROUP BY area_code, cluster ORDER BY area_code, cluster`,
          { file: supplyFile },
        )
      : [];
    const previousFile = previousDir && path.join(previousDir, 'cluster_demand.parquet');
    return {
      supply: groupBy(supply, 'area_code'),
      manifest,
      quality,
      areas,
      demand: groupBy(demand, 'area_code'),
      coverage: new Map(coverage.map((c) => [c.area_code, c])),
      industries: groupBy(industries, 'area_code'),
      leadsTo,
      history,
      clustersOf,
      previous: previousFile && existsSync(previousFile) ? { snapshotId: path.basename(previousDir!), file: previousFile } : undefined,
    };
  } finally {
    db.close();
  }
}

/** What the pages show of each occupation (the report reads 47k rows for every state: no more than it shows). */
const OCCUPATION_COLUMNS = [
  'area_code',
  'soc_code',
  'soc_title',
  'employment',
  'employment_flag',
  'annual_wage_median',
  'annual_wage_median_flag',
  'annual_openings',
  'high_opportunity',
  'opportunity_reasons',
] as const;

/** Consecutive rows with the same first column, from a stream ordered by it (`what` names the stream and its order). */
export async function* groupedRows(rows: AsyncGenerator<unknown[]>, what: string): AsyncGenerator<[string, unknown[][]]> {
  let key: string | undefined;
  let group: unknown[][] = [];
  for await (const row of rows) {
    if (row[0] !== key) {
      if (key !== undefined && (row[0] as string) < key) throw new PublishError(`${what} is not in order (${String(row[0])} after ${key}): the report streams it in that order`);
      if (key !== undefined) yield [key, group];
      key = row[0] as string;
      group = [];
    }
    group.push(row);
  }
  if (key !== undefined) yield [key, group];
}

/**
 * Each area's occupations and programs, area by area in area-code order: three streams read in
 * step, so memory holds one area (the programs of every state are 100k rows). The Parquet files
 * are published sorted by area (their declared order, sql/marts/*.yml), so they stream in file order with no sort.
 */
export async function* areaDetails(snapshotDir: string, leadsTo: Map<string, string[]> = new Map()): AsyncGenerator<[string, AreaDetail]> {
  // Two streams read in step: one reader each keeps them independent.
  const dbs = await Promise.all([0, 1].map(() => SnapshotReader.open(snapshotDir)));
  const file = (name: string) => dbs[0]!.file(name);
  try {
    // Reasons are shown for high-opportunity occupations only.
    const occupations = groupedRows(
      dbs[0]!.streamRows(
        `SELECT ${OCCUPATION_COLUMNS.map((c) => (c === 'opportunity_reasons' ? `CASE WHEN high_opportunity THEN ${c} END AS ${c}` : c)).join(', ')} FROM read_parquet($file)`,
        { file: file('occupations') },
      ),
      'occupations.parquet by area_code',
    );
    // Short keys: c code, t title, k clusters, j jobs, o openings, w wage, i interest code, s occupation codes.
    // Snapshots made before programs had an interest code still rebuild (lmi report).
    const programColumns = new Set(
      (await dbs[1]!.all<{ column_name: string }>('DESCRIBE SELECT * FROM read_parquet($file)', { file: file('programs') })).map((c) => c.column_name),
    );
    const interestCode = programColumns.has('interest_code') ? 'interest_code' : 'NULL::VARCHAR';
    // n: the program's completions here (IPEDS), from snapshots with the supply tables; rows in
    // the order the programs file holds them (the stream reads area by area).
    const supplyFile = file('program_supply_demand');
    const supply = existsSync(supplyFile);
    const programs = groupedRows(
      dbs[1]!.streamRows(
        `SELECT p.area_code, to_json({'c': p.cip_code, 't': p.cip_title, 'k': p.clusters, 'j': p.employment, 'o': p.annual_openings, 'w': p.median_annual_wage, 'i': ${interestCode}, 's': p.occupation_codes, 'n': ${supply ? 's.completions' : 'NULL::BIGINT'}})::VARCHAR
       FROM read_parquet($file, file_row_number = true) p
       ${supply ? 'LEFT JOIN read_parquet($supply) s ON s.area_code = p.area_code AND s.cip_code = p.cip_code' : ''}
       ORDER BY p.file_row_number`,
        supply ? { file: file('programs'), supply: supplyFile } : { file: file('programs') },
      ),
      'programs.parquet by area_code',
    );
    let p = await programs.next();
    for await (const [area, rows] of occupations) {
      while (!p.done && p.value[0] < area) p = await programs.next();
      const own = !p.done && p.value[0] === area ? p.value[1] : [];
      const list = rows.map((r) => Object.fromEntries(OCCUPATION_COLUMNS.map((c, i) => [c, r[i]])) as unknown as OccupationRow);
      // The area's occupations once by code: [title, jobs, openings, wage, wage flag, high opportunity, leads to].
      const byCode = Object.fromEntries(
        list.map((o) => [
          o.soc_code,
          [o.soc_title, o.employment, o.annual_openings, o.annual_wage_median, o.annual_wage_median_flag, o.high_opportunity, leadsTo.get(o.soc_code) ?? []],
        ]),
      );
      yield [area, { occupations: list, programsJson: `{"programs":[${own.map((r) => r[1]).join(',')}],"occupations":${JSON.stringify(byCode)}}`, programs: own.length }];
    }
  } finally {
    for (const db of dbs) db.close();
  }
}
