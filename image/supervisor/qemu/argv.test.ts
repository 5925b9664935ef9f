import { sampleSpec } from '../../../contract/sample-spec';
import { qemuArgv } from './argv';
import { DEBIAN_FIRMWARE, type HostFacts } from './host-facts';

const kvm: HostFacts = { accelerator: 'kvm', firmwareFiles: DEBIAN_FIRMWARE };
const tcg: HostFacts = { accelerator: 'tcg', firmwareFiles: DEBIAN_FIRMWARE };

/** The value following a flag, for every occurrence. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag ? [argv[i + 1]!] : []));
}

describe('qemuArgv', () => {
  it('pins the machine version and tunes Windows on KVM', () => {
    const argv = qemuArgv(sampleSpec({ snapshots: { enabled: false } }), kvm);
    expect(values(argv, '-machine')[0]).toMatch(/^pc-q35-7\.2,accel=kvm,/);
    const cpu = values(argv, '-cpu')[0]!;
    expect(cpu.startsWith('host,')).toBe(true);
    expect(cpu).toContain('hv_relaxed');
    expect(cpu).toContain('hv_stimer');
    expect(cpu).toContain('+invtsc');
  });

  it('drops +invtsc when snapshots are enabled (a snapshot is a migration)', () => {
    const cpu = values(qemuArgv(sampleSpec({ snapshots: { enabled: true } }), kvm), '-cpu')[0]!;
    expect(cpu).not.toContain('invtsc');
  });

  it('uses the max CPU model and no enlightenments under TCG', () => {
    const argv = qemuArgv(sampleSpec(), tcg);
    expect(values(argv, '-cpu')).toEqual(['max']);
    expect(values(argv, '-machine')[0]).toContain('accel=tcg');
  });

  it('gives every disk block node names, discard=unmap and an iothread', () => {
    const spec = sampleSpec({
      disks: [
        { name: 'system', sizeMiB: 65536, format: 'qcow2', source: { kind: 'blank' }, readOnly: false },
        { name: 'data', sizeMiB: 1024, format: 'raw', source: { kind: 'blank' }, readOnly: true },
      ],
    });
    const argv = qemuArgv(spec, kvm);
    const blockdevs = values(argv, '-blockdev');
    expect(blockdevs).toContain(
      'driver=file,filename=/storage/disks/system.qcow2,node-name=disk-system-file,discard=unmap',
    );
    expect(blockdevs).toContain('driver=qcow2,file=disk-system-file,node-name=disk-system,discard=unmap');
    expect(blockdevs).toContain(
      'driver=raw,file=disk-data-file,node-name=disk-data,discard=unmap,read-only=on',
    );
    expect(values(argv, '-device')).toContain(
      'virtio-blk-pci,drive=disk-system,id=disk-system-dev,iothread=io0,bootindex=1',
    );
    expect(values(argv, '-object')).toContain('iothread,id=io0');
  });

  it('passes a block device through as a raw host_device', () => {
    const spec = sampleSpec({
      disks: [
        { name: 'system', sizeMiB: 65536, format: 'qcow2', source: { kind: 'blank' }, readOnly: false },
        {
          name: 'scratch',
          sizeMiB: 1024,
          format: 'raw',
          source: { kind: 'block-device', device: '/dev/sdb' },
          readOnly: false,
        },
      ],
    });
    const blockdevs = values(qemuArgv(spec, kvm), '-blockdev');
    expect(blockdevs.some((b) => b.startsWith('driver=host_device,filename=/dev/sdb,'))).toBe(true);
  });
});

describe('qemuArgv: firmware, sockets, boot and identity', () => {
  it('keeps UEFI code read-only and the variables in qcow2', () => {
    const argv = qemuArgv(sampleSpec(), kvm);
    const blockdevs = values(argv, '-blockdev');
    expect(blockdevs).toContain(
      'driver=file,filename=/usr/share/OVMF/OVMF_CODE_4M.fd,node-name=fw-code-file,read-only=on',
    );
    expect(blockdevs).toContain('driver=qcow2,file=fw-vars-file,node-name=fw-vars');
    expect(values(argv, '-machine')[0]).toContain('pflash0=fw-code,pflash1=fw-vars');
  });

  it('enables Secure Boot with SMM, the MS-keys firmware and a TPM 2.0', () => {
    const argv = qemuArgv(sampleSpec({ firmware: { type: 'uefi-secure', tpm: true } }), kvm);
    expect(values(argv, '-machine')[0]).toContain('smm=on');
    expect(values(argv, '-global')).toContain('driver=cfi.pflash01,property=secure,value=on');
    expect(values(argv, '-blockdev').join(' ')).toContain('OVMF_CODE_4M.ms.fd');
    expect(values(argv, '-tpmdev')).toEqual(['emulator,id=tpm0,chardev=tpm-chr']);
    expect(values(argv, '-device')).toContain('tpm-crb,tpmdev=tpm0');
  });

  it('boots legacy BIOS without pflash', () => {
    const argv = qemuArgv(sampleSpec({ firmware: { type: 'bios', tpm: false } }), kvm);
    expect(values(argv, '-machine')[0]).not.toContain('pflash');
    expect(values(argv, '-blockdev').join(' ')).not.toContain('OVMF');
  });

  it('keeps QMP, the agent and VNC on unix sockets: no network listener', () => {
    const argv = qemuArgv(sampleSpec(), kvm);
    for (const chardev of values(argv, '-chardev').filter((c) => c.startsWith('socket'))) {
      expect(chardev).toMatch(/path=\/run\/windock\/[a-z-]+\.sock/);
      expect(chardev).not.toMatch(/host=|port=/);
    }
    expect(values(argv, '-vnc')).toEqual(['unix:/run/windock/vnc.sock']);
    expect(values(argv, '-mon')).toHaveLength(2);
  });

  it('forwards ports in user-mode networking with the stable MAC', () => {
    const argv = qemuArgv(sampleSpec(), kvm);
    expect(values(argv, '-netdev')).toEqual(['user,id=net0,ipv4=on,ipv6=on,hostfwd=tcp::3389-:3389']);
    expect(values(argv, '-device')).toContain('virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=');
  });

  it('boots a kernel directly for the stand-in guest', () => {
    const spec = sampleSpec({
      boot: {
        kind: 'kernel',
        kernel: '/storage/boot/vmlinuz',
        initrd: '/storage/boot/initrd.img',
        cmdline: 'console=ttyS0',
      },
    });
    const argv = qemuArgv(spec, tcg);
    expect(values(argv, '-kernel')).toEqual(['/storage/boot/vmlinuz']);
    expect(values(argv, '-append')).toEqual(['console=ttyS0']);
    expect(values(argv, '-device').some((d) => d.includes('bootindex'))).toBe(false);
  });

  it('sets the SMBIOS identity', () => {
    const argv = qemuArgv(sampleSpec(), kvm);
    expect(values(argv, '-smbios')).toEqual([
      'type=1,serial=WINDOCK-BUILD-01,uuid=6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f',
    ]);
  });

  it('gives the guest a pvpanic device and pauses it on a panic (QEMU 7.2 would quit)', () => {
    for (const facts of [kvm, tcg]) {
      const argv = qemuArgv(sampleSpec(), facts);
      expect(values(argv, '-device')).toContain('pvpanic');
      expect(values(argv, '-action')).toEqual(['panic=pause']);
    }
  });
});
