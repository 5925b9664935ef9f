// Faults, load and security on three "remote" Docker hosts reached over real SSH (the SSH hosts
// rig: each host its own dockerd and sshd on loopback), through the real Pulumi engine:
//   - a host out of disk (its volumes on a small tmpfs) during a create;
//   - 12 stopped + 2 running VMs created in parallel over the three hosts;
//   - the host's sshd killed in the middle of a create;
//   - the host's dockerd restarted in the middle of an update (never the default engine);
//   - a changed SSH host key refused;
//   - a destroy that leaves no container, volume, SSH session or connection behind.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import {
  killRecorded,
  pingUnixSocket,
  RIG_DATA,
  RIG_RUN,
  startSshHosts,
  type SshHostsRig,
} from '../rig/ssh-hosts';
import { standinGuestDir } from '../rig/standin-guest';
import {
  establishedTo,
  execText,
  guestDataSum,
  guestSh,
  ok,
  PROGRAM,
  runAsync,
  sleep,
  sshdSessions,
  waitFor,
  waitForAgent,
  windockObjects,
  writeGuestData,
} from './helpers';
import { Results } from './results';

const results = new Results();
const rig = new PulumiRig('reliability-ssh', 'test', PROGRAM);
const dir = standinGuestDir();
const media = {
  kind: 'kernel',
  kernelFile: `${dir}/vmlinuz`,
  initrdFile: `${dir}/initrd.img`,
  diskImageFile: `${dir}/disk.qcow2`,
};
const tag = uniqueName('r').slice(2); // 8 hex digits: every name of this run carries it
let hosts: SshHostsRig;
const engine = (i: number) => new Dockerode({ socketPath: hosts.hosts[i]!.socketPath });

function vm(name: string, host: string, extra: Record<string, unknown> = {}) {
  return {
    args: {
      name,
      host,
      media,
      cpu: 1,
      memory: '256MiB',
      systemDiskSize: '64MiB',
      firmware: 'bios',
      accelerator: 'tcg',
      readiness: 'agent',
      rdp: { enabled: false },
      timeouts: { createSeconds: 240, shutdownSeconds: 20 },
      ...extra,
    },
  };
}

/** The stack's VMs: name -> { host index, extra args }. */
const fleet = new Map<string, { host: number; extra: Record<string, unknown> }>();
let fingerprints: string[] = [];
function config() {
  return {
    'windock:hosts': hosts.hosts.map((h, i) => ({
      ...h.config,
      hostKey: { fingerprint: fingerprints[i] ?? h.hostKeyFingerprint },
    })),
    vms: [...fleet].map(([name, v]) => vm(name, hosts.hosts[v.host]!.name, v.extra)),
    snapshots: [],
    gpus: [],
  };
}

// The data VMs: a file written in each, checked after every fault.
const sums = new Map<string, { host: number; sum: string }>();
async function checkData(row: ReturnType<Results['row']>) {
  for (const [name, d] of sums) {
    const sum = await guestDataSum(engine(d.host), `windock-${name}`);
    if (sum !== d.sum) row.dataLost++;
    expect({ name, sum }).toEqual({ name, sum: d.sum });
  }
}

const volumesDir = (i: number) => join(RIG_DATA, `h${i + 1}`, 'docker', 'volumes');
const filler = (i: number) => join(volumesDir(i), 'windock-test-filler');

beforeAll(async () => {
  hosts = await startSshHosts(3, { images: [WINDOCK_IMAGE] });
  fingerprints = hosts.hosts.map((h) => h.hostKeyFingerprint);
}, 600_000);

afterAll(async () => {
  if (hosts) {
    fingerprints = hosts.hosts.map((h) => h.hostKeyFingerprint);
    await runAsync(rig, 'destroy', config()).catch(() => undefined);
    rmSync(filler(2), { force: true });
    await hosts.stopAll(); // also unmounts the tmpfs under the host's data root
  }
  rig.dispose();
  results.flush();
}, 600_000);

describe('a host out of disk', () => {
  it('fails the create clearly, leaves nothing half made, and works once there is room', async () => {
    const row = results.row('faults', 'host out of disk during create (h3 tmpfs)');
    // h3 has no volume yet: its volumes directory becomes a 192 MiB tmpfs, nearly filled.
    const volumes = volumesDir(2);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=192m,mode=0701', 'windock-test-small', volumes]);
    execFileSync('fallocate', ['-l', `${192 - 6}m`, filler(2)]);
    const name = `rel-disk-${tag}`;
    fleet.set(name, { host: 2, extra: {} });
    const up = await runAsync(rig, 'up', config());
    expect(up.status).not.toBe(0);
    expect(up.output).toMatch(/no space left on device/i);
    await ok(rig, 'refresh', config());
    const left = await windockObjects(engine(2), name);
    const inState = new RegExp(`"containerName":\\s*"windock-${name}"`).test(rig.stateText());
    // Either kept in state (half made, to be fixed by the next up) or nothing left on the host.
    if (!inState) {
      row.containersLeaked = left.containers.length;
      row.volumesLeaked = left.volumes.length;
      expect(left).toEqual({ containers: [], volumes: [] });
    }
    rmSync(filler(2));
    await ok(rig, 'up', config());
    await waitForAgent(engine(2), `windock-${name}`);
    sums.set(name, { host: 2, sum: await writeGuestData(engine(2), `windock-${name}`) });
    row.faultsSurvived++;
    row.inputsTried = 1;
    row.pass(inState ? 'half-made VM kept in state' : 'nothing left on the host');
  });
});

describe('load', () => {
  it('creates 12 stopped and 2 running VMs in parallel over three hosts, over one pooled connection each', async () => {
    const row = results.row('load', '14 VMs created in parallel on 3 SSH hosts');
    for (let i = 0; i < 12; i++)
      fleet.set(`rel-idle-${i}-${tag}`, { host: i % 3, extra: { powerState: 'stopped' } });
    fleet.set(`rel-run-1-${tag}`, { host: 0, extra: {} });
    fleet.set(`rel-run-2-${tag}`, { host: 1, extra: {} });
    const accepted = hosts.hosts.map((h) => (h.sshdLogText().match(/Accepted publickey/g) ?? []).length);
    const started = Date.now();
    const up = await ok(rig, 'up', config());
    row.inputsTried = 14;
    expect(resourceSteps(up).filter((s) => s.op === 'create')).toHaveLength(14);
    const seconds = Math.round((Date.now() - started) / 1000);
    for (let i = 0; i < 3; i++) {
      const list = await engine(i).listContainers({ all: true });
      const ours = list.filter((c) => c.Names[0]!.includes(tag));
      expect(ours.length).toBe(5);
      const now = (hosts.hosts[i]!.sshdLogText().match(/Accepted publickey/g) ?? []).length;
      // One provider process per engine run; each holds one pooled SSH connection per host.
      expect(now - accepted[i]!).toBeLessThanOrEqual(3);
    }
    for (const name of [`rel-run-1-${tag}`, `rel-run-2-${tag}`]) {
      const h = fleet.get(name)!.host;
      await waitForAgent(engine(h), `windock-${name}`);
      sums.set(name, { host: h, sum: await writeGuestData(engine(h), `windock-${name}`) });
    }
    await checkData(row);
    row.pass(`up took ${seconds} s`);
  });
});

describe('SSH dropped in the middle of a create', () => {
  it('fails clearly, leaves a consistent state, and the next up converges', async () => {
    const row = results.row('faults', 'sshd killed during create (h1)');
    const host = hosts.hosts[0]!;
    const name = `rel-new-${tag}`;
    fleet.set(name, { host: 0, extra: {} });
    const up = runAsync(rig, 'up', config());
    // The moment the container exists on h1 (media still being copied in), h1's sshd dies.
    await waitFor(
      'the new container on h1',
      async () => (await windockObjects(engine(0), name)).containers.length > 0,
      240_000,
      25,
    );
    await host.killSshd();
    const run = await up;
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/h1|ssh|connect|ECONNRE|socket|closed/i);
    await host.startSshd();
    await ok(rig, 'refresh', config());
    const inState = new RegExp(`"containerName":\\s*"windock-${name}"`).test(rig.stateText());
    // What the cut-off create left on the host and not in state: the next create must sweep it
    // (never-started container without its completion marker, and the volume it made).
    const left = await windockObjects(engine(0), name);
    const orphaned = !inState && (left.containers.length > 0 || left.volumes.length > 0);
    const again = await runAsync(rig, 'up', config());
    if (again.status !== 0) throw new Error(`the up after the fault failed:\n${again.output.slice(-4000)}`);
    await waitForAgent(engine(0), `windock-${name}`);
    expect((await windockObjects(engine(0), name)).containers).toEqual([`/windock-${name}`]);
    const after = await windockObjects(engine(0), name);
    // Anything beyond the VM's one container and one volume is a leak.
    row.containersLeaked = after.containers.length - 1;
    row.volumesLeaked = after.volumes.length - 1;
    expect(after.volumes).toHaveLength(1);
    await checkData(row);
    expect(row.containersLeaked + row.volumesLeaked).toBe(0);
    row.faultsSurvived++;
    row.pass(
      inState
        ? 'half-made VM kept in state'
        : orphaned
          ? 'leftovers swept by the next create'
          : 'nothing left on the host',
    );
  });
});

describe('dockerd restarted in the middle of an update', () => {
  it('fails or finishes clearly, refresh makes the state consistent, the next up converges, data intact', async () => {
    const row = results.row('faults', 'dockerd restarted during update (h2)');
    const name = `rel-run-2-${tag}`;
    // Should this VM not come back, its data check fails here, not again in every later test.
    const keep = sums.get(name)!;
    sums.delete(name);
    const docker = engine(1);
    const before = (await docker.getContainer(`windock-${name}`).inspect()).Id;
    fleet.set(name, { host: 1, extra: { cpu: 2 } }); // restart tier: power-down, new container, boot
    const up = runAsync(rig, 'up', config());
    await waitFor(
      'the update to stop the old container',
      async () => {
        const info = await docker
          .getContainer(`windock-${name}`)
          .inspect()
          .catch(() => undefined);
        return !info || info.Id !== before || !info.State.Running || info.State.Status !== 'running';
      },
      240_000,
      50,
    );
    await restartDockerd(1);
    const run = await up;
    const failed = run.status !== 0;
    if (failed) expect(run.output).toMatch(/error/i);
    await ok(rig, 'refresh', config());
    const again = await ok(rig, 'up', config());
    expect(resourceSteps(again).every((s) => s.op !== 'replace' && s.op !== 'delete')).toBe(true);
    await waitForAgent(docker, `windock-${name}`);
    const cpus = await guestSh(docker, `windock-${name}`, 'grep -c ^processor /proc/cpuinfo');
    expect(cpus).toBe('2');
    const left = await windockObjects(docker, name);
    row.containersLeaked = left.containers.length - 1;
    row.volumesLeaked = left.volumes.length - 1;
    expect(left.containers).toHaveLength(1);
    expect(left.volumes).toHaveLength(1);
    sums.set(name, keep);
    await checkData(row);
    row.faultsSurvived++;
    row.pass(failed ? 'the interrupted up failed; the next converged' : 'the up rode it out');
  });
});

describe('security of SSH hosts', () => {
  it('refuses a host whose key changed, at preview and refresh, naming the host', async () => {
    const row = results.row('security', 'changed SSH host key refused');
    const host = hosts.hosts[0]!;
    const key = join(RIG_DATA, 'h1', 'ssh', 'ssh_host_ed25519_key');
    copyFileSync(key, `${key}.orig`);
    copyFileSync(`${key}.pub`, `${key}.pub.orig`);
    try {
      await host.killSshd();
      rmSync(key);
      rmSync(`${key}.pub`);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      await host.startSshd();
      // A change to a VM on h1, so that the preview must reach h1.
      const name = `rel-run-1-${tag}`;
      fleet.set(name, { host: 0, extra: { memory: '320MiB' } });
      const preview = await runAsync(rig, 'preview', config());
      fleet.set(name, { host: 0, extra: {} });
      const refresh = await runAsync(rig, 'refresh', config());
      row.inputsTried = 2;
      for (const run of [preview, refresh]) {
        expect(run.status).not.toBe(0);
        expect(run.output).toMatch(/host key/i);
        expect(run.output).toContain(host.hostKeyFingerprint);
      }
    } finally {
      await host.killSshd();
      copyFileSync(`${key}.orig`, key);
      copyFileSync(`${key}.pub.orig`, `${key}.pub`);
      await host.startSshd();
    }
    row.pass();
  });

  it('keeps the SSH client key and console tokens out of state', async () => {
    const row = results.row('security', 'SSH key and tokens out of state (SSH hosts)');
    const state = rig.stateText();
    const keyBody = readFileSync(hosts.hosts[0]!.clientKeyFile, 'utf8').split('\n')[1]!;
    row.inputsTried = 2;
    expect(state).not.toContain(keyBody);
    expect(state).not.toMatch(/BEGIN OPENSSH PRIVATE KEY/);
    for (const [name, d] of sums) {
      const token = (
        await execText(engine(d.host), `windock-${name}`, ['cat', '/run/windock/secrets/console-token'])
      ).trim();
      expect(token.length).toBeGreaterThan(20);
      expect(state).not.toContain(token);
    }
    row.pass();
  });
});

describe('destroy', () => {
  it('removes every VM on every host and leaves no container, volume, SSH session or connection', async () => {
    const row = results.row('load', 'destroy all: nothing leaked');
    await checkData(row);
    await ok(rig, 'destroy', config());
    await sleep(500);
    for (let i = 0; i < 3; i++) {
      const left = await windockObjects(engine(i), tag);
      row.containersLeaked += left.containers.length;
      row.volumesLeaked += left.volumes.length;
      const h = hosts.hosts[i]!;
      const pidfile = join(RIG_RUN, `h${i + 1}`, 'sshd.pid');
      row.connectionsLeaked += establishedTo(h.sshHost, h.sshPort) + sshdSessions(pidfile);
    }
    expect(row.containersLeaked + row.volumesLeaked + row.connectionsLeaked).toBe(0);
    row.pass();
  });
});

/**
 * Restarts the dockerd of test host i with its own command line (never the default engine):
 * SIGTERM (dockerd stops its containers), then the same command again. The rig finds the new
 * process through the pid file dockerd writes, so its cleanup still stops it.
 */
async function restartDockerd(i: number): Promise<void> {
  const execRoot = join(RIG_RUN, `h${i + 1}`, 'exec');
  const pidfile = join(RIG_RUN, `h${i + 1}`, 'dockerd.pid');
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  if (!argv.join(' ').includes(execRoot)) throw new Error(`pid ${pid} is not the test engine h${i + 1}`);
  await killRecorded(pid, execRoot, 60_000);
  if (existsSync(pidfile)) rmSync(pidfile);
  const log = join(RIG_DATA, `h${i + 1}`, 'dockerd.log');
  writeFileSync(log, '\n--- restarted by the reliability suite ---\n', { flag: 'a' });
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
  const socket = hosts.hosts[i]!.socketPath;
  await waitFor(`dockerd h${i + 1} to answer again`, () => pingUnixSocket(socket), 60_000, 200);
  // A test engine's restart must leave the machine's own engine alone (its docker0 above all).
  if (!existsSync('/sys/class/net/docker0'))
    throw new Error(`restarting test engine h${i + 1} removed docker0: the default engine is broken now`);
}
