// A published snapshot as readers find it: latest.json (the pointer, written last) and each
// snapshot's manifest.json, with the rules for which folders count as published. The publisher
// (snapshot.ts) writes them; the report, the CLI and the operators read them through here.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SourceProvenanceSchema } from '../context.js';
import { PublishError } from '../errors.js';

export const ManifestSchema = z.object({
  snapshot_id: z.string(),
  /** The run that made it (runs history), so a run killed after publishing is still credited. */
  run_id: z.string().optional(),
  created_at: z.string(),
  code_version: z.string(),
  input_hash: z.string(),
  sources: z.array(SourceProvenanceSchema),
  facts: z.record(z.string(), z.union([z.string(), z.number()])),
  crosswalk_version: z.string(),
  policy: z.object({ name: z.string(), version: z.string(), title: z.string(), sha256: z.string(), sources: z.array(z.object({ title: z.string(), url: z.string() })) }),
  bright_outlook: z.object({ edition: z.string(), faster_than_average_pct: z.number(), openings_over_period: z.number(), source: z.string() }),
  tables: z.record(z.string(), z.object({ rows: z.number(), files: z.array(z.string()) })),
  quality: z.enum(['pass', 'warn', 'fail']),
  attribution: z.array(z.string()),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const LatestSchema = z.object({
  snapshot_id: z.string(),
  path: z.string(),
  created_at: z.string(),
  /** What a consumer polls for (added later; older latest.json files lack them). */
  releases: z.record(z.string(), z.string()).optional(),
  rows: z.record(z.string(), z.number()).optional(),
  quality: z.enum(['pass', 'warn', 'fail']).optional(),
});
export type Latest = z.infer<typeof LatestSchema>;

export const snapshotsDir = (outputDir: string) => path.join(outputDir, 'snapshots');
export const latestFile = (outputDir: string) => path.join(outputDir, 'latest.json');

export async function readLatest(outputDir: string): Promise<Latest | undefined> {
  const file = latestFile(outputDir);
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, 'utf8');
  try {
    return LatestSchema.parse(JSON.parse(text));
  } catch (err) {
    // Written only by rename, so a damaged one was changed by hand or by a disk fault.
    const why = err instanceof SyntaxError ? err.message : 'it is not the pointer the pipeline writes';
    throw new PublishError(
      `${file} is damaged (${why}); nothing was changed: restore it from a backup (it names the newest published snapshot, a folder of ${snapshotsDir(outputDir)}, whose manifest.json has the id and created_at it needs)`,
    );
  }
}

export async function readManifest(outputDir: string, snapshotId: string): Promise<Manifest> {
  return ManifestSchema.parse(JSON.parse(await readFile(path.join(snapshotsDir(outputDir), snapshotId, 'manifest.json'), 'utf8')));
}

/** Each source's release, by source name, as latest.json and `lmi snapshots` show them. */
export function releasesOf(manifest: Pick<Manifest, 'sources'>): Record<string, string> {
  return Object.fromEntries(manifest.sources.map((s) => [s.source, s.release]));
}

/**
 * Snapshot folders a run finished writing but never published: made after the snapshot
 * latest.json names (or when there is none). A kill between the folder's rename and the
 * latest.json write leaves one; nothing may list it as published, and the sweep removes it.
 */
export async function unpublishedSnapshots(outputDir: string): Promise<string[]> {
  const root = snapshotsDir(outputDir);
  if (!existsSync(root)) return [];
  const latest = await readLatest(outputDir);
  const out: string[] = [];
  for (const id of (await readdir(root)).filter((n) => !n.startsWith('.')).sort()) {
    if (id === latest?.snapshot_id) continue;
    const created = await readManifest(outputDir, id).then(
      (m) => m.created_at,
      () => undefined,
    );
    if (created === undefined || !latest || created > latest.created_at) out.push(id);
  }
  return out;
}
