import type Dockerode from 'dockerode';
import { createVmContainer } from '../../provider/docker/vm-container';
import { startVmContainer } from '../../provider/docker/vm-secrets';
import type { VmSpec } from '../../contract';
import { execOutput } from '../../provider/docker/exec-output';
import { waitForReadiness } from '../../provider/vm/readiness';
import { Cleanup, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { standinSpec, standinStorageFiles } from '../rig/standin-guest';
import { guestSh } from '../rig/guest-shell';

/** A running stand-in VM in a windock container (TCG, snapshots on), removed by `cleanup`. */
export async function startStandinVm(
  docker: Dockerode,
  cleanup: Cleanup,
  prefix: string,
  overrides: Partial<VmSpec> = {},
) {
  const name = uniqueName(prefix);
  const spec = standinSpec({ name, snapshots: { enabled: true }, ...overrides });
  const placement = {
    containerName: name,
    image: WINDOCK_IMAGE,
    volumeName: `${name}-storage`,
    labels: { 'io.windock.test': 'snapshots' },
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
  await startVmContainer(docker, container.id, { 'console-token': 'test-token' });
  await waitForReadiness(docker, name, 'agent', 240_000);
  return { name, spec, volume: placement.volumeName, container };
}

export { guestSh };

/** Allocated KiB of a file in the VM's volume (what the host really spends). */
export async function allocatedKiB(docker: Dockerode, container: string, path: string): Promise<number> {
  const out = await execOutput(docker, container, ['du', '-k', path]);
  return Number(out.stdout.split(/\s+/)[0]);
}
