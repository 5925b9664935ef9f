import type { HostGpuInventory, PciFunction } from '../discover';
import { bindWrites, renderForHost } from '../host-steps';
import type { FunctionToBind, PlanContext, PlanFailure } from './types';

/** The functions not on vfio-pci yet, and the host commands that put them there. */
export function bindStep(
  inventory: HostGpuInventory,
  functions: PciFunction[],
): { toBind: FunctionToBind[]; hostSteps: string[] } {
  const toBind = functions
    .filter((f) => f.driver !== 'vfio-pci')
    .map((f) => ({ address: f.address, driver: f.driver }));
  const modprobe = toBind.length > 0 && !inventory.vfioPciLoaded ? ['modprobe vfio-pci'] : [];
  const binds = toBind.flatMap((fn) => renderForHost(bindWrites(fn.address)));
  return { toBind, hostSteps: [...modprobe, ...binds] };
}

export function bindWarnings(functions: PciFunction[], toBind: FunctionToBind[]): string[] {
  return functions.flatMap((fn) => [
    ...(fn.driverOverride && fn.driverOverride !== 'vfio-pci'
      ? [`${fn.address} has driver_override "${fn.driverOverride}"; windock's binding replaces it`]
      : []),
    ...(fn.driver === 'nvidia' && toBind.some((t) => t.address === fn.address)
      ? [
          `${fn.address} is on the nvidia driver: stop what uses it (nvidia-persistenced, a display server, containers with --gpus) or unbinding waits for them`,
        ]
      : []),
  ]);
}

/**
 * The host is ready, or windock is to make it ready (bindVfio), or the failure says how:
 * `unready` says what is not ready yet, `hostSteps` are the commands that fix it.
 */
export function readinessFailure(
  { inventory, request }: PlanContext,
  hostSteps: string[],
  toBind: FunctionToBind[],
  unready: string,
): PlanFailure | undefined {
  if (!request.bindVfio && hostSteps.length > 0)
    return {
      property: 'bindVfio',
      reason:
        `host "${request.host}" is not ready: ${unready}. Run as root on the host:\n  ${hostSteps.join('\n  ')}\n` +
        `or set bindVfio: true to let windock do it through a short-lived helper container (undone when the assignment is deleted)`,
    };
  if (toBind.length > 0 && !inventory.vfioPciLoaded)
    return {
      property: 'bindVfio',
      reason: `vfio-pci is not loaded on host "${request.host}": run \`modprobe vfio-pci\` there as root (and list it in /etc/modules-load.d/ to keep it)`,
    };
  return undefined;
}
