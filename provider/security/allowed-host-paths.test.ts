import { parseHostConfig } from '../hosts/host-config';
import { DEFAULT_ALLOWED_HOST_PATHS, allowedHostPathsOf, isAllowedHostPath } from './allowed-host-paths';

describe('allowed host paths', () => {
  it.each([
    '/srv',
    '/srv/vms/data',
    '/mnt/usb',
    '/media/alice/stick',
    '/data/x',
    '/var/lib/windock/shares/a',
    '/opt/windock/roms/gpu.rom',
    '/home/alice/projects',
    '/var/home/alice/isos/win.iso',
  ])('the default allows %s', (path) => {
    expect(isAllowedHostPath(path, DEFAULT_ALLOWED_HOST_PATHS)).toBe(true);
  });

  it.each([
    '/',
    '/opt',
    '/opt/other',
    '/srvx',
    '/var/lib',
    '/home/alice',
    '/home/alice/.ssh',
    '/home/alice/.pulumi/credentials.json',
    '/var/home/alice/.ssh',
    '/tmp/share',
    '/usr/local/share',
  ])('the default refuses %s', (path) => {
    expect(isAllowedHostPath(path, DEFAULT_ALLOWED_HOST_PATHS)).toBe(false);
  });

  it('a host config replaces the default; [] allows no host path at all', () => {
    const host = parseHostConfig({ name: 'h', kind: 'local', allowedHostPaths: ['/vmdata', '/home/*/vms'] });
    expect(allowedHostPathsOf(host)).toEqual(['/vmdata', '/home/*/vms']);
    expect(isAllowedHostPath('/home/bob/vms/a', allowedHostPathsOf(host))).toBe(true);
    expect(isAllowedHostPath('/srv/a', allowedHostPathsOf(host))).toBe(false);
    expect(allowedHostPathsOf(parseHostConfig({ name: 'h', kind: 'local' }))).toBe(
      DEFAULT_ALLOWED_HOST_PATHS,
    );
    expect(isAllowedHostPath('/srv/a', [])).toBe(false);
  });

  it.each(['relative', '/srv/', '/srv/../etc', '/srv/a*', '/srv/a,b'])(
    'refuses the allowedHostPaths entry %j, naming the field',
    (entry) => {
      expect(() => parseHostConfig({ name: 'h', kind: 'local', allowedHostPaths: [entry] })).toThrow(
        /host\.allowedHostPaths\.0: .*allowedHostPaths/,
      );
    },
  );
});
