// Issue 15, findings 3 and 4: host paths attacked on the real Docker host. Each path is
// resolved on the host by the provider's helper container (links, "..", bind mounts seen
// there), judged against the host's allow list and the denylist, and what was checked is what
// gets mounted; a folder swapped after the container was made is refused by the supervisor at
// the next start. Folders live in /srv/windock-test-* (inside the default allow list).
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHostConfig } from '../../provider/hosts/host-config';
import { windowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { checkHostPath } from '../../provider/security/host-paths';
import { checkVmHostPaths, resolveVmHostPaths } from '../../provider/security/vm-host-paths';
import { ImageRig } from '../image/harness';
import { Results } from '../reliability/results';
import { WINDOCK_IMAGE } from '../rig/docker';
import { guest, guestOk, mountCmd, startSharedVm, testHostDir } from '../shares/rig';

const results = new Results();
afterAll(() => results.flush());

const rig = new ImageRig('host-paths');
const access = { docker: rig.docker, hostName: 'local', image: WINDOCK_IMAGE };
const host = parseHostConfig({ name: 'local', kind: 'local' });
const root = testHostDir('host-paths');
const mounted: string[] = [];
afterAll(async () => {
  for (const at of mounted) execFileSync('umount', [at]);
  rmSync(root, { recursive: true, force: true });
  await rig.dispose();
}, 120_000);

const rawVm = (hostPath: string) => ({
  name: 'wdk-host-paths',
  media: { kind: 'disk-image', file: '/unused.qcow2', format: 'qcow2' },
  shares: [{ name: 'Data', hostPath }],
});
const vmWith = (hostPath: string) => windowsVmInputs.parse(rawVm(hostPath));

/** The refusal of one share folder after resolution on the host, or undefined when it would be mounted. */
async function refusal(hostPath: string, on = host): Promise<string | undefined> {
  const { refusals } = await checkVmHostPaths(access, on, vmWith(hostPath));
  return refusals[0]?.reason;
}

describe('host paths resolved on the Docker host', () => {
  const data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'hello.txt'), 'hello from the host\n');

  it('refuses a symbolic link to /etc (and relative, chained links) by where it leads', async () => {
    const row = results.attackRow('host paths: symlink to a system folder');
    symlinkSync('/etc', join(root, 'etc-link'));
    symlinkSync('../../var/lib/docker', join(root, 'docker-rel'));
    symlinkSync('etc-link', join(root, 'chain'));
    for (const name of ['etc-link', 'docker-rel', 'chain']) {
      const path = join(root, name);
      expect(checkHostPath(path).ok).toBe(true); // the text alone (the old check) lets it through
      const reason = await refusal(path);
      row.attack(reason === undefined);
      expect(reason).toMatch(
        new RegExp(
          `^shares\\.0\\.hostPath: share "Data": ${path} \\(on host "local" it resolves to /(etc|var/lib/docker)\\): .*system location`,
        ),
      );
    }
    row.pass();
  }, 120_000);

  it('refuses an install or drivers ISO behind a link to a system file', async () => {
    const row = results.attackRow('host paths: ISO behind a link');
    symlinkSync('/etc/shadow', join(root, 'win.iso'));
    symlinkSync('/var/lib/docker', join(root, 'virtio.iso'));
    const vm = windowsVmInputs.parse({
      name: 'wdk-host-paths',
      media: { kind: 'iso', hostPath: join(root, 'win.iso'), version: '11', edition: 'pro' },
      drivers: { kind: 'iso', hostPath: join(root, 'virtio.iso') },
      memory: '4GiB',
      systemDiskSize: '64GiB',
    });
    const { refusals, resolved } = await checkVmHostPaths(access, host, vm);
    for (const field of ['media.hostPath', 'drivers.hostPath'])
      row.attack(!refusals.some((r) => r.use.field === field));
    expect(refusals.map((r) => r.reason)).toEqual([
      expect.stringMatching(
        /^media\.hostPath: .*win\.iso \(on host "local" it resolves to \/etc\/shadow\): .*system location \/etc/,
      ),
      expect.stringMatching(
        /^drivers\.hostPath: .*virtio\.iso \(on host "local" it resolves to \/var\/lib\/docker\)/,
      ),
    ]);
    expect(resolved.size).toBe(0);
    row.pass();
  }, 120_000);

  it('refuses ".." after a link: the kernel climbs from the target, not from the text', async () => {
    const row = results.attackRow('host paths: ".." components');
    symlinkSync('/etc/ssh', join(root, 'up'));
    const path = `${root}/up/..`;
    expect(checkHostPath(path)).toEqual({ ok: true, path: root }); // text: the test folder itself
    const reason = await refusal(path);
    row.attack(reason === undefined);
    expect(reason).toMatch(/it resolves to \/etc\): .*system location \/etc/);
    row.pass();
  }, 120_000);

  it('refuses a bind mount of a system folder, which no link shows', async () => {
    const row = results.attackRow('host paths: bind mount of a system folder');
    const bound = join(root, 'bound');
    mkdirSync(bound);
    execFileSync('mount', ['--bind', '/etc', bound]);
    mounted.push(bound);
    // Read-only, so a clean-up that ran before the unmount could never delete the host's /etc.
    execFileSync('mount', ['-o', 'remount,bind,ro', bound]);
    const reason = await refusal(bound);
    row.attack(reason === undefined);
    expect(reason).toMatch(/\(a bind mount of \/etc on host "local"\): .*system location \/etc/);
    row.pass();
  }, 120_000);

  it('refuses every location the first denylist missed, even with an allow list of "/"', async () => {
    const row = results.attackRow('host paths: denylist additions');
    const everything = parseHostConfig({ name: 'local', kind: 'local', allowedHostPaths: ['/'] });
    const added = [
      '/var/spool/cron/crontabs',
      '/var/lib/dpkg/info',
      '/var/backups',
      '/swapfile',
      '/tmp',
      '/efi',
      '/sysroot',
      '/var/lib/containers',
      '/var/snap/docker',
      '/var/lib/rancher',
      '/root/.local/share/docker',
      '/var/roothome',
      '/var/home/alice/.ssh',
      '/home/alice/.pulumi',
      '/home/alice/.git-credentials',
      '/home/alice/.netrc',
    ];
    for (const path of added) {
      // As typed: the input is refused at preview, naming the field.
      const typed = windowsVmInputs.safeParse(rawVm(path));
      row.attack(typed.success);
      expect(typed.success).toBe(false);
      // Behind a link, on the host: refused once resolved (or missing there), never mounted.
      const link = join(root, `to-${path.replace(/\//g, '_')}`);
      symlinkSync(path, link);
      const reason = await refusal(link, everything);
      row.attack(reason === undefined);
      expect(reason).toBeDefined();
    }
    row.pass();
  }, 300_000);

  it('refuses a folder outside the allow list, naming the fix (allowedHostPaths in windock:hosts)', async () => {
    const row = results.attackRow('host paths: outside allowedHostPaths');
    const narrow = parseHostConfig({ name: 'local', kind: 'local', allowedHostPaths: ['/data/vms'] });
    const reason = await refusal(data, narrow);
    row.attack(reason === undefined);
    expect(reason).toMatch(
      /is outside the folders host "local" lets VMs use \(\/data\/vms\): add it or a parent to allowedHostPaths of host "local" in windock:hosts/,
    );
    row.pass();
  }, 120_000);

  it('mounts the resolved folder end to end; a swap after create is refused at the next start', async () => {
    const row = results.attackRow('host paths: swap after the container was made');
    const link = join(root, 'data-link');
    symlinkSync(data, link);
    const hostPaths = await resolveVmHostPaths(access, host, vmWith(link));
    const vm = await startSharedVm(rig, {
      shares: [{ name: 'Data', hostPath: link }],
      shareAuth: { mode: 'guest' },
      hostPaths,
    });
    // What was checked is what Docker mounted: the link's target, not the link.
    const info = await vm.inspect();
    expect(info.Mounts.find((m) => m.Destination === '/shares/Data')?.Source).toBe(data);
    await guestOk(vm, mountCmd('10.0.2.2', 'Data', '/mnt/data', 'username=anyone,password='));
    expect(await guestOk(vm, 'cat /mnt/data/hello.txt')).toBe('hello from the host');

    // The folder is swapped for a link to /etc while the VM is stopped; Docker follows it at start.
    await vm.container.stop({ t: 30 });
    renameSync(data, `${data}.old`);
    symlinkSync('/etc', data);
    await vm.container.start();
    const code = await vm.waitExit(120_000);
    const log = await vm.logs();
    const through = code !== 69 || (await guest(vm, 'true').catch(() => ({ exitCode: 1 }))).exitCode === 0;
    row.attack(through);
    expect(code).toBe(69);
    expect(log).toMatch(
      /share "Data": \/shares\/Data is not the host folder .*data checked when the container was made/,
    );
    row.pass();
  }, 600_000);
});
