import { containerCreateOptions } from '../../docker/container-spec';
import { parseVmSpec } from '../../../contract';
import { checkWindowsVm } from './check';
import { identityFor } from './identity';
import { windowsVmInputs } from './inputs';
import { planImpact } from './impact';
import { toPlacement, toVmSpec } from './to-spec';

const media = { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' };
const identity = identityFor('6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f');

function failures(news: Record<string, unknown>): string[] {
  const outcome = checkWindowsVm({}, { name: 'build-01', media, ...news });
  return outcome.ok ? [] : outcome.failures.map((f) => `${f.property} | ${f.reason}`);
}

describe('WindowsVm shares input', () => {
  it('refuses host system locations at preview, naming the field and the fix', () => {
    for (const hostPath of ['/etc', '/', '/var/lib/docker/volumes/x', '/home/alice', '/srv/../root']) {
      const reasons = failures({ shares: [{ name: 'Data', hostPath }] });
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/^shares \| shares\.0\.hostPath: share "Data": /);
      expect(reasons[0]).toMatch(/share (a folder|another folder)/);
    }
    expect(failures({ shares: [{ name: 'Data', hostPath: 'relative/dir' }] })[0]).toMatch(/not absolute/);
    expect(failures({ shares: [{ name: 'Data', hostPath: '/srv/data' }] })).toEqual([]);
  });

  it('needs exactly one source per share', () => {
    expect(failures({ shares: [{ name: 'Data' }] })[0]).toMatch(/exactly one of hostPath .* or volume/);
    expect(failures({ shares: [{ name: 'Data', hostPath: '/srv/a', volume: 'data' }] })[0]).toMatch(
      /exactly one of/,
    );
    expect(failures({ shares: [{ name: 'Data', volume: 'windock-other-vm-1234abcd' }] })[0]).toMatch(
      /hold VMs' disks/,
    );
  });

  it('refuses duplicate names, whatever their case', () => {
    const reasons = failures({
      shares: [
        { name: 'Data', hostPath: '/srv/a' },
        { name: 'DATA', volume: 'data' },
      ],
    });
    expect(reasons).toEqual([
      expect.stringMatching(/shares\.1\.name: duplicate share "DATA": share names must be unique/),
    ]);
  });

  it('refuses shares without a NIC', () => {
    expect(
      failures({ network: 'none', rdp: { enabled: false }, shares: [{ name: 'Data', volume: 'data' }] }),
    ).toEqual([expect.stringMatching(/^shares \| .*network "none" has no NIC/)]);
  });

  it('is password-protected unless guest access is asked for', () => {
    const vm = windowsVmInputs.parse({ name: 'build-01', media, shares: [{ name: 'Data', volume: 'data' }] });
    expect(vm.shareAuth).toEqual({ mode: 'password', user: 'windock' });
    expect(toVmSpec(vm, identity).shares?.auth).toEqual({
      kind: 'user',
      user: 'windock',
      secret: 'share-password',
    });
    const open = windowsVmInputs.parse({ ...vm, shareAuth: { mode: 'guest' } });
    expect(toVmSpec(open, identity).shares?.auth).toEqual({ kind: 'guest' });
    expect(failures({ shares: [{ name: 'Data', volume: 'data' }], shareAuth: { user: 'root' } })[0]).toMatch(
      /system account/,
    );
  });

  it('puts each share at /shares/NAME in a valid spec, mounted read-only when it is', () => {
    const vm = windowsVmInputs.parse({
      name: 'build-01',
      media,
      shares: [
        { name: 'Tools', hostPath: '/srv/tools/', readOnly: true },
        { name: 'Data', volume: 'data' },
      ],
    });
    const spec = parseVmSpec(toVmSpec(vm, identity));
    expect(spec.shares?.shares).toEqual([
      { name: 'Data', path: '/shares/Data', readOnly: false, hostIdentity: { kind: 'volume' } },
      { name: 'Tools', path: '/shares/Tools', readOnly: true, hostIdentity: { kind: 'unchecked' } },
    ]);
    const options = containerCreateOptions(
      spec,
      toPlacement(vm, spec, { image: 'windock/vm:dev', stack: '', knownHostPorts: {} }),
    );
    expect(options.HostConfig?.CapAdd).toEqual(['SETGID', 'SETUID']);
    expect(options.HostConfig?.CapDrop).toEqual(['ALL']);
    expect(options.HostConfig?.Mounts).toEqual(
      expect.arrayContaining([
        { Type: 'volume', Source: 'data', Target: '/shares/Data', ReadOnly: false },
        {
          Type: 'bind',
          Source: '/srv/tools',
          Target: '/shares/Tools',
          ReadOnly: true,
          BindOptions: { Propagation: 'rprivate' },
        },
      ]),
    );
  });

  it('adds no capability and no mount without shares', () => {
    const vm = windowsVmInputs.parse({ name: 'build-01', media });
    const spec = toVmSpec(vm, identity);
    expect(spec.shares).toBeUndefined();
    const options = containerCreateOptions(
      spec,
      toPlacement(vm, spec, { image: 'windock/vm:dev', stack: '', knownHostPorts: {} }),
    );
    expect(options.HostConfig?.CapAdd).toEqual([]);
    expect(options.HostConfig?.Mounts?.some((m) => m.Target.startsWith('/shares'))).toBe(false);
  });

  it('adding, removing or changing a share restarts the VM', () => {
    const before = windowsVmInputs.parse({ name: 'build-01', media });
    const after = windowsVmInputs.parse({ ...before, shares: [{ name: 'Data', volume: 'data' }] });
    const plan = planImpact(before, after);
    expect(plan).toMatchObject({ ok: true, tier: 'restart' });
    expect(planImpact(after, before)).toMatchObject({ ok: true, tier: 'restart' });
    const guest = windowsVmInputs.parse({ ...after, shareAuth: { mode: 'guest' } });
    expect(planImpact(after, guest)).toMatchObject({ ok: true, tier: 'restart' });
  });
});
