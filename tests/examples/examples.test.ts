import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSyntheticSysfs, syntheticWorkstation } from '../../provider/gpu/fixtures/synthetic-sysfs';
import { localDocker, WINDOCK_IMAGE } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { startSshHosts } from '../rig/ssh-hosts';
import { standinGuestDir } from '../rig/standin-guest';

const DIST = resolve(__dirname, '..', '..', 'dist', 'examples');
const example = (name: string, stack: string) => new PulumiRig(name, stack, join(DIST, name, 'index.js'));
const docker = localDocker();

async function guest(container: string, command: string): Promise<{ code: number | null; out: string }> {
  const result = await guestShell(docker, container, command, 30_000);
  return { code: result.exitCode, out: result.stdout };
}

async function windockObjects(): Promise<string[]> {
  const containers = (await docker.listContainers({ all: true })).flatMap((c) => c.Names);
  const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
  return [...containers, ...volumes].filter((name) => /windock-(golden|clone|lab|ci|base)/.test(name));
}

/** The examples are real Pulumi projects: each runs through the real engine, up and destroy. */
describe('examples through the real engine', () => {
  const config = { standinGuestDir: standinGuestDir(), accelerator: 'tcg' };

  it('golden-clones: linked clones share the golden disk copy-on-write and are isolated', async () => {
    const rig = example('golden-clones', 'ci');
    try {
      rig.ok('up', config);
      const clones = ['windock-clone-1', 'windock-clone-2'];
      for (const clone of clones) {
        const info = await docker.getContainer(clone).inspect();
        expect(info.State.Running).toBe(true);
        expect(
          info.Mounts.some(
            (m) => m.Destination.startsWith('/base') || (m.Name ?? '').startsWith('windock-base'),
          ),
        ).toBe(true);
        expect((await guest(clone, 'cat /mnt/disk/hello.txt')).out).toBe('windock stand-in guest disk');
      }
      await guest(clones[0]!, 'echo only-in-clone-1 > /mnt/disk/mine && sync');
      expect((await guest(clones[1]!, 'cat /mnt/disk/mine')).code).not.toBe(0);
      expect((await guest('windock-golden-ci', 'cat /mnt/disk/mine')).code).not.toBe(0);
      const macs = await Promise.all(
        clones.map(async (c) => (await docker.getContainer(c).inspect()).Config.Labels['io.windock.uuid']),
      );
      expect(new Set(macs).size).toBe(2);
      rig.ok('destroy', config);
      expect(await windockObjects()).toEqual([]);
    } finally {
      rig.run('destroy', config);
      rig.dispose();
    }
  });

  it('snapshot-restore: bumping restoreGeneration restores the memory snapshot in place', async () => {
    const rig = example('snapshot-restore', 'ci');
    try {
      rig.ok('up', config);
      const before = (await docker.getContainer('windock-lab-ci').inspect()).Id;
      await guest('windock-lab-ci', 'echo after-snapshot > /run/marker');
      const restore = rig.ok('up', { ...config, restoreGeneration: 1 });
      expect(resourceSteps(restore).find((s) => s.urn.endsWith('WindowsVm::lab'))?.op).toBe('update');
      expect((await docker.getContainer('windock-lab-ci').inspect()).Id).toBe(before);
      expect((await guest('windock-lab-ci', 'cat /run/marker')).code).not.toBe(0);
      rig.ok('destroy', { ...config, restoreGeneration: 1 });
      expect(await windockObjects()).toEqual([]);
    } finally {
      rig.run('destroy', config);
      rig.dispose();
    }
  });

  it('fleet: a component spreads VMs over two SSH hosts', async () => {
    const hosts = await startSshHosts(2, { images: [WINDOCK_IMAGE] });
    const rig = example('fleet', 'ci');
    const fleetConfig = {
      ...config,
      'windock:hosts': hosts.hosts.map((h) => h.config),
      hosts: hosts.hosts.map((h) => h.name),
      count: 2,
    };
    try {
      rig.ok('up', fleetConfig);
      for (const [i, host] of hosts.hosts.entries()) {
        const names = execFileSync(
          'docker',
          ['-H', `unix://${host.socketPath}`, 'ps', '--format', '{{.Names}}'],
          { encoding: 'utf8' },
        );
        expect(names.trim()).toBe(`windock-ci-${i + 1}`);
      }
      rig.ok('destroy', fleetConfig);
    } finally {
      rig.run('destroy', fleetConfig);
      rig.dispose();
      await hosts.stopAll();
    }
  });

  it('gpu: previews a GPU reservation and its VM (synthetic sysfs: no GPU on this machine)', () => {
    const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), syntheticWorkstation());
    const rig = example('gpu', 'ci');
    try {
      const preview = rig.ok('preview', {
        'windock:gpuSysfsRoot': root,
        pciAddress: '0000:02:00.0',
        standinGuestDir: config.standinGuestDir,
        cpu: 1,
        memory: '256MiB',
      });
      const ops = resourceSteps(preview, 'pulumi-nodejs:dynamic/windock:GpuAssignment').map((s) => s.op);
      expect(ops).toEqual(['create']);
      expect(resourceSteps(preview).map((s) => s.op)).toEqual(['create']);
    } finally {
      rig.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
