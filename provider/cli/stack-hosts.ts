// Which host a VM is on, and how to reach that host, for every subcommand: from the stack (its
// windock:hosts config and its WindowsVm resources), WINDOCK_HOSTS as an override, --host to say it.
import { parseProviderSettings, type ProviderSettings } from '../config/provider-config';
import type { HostConfig } from '../hosts';
import { containerNameOf } from '../resources/windows-vm/naming';
import { inPulumiProject, pulumiJson } from './pulumi-cli';

export interface StackOptions {
  /** --host: the VM's host, said by the user. */
  host?: string;
  /** --stack: the stack to read; default the current stack of the project in `cwd`, if any. */
  stack?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface VmTarget {
  vm: string;
  container: string;
  host: HostConfig;
  /** Where the host came from, for messages: "stack dev", "--host", "the default". */
  via: string;
}

export interface StackVm {
  /** The Pulumi resource name (what the program calls it). */
  resource: string;
  /** The VM's own name (container windock-NAME). */
  vm: string;
  host: string;
  container: string;
}

export class VmNotFoundError extends Error {
  override readonly name = 'VmNotFoundError';
}

export class HostNotConfiguredError extends Error {}

const stackArgs = (o: StackOptions) => (o.stack ? ['--stack', o.stack] : []);
const stackLabel = (o: StackOptions) => (o.stack ? `stack "${o.stack}"` : 'the current stack');

/** Whether the stack is consulted at all: named, or a Pulumi project around the working folder. */
export function usesStack(o: StackOptions): boolean {
  return o.stack !== undefined || inPulumiProject(o.cwd ?? process.cwd());
}

/** The windock:hosts value of `pulumi config --json` output (a JSON text), if set. */
export function hostsConfigValue(config: unknown): { value?: string; secret: boolean } {
  const entry = (config as Record<string, { value?: unknown; secret?: boolean }> | null)?.['windock:hosts'];
  if (!entry) return { secret: false };
  const value = typeof entry.value === 'string' ? entry.value : undefined;
  return { ...(value !== undefined ? { value } : {}), secret: entry.secret === true };
}

/** The first of the values that is a non-empty string. */
const firstText = (...values: unknown[]) =>
  values.find((v): v is string => typeof v === 'string' && v !== '');

/** The WindowsVm resources of a `pulumi stack export` document. Pure. */
export function vmsInStackExport(exported: unknown): StackVm[] {
  const resources = (exported as { deployment?: { resources?: unknown[] } })?.deployment?.resources ?? [];
  const out: StackVm[] = [];
  for (const r of resources as Array<Record<string, unknown>>) {
    if (typeof r?.type !== 'string' || !r.type.endsWith('windock:WindowsVm') || r.delete === true) continue;
    const outputs = (r.outputs ?? {}) as Record<string, unknown>;
    const inputs = (r.inputs ?? {}) as Record<string, unknown>;
    const resource = String(r.urn ?? '').slice(String(r.urn ?? '').lastIndexOf('::') + 2);
    const vm = firstText(outputs.name, inputs.name) ?? resource;
    const host = firstText(outputs.host, inputs.host) ?? 'local';
    const container = firstText(outputs.containerName) ?? containerNameOf(vm);
    out.push({ resource, vm, host, container });
  }
  return out;
}

/**
 * The hosts windock knows: WINDOCK_HOSTS when set (an override), else the stack's windock:hosts
 * (secret values decrypted by pulumi itself, only when the value is secret), else only "local".
 */
export async function knownHosts(o: StackOptions): Promise<ProviderSettings> {
  const env = o.env ?? process.env;
  let raw = env.WINDOCK_HOSTS;
  if (raw === undefined && usesStack(o)) {
    const cwd = o.cwd ?? process.cwd();
    let entry = hostsConfigValue(await pulumiJson(['config', '--json', ...stackArgs(o)], cwd));
    if (entry.secret) {
      entry = hostsConfigValue(
        await pulumiJson(['config', '--json', '--show-secrets', ...stackArgs(o)], cwd),
      );
    }
    raw = entry.value;
  }
  return parseProviderSettings((key) => (key === 'windock:hosts' ? raw : undefined), o.stack ?? '');
}

/** A host by name; the error names where hosts were read from and the fix. */
export async function resolveHost(name: string, o: StackOptions): Promise<HostConfig> {
  const settings = await knownHosts(o);
  const host = settings.hosts.get(name);
  if (host) return host;
  const from =
    (o.env ?? process.env).WINDOCK_HOSTS !== undefined
      ? 'WINDOCK_HOSTS'
      : usesStack(o)
        ? `the windock:hosts config of ${stackLabel(o)}`
        : 'nowhere (no Pulumi project here: pass --stack NAME, or set WINDOCK_HOSTS)';
  throw new HostNotConfiguredError(
    `host "${name}" is not configured (hosts read from ${from}; known: ${[...settings.hosts.keys()].join(', ')})`,
  );
}

/** The stack's WindowsVms (no secrets are decrypted for this). */
export async function stackVms(o: StackOptions): Promise<StackVm[]> {
  return vmsInStackExport(await pulumiJson(['stack', 'export', ...stackArgs(o)], o.cwd ?? process.cwd()));
}

/** The VM named `vm` (its own name or its resource name) and its host. */
export async function resolveVm(vm: string, o: StackOptions): Promise<VmTarget> {
  // Docker's own rule for container names: the name goes into API paths as it is.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(vm)) {
    throw new VmNotFoundError(`"${vm}" is not a VM name (letters, digits, "-", "_", ".")`);
  }
  const container = vm.startsWith('windock-') ? vm : containerNameOf(vm);
  if (o.host !== undefined) return { vm, container, host: await resolveHost(o.host, o), via: '--host' };
  if (!usesStack(o))
    return { vm, container, host: await resolveHost('local', o), via: 'the default (local)' };
  const vms = await stackVms(o);
  const found = vms.find((v) => v.vm === vm || v.resource === vm || v.container === vm);
  if (!found) {
    const list = vms.map((v) => `${v.vm} (host ${v.host})`).join(', ') || 'none';
    throw new VmNotFoundError(
      `no VM "${vm}" in ${stackLabel(o)}; its VMs: ${list}. \`windock list${o.stack ? ` --stack ${o.stack}` : ''}\` lists them; for a VM of another stack, name its host with --host`,
    );
  }
  return {
    vm: found.vm,
    container: found.container,
    host: await resolveHost(found.host, o),
    via: stackLabel(o),
  };
}
