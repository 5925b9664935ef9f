// Bundles the supervisor (with the shared VM spec schemas and zod) into image/dist/, next to
// the console page and noVNC, so the Dockerfile only copies files: no npm inside the image.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'image', 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets', 'novnc'), { recursive: true });

await build({
  entryPoints: [join(root, 'image', 'supervisor', 'main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  outfile: join(out, 'supervisor.js'),
  legalComments: 'none',
  logLevel: 'warning',
});
cpSync(join(root, 'image', 'assets', 'console.html'), join(out, 'assets', 'console.html'));
const novnc = join(root, 'node_modules', '@novnc', 'novnc');
for (const part of ['core', 'vendor', 'LICENSE.txt'])
  cpSync(join(novnc, part), join(out, 'assets', 'novnc', part), { recursive: true });
console.log(`bundled the supervisor into ${out}`);
