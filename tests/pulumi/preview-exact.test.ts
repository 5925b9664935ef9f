import Dockerode from 'dockerode';
import { join } from 'node:path';
import { uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig, type EngineRun } from '../rig/pulumi';
import { startSshHosts, type SshHostsRig } from '../rig/ssh-hosts';
import { standinCloneArgs, standinVmArgs } from '../rig/standin-guest';

/** Operations per resource name (sorted), from a run's step events. */
function operations(run: EngineRun): Record<string, string[]> {
  const ops: Record<string, string[]> = {};
  for (const event of run.events) {
    const step = event.resourcePreEvent?.metadata as { op: string; urn: string; type: string } | undefined;
    if (!step || !step.type.startsWith('pulumi-nodejs:dynamic/windock:')) continue;
    const name = step.urn.slice(step.urn.lastIndexOf('::') + 2);
    (ops[name] ??= []).push(step.op);
  }
  for (const list of Object.values(ops)) list.sort();
  return ops;
}

/** The changed resources only: "same" steps are what a reviewer does not have to read. */
function changed(ops: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(ops).filter(([, list]) => list.some((op) => op !== 'same')));
}

function changeImpactOf(run: EngineRun, name: string): string {
  const step = run.events.map((e) => e.resourcePreEvent?.metadata).find((m) => m?.urn?.endsWith(`::${name}`));
  return String(step?.new?.inputs?.changeImpact ?? step?.new?.outputs?.changeImpact ?? '');
}

/**
 * The previews a reviewer reads must say what the up then does, resource by resource: a stack
 * with a source VM, a memory snapshot of it and two linked clones of that snapshot, driven
 * through the real engine (file backend) on the stand-in guest under TCG, for each tier of change
 * to the source VM. Before windock carried the VM's identity into its checked inputs, a cpu change
 * previewed the snapshot and every clone as replacements that the up never made.
 */
describe('previews match the up, resource by resource (a VM on an SSH host)', () => {
  let hosts: SshHostsRig;
  let docker: Dockerode;
  const name = uniqueName('wdk-exact');
  const rig = new PulumiRig('preview-exact', 'test', join(__dirname, 'programs', 'vm-snapshot-clones.js'));
  let config: (vm: Record<string, unknown>) => Record<string, unknown>;

  const containers = [name, `${name}-c1`, `${name}-c2`].map((n) => `windock-${n}`);
  /** Container ids of the source VM and its clones: an up that replaced nothing keeps them all. */
  const containerIds = () =>
    Promise.all(containers.map(async (c) => (await docker.getContainer(c).inspect()).Id));

  /** Preview, then up, with the same config; both step lists, compared. */
  function previewThenUp(vm: Record<string, unknown>) {
    const preview = rig.ok('preview', config(vm));
    const up = rig.ok('up', config(vm));
    return { preview, up, previewed: changed(operations(preview)), applied: changed(operations(up)) };
  }

  // As the user's report had it: the VM, its snapshot and its clones on a remote host over SSH.
  beforeAll(async () => {
    hosts = await startSshHosts(1, { images: [WINDOCK_IMAGE] });
    const host = hosts.hosts[0]!;
    docker = new Dockerode({ socketPath: host.socketPath });
    const base = standinVmArgs({ name, host: host.name, readiness: 'agent' });
    const clone = standinCloneArgs({ host: host.name, readiness: 'agent' });
    config = (vm) => ({ 'windock:hosts': [host.config], vm: { ...base, ...vm }, clone, clones: 2 });
  });

  afterAll(async () => {
    if (config) rig.run('destroy', config({}));
    await hosts?.stopAll();
    rig.dispose();
  });

  it('a new stack: the preview creates what the up creates', () => {
    const { previewed, applied } = previewThenUp({});
    expect(previewed).toEqual(applied);
    expect(Object.keys(applied).sort()).toEqual(['clone-1', 'clone-2', 'ready', 'source']);
  });

  it.each([
    ['none (state only)', { labels: { team: 'qa' } }],
    ['live', { labels: { team: 'qa' }, autostart: false }],
  ])('tier %s: only the source VM is updated, in the preview as in the up', async (_tier, vm) => {
    const before = await containerIds();
    const { previewed, applied } = previewThenUp(vm);
    expect(previewed).toEqual(applied);
    expect(applied).toEqual({ source: ['update'] });
    expect(await containerIds()).toEqual(before);
  });

  it('restoreFrom: restored in place, the snapshot and the clones untouched, and the preview says so', async () => {
    const before = await containerIds();
    const vm = { labels: { team: 'qa' }, autostart: false, restoreFrom: { snapshot: 'ready' } };
    const { preview, previewed, applied } = previewThenUp(vm);
    expect(previewed).toEqual(applied);
    expect(applied).toEqual({ source: ['update'] });
    const impact = changeImpactOf(preview, 'source');
    expect(impact).toMatch(/^restore: .*restored in place/);
    expect(impact).not.toMatch(/a new container on the same disks/);
    // In place, as the preview said: the same containers, source and clones.
    expect(await containerIds()).toEqual(before);
  });

  it('restart: only the source VM is updated, in the preview as in the up', async () => {
    const [, ...clonesBefore] = await containerIds();
    const vm = { labels: { team: 'qa' }, autostart: false, restoreFrom: { snapshot: 'ready' }, cpu: 2 };
    const { preview, previewed, applied } = previewThenUp(vm);
    expect(previewed).toEqual(applied);
    expect(applied).toEqual({ source: ['update'] });
    expect(changeImpactOf(preview, 'source')).toMatch(/^restart: cpu 1 → 2 \(graceful power-down/);
    // The source got a new container on the same disks; the clones were not touched.
    expect((await containerIds()).slice(1)).toEqual(clonesBefore);
  });

  it('replace: the snapshot goes with the replaced VM, the clones (over their frozen base) stay', async () => {
    const vm = {
      labels: { team: 'qa' },
      autostart: false,
      cpu: 2,
      media: { ...(standinVmArgs().media as object), cmdline: 'console=ttyS0 quiet loglevel=4' },
    };
    const [, ...clonesBefore] = await containerIds();
    const { previewed, applied } = previewThenUp(vm);
    expect(previewed).toEqual(applied);
    expect(Object.keys(applied).sort()).toEqual(['ready', 'source']);
    expect((await containerIds()).slice(1)).toEqual(clonesBefore);
  });
});
