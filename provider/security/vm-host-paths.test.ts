import { windowsVmInputs } from '../resources/windows-vm/inputs';
import { toPlacement, toVmSpec } from '../resources/windows-vm/to-spec';
import { identityFor } from '../resources/windows-vm/identity';
import { HOST_IMAGE_SOURCE } from '../images/cache';
import { vmHostPathUses, withResolvedSources, withShareIdentities, type VmHostPaths } from './vm-host-paths';

const vm = windowsVmInputs.parse({
  name: 'lab',
  media: { kind: 'iso', hostPath: '/srv/isos/win.iso', version: '11', edition: 'pro' },
  drivers: { kind: 'iso', hostPath: '/srv/isos/virtio.iso' },
  shares: [
    { name: 'Data', hostPath: '/srv/link' },
    { name: 'Tools', volume: 'tools' },
  ],
});

describe("a VM's host paths", () => {
  it('are every share folder, the install ISO and the drivers ISO, each with its field', () => {
    expect(vmHostPathUses(vm).map((u) => [u.field, u.path, u.want])).toEqual([
      ['shares.0.hostPath', '/srv/link', 'directory'],
      ['media.hostPath', '/srv/isos/win.iso', 'file'],
      ['drivers.hostPath', '/srv/isos/virtio.iso', 'file'],
    ]);
  });

  it('include a disk image on the host, judged like any host file (read by the image cache only)', () => {
    const fromHost = windowsVmInputs.parse({
      name: 'lab',
      media: { kind: 'disk-image', hostPath: '/srv/images/golden.qcow2', format: 'qcow2' },
    });
    expect(vmHostPathUses(fromHost).map((u) => [u.field, u.path, u.want, u.target])).toEqual([
      ['media.hostPath', '/srv/images/golden.qcow2', 'file', HOST_IMAGE_SOURCE],
    ]);
  });

  it("are mounted as resolved, and the share folder's identity goes into the spec", () => {
    const uses = vmHostPathUses(vm);
    const resolved: VmHostPaths = new Map(
      uses.map((use, i) => [
        use.target,
        {
          use,
          found: {
            requested: use.path,
            ok: true,
            path: `/srv/real-${i}`,
            type: use.want,
            dev: '7',
            ino: `${i}`,
          },
        },
      ]),
    );
    const spec = withShareIdentities(
      toVmSpec(vm, identityFor('00000000-0000-4000-8000-000000000000')),
      resolved,
    );
    expect(spec.shares?.shares.map((s) => s.hostIdentity)).toEqual([
      { kind: 'directory', hostPath: '/srv/real-0', dev: '7', ino: '0' },
      { kind: 'volume' },
    ]);
    const placement = withResolvedSources(
      toPlacement(vm, spec, { image: 'windock/vm:dev', stack: '', knownHostPorts: {} }),
      resolved,
    );
    expect(placement.shareMounts?.map((m) => m.source)).toEqual(['/srv/real-0', 'tools']);
    expect(placement.hostFiles?.map((f) => f.source)).toEqual(['/srv/real-1', '/srv/real-2']);
  });
});
