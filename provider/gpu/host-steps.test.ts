import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSyntheticSysfs, syntheticWorkstation } from './fixtures/synthetic-sysfs';
import { bindWrites, renderForHost, renderScript, restoreWrites } from './host-steps';

describe('host steps', () => {
  it('renders the binding of one function as the three commands people run', () => {
    expect(renderForHost(bindWrites('0000:01:00.1'))).toEqual([
      'echo vfio-pci > /sys/bus/pci/devices/0000:01:00.1/driver_override',
      '[ -e /sys/bus/pci/devices/0000:01:00.1/driver ] && echo 0000:01:00.1 > /sys/bus/pci/devices/0000:01:00.1/driver/unbind',
      'echo 0000:01:00.1 > /sys/bus/pci/drivers_probe',
    ]);
    expect(renderForHost(restoreWrites('0000:01:00.1'))[0]).toBe(
      'echo > /sys/bus/pci/devices/0000:01:00.1/driver_override',
    );
  });

  it('runs the same writes as a script under another root (synthetic tree, real sh)', () => {
    const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), syntheticWorkstation());
    try {
      const script = renderScript([...bindWrites('0000:01:00.0'), ...bindWrites('0000:01:00.1')]);
      const run = spawnSync('sh', ['-c', script, 'sh', root], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim().split('\n').pop()).toBe('DONE');
      expect(readFileSync(join(root, 'bus/pci/devices/0000:01:00.0/driver_override'), 'utf8')).toBe(
        'vfio-pci\n',
      );
      expect(readFileSync(join(root, 'bus/pci/drivers/nvidia/unbind'), 'utf8')).toBe('0000:01:00.0\n');
      expect(readFileSync(join(root, 'bus/pci/drivers/snd_hda_intel/unbind'), 'utf8')).toBe('0000:01:00.1\n');
      // Each write truncates: the probe file holds the last one.
      expect(readFileSync(join(root, 'bus/pci/drivers_probe'), 'utf8')).toBe('0000:01:00.1\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops at the first failed write and names it', () => {
    const root = mkdtempSync(join(tmpdir(), 'windock-sysfs-'));
    try {
      const run = spawnSync('sh', ['-c', renderScript(bindWrites('0000:09:00.0')), 'sh', root], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(3);
      expect(run.stderr).toContain('FAILED bus/pci/devices/0000:09:00.0/driver_override');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('quotes values so nothing in them runs', () => {
    expect(renderScript([{ path: 'bus/pci/x', value: "a'; rm -rf /; '" }])).toContain(
      `'a'\\''; rm -rf /; '\\'''`,
    );
  });
});
