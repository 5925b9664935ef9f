import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readGuestActivity } from '../../provider/vm/guest-activity';
import { connectVmQmp } from '../../provider/vm/qmp-exec';
import { readVmStatus } from '../../provider/vm/status';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { PulumiRig } from '../rig/pulumi';
import { standinMedia, standinVmArgs } from '../rig/standin-guest';

/**
 * Issue 23: a guest that never becomes ready does not hang `pulumi up` in silence. The stand-in
 * guest never sends its beacon (`windock.nobeacon`), so create waits for readiness "beacon";
 * the waiting shows progress lines; then its kernel panics through the guest agent (sysrq "c"),
 * QEMU's pvpanic device reports GUEST_PANICKED, and the `up` fails at once naming the VM and
 * showing its console's last lines. Real engine, real container, real QEMU (TCG) and kernel.
 */
describe('a guest panic during create', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-panic');
  const containerName = `windock-${name}`;
  const rig = new PulumiRig('panicwait', 'test', join(__dirname, 'programs', 'one-vm.js'));
  const config = {
    vm: standinVmArgs({
      name,
      readiness: 'beacon',
      media: { ...standinMedia(), cmdline: 'console=ttyS0 quiet windock.nobeacon' },
      timeouts: { createSeconds: 900, shutdownSeconds: 10 },
    }),
  };

  beforeAll(() => {
    // Progress lines every 2 s instead of 30 s (read by the provider in the engine's plugin).
    process.env.WINDOCK_PROGRESS_INTERVAL_MS = '2000';
  });
  afterAll(async () => {
    delete process.env.WINDOCK_PROGRESS_INTERVAL_MS;
    rig.run('destroy', config);
    await cleanup.run();
    rig.dispose();
  });
  cleanup.add(() => docker.getContainer(containerName).remove({ force: true, v: false }));

  /** Resolves once the guest agent of the VM being created answers. */
  async function agentAnswers(deadline: number): Promise<void> {
    for (;;) {
      const result = await guestShell(docker, containerName, 'true', 5_000).catch(() => undefined);
      if (result?.exitCode === 0) return;
      if (Date.now() > deadline) throw new Error(`the guest agent of ${containerName} never answered`);
      await sleep(1000);
    }
  }

  it('shows progress while waiting, then fails within 60 s of the panic with the console lines', async () => {
    const up = rig.runAsync('up', config, 600_000);
    await agentAnswers(Date.now() + 240_000);
    await sleep(6_000); // a few progress lines while the create waits for a beacon that never comes
    // In the background, so guest-exec's reply leaves before the kernel dies.
    await guestShell(docker, containerName, '(sleep 1; echo c > /proc/sysrq-trigger) >/dev/null 2>&1 &');
    const panickedAt = Date.now();
    const run = await up;
    const failedAfterMs = Date.now() - panickedAt;

    expect(run.status).not.toBe(0);
    expect(failedAfterMs).toBeLessThan(60_000);
    expect(run.output).toMatch(
      new RegExp(`waiting for readiness "beacon", phase running, \\d+s elapsed; console: `),
    );
    expect(run.output).toContain(`VM "${name}": the VM failed at guest-panic: the guest panicked`);
    expect(run.output).toContain('Last lines of the guest console (serial port):');
    expect(run.output).toContain('Kernel panic - not syncing: sysrq triggered crash');

    // The panicked guest stays as it was, for inspection: paused, not powered off.
    const info = await docker.getContainer(containerName).inspect();
    cleanup.add(async () => {
      const volume = info.Mounts.find((m) => m.Destination === '/storage')?.Name;
      if (volume) await docker.getVolume(volume).remove();
    });
    expect(info.State.Running).toBe(true);
    const status = await readVmStatus(docker, containerName);
    expect(status?.phase).toBe('failed');
    expect(status?.panic?.action).toBe('pause');
    // What the stuck check samples, read from the real container: console size, tail, QEMU's CPU.
    const activity = await readGuestActivity(docker, containerName, status?.qemuPid);
    expect(activity.consoleBytes).toBeGreaterThan(1000);
    expect(activity.consoleTail.join('\n')).toContain('Kernel panic - not syncing');
    expect(activity.cpuSeconds).toBeGreaterThan(1);

    // A reset (system_reset, then cont) runs it again and clears the panic from the status.
    const qmp = await connectVmQmp(docker, containerName);
    try {
      await qmp.execute('system_reset');
      await qmp.execute('cont');
    } finally {
      await qmp.close();
    }
    const deadline = Date.now() + 20_000;
    while ((await readVmStatus(docker, containerName))?.phase !== 'running' && Date.now() < deadline)
      await sleep(500);
    const after = await readVmStatus(docker, containerName);
    expect(after?.phase).toBe('running');
    expect(after?.panic).toBeUndefined();
  });

  it('names the input that sets the limit when the wait times out', async () => {
    const slowName = uniqueName('wdk-slow');
    const slow = new PulumiRig('slowwait', 'test', join(__dirname, 'programs', 'one-vm.js'));
    const slowConfig = {
      vm: standinVmArgs({
        name: slowName,
        readiness: 'beacon',
        media: { ...standinMedia(), cmdline: 'console=ttyS0 quiet windock.nobeacon' },
        timeouts: { createSeconds: 20, shutdownSeconds: 10 },
      }),
    };
    try {
      const run = slow.run('up', slowConfig);
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(
        new RegExp(`VM "${slowName}": did not reach readiness "beacon" within 20 s \\(phase: \\w+\\)`),
      );
      expect(run.output).toContain(
        'The limit is the input timeouts.createSeconds (20 s): raise it, e.g. timeouts: { createSeconds: 40 }',
      );
    } finally {
      slow.run('destroy', slowConfig);
      await docker
        .getContainer(`windock-${slowName}`)
        .remove({ force: true })
        .catch(() => undefined);
      slow.dispose();
    }
  });
});
