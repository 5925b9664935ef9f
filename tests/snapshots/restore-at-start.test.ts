import { rewriteSpec } from '../../provider/resources/windows-vm/launch';
import { startVmContainer } from '../../provider/docker/vm-secrets';
import { connectVmAgent } from '../../provider/vm/agent-exec';
import { waitForReadiness } from '../../provider/vm/readiness';
import { takeSnapshot } from '../../provider/vm/snapshots';
import { readContainerSpec } from '../../provider/vm/volume-files';
import { Cleanup, containerLogs, localDocker } from '../rig/docker';
import { guestSh, startStandinVm } from './vm-rig';

/**
 * The restart-tier restore: a container started with `restore: {kind: "snapshot"}` in its spec
 * resumes the snapshot (RAM included) instead of booting, once per request: a later restart
 * of the same container boots from the disks again.
 */
describe('restore at container start', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('starts from the snapshot once, then boots normally', async () => {
    const vm = await startStandinVm(docker, cleanup, 'wdk-rstart');
    const sh = (command: string) => guestSh(docker, vm.name, command);
    await sh('echo snap > /run/ram-marker; echo snap > /mnt/disk/marker; sync');
    await takeSnapshot({ docker, container: vm.name }, { tag: 'start-here', memory: true });
    await sh('echo later > /mnt/disk/marker; sync');

    const container = docker.getContainer(vm.name);
    await container.stop({ t: 45 });
    const spec = await readContainerSpec(docker, vm.name);
    await rewriteSpec(docker, vm.name, {
      ...spec,
      restore: { kind: 'snapshot', tag: 'start-here', requestId: 'req-1' },
    });
    await startVmContainer(docker, vm.name, { 'console-token': 'test-token' });
    await waitForReadiness(docker, vm.name, 'qemu', 120_000);
    const agent = await connectVmAgent(docker, vm.name, 60_000);
    agent.close();
    expect(await sh('cat /run/ram-marker')).toBe('snap'); // RAM from the snapshot: no boot happened
    expect(await sh('cat /mnt/disk/marker')).toBe('snap');
    expect(await containerLogs(container)).toMatch(/restored from snapshot "start-here"/);

    await container.stop({ t: 45 });
    await container.start();
    await waitForReadiness(docker, vm.name, 'agent', 120_000);
    expect(await sh('[ -e /run/ram-marker ] && echo yes || echo no')).toBe('no'); // a normal boot this time
    expect(await sh('cat /mnt/disk/marker')).toBe('snap');
  });
});
