import { sampleSpec } from '../../../contract/sample-spec';
import { interfacesFixture, lanNicFixture, natNicFixture } from './fixtures';
import { routedPlan } from './plan';
import { findUplink } from './uplink';

describe('routed plan', () => {
  it('finds the LAN interface by its subnet, v4 or v6', () => {
    expect(findUplink(interfacesFixture, { subnetV4: '192.168.50.0/24' })).toEqual({
      ifname: 'eth1',
      v4: '192.168.50.10',
    });
    expect(findUplink(interfacesFixture, { subnetV6: 'fd50::/64' })).toEqual({
      ifname: 'eth1',
      v6: 'fd50::10',
    });
    expect(findUplink(interfacesFixture, { subnetV4: '192.168.60.0/24' })).toBeUndefined();
  });

  it('names bridge, tap and addresses per NIC; user NICs are not routed', () => {
    const spec = sampleSpec();
    const plans = routedPlan(
      { ...spec, network: { ...spec.network, nics: [...spec.network.nics, natNicFixture, lanNicFixture] } },
      interfacesFixture,
    );
    expect(
      plans.map((p) => [p.nic.name, p.link.bridge, p.link.tap, p.link.gatewayV4, p.link.guestV4]),
    ).toEqual([
      ['net0', 'br-net0', 'tap-net0', '10.0.2.1', '10.0.2.2'],
      ['net1', 'br-net1', 'tap-net1', '10.0.3.1', '10.0.3.2'],
    ]);
    expect(plans[0]!.link.guestV6).toBe('fd00:77::2');
    expect(plans[1]!.uplink).toEqual({ ifname: 'eth1', v4: '192.168.50.10', v6: 'fd50::10' });
  });

  it('says which NIC has no LAN interface', () => {
    const spec = sampleSpec();
    expect(() =>
      routedPlan(
        { ...spec, network: { ...spec.network, nics: [lanNicFixture] } },
        interfacesFixture.slice(0, 2),
      ),
    ).toThrow(/NIC net1: the container has no interface in 192.168.50.0\/24 \/ fd50::\/64/);
  });
});
