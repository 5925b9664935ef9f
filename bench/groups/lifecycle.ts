// The lifecycle of one stand-in VM: create to guest ready, a restart-tier update, a graceful
// shutdown and destroy, done by windock's WindowsVm provider (in process, no engine) and the
// dockur way with the same image and the same VM: a container started and left to boot, a
// change applied as stop (Docker's default 10 s) + a new container, destroy as stop + rm.
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { randomBytes } from 'node:crypto';
import { windowsVmProvider } from '../../provider/resources/windows-vm/provider';
import { stopVmContainer } from '../../provider/vm/power';
import { localDocker, containerLogs } from '../../tests/rig/docker';
import { summarize, timed, type Summary } from '../stats';
import { createPlainVm, guestSh, removeVm, standinVmArgs, waitGuestReady } from '../lib/vm';
import { guarded, type GroupContext } from './context';

const GROUP = 'lifecycle';
const provider = windowsVmProvider as Required<dynamic.ResourceProvider>;
const DOCKER_DEFAULT_STOP_S = 10;

async function checked(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await provider.check(olds, news);
  if (result.failures?.length)
    throw new Error(`check failed: ${result.failures.map((f) => f.reason).join('; ')}`);
  return result.inputs as Record<string, unknown>;
}

export async function runLifecycleGroup(ctx: GroupContext): Promise<void> {
  const docker = localDocker();
  const runs = ctx.opts.quick ? 1 : 3;
  const samples = {
    ours: {
      create: [] as number[],
      update: [] as number[],
      shutdown: [] as number[],
      destroy: [] as number[],
    },
    dockur: {
      create: [] as number[],
      update: [] as number[],
      shutdown: [] as number[],
      destroy: [] as number[],
    },
  };
  const exitCodes = { ours: [] as number[], dockur: [] as number[] };

  for (let run = 0; run < runs; run++) {
    await guarded(ctx, GROUP, `windock lifecycle run ${run + 1}`, 'ms', async () => {
      const name = `wdkb-life-${randomBytes(3).toString('hex')}`;
      ctx.onCleanup(() => removeVm(docker, `windock-${name}`));
      ctx.log(`  lifecycle: windock run ${run + 1}/${runs}`);
      const args = standinVmArgs(name);
      // create: check (validation, preflight) + create (volume, container, media, start, readiness "agent")
      const create = await timed(async () => provider.create(await checked({}, args)));
      const { id } = create.value;
      let outs = create.value.outs as Record<string, unknown>;
      ctx.onCleanup(() =>
        docker
          .getVolume(String(outs.volumeName))
          .remove()
          .catch(() => undefined),
      );
      samples.ours.create.push(create.ms);
      // a restart-tier change: memory 256 → 320 MiB
      const update = await timed(async () =>
        provider.update(id, outs, await checked(outs, { ...args, memory: '320MiB' })),
      );
      outs = update.value.outs as Record<string, unknown>;
      samples.ours.update.push(update.ms);
      // graceful shutdown as windock does it (Docker's timeout above the guest's deadline), then
      // the rest of the provider's delete (container and volume removed): together, a destroy.
      const container = String(outs.containerName);
      const stop = await timed(() => stopVmContainer(docker, container, 30));
      samples.ours.shutdown.push(stop.ms);
      exitCodes.ours.push(stop.value ?? -1);
      const destroy = await timed(() => provider.delete(id, outs));
      samples.ours.destroy.push(stop.ms + destroy.ms);
    });

    await guarded(ctx, GROUP, `dockur-way lifecycle run ${run + 1}`, 'ms', async () => {
      const name = `wdkb-dock-${randomBytes(3).toString('hex')}`;
      ctx.log(`  lifecycle: dockur way run ${run + 1}/${runs}`);
      const args = standinVmArgs(name);
      let volume: string | undefined;
      ctx.onCleanup(() => removeVm(docker, `windock-${name}`, volume));
      // create: `docker run -d` with the config, nothing waits; the guest is ready when its agent answers
      const create = await timed(async () => {
        const vm = await createPlainVm(docker, args);
        volume = vm.volumeName;
        await docker.getContainer(vm.containerName).start();
        await waitGuestReady(docker, vm.containerName);
        return vm;
      });
      samples.dockur.create.push(create.ms);
      const vm = create.value;
      // a changed setting: `docker compose up` recreates the container (stop with the default timeout)
      const update = await timed(async () => {
        await docker.getContainer(vm.containerName).stop({ t: DOCKER_DEFAULT_STOP_S });
        await docker.getContainer(vm.containerName).remove();
        const next = await createPlainVm(
          docker,
          { ...args, memory: '320MiB' },
          {
            volumeName: vm.volumeName,
            withMedia: false,
            spec: { identity: vm.spec.identity, network: vm.spec.network },
          },
        );
        await docker.getContainer(next.containerName).start();
        await waitGuestReady(docker, next.containerName);
      });
      samples.dockur.update.push(update.ms);
      const stop = await timed(() =>
        docker.getContainer(vm.containerName).stop({ t: DOCKER_DEFAULT_STOP_S }),
      );
      samples.dockur.shutdown.push(stop.ms);
      exitCodes.dockur.push((await docker.getContainer(vm.containerName).inspect()).State.ExitCode);
      const destroy = await timed(async () => {
        await docker.getContainer(vm.containerName).remove();
        await docker.getVolume(vm.volumeName).remove();
      });
      destroy.ms += stop.ms;
      samples.dockur.destroy.push(destroy.ms);
    });
  }

  const summary = (v: number[]): Summary | undefined => (v.length ? summarize(v) : undefined);
  const row = (key: keyof typeof samples.ours, name: string, note: string) => {
    const ours = summary(samples.ours[key]);
    const theirs = summary(samples.dockur[key]);
    if (!ours && !theirs) return;
    ctx.add({
      group: GROUP,
      name,
      unit: 'ms',
      ...(ours ? { ours } : {}),
      anchor: { label: 'dockur way, same image', ...(theirs ? { value: theirs } : {}), kind: 'measured' },
      note,
    });
  };
  row(
    'create',
    'create → guest ready (stand-in)',
    'windock: WindowsVm provider check + create in process (validation, preflight, volume, container, spec and media, start, wait for readiness "agent"); the Pulumi engine adds its fixed cost on top (see the empty-stack preview). ' +
      'dockur way: the same container made and started directly (`docker run -d`), the guest observed until its agent answers (dockur has no readiness signal). Same image, spec, media and TCG guest: this row shows our overhead is small.',
  );
  row(
    'update',
    'restart-tier update (memory 256→320 MiB)',
    'windock: provider update (graceful power-down, a new container on the same volume, boot, readiness). dockur way: `docker compose up` after an env change = stop with the default 10 s, rm, a new container on the volume, start, until the agent answers.',
  );
  row(
    'shutdown',
    'graceful shutdown, stand-in (off in ~1 s)',
    `SIGTERM → ACPI power button → guest off → container exit. windock: \`docker stop -t ${30 + 15}\` (guest deadline + 15 s); exit codes ${exitCodes.ours.join(',') || '—'}. dockur way: \`docker stop\` with Docker's default 10 s; exit codes ${exitCodes.dockur.join(',') || '—'}. The stand-in powers off in ~1 s, so both are clean here; see the next row for a guest that needs longer.`,
  );
  row(
    'destroy',
    'destroy (running VM: stop, rm, volume rm)',
    "A running VM removed with its disks, timed as its two parts: the graceful shutdown above, then the rest. windock: the provider's delete (its stop finds the VM off; container and volume removed). dockur way: `docker stop` (10 s), `docker rm`, `docker volume rm`.",
  );

  await guarded(ctx, GROUP, 'slow guest shutdown', 'ms', async () => {
    ctx.log('  lifecycle: a guest that needs 15 s to shut down (1 run each)');
    const result: Record<'ours' | 'dockur', { ms: number; exit: number; clean: boolean }> = {} as never;
    for (const way of ['ours', 'dockur'] as const) {
      const name = `wdkb-slow-${randomBytes(3).toString('hex')}`;
      const vm = await createPlainVm(docker, standinVmArgs(name));
      ctx.onCleanup(() => removeVm(docker, vm.containerName, vm.volumeName));
      const container = docker.getContainer(vm.containerName);
      await container.start();
      await waitGuestReady(docker, vm.containerName);
      // The guest's power-button handler now takes 15 s before powering off (like Windows).
      await guestSh(
        docker,
        vm.containerName,
        "printf '#!/bin/sh\\nmkdir /run/slow.lock 2>/dev/null || exit 0\\nsleep 15\\nexec /sbin/windock-poweroff\\n' > /etc/acpi/PWRF/00000080; chmod +x /etc/acpi/PWRF/00000080",
      );
      const before = (await containerLogs(container)).split('WINDOCK-GUEST-POWEROFF').length;
      const stop = await timed(() =>
        way === 'ours'
          ? stopVmContainer(docker, vm.containerName, 30)
          : container.stop({ t: DOCKER_DEFAULT_STOP_S }),
      );
      const state = (await container.inspect()).State;
      const clean = (await containerLogs(container)).split('WINDOCK-GUEST-POWEROFF').length > before;
      result[way] = { ms: stop.ms, exit: state.ExitCode, clean };
      await removeVm(docker, vm.containerName, vm.volumeName);
    }
    ctx.add({
      group: GROUP,
      name: 'shutdown, guest needing 15 s (Windows-like)',
      unit: 'ms',
      ours: summarize([result.ours.ms]),
      anchor: { label: 'dockur way, default 10 s', value: summarize([result.dockur.ms]), kind: 'measured' },
      note:
        `The stand-in's power-button handler made to take 15 s, as Windows does. windock: exit ${result.ours.exit}, guest powered off cleanly: ${result.ours.clean ? 'yes' : 'NO'}. ` +
        `dockur way (Docker's default 10 s): exit ${result.dockur.exit}, guest powered off cleanly: ${result.dockur.clean ? 'yes' : 'NO (killed mid-shutdown: what corrupts disks)'}. Faster is not better here.`,
    });
  });
}
