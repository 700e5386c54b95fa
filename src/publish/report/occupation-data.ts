// What the occupation pages read: each occupation's rows in every area (streamed occupation by
// occupation, so memory holds one), and the snapshot-wide facts about it (O*NET's description,
// interests, related occupations, industries, history, programs), each from its published table
// and empty where an older snapshot lacks the table.
import type { SnapshotReader } from '../snapshot-reader.js';
import { groupBy, groupedRows } from './data.js';

/** An occupation as its page opens: every column the page shows, from the nation's row (or, where the nation has none, the first area's). */
export interface OccupationProfile {
  soc_code: string;
  area_code: string;
  area_name: string;
  area_type: string;
  soc_title: string;
  employment: number | null;
  employment_flag: string | null;
  annual_openings: number | null;
  projected_change_pct: number | null;
  projection_period: string | null;
  oews_release: string | null;
  annual_wage_median: number | null;
  annual_wage_median_flag: string | null;
  annual_wage_p10: number | null;
  annual_wage_p10_flag: string | null;
  annual_wage_p25: number | null;
  annual_wage_p25_flag: string | null;
  annual_wage_p75: number | null;
  annual_wage_p75_flag: string | null;
  annual_wage_p90: number | null;
  annual_wage_p90_flag: string | null;
  typical_education: string | null;
  work_experience: string | null;
  on_the_job_training: string | null;
  job_zone: number | null;
  bright_outlook: boolean | null;
  high_opportunity: boolean | null;
  opportunity_reasons: string | null;
}

const PROFILE_COLUMNS: readonly (keyof OccupationProfile)[] = [
  'soc_code',
  'area_code',
  'area_name',
  'area_type',
  'soc_title',
  'employment',
  'employment_flag',
  'annual_openings',
  'projected_change_pct',
  'projection_period',
  'oews_release',
  'annual_wage_median',
  'annual_wage_median_flag',
  'annual_wage_p10',
  'annual_wage_p10_flag',
  'annual_wage_p25',
  'annual_wage_p25_flag',
  'annual_wage_p75',
  'annual_wage_p75_flag',
  'annual_wage_p90',
  'annual_wage_p90_flag',
  'typical_education',
  'work_experience',
  'on_the_job_training',
  'job_zone',
  'bright_outlook',
  'high_opportunity',
  'opportunity_reasons',
];

/** The stream's columns: few, and mostly numbers (47k rows for every state: their strings were most of the reading). */
const AREA_COLUMNS = [
  'area_code',
  'employment',
  'employment_flag',
  'annual_openings',
  'projected_change_pct',
  'annual_wage_p10',
  'annual_wage_p10_flag',
  'annual_wage_median',
  'annual_wage_median_flag',
  'annual_wage_p90',
  'annual_wage_p90_flag',
  'high_opportunity',
] as const satisfies readonly (keyof OccupationProfile)[];

/** An occupation's figures in one area: the columns of the page's table of areas. */
export type OccupationAreaRow = Pick<OccupationProfile, (typeof AREA_COLUMNS)[number]>;

export interface OnetOccupation {
  onet_soc_code: string;
  onet_title: string;
  description: string;
  primary_code: boolean;
  onet_online_url: string;
}
export interface RelatedOccupation {
  related_soc_code: string;
  related_soc_title: string;
  same_cluster: boolean;
  other_clusters: string[];
}
export interface OccupationSector {
  naics_sector: string;
  naics_title: string;
  employment: number | null;
  employment_flag: string | null;
  share_of_occupation: number | null;
  annual_wage_median: number | null;
  annual_wage_median_flag: string | null;
}
export interface OccupationRelease {
  release: number;
  release_label: string;
  code_system: string;
  employment: number | null;
  annual_wage_median: number | null;
  annual_wage_median_flag: string | null;
}

/** The snapshot-wide facts of each occupation code. */
export interface OccupationFacts {
  /** O*NET's occupations for the code, its own (.00) first. */
  onet: Map<string, OnetOccupation[]>;
  interestCode: Map<string, string | null>;
  related: Map<string, RelatedOccupation[]>;
  /** National sectors, largest first (when the run read industry estimates). */
  industries: Map<string, OccupationSector[]>;
  /** National jobs and median wage by release (when the run had --history). */
  history: Map<string, OccupationRelease[]>;
  /** Programs of study (CIP) whose completers the framework links to the code. */
  programs: Map<string, { cip_code: string; cip_title: string }[]>;
}

type Coded<T> = T & { soc_code: string };

/** Each code's facts, read once for all pages (the tables are a few thousand rows each). */
export async function loadOccupationFacts(db: SnapshotReader): Promise<OccupationFacts> {
  const read = async <T>(table: string, sql: string): Promise<T[]> => (db.has(table) ? db.all<T>(sql, { file: db.file(table) }) : []);
  const onet = await read<Coded<OnetOccupation>>(
    'occupation_onet',
    'SELECT soc_code, onet_soc_code, onet_title, description, primary_code, onet_online_url FROM read_parquet($file) ORDER BY soc_code, NOT primary_code, onet_soc_code',
  );
  const interests = await read<{ soc_code: string; interest_code: string | null }>('occupation_interests', 'SELECT soc_code, interest_code FROM read_parquet($file)');
  const related = await read<Coded<RelatedOccupation>>(
    'related_occupations',
    'SELECT soc_code, related_soc_code, related_soc_title, same_cluster, other_clusters FROM read_parquet($file) ORDER BY soc_code, relatedness_index, related_soc_code',
  );
  const industries = await read<Coded<OccupationSector>>(
    'occupation_industries',
    `SELECT soc_code, naics_sector, naics_title, employment, employment_flag, share_of_occupation::DOUBLE AS share_of_occupation, annual_wage_median, annual_wage_median_flag
     FROM read_parquet($file) WHERE area_code = '99' ORDER BY soc_code, employment DESC NULLS LAST, naics_sector`,
  );
  const history = await read<Coded<OccupationRelease>>(
    'occupation_history',
    'SELECT soc_code, release, release_label, code_system, employment, annual_wage_median, annual_wage_median_flag FROM read_parquet($file) ORDER BY soc_code, release',
  );
  // A program's title is the same in every area: the nation's rows, or any area's.
  const programs =
    db.has('program_occupation_links') && db.has('programs')
      ? await db.all<{ soc_code: string; cip_code: string; cip_title: string }>(
          `SELECT l.soc_code, l.cip_code, t.cip_title FROM read_parquet($links) l
           JOIN (SELECT DISTINCT cip_code, cip_title FROM read_parquet($programs)) t USING (cip_code) ORDER BY l.soc_code, l.cip_code`,
          { links: db.file('program_occupation_links'), programs: db.file('programs') },
        )
      : [];
  return {
    onet: groupBy(onet, 'soc_code'),
    interestCode: new Map(interests.map((i) => [i.soc_code, i.interest_code])),
    related: groupBy(related, 'soc_code'),
    industries: groupBy(industries, 'soc_code'),
    history: groupBy(history, 'soc_code'),
    programs: groupBy(programs, 'soc_code'),
  };
}

/** Areas in the pages' order: the nation first, then states and other areas by name. */
const AREA_ORDER = "area_type <> 'national', area_type, area_name";

/**
 * Each occupation's profile and its rows in every area, occupation by occupation in code order
 * (areas in AREA_ORDER). Columns an older snapshot lacks read as empty.
 */
export async function* occupationRows(db: SnapshotReader): AsyncGenerator<[string, OccupationProfile, OccupationAreaRow[]]> {
  const file = db.file('occupations');
  const have = new Set((await db.all<{ column_name: string }>('DESCRIBE SELECT * FROM read_parquet($file)', { file })).map((c) => c.column_name));
  const select = (columns: readonly string[]) => columns.map((c) => (have.has(c) ? (c === 'projected_change_pct' ? `${c}::DOUBLE AS ${c}` : c) : `NULL AS ${c}`)).join(', ');
  const profiles = new Map(
    (
      await db.all<OccupationProfile>(
        `SELECT ${select(PROFILE_COLUMNS)} FROM read_parquet($file)
         QUALIFY row_number() OVER (PARTITION BY soc_code ORDER BY ${AREA_ORDER}) = 1`,
        { file },
      )
    ).map((p) => [p.soc_code, p]),
  );
  const rows = db.streamRows(`SELECT soc_code, ${select(AREA_COLUMNS)} FROM read_parquet($file) ORDER BY soc_code, ${AREA_ORDER}`, { file });
  for await (const [code, group] of groupedRows(rows, 'occupations.parquet by soc_code'))
    yield [
      code,
      profiles.get(code)!,
      group.map((r) => {
        const row = {} as Record<string, unknown>;
        for (let i = 0; i < AREA_COLUMNS.length; i++) row[AREA_COLUMNS[i]!] = r[i + 1];
        return row as unknown as OccupationAreaRow;
      }),
    ];
}

/** O*NET's alternate titles per code ("Registered Nurse (RN)", "Welder"), for the occupations index's search. */
export async function alternateTitles(db: SnapshotReader): Promise<Map<string, string[]>> {
  if (!db.has('occupation_titles')) return new Map();
  const rows = await db.all<{ soc_code: string; titles: string[] }>(
    `SELECT soc_code, list(DISTINCT title ORDER BY title) AS titles FROM read_parquet($file) WHERE source = 'onet_alternate' GROUP BY soc_code`,
    { file: db.file('occupation_titles') },
  );
  return new Map(rows.map((r) => [r.soc_code, r.titles]));
}
