import { routedNics, type VmSpec } from '../../../provider/spec';

/**
 * How QEMU is started. With routed NICs the container holds NET_ADMIN and NET_RAW (for the
 * supervisor's `ip`/`nft` and dnsmasq); QEMU needs neither, since its taps are made persistent
 * and owned by root, so it starts through `capsh --caps=` with an empty capability set, which
 * no-new-privileges keeps empty across exec. Without routed NICs the container has no
 * capabilities at all and QEMU starts directly. Pure.
 */
export function qemuCommand(spec: VmSpec, binary: string, argv: string[]): { file: string; args: string[] } {
  if (routedNics(spec.network).length === 0) return { file: binary, args: argv };
  // capsh execs the shell by path, without a PATH search.
  const path = binary.startsWith('/') ? binary : `/usr/bin/${binary}`;
  return { file: 'capsh', args: ['--caps=', `--shell=${path}`, '--', ...argv] };
}
