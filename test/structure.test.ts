// The dataset contract: the engine (everything under src/ and bin/) reaches the datasets through
// the registry (pipelines/index.ts) and names none of them; a dataset is added under pipelines/,
// sql/, crosswalks/ and test/ alone.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../pipelines/index.js';
import { publishedTables } from '../src/publish/tables.js';
import { PROJECT } from './helpers.js';

/** Every TypeScript and JavaScript file of the engine, with its text (comments removed: prose may name a source). */
function engineFiles(): { file: string; code: string }[] {
  return ['src', 'bin'].flatMap((dir) =>
    readdirSync(path.join(PROJECT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|js)$/.test(f))
      .map((f) => {
        const text = readFileSync(path.join(PROJECT, dir, f), 'utf8');
        return { file: `${dir}/${f}`, code: text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1') };
      }),
  );
}

describe('the engine names no dataset', () => {
  it('no file under src/ or bin/ has a dataset name as a string, but where it is a published table or a documented column value', () => {
    const tables = new Set(Object.keys(publishedTables()));
    // Values of published columns, as their declarations document them (sql/marts/*.yml).
    const columnValues: Record<string, string[]> = { 'src/views/search.ts': ['oews'] }; // occupation_titles.source: the occupation's own title
    expect(publishedTables().occupation_titles!.columns.source).toMatch(/^oews \(the occupation's own title\)/);
    const found = engineFiles().flatMap(({ file, code }) =>
      DATASETS.filter((d) => !tables.has(d.name) && !columnValues[file]?.includes(d.name))
        .filter((d) => new RegExp(`['"\`]${d.name}['"\`]`).test(code))
        .map((d) => `${file}: ${d.name}`),
    );
    expect(found).toEqual([]);
  });

  it('the registry is the one list: every pipelines/ file that exports a dataset is in it', () => {
    const files = readdirSync(path.join(PROJECT, 'pipelines')).filter((f) => f.endsWith('.ts') && !['index.ts', 'dataset.ts'].includes(f));
    const declared = files.flatMap((f) => [...readFileSync(path.join(PROJECT, 'pipelines', f), 'utf8').matchAll(/^export const (\w+Dataset)\b/gm)].map((m) => m[1]!));
    const index = readFileSync(path.join(PROJECT, 'pipelines', 'index.ts'), 'utf8');
    expect(declared.filter((name) => !new RegExp(`^\\s*${name},$`, 'm').test(index))).toEqual([]);
    expect(new Set(DATASETS.map((d) => d.name)).size).toBe(DATASETS.length);
  });
});
