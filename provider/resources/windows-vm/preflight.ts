import type Dockerode from 'dockerode';
import { chooseAccelerator, probeKvm } from '../../../lib/kvm/accelerator';
import { hostConfigFor, type ProviderSettings } from '../../config/provider-config';
import { memoryLimitBytes } from '../../docker/container-spec';
import { engineInfo, requireImage } from '../../docker/images';
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

/** What the preflight steps share: the VM, its host's engine and config, the image, the plan. */
interface Preflight {
  settings: ProviderSettings;
  vm: WindowsVmInputs;
  plan: ImpactPlan | undefined;
  docker: Dockerode;
  image: string;
  failures: CheckFailure[];
}

const imageRefused = (p: Preflight) => p.failures.some((f) => f.property === 'image');

async function checkImage(p: Preflight): Promise<void> {
  if (!touches(p.plan, 'image')) return;
  const found = await withTimeout(requireImage(p.docker, p.image), 'the image lookup').then(
    () => true,
    () => false,
  );
  if (!found)
    p.failures.push({
      property: 'image',
      reason: `image: "${p.image}" is not on host "${p.vm.host}": build it there (scripts/setup.sh builds windock/vm:dev) or set windock:image / image to a reference the host has`,
    });
}

function checkSizes(p: Preflight, info: { NCPU: number; MemTotal: number }): void {
  const { vm } = p;
  if (touches(p.plan, 'cpu') && vm.cpu > info.NCPU) {
    p.failures.push({
      property: 'cpu',
      reason: `cpu: ${vm.cpu} vCPUs asked, host "${vm.host}" has ${info.NCPU}: lower cpu to at most ${info.NCPU}`,
    });
  }
  if (!touches(p.plan, 'memory')) return;
  const needed = memoryLimitBytes(toVmSpec(vm, identityFor('00000000-0000-4000-8000-000000000000')));
  if (needed > info.MemTotal) {
    const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)}GiB`;
    p.failures.push({
      property: 'memory',
      reason: `memory: the VM needs ${gib(needed)} with QEMU's headroom, host "${vm.host}" has ${gib(info.MemTotal)} in all: lower memory`,
    });
  }
}

/** Host paths are resolved on the host by a helper made from the image (issue 15: links, mounts). */
async function checkHostPaths(p: Preflight): Promise<void> {
  const { vm } = p;
  if (touches(p.plan, 'shares'))
    p.failures.push(...(await shareSourceFailures(p.docker, vm.shares, vm.host)));
  if (!touches(p.plan, 'shares', 'media', 'drivers', 'image') || imageRefused(p)) return;
  try {
    const access = { docker: p.docker, hostName: vm.host, image: p.image };
    p.failures.push(...(await hostPathFailures(access, hostConfigFor(p.settings, vm.host), vm)));
  } catch (error) {
    p.failures.push({
      property: 'shares',
      reason: `shares: could not check the host paths on host "${vm.host}": ${(error as Error).message}`,
    });
  }
}

function checkAccelerator(p: Preflight): void {
  const { vm } = p;
  if (!touches(p.plan, 'accelerator') || vm.accelerator !== 'kvm') return;
  if (hostConfigFor(p.settings, vm.host).kind !== 'local') return;
  const choice = chooseAccelerator('kvm', probeKvm());
  if (!choice.ok)
    p.failures.push({
      property: 'accelerator',
      reason: `accelerator: ${choice.reason}. Use accelerator "auto" (TCG fallback) or "tcg".`,
    });
}

/** USB: the devices must be on the host (its sysfs, through a helper made from the image). */
async function checkUsb(p: Preflight): Promise<void> {
  const { vm } = p;
  if (!touches(p.plan, 'usb') || vm.usb.length === 0 || imageRefused(p)) return;
  try {
    const access = { docker: p.docker, hostName: vm.host, image: p.image, sysfsRoot: '/sys' };
    p.failures.push(...(await checkHostUsb(access, vm.usb)));
  } catch (error) {
    p.failures.push({
      property: 'usb',
      reason: `usb: could not check the USB devices of host "${vm.host}": ${(error as Error).message}`,
    });
  }
}

async function checkNetworks(p: Preflight): Promise<void> {
  const { vm } = p;
  if (!touches(p.plan, 'network', 'nics', 'containerNetwork')) return;
  try {
    const imageKnown = !imageRefused(p);
    p.failures.push(...(await networkPreflight(p.docker, vm, vm.host, imageKnown ? p.image : undefined)));
  } catch (error) {
    p.failures.push({
      property: 'nics',
      reason: `nics: could not check the Docker networks of host "${vm.host}": ${(error as Error).message}`,
    });
  }
}

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
  const p: Preflight = { settings, vm, plan, docker, image: vm.image ?? settings.image, failures: [] };
  const gpuRefusal = gpuInputRefusal(vm);
  if (gpuRefusal) p.failures.push(gpuRefusal);
  let info: { NCPU: number; MemTotal: number };
  try {
    info = await withTimeout(engineInfo(docker), `the Docker engine of host "${vm.host}"`);
  } catch (error) {
    return [{ property: 'host', reason: `host: ${engineUnreachableReason(vm.host, error)}` }];
  }
  await checkImage(p);
  checkSizes(p, info);
  await checkHostPaths(p);
  checkAccelerator(p);
  await checkUsb(p);
  await checkNetworks(p);
  return p.failures;
}
