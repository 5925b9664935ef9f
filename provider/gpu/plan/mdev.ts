import type { PassthroughDeviceSpec } from '../../../contract/passthrough';
import type { MdevType, PciFunction } from '../discover';
import { mdevCreateWrites, renderForHost } from '../host-steps';
import { bindWarnings, readinessFailure } from './bind';
import { derivedMdevUuid } from './mdev-uuid';
import {
  refused,
  isFailure,
  type PlanContext,
  type PlanFailure,
  type PlannedMdev,
  type PlanOutcome,
  type VirtualFunctionChoice,
} from './types';
import { virtualFunctionOf } from './virtual-function';

function mdevTypeOf({ request }: PlanContext, parent: PciFunction, wanted: string): MdevType | PlanFailure {
  const type = parent.mdevTypes.find((t) => t.id === wanted || t.name === wanted);
  if (type) return type;
  const offered = parent.mdevTypes.map(
    (t) => `${t.id}${t.name ? ` (${t.name}, ${t.availableInstances} free)` : ''}`,
  );
  return {
    property: 'mdevType',
    reason:
      offered.length > 0
        ? `mdevType: ${parent.address} on host "${request.host}" offers no type "${wanted}"; it offers: ${offered.join(', ')}`
        : `mdevType: ${parent.address} on host "${request.host}" offers no mediated devices (no mdev_supported_types; it is not under /sys/class/mdev_bus): ` +
          "install and load the vendor's vGPU host driver (NVIDIA vGPU, Intel GVT-g with i915.enable_gvt=1, ...), or enable SR-IOV and pass a virtualFunction",
  };
}

/** The mediated device to use: the existing one of that UUID, or a new one where a free instance is. */
function plannedMdev(
  { inventory, request }: PlanContext,
  parent: PciFunction,
  type: MdevType,
): PlannedMdev | PlanFailure {
  const uuid = (
    request.mdevUuid ?? derivedMdevUuid(request.host, request.vm, parent.address, type.id)
  ).toLowerCase();
  const existing = inventory.mdevs.find((m) => m.uuid === uuid);
  if (existing && existing.type !== type.id)
    return {
      property: 'mdevUuid',
      reason: `mdevUuid: mediated device ${uuid} exists on host "${request.host}" with type ${existing.type}, not ${type.id}: choose another mdevUuid`,
    };
  if (!existing && type.availableInstances < 1)
    return {
      property: 'mdevType',
      reason: `mdevType: ${parent.address} on host "${request.host}" has no free instance of ${type.id} (available_instances is 0; in use: ${type.instances.join(', ') || 'none listed'})`,
    };
  return {
    uuid,
    type: type.id,
    parent: parent.address,
    exists: Boolean(existing),
    iommuGroup: existing?.iommuGroup,
  };
}

/** The VM spec's device, once the mediated device exists (its IOMMU group is known only then). */
function mdevDevice(
  { request, deviceId }: PlanContext,
  mdev: PlannedMdev,
): PassthroughDeviceSpec | undefined {
  if (!mdev.iommuGroup) return undefined;
  return {
    kind: 'mdev',
    id: deviceId,
    uuid: mdev.uuid,
    iommuGroup: mdev.iommuGroup,
    primaryDisplay: request.primaryDisplay,
  };
}

/** The functions the mediated device is made on: the GPU's, or its virtual function. */
function parentFunctions(
  context: PlanContext,
  vf: VirtualFunctionChoice | undefined,
): PciFunction[] | PlanFailure {
  if (!vf) return context.gpu.functions;
  const fn = virtualFunctionOf(context, vf);
  return isFailure(fn) ? fn : [fn];
}

/**
 * Mode "mdev": a mediated device (vGPU) of type `wanted`, made on the GPU's function 0 or on
 * its virtual function `vf`; it is no PCI function of the host, so nothing is bound and no group checked.
 */
export function planMediatedDevice(
  context: PlanContext,
  wanted: string,
  vf?: VirtualFunctionChoice,
): PlanOutcome {
  const functions = parentFunctions(context, vf);
  if (isFailure(functions)) return refused(functions);
  const parent = functions[0];
  const type = mdevTypeOf(context, parent, wanted);
  if (isFailure(type)) return refused(type);
  const mdev = plannedMdev(context, parent, type);
  if (isFailure(mdev)) return refused(mdev);
  const hostSteps = mdev.exists ? [] : renderForHost(mdevCreateWrites(parent.address, mdev.type, mdev.uuid));
  const unready = `mediated device ${mdev.uuid} (${mdev.type}) does not exist on ${mdev.parent}`;
  const notReady = readinessFailure(context, hostSteps, [], unready);
  if (notReady) return refused(notReady);
  return {
    ok: true,
    gpu: context.gpu,
    mode: 'mdev',
    address: parent.address,
    parent: context.gpu.address,
    functions,
    toBind: [],
    mdev,
    hostSteps,
    warnings: bindWarnings(functions, []),
    device: mdevDevice(context, mdev),
  };
}
