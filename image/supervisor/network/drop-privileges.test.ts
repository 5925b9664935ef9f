import { sampleSpec } from '../../../provider/spec/sample-spec';
import { qemuCommand } from './drop-privileges';
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
});
