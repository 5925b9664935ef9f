import { z } from 'zod';
import { VM_SPEC_MIN_VERSION, VM_SPEC_VERSION } from './version';
import { vmSpec, type VmSpec } from './vm-spec';

export class VmSpecError extends Error {
  constructor(
    message: string,
    /** `version`: written by a newer or older provider than this code reads; `invalid`: malformed. */
    readonly kind: 'version' | 'invalid',
  ) {
    super(message);
    this.name = 'VmSpecError';
  }
}

/** Human-readable zod issues: "disks.0.name: the first disk must be "system"". */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates a spec document. The version is checked first so a newer spec is refused clearly. */
export function parseVmSpec(document: unknown): VmSpec {
  const version = (document as { specVersion?: unknown } | null)?.specVersion;
  if (typeof version !== 'number') {
    throw new VmSpecError('the VM spec has no specVersion', 'invalid');
  }
  if (version > VM_SPEC_VERSION) {
    throw new VmSpecError(
      `the VM spec is version ${version}, but this image reads up to version ${VM_SPEC_VERSION}: ` +
        'update the windock image on this host (or pin the provider to a release matching the image)',
      'version',
    );
  }
  if (version < VM_SPEC_MIN_VERSION) {
    throw new VmSpecError(
      `the VM spec is version ${version}, older than this image supports (${VM_SPEC_MIN_VERSION}): update the provider`,
      'version',
    );
  }
  const result = vmSpec.safeParse(upgrade(document as Record<string, unknown>, version));
  if (!result.success) throw new VmSpecError(`invalid VM spec: ${formatIssues(result.error)}`, 'invalid');
  return result.data;
}

/** Older spec versions, rewritten into the current shape (nothing is guessed: v1 had one NIC). */
function upgrade(document: Record<string, unknown>, version: number): unknown {
  if (version >= 2) return document;
  const v1 = document.network as { mode?: string; mac?: string; ports?: unknown[] } | undefined;
  const nics =
    v1 && v1.mode === 'user'
      ? [
          {
            mode: 'user',
            name: 'net0',
            model: 'virtio-net-pci',
            mac: v1.mac,
            ports: v1.ports ?? [],
            egress: 'all',
            ipv6: true,
          },
        ]
      : [];
  return { ...document, specVersion: VM_SPEC_VERSION, network: { nics, hostName: 'host.lan' } };
}
