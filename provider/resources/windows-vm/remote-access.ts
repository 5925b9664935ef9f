import type { HostConfig } from '../../hosts';

/**
 * How to open a VM's console and RDP from the machine running Pulumi when the VM is on another host
 * (its consoleUrl and rdpEndpoint are addresses on that host): the windock CLI commands that tunnel
 * them over SSH. No secret in it. Empty on the local host. Pure.
 */
export function remoteAccessText(
  vm: { name: string; console: { enabled: boolean }; rdp: { enabled: boolean } },
  host: HostConfig,
  stack: string,
): string {
  if (host.kind === 'local') return '';
  const flags = stack ? ` --stack ${stack}` : ` --host ${host.name}`;
  return [
    ...(vm.console.enabled ? [`console: windock console ${vm.name}${flags}`] : []),
    ...(vm.rdp.enabled ? [`rdp: windock rdp ${vm.name}${flags}`] : []),
  ].join('; ');
}
