import { parseVmSpec, VmSpecError } from './parse';
import { sampleSpec } from './sample-spec';
import { VM_SPEC_VERSION } from './version';

describe('parseVmSpec', () => {
  it('accepts a complete spec', () => {
    expect(parseVmSpec(sampleSpec())).toEqual(sampleSpec());
  });

  it('refuses a newer spec version clearly, before looking at the rest', () => {
    const newer = { ...sampleSpec(), specVersion: VM_SPEC_VERSION + 1, somethingNew: true };
    expect(() => parseVmSpec(newer)).toThrow(
      `version ${VM_SPEC_VERSION + 1}, but this image reads up to version ${VM_SPEC_VERSION}: update the windock image`,
    );
    try {
      parseVmSpec(newer);
    } catch (error) {
      expect((error as VmSpecError).kind).toBe('version');
    }
  });

  it('refuses unknown keys instead of ignoring them', () => {
    expect(() => parseVmSpec({ ...sampleSpec(), gpu: 'yes' })).toThrow(/Unrecognized key.*gpu/);
  });

  it('names the field of every problem', () => {
    const spec = sampleSpec({
      disks: [{ name: 'data', sizeMiB: 1024, format: 'qcow2', source: { kind: 'blank' }, readOnly: false }],
      network: {
        nics: [
          {
            mode: 'user',
            name: 'net0',
            model: 'virtio-net-pci',
            mac: 'not-a-mac',
            ports: [],
            egress: 'all',
            ipv6: true,
          },
        ],
        hostName: 'host.lan',
      },
    });
    expect(() => parseVmSpec(spec)).toThrow(
      /network\.nics\.0\.mac: a lowercase MAC address.*disks\.0\.name: the first disk must be "system"/,
    );
  });

  it('reads a version 1 spec (one user-mode NIC) as the current shape', () => {
    const { network: _network, ...rest } = sampleSpec();
    const v1 = { ...rest, specVersion: 1, network: { mode: 'user', mac: '52:54:00:aa:bb:cc', ports: [] } };
    expect(parseVmSpec(v1).network).toEqual({
      nics: [
        {
          mode: 'user',
          name: 'net0',
          model: 'virtio-net-pci',
          mac: '52:54:00:aa:bb:cc',
          ports: [],
          egress: 'all',
          ipv6: true,
        },
      ],
      hostName: 'host.lan',
    });
    expect(
      parseVmSpec({ ...v1, network: { mode: 'none', mac: '52:54:00:aa:bb:cc', ports: [] } }).network.nics,
    ).toEqual([]);
  });

  it('refuses Secure Boot on an i440fx machine', () => {
    const spec = sampleSpec({ machine: 'pc-i440fx-7.2', firmware: { type: 'uefi-secure', tpm: true } });
    expect(() => parseVmSpec(spec)).toThrow(/machine: Secure Boot needs a q35 machine/);
  });

  it('says what is missing when there is no version', () => {
    expect(() => parseVmSpec({})).toThrow(/no specVersion/);
  });
});

describe('upgradeV2: shares', () => {
  it('a v2 share (no host identity) becomes "unchecked": a v2 image served what was mounted', () => {
    const share = { name: 'Data', path: '/shares/Data', readOnly: false };
    const v2 = { ...sampleSpec(), specVersion: 2, shares: { shares: [share], auth: { kind: 'guest' } } };
    expect(parseVmSpec(v2).shares?.shares).toEqual([{ ...share, hostIdentity: { kind: 'unchecked' } }]);
  });
});

describe('upgradeV2: install', () => {
  it('a v2 install fetched its media itself: fetchedBy "vm"', () => {
    const install = {
      windows: { version: '11', edition: 'pro' },
      media: { source: { kind: 'url', url: 'https://example.test/w.iso' }, cacheKey: 'windows-11-url-1' },
    };
    const v2 = { ...sampleSpec(), specVersion: 2, install };
    expect(parseVmSpec(v2).install).toEqual({ ...install, fetchedBy: 'vm' });
    expect(() => parseVmSpec({ ...sampleSpec(), install })).toThrow(/fetchedBy/);
  });
});

describe('upgradeV2: console', () => {
  it('a v2 console (no tls) stays plain HTTP, as a v2 image served it', () => {
    const v2 = { ...sampleSpec(), specVersion: 2 };
    expect(parseVmSpec(v2).console.tls).toBeUndefined();
    const generated = { ...sampleSpec().console, tls: { kind: 'generated' } };
    expect(parseVmSpec({ ...sampleSpec(), console: generated }).console.tls).toEqual({ kind: 'generated' });
  });
});
