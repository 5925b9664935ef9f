import { randomUUID } from 'node:crypto';
import { identityFor, type VmIdentity } from './identity';
import { containerNameOf, volumeNameOf } from './naming';

/**
 * Outputs that programs hand to a VM's dependents (snapshots take vmUuid and containerName,
 * clones take containerName). They ride in the VM's checked inputs because a preview shows a
 * changed resource's checked inputs as its outputs: without them there, a snapshot or clone of a
 * VM whose cpu changes sees an unknown source in preview and is planned as a replacement that the
 * up never makes.
 */
export const IDENTITY_OUTPUTS = ['vmUuid', 'macAddress', 'serial', 'containerName', 'volumeName'] as const;
export type IdentityOutputs = Partial<Record<(typeof IDENTITY_OUTPUTS)[number], string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function identityOutputsOf(values: Record<string, unknown>): IdentityOutputs {
  const picked: IdentityOutputs = {};
  for (const key of IDENTITY_OUTPUTS) {
    const value = values[key];
    if (typeof value === 'string' && value !== '') picked[key] = value;
  }
  return picked;
}

function outputsOf(name: string, identity: VmIdentity): IdentityOutputs {
  return {
    vmUuid: identity.uuid,
    macAddress: identity.mac,
    serial: identity.serial,
    containerName: containerNameOf(name),
    volumeName: volumeNameOf(name, identity.uuid),
  };
}

/**
 * The identity a VM's checked inputs carry. The same VM keeps its own (from the old inputs); a
 * new VM (a create, or the replacement of a replaced one) gets its identity chosen here, and the
 * create uses it, so the preview already knows that the VM's dependents see another VM. An
 * adopted VM's identity is the one found on the host: unknown until the create.
 */
export function plannedIdentity(
  vm: { name: string; adopt?: unknown },
  olds: Record<string, unknown> | undefined,
): IdentityOutputs {
  if (olds) {
    const kept = identityOutputsOf(olds);
    // Inputs stored by an older provider carry none: only the container's name is known.
    return kept.vmUuid ? kept : { containerName: containerNameOf(vm.name) };
  }
  if (vm.adopt) return { containerName: containerNameOf(vm.name) };
  return outputsOf(vm.name, identityFor(randomUUID()));
}

/** The identity a create uses: the one planned at check, where the inputs carry one. */
export function identityFromInputs(inputs: Record<string, unknown>): VmIdentity | undefined {
  const uuid = inputs.vmUuid;
  return typeof uuid === 'string' && UUID.test(uuid) ? identityFor(uuid) : undefined;
}
