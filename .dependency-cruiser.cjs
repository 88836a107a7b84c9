/**
 * The floors of docs/ARCHITECTURE.md, enforced. An import may point to its own floor or lower.
 * Floor 1: domain, ports · 2: ingest, features · 3: detectors, correlate, policy, provenance, intel/stix
 * 4: pipeline, sim, eval · 5: store, gateway, intel/taxii, api, report · 6: runtime · 7: cli
 */
const FLOORS = [
  ['domain', 'ports'],
  ['ingest', 'features'],
  ['detectors', 'correlate', 'policy', 'provenance', 'intel/stix'],
  ['pipeline', 'sim', 'eval'],
  ['store', 'gateway', 'intel/taxii', 'intel/index\\.ts', 'api', 'report', 'cluster'],
  ['runtime'],
  ['cli'],
];
const alt = (mods) => `^src/(${mods.join('|')})`;
const floorRules = FLOORS.slice(0, -1).map((mods, i) => ({
  name: `floor-${i + 1}-imports-upward`,
  comment: `${mods.join(', ')} (floor ${i + 1}) may not import a higher floor`,
  severity: 'error',
  from: { path: alt(mods) },
  to: { path: alt(FLOORS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: 'no-circular',
      comment: 'no import cycles at run time (type-only cycles, as in Hono context typing, vanish when compiled)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing from the project outside itself and no I/O library',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { path: '^(src/(?!domain)|node_modules/(hono|pg|better-sqlite3|ioredis|@nats-io|nats)/)' },
    },
    {
      name: 'core-has-no-io-libraries',
      comment: 'features, detectors, correlate, policy, provenance and intel/stix never import servers or databases',
      severity: 'error',
      from: { path: '^src/(features|detectors|correlate|policy|provenance|intel/stix)' },
      to: { path: '(^src/(store|gateway|api)|node_modules/(hono|@hono|pg|better-sqlite3|ioredis|@nats-io|nats)/)' },
    },
    {
      name: 'store-adapters-are-independent',
      comment: 'store adapters never import each other (the contract suite may import any)',
      severity: 'error',
      from: { path: '^src/store/(memory|sqlite|postgres|redis|nats)/' },
      to: { path: '^src/store/([^/]+)/', pathNot: '^src/store/$1/' },
    },
    {
      name: 'only-public-faces',
      comment: 'outside a folder, import only its index.ts (its public face)',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/([^/]+)/',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/(store|intel)/[^/]+/index\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
