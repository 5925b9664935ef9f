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

type Upgrade = (document: Record<string, unknown>) => Record<string, unknown>;

/**
 * Version N's document rewritten as version N+1, by N. A version bump adds one step here
 * (a test checks every version from VM_SPEC_MIN_VERSION up has one).
 */
export const SPEC_UPGRADES: Record<number, Upgrade> = {
  1: (document) => upgradeV1(document),
  2: (document) => upgradeV2(document),
  3: (document) => upgradeV3(document),
};

/** Older spec versions, rewritten into the current shape, one version at a time. */
function upgrade(document: Record<string, unknown>, version: number): unknown {
  let current = document;
  for (let from = version; from < VM_SPEC_VERSION; from++) current = SPEC_UPGRADES[from]!(current);
  return current;
}

/**
 * v3 -> v4: Windows routes (issue 16). Each field is filled in with what a v3 image did, so an
 * older provider's document keeps its meaning.
 */
function upgradeV3(document: Record<string, unknown>): Record<string, unknown> {
  return { ...document, specVersion: 4 };
}

/**
 * v2 -> v3: the security fields of v3 (issue 15). Each is filled in with what a v2 image did,
 * so an older provider's document keeps its meaning.
 */
function upgradeV2(document: Record<string, unknown>): Record<string, unknown> {
  return { ...document, specVersion: 3, ...upgradeV2Shares(document), ...upgradeV2Install(document) };
}

/** A v2 image fetched its install media into a writable cache itself. */
function upgradeV2Install(document: Record<string, unknown>): Record<string, unknown> {
  const install = document.install;
  if (!install || typeof install !== 'object') return {};
  return { install: { ...install, fetchedBy: 'vm' } };
}

/** A v2 image served whatever was mounted at /shares/NAME: its shares are "unchecked". */
function upgradeV2Shares(document: Record<string, unknown>): Record<string, unknown> {
  const shares = document.shares as { shares?: unknown[] } | undefined;
  if (!shares || !Array.isArray(shares.shares)) return {};
  const unchecked = (share: unknown) =>
    share && typeof share === 'object' ? { ...share, hostIdentity: { kind: 'unchecked' } } : share;
  return { shares: { ...shares, shares: shares.shares.map(unchecked) } };
}

/** v1 -> v2 (nothing is guessed: v1 had one NIC). */
function upgradeV1(document: Record<string, unknown>): Record<string, unknown> {
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
  return { ...document, specVersion: 2, network: { nics, hostName: 'host.lan' } };
}
