/**
 * The lint rules that keep the house's directions: proven to fire, so that a config change that
 * silently disables them fails CI.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleHits(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint rules', () => {
  for (const room of ['engine', 'models', 'orchestrator', 'ports']) {
    it(`keep wall clock, timers and Math.random out of src/${room}`, async () => {
      const hits = await ruleHits(
        'import { performance as p } from "node:perf_hooks";\nexport const a = [Date.now(), Math.random(), new Date(), p];\nsetTimeout(() => {}, 1);\n',
        `src/${room}/example.ts`,
      );
      expect(hits.filter((h) => h === 'no-restricted-properties')).toHaveLength(2);
      expect(hits).toContain('no-restricted-syntax');
      expect(hits).toContain('no-restricted-globals');
      expect(hits).toContain('no-restricted-imports');
    });
  }

  it('keep the engine ignorant of models and the orchestrator ignorant of engine, models and real adapters', async () => {
    expect(await ruleHits('import "../models/topology.ts";\n', 'src/engine/example.ts')).toContain('no-restricted-imports');
    for (const target of ['../engine/engine.ts', '../models/topology.ts', '../real/ipmi.ts']) {
      expect(await ruleHits(`import "${target}";\n`, 'src/orchestrator/example.ts')).toContain('no-restricted-imports');
    }
    expect(await ruleHits('import "../orchestrator/run.ts";\n', 'src/models/example.ts')).toContain('no-restricted-imports');
  });

  it('allow the wall clock where it belongs (real adapters, CLI)', async () => {
    expect(await ruleHits('export const t = Date.now();\n', 'src/real/example.ts')).toEqual([]);
  });
});
