import { parseHostConfigs, type HostConfig } from '../hosts';

/** The windock image the provider runs unless a VM names another. */
export const DEFAULT_IMAGE = process.env.WINDOCK_IMAGE ?? 'windock/vm:dev';

/**
 * Provider-wide settings from stack config. Hosts are configuration, never VM inputs: how to
 * reach a host (address, user, key, pinned host key) can change without touching a VM.
 *
 *   pulumi config set --path 'windock:hosts[0]' ...   (a JSON list of host configurations)
 *   pulumi config set windock:image windock/vm:0.1.0
 */
export interface ProviderSettings {
  hosts: Map<string, HostConfig>;
  image: string;
  stack: string;
}

const LOCAL: HostConfig = { name: 'local', kind: 'local' } as HostConfig;

export function parseProviderSettings(
  get: (key: string) => string | undefined,
  stack: string,
): ProviderSettings {
  const raw = get('windock:hosts');
  const hosts = new Map<string, HostConfig>([['local', LOCAL]]);
  if (raw) {
    for (const host of parseHostConfigs(JSON.parse(raw), 'windock:hosts')) hosts.set(host.name, host);
  }
  return { hosts, image: get('windock:image') ?? DEFAULT_IMAGE, stack };
}

export function hostConfigFor(settings: ProviderSettings, name: string): HostConfig {
  const host = settings.hosts.get(name);
  if (!host) {
    throw new Error(
      `host "${name}" is not configured: add it to the windock:hosts stack config (known: ${[...settings.hosts.keys()].join(', ')})`,
    );
  }
  return host;
}
