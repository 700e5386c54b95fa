// High-opportunity policies as data: each file in policies/ is a set of rules over occupation
// columns, with thresholds absolute ($/hr, openings, %) or relative to the area, combined with
// all of / any of. Compiled here to SQL expressions that sql/marts/04_occupations.sql
// evaluates, with a reason a person can read for every rule that holds.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { lit } from '../load/warehouse.js';
import { PROJECT_ROOT } from '../paths.js';

export const POLICIES_DIR = path.join(PROJECT_ROOT, 'policies');
export const DEFAULT_POLICY = 'perkins-default';

/** Occupation measures rules may test, and how a reason names them. */
export const NUMERIC_COLUMNS = {
  annual_wage_median: { label: 'median', unit: '$' },
  annual_wage_mean: { label: 'mean wage', unit: '$' },
  hourly_wage_median: { label: 'median hourly', unit: '$/hr' },
  annual_openings: { label: 'openings/yr', unit: '' },
  projected_change_pct: { label: 'growth', unit: '%' },
  job_zone: { label: 'Job Zone', unit: '' },
  wage_growth_potential: { label: 'P75/P25 wage ratio', unit: '' },
  employment: { label: 'employment', unit: '' },
} as const;
export const TEXT_COLUMNS = ['typical_education', 'on_the_job_training', 'work_experience'] as const;

/** Per-area baselines, computed in SQL (03_area_baselines.sql). */
export const AREA_BASELINES = {
  all_occupations_median_wage: 'area median',
  all_occupations_mean_wage: 'area mean wage',
  all_occupations_growth_pct: 'area growth',
  median_openings: 'area median openings',
  mean_openings: 'area mean openings',
  median_wage_growth_potential: 'area median P75/P25',
} as const;

const NumericRule = z
  .object({
    column: z.enum(Object.keys(NUMERIC_COLUMNS) as [keyof typeof NUMERIC_COLUMNS]),
    op: z.enum(['>=', '>', '<=', '<']),
    value: z.union([z.number(), z.object({ area: z.enum(Object.keys(AREA_BASELINES) as [keyof typeof AREA_BASELINES]) }).strict()]),
    label: z.string().optional(),
  })
  .strict();
const TextRule = z.object({ column: z.enum(TEXT_COLUMNS), op: z.literal('in'), values: z.array(z.string()).min(1), label: z.string().optional() }).strict();
const Rule = z.union([NumericRule, TextRule]);
const Combination = z.union([z.object({ all: z.array(Rule).min(1) }).strict(), z.object({ any: z.array(Rule).min(1) }).strict()]);
const FLAGS = ['high_wage', 'high_skill', 'in_demand'] as const;

export const PolicySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    version: z.string(),
    title: z.string(),
    sources: z.array(z.object({ title: z.string(), url: z.string().url() })).min(1),
    high_wage: Combination,
    high_skill: Combination,
    in_demand: Combination,
    high_opportunity: z.union([z.object({ all: z.array(z.enum(FLAGS)).min(1) }).strict(), z.object({ any: z.array(z.enum(FLAGS)).min(1) }).strict()]),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;

export const BrightOutlookSchema = z.object({
  name: z.literal('bright-outlook'),
  version: z.string(),
  title: z.string(),
  sources: z.array(z.object({ title: z.string(), url: z.string().url() })),
  editions: z.record(z.string(), z.object({ faster_than_average_pct: z.number(), openings_over_period: z.number(), source: z.string() })),
});
export type BrightOutlook = z.infer<typeof BrightOutlookSchema>;

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/** The most specific problem: inside a union, the branch that got furthest before failing. */
function deepestIssue(issue: Issue, prefix: PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  const here = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return { path: here, message: issue.message };
  return issue.errors
    .flat()
    .map((i) => deepestIssue(i, here))
    .reduce((a, b) => (b.path.length > a.path.length ? b : a));
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = deepestIssue(parsed.error.issues[0] as Issue);
    throw new ConfigError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function listPolicies(dir = POLICIES_DIR): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith('.json') && f !== 'bright-outlook.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** A policy by name (from policies/) or by path to a JSON file. */
export async function loadPolicy(nameOrFile: string, dir = POLICIES_DIR): Promise<{ policy: Policy; file: string; text: string }> {
  const file = nameOrFile.endsWith('.json') ? path.resolve(nameOrFile) : path.join(dir, `${nameOrFile}.json`);
  const known = await listPolicies(dir);
  if (!nameOrFile.endsWith('.json') && !known.includes(nameOrFile))
    throw new ConfigError(`--policy ${nameOrFile}: no such policy (known: ${known.join(', ')}; or give a .json file)`);
  const policy = parseWith(PolicySchema, await readJson(file), file);
  return { policy, file, text: await readFile(file, 'utf8') };
}

export async function loadBrightOutlook(dir = POLICIES_DIR): Promise<{ config: BrightOutlook; text: string }> {
  const file = path.join(dir, 'bright-outlook.json');
  return { config: parseWith(BrightOutlookSchema, await readJson(file), file), text: await readFile(file, 'utf8') };
}

type RuleT = z.infer<typeof Rule>;

const num = (expr: string, unit: string) =>
  unit === '$'
    ? `'$' || format('{:,}', round(${expr})::BIGINT)`
    : unit === '$/hr'
      ? `'$' || format('{:.2f}', (${expr})::DOUBLE) || '/hr'`
      : unit === '%'
        ? `format('{:.1f}', (${expr})::DOUBLE) || '%'`
        : `CASE WHEN ${expr} = round(${expr}) THEN format('{:,}', round(${expr})::BIGINT) ELSE format('{:,.2f}', (${expr})::DOUBLE) END`;

/** SQL for one rule: its truth (NULL when the data is missing) and its reason text. */
function compileRule(rule: RuleT): { test: string; reason: string } {
  if (rule.op === 'in') {
    const test = `(m.${rule.column} IN (${rule.values.map(lit).join(', ')}))`;
    return { test, reason: `${lit(`${rule.label ? `${rule.label}: ` : ''}`)} || m.${rule.column}` };
  }
  const col = NUMERIC_COLUMNS[rule.column];
  const threshold = typeof rule.value === 'number' ? String(rule.value) : `b.${rule.value.area}`;
  const thresholdLabel = typeof rule.value === 'number' ? '' : `${AREA_BASELINES[rule.value.area]} `;
  const op = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' }[rule.op];
  const test = `(m.${rule.column} ${rule.op} ${threshold})`;
  const reason = `${lit(`${rule.label ? `${rule.label}: ` : ''}${col.label} `)} || ${num(`m.${rule.column}`, col.unit)} || ${lit(` ${op} ${thresholdLabel}`)} || ${num(threshold, col.unit)}`;
  return { test, reason };
}

/** SQL expressions for each flag, its reasons, and high opportunity (the models' {{…_sql}} placeholders). */
export function compilePolicy(policy: Policy): Record<string, string> {
  const out: Record<string, string> = {};
  const reasons: string[] = [];
  for (const flag of FLAGS) {
    const combo = policy[flag];
    const rules = ('all' in combo ? combo.all : combo.any).map(compileRule);
    out[`${flag}_sql`] = `(${rules.map((r) => r.test).join('all' in combo ? ' AND ' : ' OR ')})`;
    const words = flag.replace('_', ' ');
    // Reasons for the rules that hold, when the flag holds.
    reasons.push(`CASE WHEN ${out[`${flag}_sql`]} THEN ${lit(`${words}: `)} || concat_ws(', ', ${rules.map((r) => `CASE WHEN ${r.test} THEN ${r.reason} END`).join(', ')}) END`);
  }
  const ho = policy.high_opportunity;
  const parts = ('all' in ho ? ho.all : ho.any).map((f) => `(${out[`${f}_sql`]})`);
  out.high_opportunity_sql = `(${parts.join('all' in ho ? ' AND ' : ' OR ')})`;
  out.reasons_sql = `nullif(concat_ws('; ', ${reasons.join(', ')}), '')`;
  return out;
}
