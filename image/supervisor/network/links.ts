import type { RoutedPlan } from './plan';

/**
 * The `ip` commands that make a routed NIC's link: a bridge holding the gateway addresses and
 * a persistent tap owned by root on it, so QEMU opens it without NET_ADMIN. Earlier links of
 * the same names are removed first (a supervisor restarted in the same namespace). Pure.
 */
export function linkCommands(plan: RoutedPlan): { cleanup: string[][]; create: string[][] } {
  const { bridge, tap, gatewayV4, prefixV4, gatewayV6, prefixV6 } = plan.link;
  return {
    cleanup: [
      ['link', 'del', tap],
      ['link', 'del', bridge],
    ],
    create: [
      ['link', 'add', bridge, 'type', 'bridge'],
      ['address', 'add', `${gatewayV4}/${prefixV4}`, 'dev', bridge],
      ...(gatewayV6 ? [['-6', 'address', 'add', `${gatewayV6}/${prefixV6}`, 'dev', bridge, 'nodad']] : []),
      ['tuntap', 'add', 'dev', tap, 'mode', 'tap', 'user', '0', 'group', '0'],
      ['link', 'set', tap, 'master', bridge],
      ['link', 'set', tap, 'up'],
      ['link', 'set', bridge, 'up'],
    ],
  };
}
