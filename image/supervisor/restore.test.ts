import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVmSpec } from '../../contract';
import { sampleSpec } from '../../contract/sample-spec';
import { bootArgs } from './qemu/boot';
import { pendingRestore } from './restore';

describe('restore at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'windock-restore-'));
  const marker = join(dir, 'marker');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a state-file restore makes QEMU wait for its migration stream', () => {
    const spec = sampleSpec({ restore: { kind: 'state-file', path: '/bases/b/state' } });
    expect(parseVmSpec(JSON.parse(JSON.stringify(spec))).restore).toEqual({
      kind: 'state-file',
      path: '/bases/b/state',
    });
    expect(bootArgs(spec)).toEqual(['-boot', 'menu=off,strict=on', '-incoming', 'defer']);
    expect(pendingRestore(spec, marker)).toEqual(spec.restore);
  });

  it('a snapshot restore is loaded over QMP (no extra QEMU flag), once per request', () => {
    const spec = sampleSpec({ restore: { kind: 'snapshot', tag: 'golden', requestId: 'r-1' } });
    expect(bootArgs(spec)).toEqual(['-boot', 'menu=off,strict=on']);
    expect(pendingRestore(spec, marker)).toEqual(spec.restore);
    writeFileSync(marker, 'r-1\n');
    expect(pendingRestore(spec, marker)).toBeUndefined();
    expect(
      pendingRestore(sampleSpec({ restore: { kind: 'snapshot', tag: 'golden', requestId: 'r-2' } }), marker),
    ).toMatchObject({ requestId: 'r-2' });
  });

  it('no restore: a normal boot', () => {
    expect(pendingRestore(sampleSpec(), marker)).toBeUndefined();
    expect(bootArgs(sampleSpec())).toEqual(['-boot', 'menu=off,strict=on']);
  });
});
