#!/usr/bin/env node
// `npm run bench`: the compiled bench/run.ts (npm run bench builds first; see docs/performance.md).
await import('../dist/bench/run.js');
