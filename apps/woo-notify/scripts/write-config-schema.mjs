// Writes config.schema.json, the JSON Schema of the configuration file, from the zod schema in
// src/config.ts (through the build), formatted as Biome wants it: pnpm build && pnpm schema.
// A test fails while the file says something else than the schema.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../dist/index.js';

const file = fileURLToPath(new URL('../config.schema.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', file], { stdio: 'inherit' });
console.log(`wrote ${file}`);
