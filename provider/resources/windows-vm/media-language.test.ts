import { parseVmSpec } from '../../../contract';
import { windowsVmInputs } from './inputs';
import { toVmSpec } from './to-spec';

const identity = {
  uuid: '6c1d2c1e-0000-4000-8000-000000000001',
  serial: 'WDK-TEST',
  mac: '52:54:00:00:00:01',
};
const vm = (media: Record<string, unknown>) =>
  windowsVmInputs.parse({ name: 'win', media, memory: '4GiB', systemDiskSize: '64GiB' });

describe("the install media's language in the spec (Setup's UI language)", () => {
  it('a catalogue install carries the language it asks for; the image reads it back', () => {
    const spec = toVmSpec(vm({ kind: 'windows', version: '11', language: 'de-de' }), identity);
    expect(spec.install?.windows.language).toBe('de-de');
    expect(parseVmSpec(JSON.parse(JSON.stringify(spec))).install?.windows.language).toBe('de-de');
  });

  it('an ISO of your own names none (the answer file falls back to the locale)', () => {
    const spec = toVmSpec(vm({ kind: 'iso', hostPath: '/srv/iso/win.iso', version: '11' }), identity);
    expect(spec.install?.windows.language).toBeUndefined();
  });
});
