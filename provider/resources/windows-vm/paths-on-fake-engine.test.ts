import { CONTAINER_PATHS } from '../../../contract';
import { FakeDocker } from '../../docker/fake-docker';
import type { HostConfig } from '../../hosts';
import { deleteWindowsVm } from './delete';
import { identityFor } from './identity';
import { planImpact } from './impact';
import { windowsVmInputs, type WindowsVmInputs } from './inputs';
import type { HostContext } from './launch';
import type { WindowsVmOutputs } from './outputs';
import { toPlacement, toVmSpec } from './to-spec';
import { applyUpdate, decidePath, type VmUpdate } from './update';

const UUID = '6f1c1d8e-2d4b-4c5e-9a7b-0c1d2e3f4a5b';
const CONTAINER = 'windock-fake-01';
const VOLUME = 'windock-fake-01-storage';

const inputs = (overrides: Record<string, unknown> = {}): WindowsVmInputs =>
  windowsVmInputs.parse({
    name: 'fake-01',
    media: { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' },
    guestAgent: false,
    ...overrides,
  });

function contextOn(docker: FakeDocker): HostContext {
  const host = { name: 'local', kind: 'local' } as HostConfig;
  return { docker: docker.asDockerode(), host, image: 'windock:test', stack: 'test' };
}

/** The state a VM made earlier left, for these inputs. */
function stateOf(vm: WindowsVmInputs, extra: Partial<WindowsVmOutputs> = {}): WindowsVmOutputs {
  return {
    ...vm,
    containerName: CONTAINER,
    containerId: CONTAINER,
    volumeName: VOLUME,
    vmUuid: UUID,
    consoleToken: 'token',
    sharePassword: '',
    publishedPorts: {},
    warnings: [],
    cloneBase: '',
    mediaSha256: {},
    restartPending: false,
    ...extra,
  } as WindowsVmOutputs;
}

/** An update as prepareUpdate makes it, without the host-side spec steps (host paths, media). */
function updateOf(docker: FakeDocker, before: WindowsVmInputs, after: WindowsVmInputs): VmUpdate {
  const plan = planImpact(before, after);
  if (!plan.ok) throw new Error(plan.message);
  const identity = identityFor(UUID);
  const spec = toVmSpec(after, identity);
  const placement = toPlacement(after, spec, {
    image: 'windock:test',
    stack: 'test',
    knownHostPorts: {},
    volumeName: VOLUME,
  });
  return {
    context: contextOn(docker),
    old: stateOf(before),
    before,
    vm: { ...after, changeImpact: plan.message },
    plan,
    identity,
    consoleToken: 'token',
    sharePassword: '',
    pendingNowApplied: false,
    wantsRestart: plan.tier === 'restart',
    launched: { containerId: CONTAINER, spec, placement, warnings: [] },
  };
}

function engineWithVm(running: boolean, restartPolicy = 'unless-stopped'): FakeDocker {
  const docker = new FakeDocker().addVolume(VOLUME, { 'io.windock.managed': 'true' });
  docker.addContainer({
    name: CONTAINER,
    running,
    restartPolicy,
    mounts: [{ Type: 'volume', Source: VOLUME, Target: '/storage' }],
  });
  return docker;
}

const methods = (docker: FakeDocker) => docker.calls.map((call) => call.method);

describe('WindowsVm delete on a fake engine', () => {
  it('removes the container and its volume', async () => {
    const docker = engineWithVm(true);
    await deleteWindowsVm(contextOn(docker), stateOf(inputs()));
    expect(docker.containers.has(CONTAINER)).toBe(false);
    expect(docker.volumes.has(VOLUME)).toBe(false);
    expect(methods(docker)).toContain('stop');
  });

  it('keeps a retained volume', async () => {
    const docker = engineWithVm(false);
    await deleteWindowsVm(contextOn(docker), stateOf(inputs({ retainStorageOnDelete: true })));
    expect(docker.containers.has(CONTAINER)).toBe(false);
    expect(docker.volumes.has(VOLUME)).toBe(true);
  });
});

describe('WindowsVm update on a fake engine', () => {
  it('changes the restart policy for autostart, without a restart', async () => {
    const docker = engineWithVm(true, 'unless-stopped');
    const id = docker.containers.get(CONTAINER)!.id;
    const { outs } = await applyUpdate(updateOf(docker, inputs(), inputs({ autostart: false })));
    const container = docker.containers.get(CONTAINER)!;
    expect(container.restartPolicy).toBe('no');
    expect(container.id).toBe(id);
    expect(container.running).toBe(true);
    expect(methods(docker)).not.toContain('stop');
    expect(methods(docker)).not.toContain('putArchive');
    expect(outs).toMatchObject({ autostart: false, restartPending: false });
  });

  it('stops the container for powerState "stopped", keeping container and disks', async () => {
    const docker = engineWithVm(true);
    const { outs } = await applyUpdate(updateOf(docker, inputs(), inputs({ powerState: 'stopped' })));
    const container = docker.containers.get(CONTAINER)!;
    expect(container.running).toBe(false);
    expect(docker.volumes.has(VOLUME)).toBe(true);
    expect(outs.phase).toMatch(/^stopped/);
  });

  it('rewrites the spec once when disks and recording change together', async () => {
    const docker = engineWithVm(false);
    const before = inputs({ systemDiskSize: '64GiB' });
    const after = inputs({ systemDiskSize: '80GiB', recording: { onStart: true } });
    await applyUpdate(updateOf(docker, before, after));
    expect(methods(docker).filter((method) => method === 'putArchive')).toHaveLength(1);
    expect([...docker.containers.get(CONTAINER)!.files.keys()]).toContain(CONTAINER_PATHS.spec);
  });

  it('touches nothing for a restart-tier change under restartPolicy "pending"', async () => {
    const docker = engineWithVm(true);
    const before = inputs({ restartPolicy: 'pending' });
    const after = inputs({ restartPolicy: 'pending', cpu: 4 });
    const { outs } = await applyUpdate(updateOf(docker, before, after));
    expect(docker.calls).toEqual([]);
    expect(outs).toMatchObject({ cpu: 4, restartPending: true });
  });

  it('restores a running VM in place when restoreFrom is its only restart-tier change, else restarts', async () => {
    const before = inputs();
    const after = inputs({ restoreFrom: { snapshot: 'clean' }, labels: { team: 'qa' } });
    const restore = { kind: 'snapshot' as const, tag: 'clean', requestId: 'r1' };
    const running = engineWithVm(true);
    const inPlace = { ...updateOf(running, before, after), restore };
    expect(await decidePath(inPlace)).toEqual({ path: 'restore', containerPresent: true });
    const stopped = engineWithVm(false);
    const restart = { ...updateOf(stopped, before, after), restore };
    expect(await decidePath(restart)).toEqual({ path: 'restart', containerPresent: true });
    const withCpu = { ...updateOf(running, before, { ...after, cpu: 4 }), restore };
    expect((await decidePath(withCpu)).path).toBe('restart');
  });
});
