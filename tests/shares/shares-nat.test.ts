// Shares on a NAT NIC, open to guests because the VM asks for it: the guest resolves
// host.lan (the NIC's gateway, dnsmasq) and mounts \\host.lan\Public without a password;
// smbd listens on loopback and the NAT bridge only, never on the container's Docker network.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NicSpec } from '../../contract';
import { ImageRig, type TestVm } from '../image/harness';
import { testNetwork } from '../network/servers';
import {
  guestOk,
  mountCmd,
  processCaps,
  SETGID_SETUID,
  smbListeners,
  startSharedVm,
  testHostDir,
} from './rig';

const rig = new ImageRig('shares-nat');
let hostDir: string;
let vm: TestVm;
let network: string;

beforeAll(async () => {
  hostDir = testHostDir('shares-nat');
  rig.onDispose(async () => rmSync(hostDir, { recursive: true, force: true }));
  writeFileSync(join(hostDir, 'readme.txt'), 'open to guests\n');
  network = await testNetwork(rig, { prefix: 'wdk-shares-nat', Driver: 'bridge' });
  const nic: NicSpec = {
    mode: 'nat',
    name: 'net0',
    model: 'virtio-net-pci',
    mac: '52:54:00:f2:00:01',
    ports: [],
    egress: { policy: 'none', allow: [] },
    subnetV4: '10.0.2.0/24',
  };
  vm = await startSharedVm(rig, {
    shares: [{ name: 'Public', hostPath: hostDir }],
    shareAuth: { mode: 'guest' },
    network: { nics: [nic], hostName: 'host.lan' },
    networks: { primary: network, lan: [] },
  });
}, 300_000);
afterAll(() => rig.dispose(), 120_000);

describe('shares on a NAT NIC, guest access asked for', () => {
  it('the guest mounts \\\\host.lan\\Public as any user without a password, reads and writes', async () => {
    // busybox's mount cannot resolve names in the stand-in (static, no NSS): resolve host.lan
    // with its nslookup (the guest's DNS: dnsmasq on the gateway) and pass the address as ip=.
    const address = await guestOk(
      vm,
      "nslookup host.lan | sed -n 's/^Address:* *\\([0-9.]*\\)$/\\1/p' | tail -1",
    );
    expect(address).toBe('10.0.2.1');
    await guestOk(
      vm,
      mountCmd('host.lan', 'Public', '/mnt/public', `username=anyone,password=,ip=${address}`),
    );
    expect(await guestOk(vm, 'cat /mnt/public/readme.txt')).toBe('open to guests');
    await guestOk(vm, 'echo hello-from-nat >/mnt/public/nat.txt && sync');
    expect(readFileSync(join(hostDir, 'nat.txt'), 'utf8')).toBe('hello-from-nat\n');
  });

  it('smbd listens on loopback and the NAT gateway only', async () => {
    const listeners = new Set(await smbListeners(vm));
    expect(listeners).toEqual(new Set(['127.0.0.1', '10.0.2.1']));
    const info = await vm.inspect();
    const containerAddress = info.NetworkSettings.Networks[network]!.IPAddress;
    expect(listeners.has(containerAddress)).toBe(false);
  });

  it("the capabilities are the NAT mode's plus the shares' two, nothing else", async () => {
    const caps = [...((await vm.inspect()).HostConfig.CapAdd ?? [])].sort();
    expect(caps).toEqual(['NET_ADMIN', 'SETGID', 'SETUID']);
    // smbd keeps only its two: NET_ADMIN stays with the network helpers.
    const smbd = (await processCaps(vm)).filter((p) => p.name.startsWith('smbd'));
    expect(smbd.length).toBeGreaterThan(0);
    for (const process of smbd) expect(process.capEff).toBe(SETGID_SETUID);
    // dnsmasq, which the guest talks to, keeps NET_ADMIN (DHCP) only: never SETUID/SETGID.
    const dnsmasq = (await processCaps(vm)).filter((p) => p.name === 'dnsmasq');
    expect(dnsmasq.map((p) => p.capEff)).toEqual(['0000000000001000']);
  });
});
