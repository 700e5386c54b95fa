#!/usr/bin/env node
// Starts the compiled CLI (`npm run build`, which `npm ci` runs as its prepare step). Set
// LMI_FROM_SOURCE=1 to run the TypeScript sources through tsx instead, without a build.
if (process.env.LMI_FROM_SOURCE) {
  (await import('tsx/esm/api')).register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/src/cli/main.js').catch((err) => {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/src/cli/main.js')) throw err;
    process.stderr.write('lmi: the compiled CLI is missing: run `npm run build` (npm ci runs it) first\n');
    process.exit(1);
  });
}
