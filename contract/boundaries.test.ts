import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Who may import whom. The contract is what provider and image agree on; lib/ is code both run.
 * The image never runs provider code, and the provider never reaches into the image.
 */
const ROOT = resolve(__dirname, '..');
const RULES: Array<{ from: string; allowed: string[]; why: string }> = [
  { from: 'contract/', allowed: ['contract/'], why: 'the contract depends on nothing of ours' },
  { from: 'lib/', allowed: ['lib/', 'contract/'], why: 'shared libraries use only the contract' },
  {
    from: 'image/supervisor/',
    allowed: ['image/', 'contract/', 'lib/'],
    why: 'the image imports only the contract and the shared libraries',
  },
  {
    from: 'provider/',
    allowed: ['provider/', 'contract/', 'lib/', 'package.json'],
    why: 'the provider never imports image code: what both need goes to contract/ or lib/',
  },
];

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name)));
}

export function boundaryViolations(): string[] {
  return RULES.flatMap((rule) =>
    sourceFiles(rule.from).flatMap((file) =>
      relativeImports(file)
        // Tests beside the code may use the shared test rig.
        .filter((target) => !(file.endsWith('.test.ts') && target.startsWith('tests/')))
        .filter(
          (target) =>
            !rule.allowed.some((prefix) => target === prefix.replace(/\/$/, '') || target.startsWith(prefix)),
        )
        .map((target) => `${file} imports ${target}: ${rule.why}`),
    ),
  );
}

describe('import boundaries', () => {
  it('holds for every file of contract/, lib/, image/supervisor/ and provider/', () => {
    expect(boundaryViolations()).toEqual([]);
  });

  it('resolves the imports it checks (a moved file shows here, not as a silent pass)', () => {
    const imports = relativeImports('image/supervisor/qemu/disks.ts');
    expect(imports).toContain('contract/block-nodes');
  });
});
