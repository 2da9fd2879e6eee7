import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaFileContent } from '../../src/twin/schema-file.ts';

describe('published scenario schema', () => {
  it('scenarios/schema.json matches the schema the loader uses (run `npm run schema` after a change)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileContent());
  });
});
