import type { PciFunction } from '../discover';
import { describeFunction } from './select';
import type { PlanContext, PlanFailure } from './types';

function sharedGroup(
  { inventory, request }: PlanContext,
  group: string,
  passed: Set<string>,
  address: string,
): PlanFailure | undefined {
  const others = (inventory.groups[group] ?? [])
    .filter((a) => !passed.has(a))
    .map((a) => inventory.functions.find((f) => f.address === a))
    .filter((f): f is PciFunction => f !== undefined && f.kind !== 'bridge');
  if (others.length === 0) return undefined;
  return {
    property: 'select',
    reason:
      `IOMMU group ${group} of ${address} on host "${request.host}" also holds ${others.map(describeFunction).join(', ')}, which ` +
      'would have to go to the same VM: a group passes whole. Move the GPU to another slot (one whose group holds only it), or ' +
      'enable ACS in the firmware setup',
  };
}

const noGroup = ({ request }: PlanContext, fn: PciFunction): PlanFailure => ({
  property: 'select',
  reason: `${fn.address} has no IOMMU group on host "${request.host}": the IOMMU does not cover it`,
});

/**
 * The whole IOMMU group goes to the VM, or nothing does: other endpoints in a group of the
 * passed functions block passthrough. One failure per group, in the functions' order.
 */
export function iommuGroupFailures(
  context: PlanContext,
  functions: PciFunction[],
  address: string,
): PlanFailure[] {
  const passed = new Set(functions.map((f) => f.address));
  const firstOfGroup = new Map<string, PciFunction>();
  for (const fn of functions)
    if (!firstOfGroup.has(fn.iommuGroup ?? '')) firstOfGroup.set(fn.iommuGroup ?? '', fn);
  return [...firstOfGroup].flatMap(([group, fn]) => {
    const failure = group ? sharedGroup(context, group, passed, address) : noGroup(context, fn);
    return failure ? [failure] : [];
  });
}
