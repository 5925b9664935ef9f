import Dockerode from 'dockerode';
import { join } from 'node:path';
import { IMAGE_CACHE_VOLUME } from '../../provider/images/cache';
import { uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { startSshHosts, type SshHostsRig } from '../rig/ssh-hosts';
import { standinVmArgs } from '../rig/standin-guest';

/**
 * One stack drives VMs on two "remote" Docker hosts reached over real SSH with pinned host
 * keys (each host: its own dockerd and sshd on loopback), through the real Pulumi engine.
 */
describe('a fleet on two SSH hosts', () => {
  let hosts: SshHostsRig;
  const rig = new PulumiRig('fleet', 'test', join(__dirname, 'programs', 'fleet.js'));
  const names = [uniqueName('wdk-a'), uniqueName('wdk-b')];
  const vm = (name: string, host: string, extra: Record<string, unknown> = {}) =>
    standinVmArgs({ name, host, ...extra });
  let config: (overrides?: {
    fingerprint2?: string;
    cpuB?: number;
    golden?: boolean;
  }) => Record<string, unknown>;
  const engine = (i: number) => new Dockerode({ socketPath: hosts.hosts[i]!.socketPath });

  beforeAll(async () => {
    hosts = await startSshHosts(2, { images: [WINDOCK_IMAGE] });
    config = (overrides = {}) => ({
      'windock:hosts': [
        hosts.hosts[0]!.config,
        {
          ...hosts.hosts[1]!.config,
          hostKey: { fingerprint: overrides.fingerprint2 ?? hosts.hosts[1]!.hostKeyFingerprint },
        },
      ],
      vms: [
        vm(names[0]!, hosts.hosts[0]!.name),
        vm(names[1]!, hosts.hosts[1]!.name, { cpu: overrides.cpuB ?? 1, readiness: 'agent' }),
      ],
      // A memory snapshot of the second VM and two linked clones of it, on its (remote) host.
      golden: overrides.golden
        ? { vm: 1, clones: 2, cloneArgs: standinVmArgs({ readiness: 'agent', media: undefined }) }
        : null,
    });
  });

  afterAll(async () => {
    if (config) rig.run('destroy', config());
    await hosts?.stopAll();
    rig.dispose();
  });

  it('creates each VM on its own host, over SSH', async () => {
    const run = rig.ok('up', config());
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create', 'create']);
    const onFirst = (await engine(0).listContainers()).map((c) => c.Names[0]);
    const onSecond = (await engine(1).listContainers()).map((c) => c.Names[0]);
    expect(onFirst).toEqual([`/windock-${names[0]}`]);
    expect(onSecond).toEqual([`/windock-${names[1]}`]);
    const info = await engine(1).getContainer(`windock-${names[1]}`).inspect();
    expect(info.State.Running).toBe(true);
  });

  it('snapshots and clones a remote VM; a change to that VM previews as what the up does, nothing more', async () => {
    // The user's report: with a snapshot and clones of a VM on a second host, a cpu change
    // previewed the snapshot and every clone as replacements that the up never made.
    const created = rig.ok('up', config({ golden: true }));
    expect(
      resourceSteps(created)
        .map((s) => s.op)
        .sort(),
    ).toEqual(['create', 'create', 'same', 'same']);
    const clones = async () => (await engine(1).listContainers()).map((c) => `${c.Names[0]} ${c.Id}`).sort();
    const before = await clones();
    expect(before).toHaveLength(3);
    const preview = rig.ok('preview', config({ golden: true, cpuB: 2 }));
    const changedIn = (run: ReturnType<PulumiRig['run']>) =>
      run.events
        .map((e) => e.resourcePreEvent?.metadata)
        .filter((m) => m && m.op !== 'same' && String(m.type).includes('windock:'))
        .map((m) => `${m.urn.slice(m.urn.lastIndexOf('::') + 2)} ${m.op}`);
    expect(changedIn(preview)).toEqual([`${names[1]} update`]);
    const up = rig.ok('up', config({ golden: true, cpuB: 2 }));
    expect(changedIn(up)).toEqual(changedIn(preview));
    // The clones are the same containers; the source VM has a new one on the same disks.
    const after = await clones();
    const ofClones = (list: string[]) => list.filter((c) => /-c\d+ /.test(c));
    expect(ofClones(before)).toHaveLength(2);
    expect(ofClones(after)).toEqual(ofClones(before));
  });

  it('refuses a host whose key no longer matches the pinned fingerprint', () => {
    // (A refresh reads with the provider configuration recorded at the last update, as Pulumi
    // does for every provider; a change under the new configuration meets the new pin.)
    const wrong = 'SHA256:' + 'A'.repeat(43);
    const preview = rig.run('preview', config({ fingerprint2: wrong, cpuB: 3, golden: true }));
    expect(preview.status).not.toBe(0);
    expect(preview.output).toContain(`"${hosts.hosts[1]!.name}"`);
    expect(preview.output).toMatch(/host key/i);
    expect(preview.output).toContain(wrong);
    expect(preview.output).toContain(hosts.hosts[1]!.hostKeyFingerprint);
  });

  it('destroys both VMs on both hosts', async () => {
    rig.ok('destroy', config());
    expect(await engine(0).listContainers({ all: true })).toEqual([]);
    expect(await engine(1).listContainers({ all: true })).toEqual([]);
    const volumes = [
      ...((await engine(0).listVolumes()).Volumes ?? []),
      ...((await engine(1).listVolumes()).Volumes ?? []),
    ];
    // The host's image cache outlives its VMs (a prune removes unused images).
    expect(volumes.filter((v) => v.Name.startsWith('windock-') && v.Name !== IMAGE_CACHE_VOLUME)).toEqual([]);
  });
});
