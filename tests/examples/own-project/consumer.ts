import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

/** The @pulumi/pulumi version windock pins: a consumer must ask for the same one to share it. */
export function pinnedPulumiVersion(): string {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return manifest.dependencies['@pulumi/pulumi']!;
}

/**
 * A user's own Pulumi project outside the repository, depending on this checkout with `file:`,
 * as the README tells users to do; `installLinks` writes the .npmrc line the README asks for.
 */
export function makeConsumer(parent: string, installLinks: boolean): string {
  const dir = mkdtempSync(join(parent, installLinks ? 'links-' : 'plain-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'my-lab',
      private: true,
      dependencies: { '@pulumi/pulumi': pinnedPulumiVersion(), windock: `file:${REPO}` },
    }),
  );
  if (installLinks) writeFileSync(join(dir, '.npmrc'), 'install-links=true\n');
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: my-lab\nruntime: nodejs\n');
  writeFileSync(join(dir, 'preview.js'), PREVIEW_PROGRAM);
  return dir;
}

function run(
  dir: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ...env },
  });
}

/** npm install from the cache the set-up's `npm ci` filled: offline, no registry needed. */
export function npmInstall(dir: string): void {
  const result = run(dir, 'npm', ['install', '--offline', '--no-audit', '--no-fund']);
  if (result.status !== 0)
    throw new Error(
      `npm install --offline failed in ${dir} (ENOTCACHED: run the set-up first):\n${result.stdout}\n${result.stderr}`,
    );
}

/** Every installed copy of @pulumi/pulumi in the consumer's dependency tree (real paths). */
export function pulumiCopies(dir: string): string[] {
  const result = run(dir, 'npm', ['ls', '@pulumi/pulumi', '--all', '--parseable', '--long']);
  const paths = result.stdout.split('\n').filter((line) => line.includes('@pulumi/pulumi@'));
  return [...new Set(paths.map((line) => line.split(':')[0]!))];
}

/**
 * `pulumi preview` of a one-VM program, run from the consumer's own node_modules through the
 * Automation API (inline: the Node language host cannot be built here, shared/notes/pulumi.md).
 */
export function previewOneVm(dir: string, guestDir: string): { status: number; output: string } {
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  const result = run(dir, 'node', ['preview.js'], {
    WINDOCK_GUEST_DIR: guestDir,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: 'windock-tests',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_HOME: process.env.PULUMI_HOME ?? join(dir, 'pulumi-home'),
  });
  return { status: result.status ?? -1, output: `${result.stdout}\n${result.stderr}` };
}

export function consumersParent(): string {
  return mkdtempSync(join(tmpdir(), 'windock-own-project-'));
}

// Plain JavaScript in the consumer's folder, so that `require` resolves from its node_modules.
const PREVIEW_PROGRAM = `const { LocalWorkspace } = require('@pulumi/pulumi/automation');
const program = async () => {
  const { WindowsVm } = require('windock');
  const g = process.env.WINDOCK_GUEST_DIR;
  const vm = new WindowsVm('vm-1', {
    media: { kind: 'kernel', kernelFile: g + '/vmlinuz', initrdFile: g + '/initrd.img', diskImageFile: g + '/disk.qcow2' },
    memory: '512MiB',
    systemDiskSize: '1GiB',
    firmware: 'bios',
    accelerator: 'auto',
  });
  return { phase: vm.phase };
};
(async () => {
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: 'dev', projectName: 'my-lab', program },
    { workDir: process.cwd() },
  );
  const result = await stack.preview({ onOutput: (s) => process.stdout.write(s) });
  console.log('CHANGE-SUMMARY ' + JSON.stringify(result.changeSummary));
})().catch((error) => {
  console.error(String(error && error.message ? error.message : error));
  process.exit(1);
});
`;
