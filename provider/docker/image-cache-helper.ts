// The image cache's helper: a container of the VM's image that holds the host's image cache
// volume read-write while one import runs, so that each step (probe, receive, verify, store) is
// an exec in it. Bytes reach it through an exec's stdin (provider/docker/exec-stream.ts), which
// streams over every transport of provider/hosts, SSH included: nothing is held whole in memory.
// A helper container (helper-container.ts): no network, no capability, removed afterwards.
import type { DockerEngine } from './engine';
import { HELPER_LABEL, startHelperContainer, type HelperContainer } from './helper-container';

export const IMAGE_HELPER_LABEL = HELPER_LABEL;

export type ImageCacheHelper = Omit<HelperContainer, 'id'>;

export function startImageCacheHelper(
  docker: DockerEngine,
  image: string,
  volume: string,
  mountPath: string,
  hostFile?: { source: string; target: string },
): Promise<ImageCacheHelper> {
  return startHelperContainer(docker, {
    image,
    purpose: 'image-import',
    namePrefix: 'windock-image-import',
    scriptName: 'windock-image',
    // dd, mv and qemu-img write files they own in the cache volume; root without capabilities is enough.
    mounts: [
      { type: 'volume', source: volume, target: mountPath, readOnly: false },
      ...(hostFile ? [{ type: 'bind' as const, source: hostFile.source, target: hostFile.target }] : []),
    ],
  });
}
