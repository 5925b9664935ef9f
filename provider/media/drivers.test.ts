import { installMediaSpec } from '../../contract';
import { driversInput } from '../resources/windows-vm/media-input';
import { windowsVmInputs } from '../resources/windows-vm/inputs';
import { toVmSpec, toPlacement } from '../resources/windows-vm/to-spec';
import { VIRTIO_WIN } from './catalogue';
import { HOST_DRIVERS_ISO_PATH, resolveInstallDrivers } from './drivers';
import { mediaRequirementIssues } from './requirements';
import { MEDIA_CACHE_VOLUME } from './resolve';

const identity = {
  uuid: '6c1d2c1e-0000-4000-8000-000000000001',
  serial: 'WDK-TEST',
  mac: '52:54:00:00:00:01',
};
const vm = (extra: Record<string, unknown>) =>
  windowsVmInputs.parse({
    name: 'win',
    media: { kind: 'windows', version: '11' },
    memory: '4GiB',
    systemDiskSize: '64GiB',
    ...extra,
  });

describe('virtio-win in the catalogue', () => {
  it('pins a release on fedorapeople.org over https with its size and a lowercase SHA-256', () => {
    expect(new URL(VIRTIO_WIN.pinned.url).hostname).toBe('fedorapeople.org');
    expect(VIRTIO_WIN.pinned.url).toContain(`virtio-win-${VIRTIO_WIN.pinned.version}-1/`);
    expect(VIRTIO_WIN.pinned.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(VIRTIO_WIN.stable.url).toMatch(
      /^https:\/\/fedorapeople\.org\/.*\/stable-virtio\/virtio-win\.iso$/,
    );
  });
});

describe('resolveInstallDrivers', () => {
  it('defaults to the pinned virtio-win ISO, checked against its SHA-256', () => {
    const { drivers, hostFile } = resolveInstallDrivers(undefined);
    expect(hostFile).toBeUndefined();
    expect(installMediaSpec.parse(drivers)).toEqual(drivers);
    expect(drivers).toEqual({
      source: { kind: 'url', url: VIRTIO_WIN.pinned.url, sizeBytes: VIRTIO_WIN.pinned.sizeBytes },
      cacheKey: `virtio-win-${VIRTIO_WIN.pinned.version}`,
      sha256: VIRTIO_WIN.pinned.sha256,
    });
  });

  it('"stable" follows Fedora\'s pointer, without a checksum, in a cache file of its own', () => {
    const { drivers } = resolveInstallDrivers(driversInput.parse({ kind: 'virtio-win', release: 'stable' }));
    expect(drivers).toEqual({
      source: { kind: 'url', url: VIRTIO_WIN.stable.url },
      cacheKey: 'virtio-win-stable',
    });
  });

  it('a URL gets a cache key of its own that hides the query string; the digest is lowercased', () => {
    const input = driversInput.parse({
      kind: 'url',
      url: 'https://mirror.example/v.iso?sig=abc',
      sha256: 'AB'.repeat(32),
    });
    const { drivers } = resolveInstallDrivers(input);
    expect(drivers?.cacheKey).toMatch(/^drivers-url-[0-9a-f]{12}$/);
    expect(drivers?.cacheKey).not.toContain('abc');
    expect(drivers?.sha256).toBe('ab'.repeat(32));
    expect(installMediaSpec.parse(drivers)).toEqual(drivers);
  });

  it('an ISO on the host is mounted read-only at its own path; "none" attaches nothing', () => {
    expect(
      resolveInstallDrivers(driversInput.parse({ kind: 'iso', hostPath: '/srv/iso/../iso/virtio.iso' })),
    ).toEqual({
      drivers: {
        source: { kind: 'host-file', path: HOST_DRIVERS_ISO_PATH },
        cacheKey: expect.stringMatching(/^drivers-host-/),
      },
      hostFile: '/srv/iso/virtio.iso',
    });
    expect(resolveInstallDrivers({ kind: 'none' })).toEqual({});
  });
});

describe('drivers in the VM spec and placement', () => {
  it('an install from Microsoft gets the virtio-win ISO through the host media cache', () => {
    const inputs = vm({});
    const spec = toVmSpec(inputs, identity);
    expect(spec.install?.drivers?.cacheKey).toBe(`virtio-win-${VIRTIO_WIN.pinned.version}`);
    const placement = toPlacement(inputs, spec, { image: 'windock', stack: 's', knownHostPorts: {} });
    expect(placement.mediaCache).toBe(MEDIA_CACHE_VOLUME);
    expect(placement.hostFiles).toBeUndefined();
  });

  it('host ISOs for both media and drivers are two read-only host files and no cache', () => {
    const inputs = vm({
      media: { kind: 'iso', hostPath: '/srv/iso/win.iso', version: '11' },
      drivers: { kind: 'iso', hostPath: '/srv/iso/virtio.iso' },
    });
    const spec = toVmSpec(inputs, identity);
    const placement = toPlacement(inputs, spec, { image: 'windock', stack: 's', knownHostPorts: {} });
    expect(placement.mediaCache).toBeUndefined();
    expect(placement.hostFiles).toEqual([
      { source: '/srv/iso/win.iso', target: '/media/host/install.iso' },
      { source: '/srv/iso/virtio.iso', target: HOST_DRIVERS_ISO_PATH },
    ]);
  });

  it('a host ISO with downloaded drivers mounts the cache too; drivers "none" leaves install.drivers out', () => {
    const inputs = vm({ media: { kind: 'iso', hostPath: '/srv/iso/win.iso', version: '11' } });
    const spec = toVmSpec(inputs, identity);
    expect(toPlacement(inputs, spec, { image: 'windock', stack: 's', knownHostPorts: {} }).mediaCache).toBe(
      MEDIA_CACHE_VOLUME,
    );
    expect(toVmSpec(vm({ drivers: { kind: 'none' } }), identity).install?.drivers).toBeUndefined();
  });
});

describe('drivers at preview', () => {
  it('refuses drivers without install media, and a drivers ISO in a system location', () => {
    const kernel = {
      kind: 'kernel',
      kernelFile: 'k',
      initrdFile: 'i',
      diskImageFile: 'd',
      cmdline: '',
    } as const;
    expect(
      mediaRequirementIssues({
        media: kernel,
        drivers: { kind: 'virtio-win', release: 'pinned' },
        memory: 256,
        systemDiskSize: 64,
      }),
    ).toEqual([
      { path: ['drivers'], message: expect.stringMatching(/^drivers: .*give media of kind "windows"/) },
    ]);
    expect(
      mediaRequirementIssues({ media: kernel, drivers: { kind: 'none' }, memory: 256, systemDiskSize: 64 }),
    ).toEqual([]);
    const result = windowsVmInputs.safeParse({
      name: 'win',
      media: { kind: 'windows', version: '11' },
      drivers: { kind: 'iso', hostPath: '/etc/shadow' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('drivers.hostPath');
  });
});
