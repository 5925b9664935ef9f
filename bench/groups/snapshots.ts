// Snapshot save and restore latency against guest RAM, on the stand-in guest (TCG). Save:
// windock's takeSnapshot against a bare HMP `savevm` (what osrun does). Restore to a guest
// whose agent answers: windock's in-place restoreSnapshot against osrun's method, a new QEMU
// started with `-loadvm TAG` on the same disk (same QEMU command line, in a container of the
// same image with the VM's volume), timed until the guest agent answers.
import type Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { qemuArgv, QEMU_BINARY } from '../../image/supervisor/qemu/argv';
import { DEBIAN_FIRMWARE } from '../../image/supervisor/qemu/host-facts';
import { connectVmAgent } from '../../provider/vm/agent-exec';
import { stopVmContainer } from '../../provider/vm/power';
import { connectVmQmp } from '../../provider/vm/qmp-exec';
import { deleteSnapshot, listVmSnapshots, restoreSnapshot, takeSnapshot } from '../../provider/vm/snapshots';
import type { VmSpec } from '../../contract';
import { localDocker, WINDOCK_IMAGE } from '../../tests/rig/docker';
import { elapsedMs, now, summarize, timed } from '../stats';
import { createPlainVm, removeVm, standinVmArgs, waitGuestReady } from '../lib/vm';
import { guarded, type GroupContext } from './context';

const GROUP = 'snapshots';

/** A long-lived container of the windock image holding the VM's volume, for QEMU started by hand. */
async function startOsrunHost(docker: Dockerode, volume: string, name: string): Promise<Dockerode.Container> {
  const container = await docker.createContainer({
    name,
    Image: WINDOCK_IMAGE,
    Entrypoint: ['sleep', 'infinity'],
    Cmd: [],
    Labels: { 'io.windock.bench': 'osrun' },
    HostConfig: {
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Mounts: [{ Type: 'volume', Source: volume, Target: '/storage' }],
    },
  });
  await container.start();
  return container;
}

/**
 * osrun's restore: a new QEMU with `-loadvm TAG`; milliseconds until the guest agent answers.
 * QEMU is told to quit afterwards and waited for (it holds the image lock).
 */
async function osrunRestore(
  docker: Dockerode,
  host: Dockerode.Container,
  spec: VmSpec,
  tag: string,
): Promise<number> {
  const argv = [...qemuArgv(spec, { accelerator: 'tcg', firmwareFiles: DEBIAN_FIRMWARE }), '-loadvm', tag];
  const t0 = now();
  const exec = await host.exec({ Cmd: [QEMU_BINARY, ...argv], AttachStdout: false, AttachStderr: false });
  await exec.start({ Detach: true });
  let ms: number | undefined;
  const deadline = Date.now() + 120_000;
  while (ms === undefined) {
    try {
      const agent = await connectVmAgent(docker, host.id, 5_000);
      ms = elapsedMs(t0);
      agent.close();
    } catch (error) {
      const info = await exec.inspect();
      if (!info.Running)
        throw new Error(`QEMU -loadvm exited (${info.ExitCode}) before the agent answered`, { cause: error });
      if (Date.now() > deadline)
        throw new Error(`the agent did not answer after -loadvm: ${(error as Error).message}`, {
          cause: error,
        });
      await sleep(50);
    }
  }
  const qmp = await connectVmQmp(docker, host.id);
  await qmp.quit().catch(() => undefined);
  await qmp.close().catch(() => undefined);
  for (let i = 0; i < 200 && (await exec.inspect()).Running; i++) await sleep(100);
  return ms;
}

/** Milliseconds from `t0` until a fresh guest agent connection answers. */
async function untilAgentAnswers(docker: Dockerode, container: string, t0: bigint): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const agent = await connectVmAgent(docker, container, 5_000);
      agent.close();
      return elapsedMs(t0);
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error('the guest agent did not answer after the restore', { cause: error });
      await sleep(50);
    }
  }
}

export async function runSnapshotGroup(ctx: GroupContext): Promise<void> {
  const docker = localDocker();
  const sizes = ctx.opts.quick ? [256, 1024] : [256, 512, 1024, 2048];
  for (const memoryMiB of sizes) {
    const runs =
      memoryMiB >= 1024
        ? Math.min(ctx.opts.runs, ctx.opts.quick ? 1 : 3)
        : Math.min(ctx.opts.runs, ctx.opts.quick ? 2 : 5);
    const name = `wdkb-snap${memoryMiB}-${randomBytes(3).toString('hex')}`;
    let vm: Awaited<ReturnType<typeof createPlainVm>> | undefined;
    ctx.onCleanup(() => removeVm(docker, `windock-${name}`, vm?.volumeName));
    const ref = () => ({ docker, container: vm!.containerName });
    const save: number[] = [];
    const rawSave: number[] = [];
    const restore: number[] = [];
    const osrun: number[] = [];
    let vmStateBytes = 0;
    let missedAgent = 0;

    await guarded(ctx, GROUP, `snapshots ${memoryMiB} MiB`, 'ms', async () => {
      ctx.log(`  snapshots: ${memoryMiB} MiB guest, ${runs} run(s)`);
      vm = await createPlainVm(docker, standinVmArgs(name, { memory: `${memoryMiB}MiB` }));
      await docker.getContainer(vm.containerName).start();
      await waitGuestReady(docker, vm.containerName);

      await takeSnapshot(ref(), { tag: 'golden', memory: true });
      vmStateBytes = (await listVmSnapshots(ref())).find((s) => s.tag === 'golden')?.vmStateBytes ?? 0;
      for (let i = 0; i < runs; i++) {
        save.push((await timed(() => takeSnapshot(ref(), { tag: `bench-${i}`, memory: true }))).ms);
        await deleteSnapshot(ref(), `bench-${i}`);
        const qmp = await connectVmQmp(docker, vm.containerName);
        try {
          rawSave.push((await timed(() => qmp.hmp(`savevm raw-${i}`, { timeoutMs: 600_000 }))).ms);
          await qmp.hmp(`delvm raw-${i}`, { timeoutMs: 600_000 });
        } finally {
          await qmp.close().catch(() => undefined);
        }
      }
      for (let i = 0; i < runs; i++) {
        await sleep(500);
        const t0 = now();
        const result = await restoreSnapshot(ref(), 'golden');
        if (result.responsiveMs !== undefined) {
          restore.push(result.responsiveMs);
        } else {
          // The agent connection restoreSnapshot opens during the load got no reply: time the
          // guest by a fresh connection instead (from the same start), and say so in the note.
          missedAgent++;
          restore.push(await untilAgentAnswers(docker, vm.containerName, t0));
        }
      }

      // osrun's way on the same disk: the VM's own QEMU is gone (its container stopped).
      await stopVmContainer(docker, vm.containerName, 30);
      const host = await startOsrunHost(docker, vm.volumeName, `${name}-osrun`);
      ctx.onCleanup(() => host.remove({ force: true }).catch(() => undefined));
      try {
        for (let i = 0; i < runs; i++) osrun.push(await osrunRestore(docker, host, vm.spec, 'golden'));
      } finally {
        await host.remove({ force: true }).catch(() => undefined);
      }
    });
    await removeVm(docker, `windock-${name}`, vm?.volumeName);

    if (save.length)
      ctx.add({
        group: GROUP,
        name: `snapshot save (RAM + disks), ${memoryMiB} MiB guest`,
        unit: 'ms',
        ours: summarize(save),
        ...(rawSave.length
          ? {
              anchor: {
                label: "HMP savevm (osrun's save)",
                value: summarize(rawSave),
                kind: 'measured' as const,
              },
            }
          : {}),
        note:
          `windock takeSnapshot: spec read, checks, QMP through \`docker exec socat\`, a snapshot-save job over every disk, the record written into the volume. ` +
          `Anchor: a bare \`savevm\` on an open monitor, as osrun does (no checks, no record). vmstate of this guest: ${(vmStateBytes / 1024 ** 2).toFixed(1)} MiB (RAM the guest never touched is saved as zero pages, so the vmstate grows little with RAM size).`,
      });
    if (restore.length)
      ctx.add({
        group: GROUP,
        name: `restore → guest agent answering, ${memoryMiB} MiB guest`,
        unit: 'ms',
        ours: summarize(restore),
        ...(osrun.length
          ? {
              anchor: {
                label: 'osrun: new QEMU -loadvm',
                value: summarize(osrun),
                kind: 'measured' as const,
              },
            }
          : {}),
        note:
          'windock restoreSnapshot in place on the running VM (snapshot-load job, hardware check, agent sync; the clock set after): from the call to the agent answering. ' +
          "osrun's method: a new QEMU process with the same command line plus `-loadvm TAG` (started by `docker exec` in a container of the same image holding the VM's volume), until the agent answers. osrun claims 1-2 s (later 2-3 s) with KVM; this is TCG." +
          (missedAgent
            ? ` In ${missedAgent} of ${restore.length} windock runs the agent connection restoreSnapshot opens during the load got no reply (responsiveMs missing); those runs are timed until a fresh connection answered, from the same start.`
            : ''),
      });
  }
}
