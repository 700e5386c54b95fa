// `npm run build`, second step: the CLI that bin/lmi.js starts, bundled by esbuild from what tsc
// emitted (dist/src/) into dist/cli/, with its dependencies. Why: Node resolved, read and linked
// hundreds of module files at every start (@duckdb/node-api alone is 181); bundled, `lmi --help`
// took 0.13 s instead of 0.24 s and a no-op refresh 0.41 s instead of 0.49 s (docs/performance.md).
// tsc's dist/src/ stays: it is the bundle's input, and the bench (dist/bench/) imports it.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const compiled = (file) => path.join(root, 'dist', 'src', file);
const outdir = path.join(root, 'dist', 'cli');

// The chunks' names carry a hash of their content: an earlier build's would stay beside them.
await rm(outdir, { recursive: true, force: true });

await build({
  entryPoints: [
    compiled('cli/main.js'),
    // The report's worker is started by file name (new URL('./report-worker.js',
    // import.meta.url)): an entry of its own, beside the chunk that starts it.
    compiled('publish/report/report-worker.js'),
  ],
  outdir,
  entryNames: '[name]',
  bundle: true,
  // Modules loaded only by some commands (the report, S3) stay in chunks of their own.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // DuckDB's native binding is loaded from node_modules; the AWS SDK only by runs that publish
  // to S3, as before. The report worker imports its '.ts' modules only when run from the
  // TypeScript sources (through tsx).
  external: ['@duckdb/node-bindings', '@aws-sdk/*', 'tsx/*', '*.ts'],
  // The bundled CommonJS packages call require(): ESM has none, so give them Node's.
  banner: { js: "import { createRequire as __lmiCreateRequire } from 'node:module'; const require = __lmiCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
