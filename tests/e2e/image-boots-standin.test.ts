import { containerCreateOptions } from '../../provider/docker/container-spec';
import { createVmContainer } from '../../provider/docker/vm-container';
import { startVmContainer } from '../../provider/docker/vm-secrets';
import { Cleanup, containerLogs, localDocker, uniqueName, waitForLog, WINDOCK_IMAGE } from '../rig/docker';
import { STANDIN_POWEROFF, STANDIN_READY, standinSpec, standinStorageFiles } from '../rig/standin-guest';

/**
 * The rig end to end: the windock image on the local engine boots the stand-in guest under
 * TCG, the ready marker arrives over the serial console, and `docker stop` becomes an ACPI
 * power-down: the guest powers itself off and the container exits 0.
 */
describe('the windock image boots the stand-in guest and stops it gracefully', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('boots to the ready marker and powers off on docker stop', async () => {
    const name = uniqueName('wdk-e2e');
    const spec = standinSpec({ name });
    const placement = {
      containerName: name,
      image: WINDOCK_IMAGE,
      volumeName: `${name}-storage`,
      labels: { 'io.windock.test': 'e2e' },
      published: [],
      kvmDevice: false,
      restartPolicy: 'no' as const,
    };
    cleanup.add(() => docker.getVolume(placement.volumeName).remove());
    cleanup.add(() => docker.getContainer(name).remove({ force: true }));

    const container = await createVmContainer(docker, {
      spec,
      placement,
      storageFiles: standinStorageFiles(),
    });
    // No VOLUME in the image: every helper or lock container made from it would leave an
    // anonymous volume behind; the VM's storage is always a named volume mounted explicitly.
    expect((await docker.getImage(WINDOCK_IMAGE).inspect()).Config.Volumes ?? {}).toEqual({});
    const inspected = await container.inspect();
    expect(inspected.HostConfig.Privileged).toBe(false);
    expect(inspected.HostConfig.CapDrop).toEqual(['ALL']);
    expect((inspected.Config as { StopTimeout?: number }).StopTimeout).toBe(
      containerCreateOptions(spec, placement).StopTimeout,
    );

    await startVmContainer(docker, container.id, { 'console-token': 'e2e-token' });
    const booted = await waitForLog(container, STANDIN_READY, 120_000);
    expect(booted).toMatch(/WINDOCK-GUEST-READY boot=1/);

    await container.stop();
    const state = (await container.inspect()).State;
    const log = await containerLogs(container);
    expect(log).toContain(STANDIN_POWEROFF);
    expect(log).toContain('VM powered off');
    expect(state.ExitCode).toBe(0);
    expect(state.OOMKilled).toBe(false);
  });
});
