import { guestLink } from '../../../contract';
import { dnsmasqArgs, dnsmasqCommand } from './dnsmasq';
import { natNicFixture } from './fixtures';

describe('dnsmasqArgs', () => {
  const args = dnsmasqArgs({ nic: natNicFixture, link: guestLink(natNicFixture) }, 'host.lan');

  it('runs in the foreground as root without changing user or group, no config files', () => {
    expect(args).toEqual(
      expect.arrayContaining([
        '--keep-in-foreground',
        '--user=root',
        '--group=',
        '--conf-file=/dev/null',
        '--no-hosts',
      ]),
    );
    for (const arg of args.filter(
      (a) => /file=/.test(a) && !a.startsWith('--conf-file') && !a.startsWith('--resolv-file'),
    ))
      expect(arg).toMatch(/=\/run\/windock\/net\/net0\//);
  });

  it('serves one lease, the .2, to the NIC MAC, only on its bridge', () => {
    expect(args).toEqual(
      expect.arrayContaining([
        '--interface=br-net0',
        '--bind-interfaces',
        '--except-interface=lo',
        '--dhcp-range=10.0.2.2,10.0.2.2,255.255.255.0,12h',
        '--dhcp-host=52:54:00:12:34:56,10.0.2.2',
      ]),
    );
  });

  it('resolves the host name to the gateway, v4 and v6; router advertisements with a v6 link', () => {
    expect(args).toEqual(
      expect.arrayContaining([
        '--address=/host.lan/10.0.2.1',
        '--address=/host.lan/fd00:77::1',
        '--enable-ra',
        '--dhcp-range=fd00:77::2,fd00:77::2,slaac,64,12h',
      ]),
    );
    const v4only = { ...natNicFixture, subnetV6: undefined };
    expect(dnsmasqArgs({ nic: v4only, link: guestLink(v4only) }, 'host.lan')).not.toContain('--enable-ra');
  });

  it('forwards other names upstream, but with egress "none" has no upstream at all (no DNS tunnel)', () => {
    expect(args).toContain('--resolv-file=/etc/resolv.conf');
    const closed = { ...natNicFixture, egress: { policy: 'none' as const, allow: ['192.0.2.53/32'] } };
    const none = dnsmasqArgs({ nic: closed, link: guestLink(closed) }, 'host.lan');
    expect(none).toContain('--no-resolv');
    expect(none.filter((a) => /resolv-file|--server/.test(a))).toEqual([]);
    expect(none).toContain('--address=/host.lan/10.0.2.1');
  });

  it('starts through capsh with NET_ADMIN only, NET_RAW too when the link has IPv6', () => {
    const v6 = dnsmasqCommand({ nic: natNicFixture, link: guestLink(natNicFixture) }, 'host.lan');
    expect(v6.file).toBe('capsh');
    expect(v6.args.slice(0, 3)).toEqual([
      '--caps=cap_net_admin,cap_net_raw+ep',
      '--shell=/usr/sbin/dnsmasq',
      '--',
    ]);
    const v4only = { ...natNicFixture, subnetV6: undefined };
    const v4 = dnsmasqCommand({ nic: v4only, link: guestLink(v4only) }, 'host.lan');
    expect(v4.args[0]).toBe('--caps=cap_net_admin+ep');
    expect(v4.args).toContain('--no-ping');
  });
});
