// The import rules `npm run lint` checks (dependency-cruiser): no import circle, type-only
// imports included (a type import ties two modules' designs as much as a value import does).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not import itself through others: the layers are acquire → extract → load → transform → check → publish, datasets below the engine.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The bundle bin/lmi.js starts is built from these sources.
    exclude: { path: '^dist/' },
    // TypeScript 7's package has no compiler API to parse with: swc parses, and keeps type-only imports.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
