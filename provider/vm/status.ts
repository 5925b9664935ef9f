import type Dockerode from 'dockerode';
import { RUNTIME_PATHS, vmStatus, type VmStatus } from '../../contract';
import { execOutput } from '../docker/exec-output';

/** The supervisor's status of a running container, or undefined before it wrote one. */
export async function readVmStatus(docker: Dockerode, containerId: string): Promise<VmStatus | undefined> {
  // cat, not `windock-supervisor status`: readiness polls this, and a Node start per poll is costly.
  const result = await execOutput(docker, containerId, ['cat', RUNTIME_PATHS.status]);
  if (result.exitCode !== 0 || !result.stdout.trim()) return undefined;
  const parsed = vmStatus.safeParse(JSON.parse(result.stdout));
  return parsed.success ? parsed.data : undefined;
}
