import { guestLink } from '../../../contract';
import { interfacesFixture, lanNicFixture, natNicFixture } from './fixtures';
import { nftRuleset } from './nft-rules';
import { findUplink } from './uplink';

const natPlan = { nic: natNicFixture, link: guestLink(natNicFixture) };
const lanPlan = {
  nic: lanNicFixture,
  link: guestLink(lanNicFixture),
  uplink: findUplink(interfacesFixture, lanNicFixture.uplink)!,
};

describe('nftRuleset', () => {
  it('replaces the whole windock table atomically', () => {
    const text = nftRuleset([natPlan]);
    expect(text.split('\n').slice(0, 3)).toEqual([
      'table inet windock',
      'delete table inet windock',
      'table inet windock {',
    ]);
  });

  it('NAT: DNATs each forwarded port from outside the guest bridges, v4 and v6, and masquerades', () => {
    const text = nftRuleset([natPlan]);
    expect(text).toContain('iifname != "br-*" meta nfproto ipv4 tcp dport 3389 dnat ip to 10.0.2.2:3389');
    expect(text).toContain('iifname != "br-*" meta nfproto ipv4 udp dport 3389 dnat ip to 10.0.2.2:3389');
    expect(text).toContain('iifname != "br-*" meta nfproto ipv4 tcp dport 20000 dnat ip to 10.0.2.2:80');
    expect(text).toContain('iifname != "br-*" meta nfproto ipv6 tcp dport 20000 dnat ip6 to [fd00:77::2]:80');
    expect(text).toContain('ip saddr 10.0.2.0/24 oifname != "br-net0" masquerade');
    expect(text).toContain('ip6 saddr fd00:77::/64 oifname != "br-net0" masquerade');
  });

  it('LAN "container": every port but the excluded ones on the LAN interface goes to the guest', () => {
    const text = nftRuleset([lanPlan]);
    expect(text).toContain(
      'iifname "eth1" meta nfproto ipv4 meta l4proto { tcp, udp } th dport != { 8006 } dnat ip to 10.0.3.2',
    );
    expect(text).toContain(
      'iifname "eth1" meta nfproto ipv6 meta l4proto { tcp, udp } th dport != { 8006 } dnat ip6 to fd00:78::2',
    );
  });

  it('forwards only established replies, DNATed connections and what each egress policy allows', () => {
    const text = nftRuleset([natPlan, lanPlan]);
    expect(text).toMatch(/chain forward \{\n\s+type filter hook forward priority filter; policy drop;/);
    expect(text).toContain('ct state established,related accept');
    expect(text).toContain('oifname "br-*" ct status dnat accept');
    expect(text).toContain('iifname "br-net0" jump egress_net0');
    expect(text).toContain('iifname "br-net1" jump egress_net1');
    expect(text).toMatch(
      /chain egress_net0 \{\n\s+ip daddr @private_v4 drop\n\s+ip6 daddr @private_v6 drop\n\s+accept\n\s+\}/,
    );
    expect(text).toMatch(/chain egress_net1 \{\n\s+accept\n\s+\}/);
    expect(text).toContain(
      'elements = { 10.0.0.0/8, 100.64.0.0/10, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 }',
    );
    expect(text).toContain('elements = { fc00::/7, fe80::/10 }');
  });

  it('egress "none" drops every new connection but the allowed networks', () => {
    const nic = {
      ...natNicFixture,
      egress: { policy: 'none' as const, allow: ['172.20.0.0/16', 'fd20::/64'] },
    };
    const text = nftRuleset([{ nic, link: guestLink(nic) }]);
    expect(text).toMatch(
      /chain egress_net0 \{\n\s+ip daddr \{ 172.20.0.0\/16 \} accept\n\s+ip6 daddr \{ fd20::\/64 \} accept\n\s+drop\n\s+\}/,
    );
  });
});
