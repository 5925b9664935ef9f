// Issue 15, finding 3, through the real Pulumi engine on the local Docker engine: a share
// whose link is swapped for one to /etc between preview and up is refused at up; once made, a
// provider-driven restart resolves the folder again and refuses the swap before it stops
// anything. The mount's source is the resolved folder, never the link.
import { mkdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Results } from '../reliability/results';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';
import { testHostDir } from '../shares/rig';

const results = new Results();

describe('host paths through the real engine', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-hp-pl');
  const rig = new PulumiRig('host-paths', 'test', join(__dirname, '..', 'pulumi', 'programs', 'one-vm.js'));
  const root = testHostDir('host-paths-pl');
  const data = join(root, 'data');
  const link = join(root, 'share');
  mkdirSync(data);
  const base = standinVmArgs({ name });
  // The image the provider runs its helper from (and the VM): WINDOCK_IMAGE where a test run names one.
  const image = process.env.WINDOCK_IMAGE ? { 'windock:image': process.env.WINDOCK_IMAGE } : {};
  const config = (vm: Record<string, unknown>) => ({ ...image, vm: { ...base, ...vm } });
  const withShare = (extra: Record<string, unknown> = {}) =>
    config({ shares: [{ name: 'Data', hostPath: link }], shareAuth: { mode: 'guest' }, ...extra });
  const container = () => docker.getContainer(`windock-${name}`);
  const pointLinkAt = (target: string) => {
    rmSync(link, { force: true });
    symlinkSync(target, link);
  };

  afterAll(async () => {
    pointLinkAt(data);
    rig.run('destroy', config({}));
    await cleanup.run();
    rig.dispose();
    rmSync(root, { recursive: true, force: true });
    results.flush();
  }, 300_000);
  cleanup.add(() => container().remove({ force: true }));

  it('a link swapped to /etc between preview and up is refused at up; nothing is made', () => {
    const row = results.attackRow('host paths: symlink swapped between preview and up');
    pointLinkAt(data);
    const preview = rig.ok('preview', withShare());
    expect(resourceSteps(preview)[0]?.op).toBe('create');
    pointLinkAt('/etc');
    const up = rig.run('up', withShare());
    row.attack(up.status === 0);
    expect(up.status).not.toBe(0);
    expect(up.output).toMatch(
      /shares\.0\.hostPath: share "Data": .*share \(on host "local" it resolves to \/etc\)/,
    );
    row.pass();
  }, 300_000);

  it('mounts the resolved folder; a provider-driven restart after a swap is refused before it stops anything', async () => {
    const row = results.attackRow('host paths: swap before a provider-driven restart');
    pointLinkAt(data);
    rig.ok('up', withShare());
    const before = await container().inspect();
    cleanup.add(async () => {
      const volume = before.Mounts.find((m) => m.Destination === '/storage')?.Name;
      if (volume) await docker.getVolume(volume).remove({ force: true });
    });
    expect(before.Mounts.find((m) => m.Destination === '/shares/Data')?.Source).toBe(data);

    unlinkSync(link);
    symlinkSync('/etc', link);
    const up = rig.run('up', withShare({ memory: '320MiB' })); // a restart-tier change
    row.attack(up.status === 0);
    expect(up.status).not.toBe(0);
    expect(up.output).toMatch(/share \(on host "local" it resolves to \/etc\)/);
    const after = await container().inspect();
    expect(after.Id).toBe(before.Id); // the VM was not stopped or remade
    expect(after.Mounts.find((m) => m.Destination === '/shares/Data')?.Source).toBe(data);
    row.pass();
  }, 600_000);
});
