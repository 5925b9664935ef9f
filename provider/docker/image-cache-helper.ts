// The image cache's helper: a container of the VM's image that holds the host's image cache
// volume read-write while one import runs, so that each step (probe, receive, verify, store) is
// an exec in it. Bytes reach it through an exec's stdin (provider/docker/exec-stream.ts), which
// streams over every transport of provider/hosts, SSH included: nothing is held whole in memory.
// No network, every capability dropped; removed afterwards, whatever happened.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { execOutput } from '../vm/exec-output';
import { openExecStream, type ExecStream } from './exec-stream';

export const IMAGE_HELPER_LABEL = 'io.windock.helper';

export interface ImageCacheHelper {
  /** Runs a shell script (arguments as $1...) and returns its output; fails on a non-zero exit. */
  sh(script: string, args?: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null }>;
  /** A process whose stdin is the stream returned (write, then end()). */
  pipe(cmd: string[]): Promise<ExecStream>;
  remove(): Promise<void>;
}

export async function startImageCacheHelper(
  docker: Dockerode,
  image: string,
  volume: string,
  mountPath: string,
  hostFile?: { source: string; target: string },
): Promise<ImageCacheHelper> {
  const container: Dockerode.Container = await docker.createContainer({
    name: `windock-image-import-${randomBytes(4).toString('hex')}`,
    Image: image,
    Entrypoint: ['sleep', 'infinity'],
    Cmd: [],
    Labels: { [IMAGE_HELPER_LABEL]: 'image-import' },
    NetworkDisabled: true,
    HostConfig: {
      CapDrop: ['ALL'],
      // dd, mv and qemu-img write files they own; root without capabilities is enough.
      SecurityOpt: ['no-new-privileges:true'],
      Mounts: [
        { Type: 'volume', Source: volume, Target: mountPath },
        ...(hostFile
          ? [{ Type: 'bind' as const, Source: hostFile.source, Target: hostFile.target, ReadOnly: true }]
          : []),
      ],
    },
  });
  const remove = () => container.remove({ force: true, v: true }).then(() => undefined);
  try {
    await container.start();
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
  return {
    sh: (script, args = []) =>
      execOutput(docker, container.id, ['sh', '-c', script, 'windock-image', ...args]),
    pipe: (cmd) => openExecStream(docker, container.id, cmd),
    remove: () => remove().catch(() => undefined),
  };
}
