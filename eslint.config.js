// Lint rules that keep the house's directions (see ARCHITECTURE.md):
// - simulated code (engine, models, orchestrator, ports) never reads the wall clock, never uses
//   Math.random and never arms a timer: time comes from the engine, randomness from seeded streams;
// - engine knows nothing of models; models know nothing of the orchestrator; the orchestrator
//   knows only the ports.
import tseslint from 'typescript-eslint';

const simulatedCode = ['src/engine/**/*.ts', 'src/models/**/*.ts', 'src/orchestrator/**/*.ts', 'src/ports/**/*.ts'];

const noWallClock = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Wall clock in simulated code: use the engine clock.' },
    { object: 'Math', property: 'random', message: 'Unseeded randomness: use a named seeded stream.' },
    { object: 'performance', property: 'now', message: 'Wall clock in simulated code: use the engine clock.' },
    { object: 'process', property: 'hrtime', message: 'Wall clock in simulated code: use the engine clock.' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Timers in simulated code: schedule on the engine calendar.' },
    { name: 'setInterval', message: 'Timers in simulated code: schedule on the engine calendar.' },
    { name: 'setImmediate', message: 'Timers in simulated code: schedule on the engine calendar.' },
    { name: 'performance', message: 'Wall clock in simulated code: use the engine clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'Wall clock in simulated code: use the engine clock.' },
  ],
};

// Every room given to forbidImports is simulated code, so the wall-clock modules are banned too.
function forbidImports(...groups) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: ['perf_hooks', 'node:perf_hooks', 'timers', 'node:timers', 'timers/promises', 'node:timers/promises'].map((name) => ({
          name,
          message: 'Wall clock or timers in simulated code: use the engine clock and calendar.',
        })),
        patterns: groups.map((g) => ({ group: [`**/${g}/**`, `**/${g}`], message: `This room must not import from src/${g} (see ARCHITECTURE.md).` })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dashboards/vendor/**', 'out/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: simulatedCode, rules: noWallClock },
  { files: ['src/engine/**/*.ts'], rules: forbidImports('models', 'orchestrator', 'real', 'cli', 'scenario', 'ports', 'twin', 'server', 'planning') },
  { files: ['src/models/**/*.ts'], rules: forbidImports('orchestrator', 'real', 'cli', 'twin', 'server', 'planning') },
  { files: ['src/orchestrator/**/*.ts'], rules: forbidImports('engine', 'models', 'real', 'twin', 'cli', 'server') },
  { files: ['src/ports/**/*.ts'], rules: forbidImports('engine', 'models', 'real', 'twin', 'orchestrator', 'cli', 'server') },
);
