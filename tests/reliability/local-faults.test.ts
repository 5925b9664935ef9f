// Faults and security on the local engine, through the real Pulumi engine, with the stand-in
// guest under TCG: QEMU killed inside the container, the container killed, a create that runs
// out of time; least privilege, a console that needs its token, secrets nowhere, and no TCP
// listener in the container but the console. Every fault ends with a clear error, a state that
// refresh makes consistent, and the guest's data intact (SHA-256 through the guest agent).
import type Dockerode from 'dockerode';
import { Cleanup, containerLogs, localDocker, uniqueName } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinGuestDir } from '../rig/standin-guest';
import {
  allCommandLines,
  containerPids,
  execText,
  guestDataSum,
  listeningTcpPorts,
  ok,
  PROGRAM,
  runAsync,
  waitFor,
  waitForAgent,
  windockObjects,
  writeGuestData,
} from './helpers';
import { Results } from './results';

const results = new Results();
const docker = localDocker();
const cleanup = new Cleanup();
const name = uniqueName('wdk-rel');
const slowName = uniqueName('wdk-rel-slow');
const rig = new PulumiRig('reliability-local', 'test', PROGRAM);
const slowRig = new PulumiRig('reliability-slow', 'test', PROGRAM);
const dir = standinGuestDir();
const media = {
  kind: 'kernel',
  kernelFile: `${dir}/vmlinuz`,
  initrdFile: `${dir}/initrd.img`,
  diskImageFile: `${dir}/disk.qcow2`,
};
const vmArgs = {
  name,
  media,
  cpu: 1,
  memory: '256MiB',
  systemDiskSize: '64MiB',
  firmware: 'bios',
  accelerator: 'tcg',
  readiness: 'agent',
  autostart: false, // a fault must stay visible until refresh, not be hidden by Docker's restart
  rdp: { enabled: false },
  timeouts: { createSeconds: 240, shutdownSeconds: 30 },
};
const config = { vms: [{ args: vmArgs }], snapshots: [], gpus: [] };
const containerName = `windock-${name}`;
const container = () => docker.getContainer(containerName);

let dataSum = '';
let consoleToken = '';
let upOutput = '';

beforeAll(async () => {
  cleanup.add(async () => {
    for (const n of [name, slowName]) {
      const left = await windockObjects(docker, n);
      for (const c of left.containers) await docker.getContainer(c.slice(1)).remove({ force: true });
      for (const v of left.volumes) await docker.getVolume(v).remove();
    }
  });
  const up = await ok(rig, 'up', config);
  upOutput = up.output;
  await waitForAgent(docker, containerName);
  dataSum = await writeGuestData(docker, containerName);
  consoleToken = (
    await execText(docker, containerName, ['cat', '/run/windock/secrets/console-token'])
  ).trim();
});

afterAll(async () => {
  await runAsync(rig, 'destroy', config).catch(() => undefined);
  await runAsync(slowRig, 'destroy', { vms: [], snapshots: [], gpus: [] }).catch(() => undefined);
  await cleanup.run();
  rig.dispose();
  slowRig.dispose();
  results.flush();
});

describe('security of a running VM', () => {
  it('runs unprivileged, with no capabilities, no devices under TCG, no bind mounts, ports on loopback', async () => {
    const row = results.row('security', 'least privilege container (local)');
    const info = await container().inspect();
    const host = info.HostConfig;
    row.inputsTried = 1;
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.Devices ?? []).toEqual([]); // TCG: not even /dev/kvm
    expect(host.NetworkMode).not.toBe('host');
    expect(host.PidMode ?? '').not.toBe('host');
    expect(host.IpcMode ?? '').not.toBe('host');
    expect(host.Binds ?? []).toEqual([]);
    // Its storage volume, and the host's image cache read-only (its disk is an overlay over it).
    expect(info.Mounts.map((m) => [m.Type, m.Destination, m.RW]).sort()).toEqual([
      ['volume', '/images', false],
      ['volume', '/storage', true],
    ]);
    for (const bindings of Object.values(host.PortBindings ?? {}) as Array<Array<{ HostIp: string }>>)
      for (const b of bindings) expect(b.HostIp).toBe('127.0.0.1');
    // No configuration or secret through the environment: only the image's own variables.
    expect(info.Config.Env.filter((e) => !/^(PATH|HOME|DEBIAN_FRONTEND|LANG|NODE_[A-Z_]+)=/.test(e))).toEqual(
      [],
    );
    row.pass();
  });

  it('has no TCP listener in the container but the console (QMP, agent and VNC are unix sockets)', async () => {
    const row = results.row('security', 'only the console listens (/proc/net/tcp)');
    row.inputsTried = 1;
    expect(await listeningTcpPorts(docker, containerName)).toEqual([8006]);
    const sockets = await execText(docker, containerName, [
      'sh',
      '-c',
      'ls /run/windock; stat -c %a /run/windock',
    ]);
    expect(sockets).toMatch(/qmp\.sock/);
    expect(sockets).toMatch(/qga\.sock/);
    expect(sockets.trim().split('\n').pop()).toBe('700');
    row.pass();
  });

  it('refuses the console without its token, and serves it with it', async () => {
    const row = results.row('security', 'console needs credentials');
    const info = await container().inspect();
    const port = info.NetworkSettings.Ports['8006/tcp']![0]!.HostPort;
    const base = `http://127.0.0.1:${port}`;
    const refused = [
      await fetch(`${base}/`, { redirect: 'manual' }),
      await fetch(`${base}/?token=wrong`, { redirect: 'manual' }),
      await fetch(`${base}/?token=${consoleToken.slice(0, -1)}`, { redirect: 'manual' }),
      await fetch(`${base}/websockify`, { headers: { Connection: 'Upgrade', Upgrade: 'websocket' } }).catch(
        () => ({ status: 401 }) as Response,
      ),
      await fetch(`${base}/`, { headers: { Authorization: 'Bearer nope' }, redirect: 'manual' }),
    ];
    row.inputsTried = refused.length + 1;
    for (const r of refused) expect(r.status).toBe(401);
    expect((await fetch(`${base}/?token=${consoleToken}`, { redirect: 'manual' })).status).toBe(303);
    row.pass();
  });

  it('keeps the console token out of state, logs, provider output, docker inspect and process lists', async () => {
    const row = results.row('security', 'secrets nowhere (state, logs, output, inspect, ps)');
    expect(consoleToken.length).toBeGreaterThan(20);
    const places: Record<string, string> = {
      state: rig.stateText(),
      'docker logs': await containerLogs(container()),
      'provider output': upOutput,
      'docker inspect': JSON.stringify(await container().inspect()),
      'ps -ef': allCommandLines(),
    };
    row.inputsTried = Object.keys(places).length;
    for (const [where, text] of Object.entries(places)) {
      expect({ where, leaked: text.includes(consoleToken) }).toEqual({ where, leaked: false });
    }
    row.pass();
  });
});

describe('faults', () => {
  async function expectRecovered(row: ReturnType<Results['row']>, stoppedPattern: RegExp) {
    await waitFor('the container to stop', async () => !(await container().inspect()).State.Running, 60_000);
    const refresh = await ok(rig, 'refresh', config);
    expect(refresh.status).toBe(0);
    const state = rig.stateText();
    expect(state).toMatch(/"powerState":\s*"stopped"/);
    expect(state).toMatch(stoppedPattern);
    const up = await ok(rig, 'up', config);
    expect(resourceSteps(up).map((s) => s.op)).toEqual(['update']);
    expect((await container().inspect()).State.Running).toBe(true);
    await waitForAgent(docker, containerName);
    const sum = await guestDataSum(docker, containerName);
    if (sum !== dataSum) row.dataLost++;
    expect(sum).toBe(dataSum);
    row.faultsSurvived++;
    row.pass();
  }

  it('QEMU killed inside the container: a clear exit, refresh sees it, up brings the VM back, data intact', async () => {
    const row = results.row('faults', 'QEMU killed (SIGKILL)');
    const pids = await containerPids(docker, containerName, 'qemu-system');
    expect(pids.length).toBe(1);
    process.kill(pids[0]!, 'SIGKILL');
    await waitFor('the container to stop', async () => !(await container().inspect()).State.Running, 60_000);
    const state = (await container().inspect()).State;
    expect(state.ExitCode).toBe(70); // image/README.md: QEMU exited with an error
    await expectRecovered(row, /"phase":\s*"stopped \(QEMU failed\)"/);
  });

  it('container killed: refresh sees it stopped, up brings the VM back on the same disk', async () => {
    const row = results.row('faults', 'container killed (docker kill)');
    const storage = (info: Dockerode.ContainerInspectInfo) =>
      info.Mounts.find((m) => m.Destination === '/storage')!.Name;
    const volumeBefore = storage(await container().inspect());
    await container().kill();
    await expectRecovered(row, /"phase":\s*"stopped \(the container was killed/);
    expect(storage(await container().inspect())).toBe(volumeBefore);
  });

  it('a create that runs out of time fails clearly, keeps the half-made VM in state, and destroys cleanly', async () => {
    const row = results.row('faults', 'timeout during create (createSeconds 10)');
    const slow = {
      vms: [
        {
          args: {
            ...vmArgs,
            name: slowName,
            // The kernel finds no init and waits forever: the guest agent never answers.
            media: { ...media, cmdline: 'console=ttyS0 quiet rdinit=/windock-no-init panic=0' },
            timeouts: { createSeconds: 10, shutdownSeconds: 5 },
          },
        },
      ],
      snapshots: [],
      gpus: [],
    };
    const started = Date.now();
    const up = await runAsync(slowRig, 'up', slow);
    expect(up.status).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(up.output).toMatch(/did not reach readiness "agent" within 10 s/);
    // The half-made VM is kept in state (not leaked): refresh sees it, destroy removes it.
    await ok(slowRig, 'refresh', slow);
    expect(slowRig.stateText()).toMatch(new RegExp(`"containerName":\\s*"windock-${slowName}"`));
    await ok(slowRig, 'destroy', slow);
    const left = await windockObjects(docker, slowName);
    row.containersLeaked = left.containers.length;
    row.volumesLeaked = left.volumes.length;
    expect(left).toEqual({ containers: [], volumes: [] });
    row.faultsSurvived++;
    row.pass();
  });
});

describe('destroy', () => {
  it('leaves no container or volume behind', async () => {
    const row = results.row('faults', 'destroy after faults (local)');
    const sum = await guestDataSum(docker, containerName);
    if (sum !== dataSum) row.dataLost++;
    expect(sum).toBe(dataSum);
    await ok(rig, 'destroy', config);
    const left = await windockObjects(docker, name);
    row.containersLeaked = left.containers.length;
    row.volumesLeaked = left.volumes.length;
    expect(left).toEqual({ containers: [], volumes: [] });
    row.pass();
  });
});
