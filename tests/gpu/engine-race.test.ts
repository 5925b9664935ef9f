import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSyntheticSysfs, syntheticWorkstation } from '../../provider/gpu/fixtures/synthetic-sysfs';
import { locksOf } from '../../provider/gpu/reservation';
import { recordNameFor } from '../../provider/resources/gpu-assignment/for-vm';
import { localDocker } from '../rig/docker';
import { PulumiRig } from '../rig/pulumi';

/**
 * Exclusivity through the real Pulumi engine: two stacks (two engine processes, two state
 * backends) race `pulumi up` for the same GPU on one host; exactly one wins. This machine has
 * NO GPU: the host's sysfs is a SYNTHETIC tree (windock:gpuSysfsRoot), read by real helper
 * containers; the locks are real containers on the real Docker engine.
 */
describe('GpuAssignment exclusivity through the real engine (synthetic sysfs, no GPU here)', () => {
  const docker = localDocker();
  const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), syntheticWorkstation());
  const program = join(__dirname, '..', 'pulumi', 'programs', 'gpu.js');
  const racers = [
    new PulumiRig('gpu-race', 'racer-a', program),
    new PulumiRig('gpu-race', 'racer-b', program),
  ];
  const config = (vm: string, select: Record<string, unknown> = { pciAddress: '02:00.0' }) => ({
    'windock:gpuSysfsRoot': root,
    resourceName: 'gpu',
    gpu: { vm, select },
  });

  afterAll(async () => {
    for (const [i, rig] of racers.entries()) rig.run('destroy', config(`vm-${i}`));
    for (const lock of await locksOf(docker, { parent: '0000:02:00.0' })) {
      if (/^windock-gpu-race\/racer-[ab]\//.test(lock.owner))
        await docker
          .getContainer(lock.name)
          .remove({ force: true })
          .catch(() => undefined);
    }
    racers.forEach((rig) => rig.dispose());
    rmSync(root, { recursive: true, force: true });
  });

  it('fails the preview of a GPU that is not on vfio-pci, printing the host steps per function', () => {
    const run = racers[0]!.run('preview', config('vm-0', { index: 1 }));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('0000:01:00.0 is on nvidia, 0000:01:00.1 is on snd_hda_intel, not vfio-pci');
    expect(run.output).toContain('echo vfio-pci > /sys/bus/pci/devices/0000:01:00.1/driver_override');
    expect(run.output).toContain('or set bindVfio: true');
    const console = racers[0]!.run('preview', config('vm-0', { index: 0 }));
    expect(console.output).toContain('0000:00:02.0 is host "local"\'s console GPU (boot_vga=1');
  });

  it('lets exactly one of two concurrent `pulumi up`s reserve the GPU', async () => {
    const [a, b] = await Promise.all([
      racers[0]!.runAsync('up', config('vm-0')),
      racers[1]!.runAsync('up', config('vm-1')),
    ]);
    const statuses = [a.status, b.status];
    expect(statuses.filter((s) => s === 0)).toHaveLength(1);
    const winner = a.status === 0 ? 0 : 1;
    const loser = 1 - winner;
    const lost = [a, b][loser]!;
    expect(lost.output).toMatch(
      new RegExp(
        `0000:02:00\\.[01] on host "local" is reserved by windock-gpu-race/racer-${'ab'[winner]}/gpu for VM "vm-${winner}"`,
      ),
    );
    const locks = await locksOf(docker, { parent: '0000:02:00.0' });
    expect(locks.map((l) => [l.target, l.owner, l.vm])).toEqual([
      ['0000:02:00.0', `windock-gpu-race/racer-${'ab'[winner]}/gpu`, `vm-${winner}`],
      ['0000:02:00.1', `windock-gpu-race/racer-${'ab'[winner]}/gpu`, `vm-${winner}`],
    ]);
    const record = await docker.getContainer(recordNameFor(locks[0]!.assignment)).inspect();
    expect(JSON.parse(record.Config.Labels!['io.windock.gpu.device']!)).toEqual({
      kind: 'pci',
      id: 'gpu0',
      functions: [
        { address: '0000:02:00.0', iommuGroup: '15' },
        { address: '0000:02:00.1', iommuGroup: '15' },
      ],
      primaryDisplay: false,
    });

    // The loser's next preview says who holds it, before anything is made.
    const preview = racers[loser]!.run('preview', config(`vm-${loser}`));
    expect(preview.status).not.toBe(0);
    expect(preview.output).toMatch(
      new RegExp(
        `select: 0000:02:00\\.0 on host "local" is reserved by windock-gpu-race/racer-${'ab'[winner]}/gpu`,
      ),
    );

    // Released on destroy; then the other stack gets it.
    racers[winner]!.ok('destroy', config(`vm-${winner}`));
    expect(await locksOf(docker, { parent: '0000:02:00.0' })).toEqual([]);
    racers[loser]!.ok('up', config(`vm-${loser}`));
    expect((await locksOf(docker, { parent: '0000:02:00.0' })).map((l) => l.owner)).toEqual([
      `windock-gpu-race/racer-${'ab'[loser]}/gpu`,
      `windock-gpu-race/racer-${'ab'[loser]}/gpu`,
    ]);
    racers[loser]!.ok('destroy', config(`vm-${loser}`));
    expect(await locksOf(docker, { parent: '0000:02:00.0' })).toEqual([]);
  });
});
