import fc from 'fast-check';
import { checkHostPath, DENIED_HOST_PATHS } from './host-paths';

describe('checkHostPath', () => {
  it.each([
    '/',
    '/etc',
    '/etc/shadow',
    '/etc/',
    '//etc',
    '/srv/../etc/passwd',
    '/proc/self/environ',
    '/sys/firmware',
    '/dev/sda',
    '/boot',
    '/root/.ssh',
    '/run/docker.sock',
    '/var/run/docker.sock',
    '/var/lib/docker/volumes',
    '/var/lib/containerd',
    '/usr/bin',
    '/var',
    '/var/lib',
    '/home',
    '/home/alice',
    '/home/alice/.ssh/id_ed25519',
    '/home/alice/.docker',
    // Finding 4 of issue 15: locations the first denylist missed.
    '/var/spool/cron/crontabs',
    '/var/lib/dpkg/info',
    '/var/backups',
    '/swapfile',
    '/tmp',
    '/tmp/x',
    '/var/tmp',
    '/efi',
    '/sysroot',
    '/var/lib/containers/storage',
    '/var/snap/docker',
    '/var/lib/rancher/k3s',
    '/home/alice/.local/share/docker',
    '/var/roothome',
    '/var/home',
    '/var/home/alice',
    '/var/home/alice/.ssh',
    '/home/alice/.pulumi',
    '/home/alice/.git-credentials',
    '/home/alice/.netrc',
    '/srv/backup/alice/.ssh/id_ed25519',
  ])('refuses %s, naming the field', (path) => {
    const verdict = checkHostPath(path, 'sharedFolders.0.hostPath');
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/^sharedFolders\.0\.hostPath: /);
  });

  it.each(['relative/dir', '', 'C:\\Users', '/srv/a,b', '/srv/a:b', '/srv/\0x'])(
    'refuses the malformed %j',
    (path) => {
      expect(checkHostPath(path).ok).toBe(false);
    },
  );

  it.each([
    ['/srv/vm-share', '/srv/vm-share'],
    ['/srv/vm-share/', '/srv/vm-share'],
    ['/home/alice/projects', '/home/alice/projects'],
    ['/mnt/data/isos', '/mnt/data/isos'],
    ['/var/lib/windock/shares/a', '/var/lib/windock/shares/a'],
    ['/opt/roms/gpu.rom', '/opt/roms/gpu.rom'],
    ['/data', '/data'],
  ])('allows %s (normalized to %s)', (path, normalized) => {
    expect(checkHostPath(path)).toEqual({ ok: true, path: normalized });
  });

  it('never allows a path inside a denied location, however it is spelled (generated)', () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(
        fc.constantFrom(...DENIED_HOST_PATHS.filter((d) => !['/', '/home', '/var/home'].includes(d))),
        fc.array(segment, { maxLength: 4 }),
        fc.constantFrom('', '/', '//'),
        fc.constantFrom('', '/srv/..', '/./'),
        (denied, rest, sep, prefix) => {
          const path = `${prefix}${denied}${rest.length ? '/' + rest.join(sep || '/') : ''}`.replace(
            /^\/\.\//,
            '/',
          );
          expect(checkHostPath(path).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
