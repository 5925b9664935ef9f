import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageSchema } from './package-schema';
import { referenceDocs } from './reference-docs';
import { sdkTypesFiles } from './sdk-types';

/**
 * Writes schema.json, docs/reference/*.md and the SDK's types (sdk/generated/*.ts) from the zod
 * schemas (`npm run schema`).
 */
export function generatedFiles(root: string): Record<string, string> {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  const schema = packageSchema(version);
  const files: Record<string, string> = { 'schema.json': JSON.stringify(schema, null, 2) + '\n' };
  for (const [page, text] of Object.entries(referenceDocs(schema))) files[`docs/reference/${page}`] = text;
  return { ...files, ...sdkTypesFiles() };
}

if (require.main === module) {
  const root = resolve(__dirname, '..', '..', '..');
  mkdirSync(join(root, 'docs', 'reference'), { recursive: true });
  mkdirSync(join(root, 'sdk', 'generated'), { recursive: true });
  for (const [path, text] of Object.entries(generatedFiles(root))) {
    writeFileSync(join(root, path), text);
    console.log(`wrote ${path}`);
  }
}
