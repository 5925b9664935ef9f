import type Dockerode from 'dockerode';
import { chooseAccelerator, probeKvm } from '../../../lib/kvm/accelerator';
import { hostConfigFor, type ProviderSettings } from '../../config/provider-config';
import { memoryLimitBytes } from '../../docker/container-spec';
import { engineUnreachableReason, sharedHostPool } from '../../hosts';
import { gpuInputRefusal } from '../gpu-assignment/for-vm';
import type { CheckFailure } from './check';
import type { ImpactPlan } from './impact';
import type { WindowsVmInputs } from './inputs';
import { toVmSpec } from './to-spec';
import { checkHostUsb } from './usb-preflight';
import { identityFor } from './identity';
import { hostPathFailures, shareSourceFailures } from './share-preflight';
import { networkPreflight } from './network-preflight';

const PREFLIGHT_TIMEOUT_MS = 15_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`)),
        PREFLIGHT_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

const touches = (plan: ImpactPlan | undefined, ...fields: string[]) =>
  plan === undefined || (plan.ok && plan.changes.some((c) => fields.includes(c.field)));

/**
 * Checks at preview, before anything is made, that the host can run this VM: the engine
 * answers, the image is there, CPUs and memory suffice (with QEMU's headroom), and the
 * accelerator asked for really works. Each failure names the field and the fix.
 */
export async function preflight(
  settings: ProviderSettings,
  vm: WindowsVmInputs,
  plan: ImpactPlan | undefined,
): Promise<CheckFailure[]> {
  let docker: Dockerode;
  try {
    docker = sharedHostPool().get(hostConfigFor(settings, vm.host));
  } catch (error) {
    return [{ property: 'host', reason: `host: ${(error as Error).message}` }];
  }
  const failures: CheckFailure[] = [];
  const gpuRefusal = gpuInputRefusal(vm);
  if (gpuRefusal) failures.push(gpuRefusal);
  let info: { NCPU: number; MemTotal: number };
  try {
    info = await withTimeout(
      docker.info() as Promise<{ NCPU: number; MemTotal: number }>,
      `the Docker engine of host "${vm.host}"`,
    );
  } catch (error) {
    return [
      {
        property: 'host',
        reason: `host: ${engineUnreachableReason(vm.host, error)}`,
      },
    ];
  }
  const image = vm.image ?? settings.image;
  if (touches(plan, 'image')) {
    try {
      await withTimeout(docker.getImage(image).inspect(), 'the image lookup');
    } catch {
      failures.push({
        property: 'image',
        reason: `image: "${image}" is not on host "${vm.host}": build it there (scripts/setup.sh builds windock/vm:dev) or set windock:image / image to a reference the host has`,
      });
    }
  }
  if (touches(plan, 'cpu') && vm.cpu > info.NCPU) {
    failures.push({
      property: 'cpu',
      reason: `cpu: ${vm.cpu} vCPUs asked, host "${vm.host}" has ${info.NCPU}: lower cpu to at most ${info.NCPU}`,
    });
  }
  if (touches(plan, 'memory')) {
    const needed = memoryLimitBytes(toVmSpec(vm, identityFor('00000000-0000-4000-8000-000000000000')));
    if (needed > info.MemTotal) {
      const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)}GiB`;
      failures.push({
        property: 'memory',
        reason: `memory: the VM needs ${gib(needed)} with QEMU's headroom, host "${vm.host}" has ${gib(info.MemTotal)} in all: lower memory`,
      });
    }
  }
  if (touches(plan, 'shares')) failures.push(...(await shareSourceFailures(docker, vm.shares, vm.host)));
  // Host paths are resolved on the host by a helper made from the image (issue 15: links, mounts).
  if (touches(plan, 'shares', 'media', 'drivers', 'image') && !failures.some((f) => f.property === 'image')) {
    try {
      const access = { docker, hostName: vm.host, image };
      failures.push(...(await hostPathFailures(access, hostConfigFor(settings, vm.host), vm)));
    } catch (error) {
      failures.push({
        property: 'shares',
        reason: `shares: could not check the host paths on host "${vm.host}": ${(error as Error).message}`,
      });
    }
  }
  if (
    touches(plan, 'accelerator') &&
    vm.accelerator === 'kvm' &&
    hostConfigFor(settings, vm.host).kind === 'local'
  ) {
    const choice = chooseAccelerator('kvm', probeKvm());
    if (!choice.ok)
      failures.push({
        property: 'accelerator',
        reason: `accelerator: ${choice.reason}. Use accelerator "auto" (TCG fallback) or "tcg".`,
      });
  }
  // USB: the devices must be on the host (its sysfs, through a helper made from the image).
  if (touches(plan, 'usb') && vm.usb.length > 0 && !failures.some((f) => f.property === 'image')) {
    try {
      failures.push(...(await checkHostUsb({ docker, hostName: vm.host, image, sysfsRoot: '/sys' }, vm.usb)));
    } catch (error) {
      failures.push({
        property: 'usb',
        reason: `usb: could not check the USB devices of host "${vm.host}": ${(error as Error).message}`,
      });
    }
  }
  if (touches(plan, 'network', 'nics', 'containerNetwork')) {
    try {
      const imageKnown = !failures.some((f) => f.property === 'image');
      failures.push(...(await networkPreflight(docker, vm, vm.host, imageKnown ? image : undefined)));
    } catch (error) {
      failures.push({
        property: 'nics',
        reason: `nics: could not check the Docker networks of host "${vm.host}": ${(error as Error).message}`,
      });
    }
  }
  return failures;
}
