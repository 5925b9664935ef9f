import { readFileSync } from 'node:fs';
import { ownNics, routedNics, type VmSpec } from '../../../contract';

/**
 * How QEMU is started. The container holds capabilities only where a feature needs them:
 * NET_ADMIN with routed NICs (the supervisor's `ip`/`nft`, dnsmasq) and NET_RAW with IPv6,
 * SETUID and SETGID with shares (smbd), more as features come. QEMU needs none of them (its taps are made
 * persistent and owned by root), so whenever the container has any capability, or NICs are
 * routed or on a macvtap, it starts through `capsh --caps=` with an empty capability set, which
 * no-new-privileges keeps empty across exec. A container without capabilities starts QEMU
 * directly. `heldCapabilities` is the supervisor's effective set (CapEff). Pure.
 */
export function qemuCommand(
  spec: VmSpec,
  binary: string,
  argv: string[],
  heldCapabilities = 0n,
): { file: string; args: string[] } {
  const networked = routedNics(spec.network).length + ownNics(spec.network).length > 0;
  if (!networked && heldCapabilities === 0n) return { file: binary, args: argv };
  // capsh execs the shell by path, without a PATH search.
  const path = binary.startsWith('/') ? binary : `/usr/bin/${binary}`;
  return { file: 'capsh', args: ['--caps=', `--shell=${path}`, '--', ...argv] };
}

/** The effective capabilities in a /proc/<pid>/status text (0 when the line is missing). Pure. */
export function effectiveCapabilities(status: string): bigint {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex ? BigInt(`0x${hex}`) : 0n;
}

/** The supervisor's own effective capabilities. */
export function ownCapabilities(): bigint {
  try {
    return effectiveCapabilities(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return 0n;
  }
}
