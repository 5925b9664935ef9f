/** Docker object names of one VM on its host. The volume carries the VM's UUID: a retained
 * volume of a deleted VM can never be picked up by a new VM of the same name. */
export function containerNameOf(vmName: string): string {
  return `windock-${vmName}`;
}

export function volumeNameOf(vmName: string, uuid: string): string {
  return `windock-${vmName}-${uuid.slice(0, 8)}`;
}

export const LABELS = {
  managed: 'io.windock.managed',
  vm: 'io.windock.vm',
  uuid: 'io.windock.uuid',
  specHash: 'io.windock.spec-hash',
  stack: 'io.windock.stack',
} as const;
