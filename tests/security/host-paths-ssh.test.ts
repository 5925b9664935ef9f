// Issue 15, finding 3, over SSH: host paths are resolved on the remote host itself, through
// the Docker API only (the helper container runs on that host's engine), so a link to /etc
// there is refused and a plain folder is resolved. The rig's "remote" host is a second dockerd
// reached over its own sshd on loopback (tests/rig/ssh-hosts.ts).
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { HostPool } from '../../provider/hosts';
import { windowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { checkVmHostPaths } from '../../provider/security/vm-host-paths';
import { Results } from '../reliability/results';
import { WINDOCK_IMAGE } from '../rig/docker';
import { startSshHosts, type SshHostsRig } from '../rig/ssh-hosts';
import { testHostDir } from '../shares/rig';

const results = new Results();
const pool = new HostPool({ ssh: { connectTimeoutMs: 10_000 } });
let rig: SshHostsRig | undefined;
const root = testHostDir('host-paths-ssh');

beforeAll(async () => {
  rig = await startSshHosts(1, { namePrefix: 'hp', images: [WINDOCK_IMAGE] });
}, 600_000);
afterAll(async () => {
  await pool.closeAll().catch(() => undefined);
  await rig?.stopAll();
  rmSync(root, { recursive: true, force: true });
  results.flush();
}, 120_000);

const vmWith = (hostPath: string) =>
  windowsVmInputs.parse({
    name: 'wdk-hp-ssh',
    media: { kind: 'disk-image', file: '/unused.qcow2', format: 'qcow2' },
    shares: [{ name: 'Data', hostPath }],
  });

test('a link to /etc on an SSH host is refused there; a plain folder is resolved', async () => {
  const row = results.attackRow('host paths: symlink on an SSH host');
  const host = rig!.hosts[0]!;
  const access = { docker: pool.get(host.config), hostName: host.name, image: WINDOCK_IMAGE };
  mkdirSync(join(root, 'data'));
  symlinkSync('/etc', join(root, 'etc-link'));

  const attack = await checkVmHostPaths(access, host.config, vmWith(join(root, 'etc-link')));
  row.attack(attack.refusals.length === 0);
  expect(attack.refusals.map((r) => r.reason)).toEqual([
    expect.stringMatching(
      new RegExp(`^shares\\.0\\.hostPath: .* \\(on host "${host.name}" it resolves to /etc\\)`),
    ),
  ]);

  const plain = await checkVmHostPaths(access, host.config, vmWith(join(root, 'data')));
  expect(plain.refusals).toEqual([]);
  expect([...plain.resolved.values()][0]?.found.path).toBe(join(root, 'data'));
  row.pass();
}, 300_000);
