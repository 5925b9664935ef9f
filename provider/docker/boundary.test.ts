// dockerode's methods are called only inside provider/docker/ and provider/hosts/: everything
// else goes through the layer (containers.ts, volumes.ts, helper-container.ts ...). The scan
// looks for dockerode's entry points (every container, volume, network, image or exec object
// comes from one of them) and its engine-level calls, in the provider's non-test sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const PROVIDER = join(__dirname, '..');
const ALLOWED = ['docker/', 'hosts/'];

const DOCKERODE_CALL = new RegExp(
  [
    String.raw`\.(createContainer|getContainer|listContainers|getVolume|createVolume|listVolumes|pruneVolumes)\(`,
    String.raw`\.(getNetwork|createNetwork|listNetworks|getImage|listImages|pruneImages|buildImage|importImage)\(`,
    String.raw`\.(putArchive|getArchive|getExec|getEvents|checkAuth|demuxStream|followProgress)\(`,
    String.raw`\b\w*docker\.(info|version|ping|pull|modem)\b`,
  ].join('|'),
);

/** `path:line: text` of each dockerode call in a source text (comments skipped). */
export function dockerodeCalls(path: string, text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*') && DOCKERODE_CALL.test(line))
    .map(({ line, n }) => `${path}:${n}: ${line}`);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every dockerode call outside provider/docker and provider/hosts under `root` (a provider/ tree). */
export function callsOutsideLayer(root: string): string[] {
  return sources(root)
    .map((path) => relative(root, path))
    .filter((path) => !ALLOWED.some((dir) => path.startsWith(dir)))
    .flatMap((path) => dockerodeCalls(path, readFileSync(join(root, path), 'utf8')));
}

describe('the Docker client boundary', () => {
  it('finds the calls it looks for', () => {
    const sample = [
      'const info = await docker.getContainer(name).inspect();',
      'await host.docker.createContainer({ Image: image });',
      'const facts = (await context.docker.info()) as Info;',
      "await ref.docker.getVolume('v').remove();",
      '// docker.getContainer(x) in a comment is fine',
      "const digest = createHash('sha256').update(text).digest('hex');",
      'const found = PATTERN.exec(value);',
    ].join('\n');
    expect(dockerodeCalls('x.ts', sample)).toEqual([
      'x.ts:1: const info = await docker.getContainer(name).inspect();',
      'x.ts:2: await host.docker.createContainer({ Image: image });',
      'x.ts:3: const facts = (await context.docker.info()) as Info;',
      "x.ts:4: await ref.docker.getVolume('v').remove();",
    ]);
  });

  it('no dockerode method is called outside provider/docker and provider/hosts', () => {
    expect(callsOutsideLayer(PROVIDER)).toEqual([]);
  });
});
