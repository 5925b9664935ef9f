import { sampleSpec } from '../../../contract/sample-spec';
import { effectiveCapabilities, qemuCommand } from './drop-privileges';
import { natNicFixture } from './fixtures';

describe('qemuCommand', () => {
  it('starts QEMU directly when no NIC is routed (the container has no capabilities)', () => {
    expect(qemuCommand(sampleSpec(), 'qemu-system-x86_64', ['-S'])).toEqual({
      file: 'qemu-system-x86_64',
      args: ['-S'],
    });
  });

  it('drops every capability before exec when NICs are routed', () => {
    const spec = sampleSpec();
    const routed = { ...spec, network: { ...spec.network, nics: [natNicFixture] } };
    expect(qemuCommand(routed, 'qemu-system-x86_64', ['-S'])).toEqual({
      file: 'capsh',
      args: ['--caps=', '--shell=/usr/bin/qemu-system-x86_64', '--', '-S'],
    });
  });

  it('drops every capability whenever the container holds any (shares add SETUID/SETGID)', () => {
    // CAP_SETGID is bit 6, CAP_SETUID bit 7.
    expect(qemuCommand(sampleSpec(), 'qemu-system-x86_64', ['-S'], 0xc0n)).toEqual({
      file: 'capsh',
      args: ['--caps=', '--shell=/usr/bin/qemu-system-x86_64', '--', '-S'],
    });
    expect(qemuCommand(sampleSpec(), 'qemu-system-x86_64', ['-S'], 0n).file).toBe('qemu-system-x86_64');
  });

  it('reads the effective set from /proc/<pid>/status', () => {
    expect(effectiveCapabilities('Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t00000000000000c0\n')).toBe(
      0xc0n,
    );
    expect(effectiveCapabilities('Name:\tnode\n')).toBe(0n);
  });
});
