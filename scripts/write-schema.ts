/**
 * Writes scenarios/schema.json from the schema object in src/twin/scenario-schema.ts, so editors
 * can complete scenario files (point yaml-language-server at it). test/twin/schema.test.ts fails
 * when the published file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { schemaFileContent, SCHEMA_FILE } from '../src/twin/schema-file.ts';

writeFileSync(SCHEMA_FILE, schemaFileContent());
console.log(`wrote ${SCHEMA_FILE}`);
