import type { ContainerPlacement } from '../docker/container-spec';
import type { HostConfig } from '../hosts';
import { HOST_DRIVERS_ISO_PATH } from '../media/drivers';
import { HOST_ISO_PATH } from '../media/resolve';
import { HOST_IMAGE_SOURCE } from '../images/cache';
import { isInstallMedia } from '../resources/windows-vm/media-input';
import type { WindowsVmInputs } from '../resources/windows-vm/inputs';
import { sharePath, type VmSpec } from '../../contract';
import { allowedHostPathsOf } from './allowed-host-paths';
import { judgeHostPath, type HostPathUse } from './host-path-policy';
import { resolveOnHost, type HostPathAccess } from './resolve-on-host';
import type { ResolvedHostPath } from '../../lib/host-paths/resolved-host-path';

/** A host path of a VM and where its container sees it. */
export interface VmHostPathUse extends HostPathUse {
  target: string;
}

/** Every host path the VM's container would get: share folders, an install ISO, a drivers ISO. */
export function vmHostPathUses(vm: Pick<WindowsVmInputs, 'shares' | 'media' | 'drivers'>): VmHostPathUse[] {
  const uses: VmHostPathUse[] = vm.shares.flatMap((share, i) =>
    share.hostPath === undefined
      ? []
      : [
          {
            field: `shares.${i}.hostPath`,
            what: `share "${share.name}": `,
            path: share.hostPath,
            want: 'directory' as const,
            target: sharePath(share.name),
          },
        ],
  );
  // A disk image on the host is read by the image cache's helper (never mounted into the VM).
  if (vm.media?.kind === 'disk-image' && vm.media.hostPath !== undefined)
    uses.push({ field: 'media.hostPath', path: vm.media.hostPath, want: 'file', target: HOST_IMAGE_SOURCE });
  if (!isInstallMedia(vm.media)) return uses;
  if (vm.media.kind === 'iso')
    uses.push({ field: 'media.hostPath', path: vm.media.hostPath, want: 'file', target: HOST_ISO_PATH });
  if (vm.drivers?.kind === 'iso')
    uses.push({
      field: 'drivers.hostPath',
      path: vm.drivers.hostPath,
      want: 'file',
      target: HOST_DRIVERS_ISO_PATH,
    });
  return uses;
}

/** The VM's host paths as resolved on its host, by container target. */
export type VmHostPaths = Map<string, { use: VmHostPathUse; found: ResolvedHostPath & { ok: true } }>;

/** Resolves the VM's host paths on its host and judges them: the refusals, each naming the field and the fix. */
export async function checkVmHostPaths(
  access: HostPathAccess,
  host: HostConfig,
  vm: Pick<WindowsVmInputs, 'shares' | 'media' | 'drivers'>,
): Promise<{ refusals: Array<{ use: VmHostPathUse; reason: string }>; resolved: VmHostPaths }> {
  const uses = vmHostPathUses(vm);
  const found = await resolveOnHost(
    access,
    uses.map((use) => use.path),
  );
  const judge = { name: host.name, allow: allowedHostPathsOf(host) };
  const refusals: Array<{ use: VmHostPathUse; reason: string }> = [];
  const resolved: VmHostPaths = new Map();
  uses.forEach((use, i) => {
    const answer = found[i]!;
    const reason = judgeHostPath(use, answer, judge);
    if (reason) refusals.push({ use, reason });
    else if (answer.ok) resolved.set(use.target, { use, found: answer });
  });
  return { refusals, resolved };
}

/** Thrown at create or restart when a host path is refused (e.g. a link swapped in after preview). */
export class HostPathRefused extends Error {}

/** checkVmHostPaths for a container about to be made: any refusal stops it. */
export async function resolveVmHostPaths(
  access: HostPathAccess,
  host: HostConfig,
  vm: Pick<WindowsVmInputs, 'shares' | 'media' | 'drivers'>,
): Promise<VmHostPaths> {
  const { refusals, resolved } = await checkVmHostPaths(access, host, vm);
  if (refusals.length > 0)
    throw new HostPathRefused(
      `host paths refused (checked again on host "${host.name}" before its container was made):\n` +
        refusals.map((r) => r.reason).join('\n'),
    );
  return resolved;
}

/** The spec's shares with the identity of each host folder, which the image checks at every start. Pure. */
export function withShareIdentities(spec: VmSpec, resolved: VmHostPaths): VmSpec {
  if (!spec.shares) return spec;
  const shares = spec.shares.shares.map((share) => {
    const entry = resolved.get(share.path);
    return entry
      ? {
          ...share,
          hostIdentity: {
            kind: 'directory' as const,
            hostPath: entry.found.path,
            dev: entry.found.dev,
            ino: entry.found.ino,
          },
        }
      : share;
  });
  return { ...spec, shares: { ...spec.shares, shares } };
}

/** The placement with resolved paths as mount sources: what was checked is what gets mounted. Pure. */
export function withResolvedSources(
  placement: ContainerPlacement,
  resolved: VmHostPaths,
): ContainerPlacement {
  const source = (target: string, fallback: string) => resolved.get(target)?.found.path ?? fallback;
  return {
    ...placement,
    ...(placement.shareMounts
      ? {
          shareMounts: placement.shareMounts.map((m) =>
            m.kind === 'bind' ? { ...m, source: source(m.target, m.source) } : m,
          ),
        }
      : {}),
    ...(placement.hostFiles
      ? { hostFiles: placement.hostFiles.map((f) => ({ ...f, source: source(f.target, f.source) })) }
      : {}),
  };
}
