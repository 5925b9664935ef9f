import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireContainer, startContainer } from '../docker/containers';
import { createVmContainer } from '../docker/vm-container';
import { createVolume } from '../docker/volumes';
import { connectVmAgent } from './agent-exec';
import { baseMount, prepareCloneBase, resumedCopySpec, seedCloneVolume } from './clone-base';
import { runInGuest, type GuestCommandOptions, type GuestCommandResult } from './guest-exec';
import { removeContainer } from '../docker/containers';
import { removeVolume } from '../docker/volumes';
import { waitForReadiness } from './readiness';
import { readContainerSpec } from './volume-files';
import type { VmRef } from './snapshots';

export interface ThrowawayResult extends GuestCommandResult {
  /** From the request to the copy's guest agent answering (the base made first if needed). */
  readyMs: number;
}

/**
 * osrun's mode: runs a command in a throwaway copy of a VM started from its memory snapshot
 * `tag`, then removes the copy with every change it made. The copy is a temporary container
 * whose disks are qcow2 overlays over the snapshot's frozen clone base (made once, reused),
 * resuming the snapshot's RAM state; the VM itself keeps running, untouched.
 */
export async function runInSnapshotCopy(
  ref: VmRef,
  tag: string,
  argv: string[],
  options: GuestCommandOptions = {},
): Promise<ThrowawayResult> {
  const started = Date.now();
  const base = await prepareCloneBase(ref, tag, { withMemory: true });
  const image = (await requireContainer(ref.docker, ref.container)).Config.Image;
  const source = await readContainerSpec(ref.docker, ref.container);
  const suffix = randomBytes(3).toString('hex');
  const name = `${source.name.slice(0, 52)}-x${suffix}`;
  const uuid = randomUUID();
  const spec = resumedCopySpec(base, name, {
    uuid,
    serial: `WDK-X${suffix.toUpperCase()}`,
    mac: source.network.nics[0]?.mac ?? '52:54:00:00:00:01',
  });
  const containerName = `windock-${name}`;
  const volumeName = `${containerName}-scratch`;
  try {
    await createVolume(ref.docker, volumeName, { 'io.windock.throwaway': 'true' });
    await seedCloneVolume(ref.docker, image, base, volumeName);
    await createVmContainer(ref.docker, {
      spec,
      placement: {
        containerName,
        image,
        volumeName,
        labels: { 'io.windock.managed': 'true', 'io.windock.throwaway': 'true' },
        published: [],
        kvmDevice: spec.accelerator !== 'tcg',
        restartPolicy: 'no',
        extraVolumes: [baseMount(base)],
      },
    });
    await startContainer(ref.docker, containerName);
    await waitForReadiness(ref.docker, containerName, 'qemu', 120_000);
    await waitForAgent({ docker: ref.docker, container: containerName }, 60_000);
    const readyMs = Date.now() - started;
    const result = await runInGuest({ docker: ref.docker, container: containerName }, argv, options);
    return { ...result, readyMs };
  } finally {
    // Discarded: the copy and its overlay go; the base stays for the next run.
    await removeContainer(ref.docker, containerName).catch(() => undefined);
    await removeVolume(ref.docker, volumeName).catch(() => undefined);
  }
}

/** The resumed guest's agent answers as soon as the state is in (no boot). */
async function waitForAgent(ref: VmRef, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const agent = await connectVmAgent(ref.docker, ref.container, 2_000).catch((e: unknown) => e as Error);
    if (!(agent instanceof Error)) {
      await agent.setTime(new Date(), { timeoutMs: 15_000 }).catch(() => undefined);
      agent.close();
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`the copy's guest agent did not answer within ${timeoutMs} ms: ${agent.message}`);
    await sleep(100);
  }
}
