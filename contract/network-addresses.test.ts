import { hostAddress, overlaps } from './network-addresses';

describe('network addresses', () => {
  it('gives host n of IPv4 networks', () => {
    expect(hostAddress('172.30.0.0/24', 1)).toBe('172.30.0.1');
    expect(hostAddress('10.0.2.0/24', 2)).toBe('10.0.2.2');
    expect(hostAddress('10.0.2.77/24', 1)).toBe('10.0.2.1');
    expect(hostAddress('192.168.8.0/22', 2)).toBe('192.168.8.2');
    expect(() => hostAddress('10.0.0.0/31', 1)).toThrow(/no host/);
    expect(() => hostAddress('10.0.0.0/30', 3)).toThrow(/no host/);
  });

  it('gives host n of IPv6 networks in short form', () => {
    expect(hostAddress('fd00:77::/64', 1)).toBe('fd00:77::1');
    expect(hostAddress('fd00:77:0:5::/64', 2)).toBe('fd00:77:0:5::2');
    expect(hostAddress('fd00:77:1:2:3:4:5:6/64', 1)).toBe('fd00:77:1:2::1');
    expect(hostAddress('2001:db8:1:2::/56', 1)).toBe('2001:db8:1::1');
  });

  it('tells overlapping networks', () => {
    expect(overlaps('10.0.2.0/24', '10.0.0.0/16')).toBe(true);
    expect(overlaps('10.0.2.0/24', '10.0.3.0/24')).toBe(false);
    expect(overlaps('fd00:77::/64', 'fd00::/8')).toBe(true);
    expect(overlaps('fd00:77::/64', 'fd00:78::/64')).toBe(false);
    expect(overlaps('10.0.2.0/24', 'fd00::/8')).toBe(false);
  });
});
