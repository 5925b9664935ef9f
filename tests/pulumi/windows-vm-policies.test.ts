import { join } from 'node:path';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinMedia, standinVmArgs } from '../rig/standin-guest';

/**
 * The rules around changes, through the real engine: preflight failures at preview, restart
 * policies, a half-made VM kept in state, and adoption of a retained volume.
 */
describe('WindowsVm policies through the real engine', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-pol');
  const rig = new PulumiRig('policies', 'test', join(__dirname, 'programs', 'one-vm.js'));
  const media = standinMedia();
  const base = standinVmArgs({ name });
  const config = (vm: Record<string, unknown>) => ({ vm: { ...base, ...vm } });
  const container = () => docker.getContainer(`windock-${name}`);

  afterAll(async () => {
    rig.run('destroy', config({}));
    await cleanup.run();
    rig.dispose();
  });
  cleanup.add(() => container().remove({ force: true }));

  it('fails the preview for what the host cannot do, naming the field and the fix', () => {
    const tooBig = rig.run('preview', config({ cpu: 200 }));
    expect(tooBig.status).not.toBe(0);
    expect(tooBig.output).toMatch(/cpu: 200 vCPUs asked, host "local" has \d+: lower cpu/);
    const noImage = rig.run('preview', config({ image: 'windock/vm:does-not-exist' }));
    expect(noImage.output).toMatch(/image: "windock\/vm:does-not-exist" is not on host "local"/);
    const noFile = rig.run('preview', config({ media: { ...media, kernelFile: '/nonexistent/vmlinuz' } }));
    expect(noFile.output).toMatch(/media.kernelFile: \/nonexistent\/vmlinuz does not exist/);
    const badHost = rig.run('preview', config({ host: 'nowhere' }));
    expect(badHost.output).toMatch(
      /host "nowhere" is not configured: add it to the windock:hosts stack config/,
    );
    // Nothing was made by any of these.
    return expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses a restart-tier change at preview under restartPolicy "refuse"', () => {
    rig.ok('up', config({ restartPolicy: 'refuse' }));
    const refused = rig.run('preview', config({ restartPolicy: 'refuse', cpu: 2 }));
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/cpu: this change needs a restart of VM .*restartPolicy is "refuse"/);
    // A none-tier change goes through.
    rig.ok('up', config({ restartPolicy: 'refuse', labels: { team: 'qa' } }));
  });

  it('records a restart-tier change as pending, and applies it when the policy allows', async () => {
    const before = (await container().inspect()).Id;
    rig.ok('up', config({ restartPolicy: 'pending', cpu: 2 }));
    expect((await container().inspect()).Id).toBe(before);
    expect(rig.stateText()).toMatch(/"restartPending":\s*true/);
    const apply = rig.ok('preview', config({ restartPolicy: 'apply', cpu: 2 }));
    expect(resourceSteps(apply)[0]?.op).toBe('update');
    rig.ok('up', config({ restartPolicy: 'apply', cpu: 2 }));
    expect((await container().inspect()).Id).not.toBe(before);
    expect(rig.stateText()).toMatch(/"restartPending":\s*false/);
  });

  it('keeps its volume when asked, and a new VM adopts it', async () => {
    rig.ok('up', config({ cpu: 2, retainStorageOnDelete: true }));
    const volume = (await container().inspect()).Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(volume).remove());
    rig.ok('destroy', config({ cpu: 2, retainStorageOnDelete: true }));
    await expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
    await docker.getVolume(volume).inspect();
    rig.ok('up', config({ cpu: 2, adopt: { volume } }));
    const adopted = await container().inspect();
    expect(adopted.Mounts.find((m) => m.Destination === '/storage')!.Name).toBe(volume);
  });

  it('keeps a VM that never got ready in state, with the reason', async () => {
    rig.ok('destroy', config({}));
    // A readiness the guest cannot reach: with a shell as its init, no guest agent ever starts.
    const run = rig.run(
      'up',
      config({
        guestAgent: true,
        readiness: 'agent',
        media: { ...media, cmdline: 'console=ttyS0 rdinit=/bin/sh' },
        timeouts: { createSeconds: 15, shutdownSeconds: 10 },
      }),
    );
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/did not reach readiness "agent" within 15 s/);
    expect(rig.stateText()).toContain(`windock-${name}`);
    expect((await container().inspect()).State.Running).toBe(true);
  });
});
