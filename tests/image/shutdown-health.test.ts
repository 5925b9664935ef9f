// Shutdown and health: the status document walks to `running` with the guest agent and the
// beacon seen, Docker's HEALTHCHECK says healthy, `docker stop` becomes an ACPI power-down
// (exit 0), and a guest that ignores the power button is told to quit after the spec's
// deadline (exit 75) by the supervisor itself, well before Docker's own stop timeout.
import { containerCreateOptions } from '../../provider/docker/container-spec';
import { STANDIN_POWEROFF } from '../rig/standin-guest';
import { ImageRig, type TestVm } from './harness';

const rig = new ImageRig('pwr');
afterAll(() => rig.dispose());

async function waitHealthy(vm: TestVm, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await vm.inspect()).State.Health?.Status ?? 'none';
    if (seen[seen.length - 1] !== health) seen.push(health);
    if (health === 'healthy') return seen;
    if (Date.now() > deadline) throw new Error(`not healthy within ${timeoutMs} ms: ${seen.join(' → ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('status, health and shutdown', () => {
  it('reports running, tcg, agent and beacon; turns healthy; docker stop powers the guest off (exit 0)', async () => {
    const vm = await rig.createVm();
    const phases = new Set<string>();
    await vm.start();
    // Sample the phases while it comes up (preparing and booting are short).
    const sampling = (async () => {
      for (let i = 0; i < 120; i++) {
        const status = await vm.status().catch(() => undefined);
        if (status) phases.add(status.phase);
        if (status?.guest.beacon) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await vm.waitReady();
    const status = await vm.waitForStatus('agent and beacon', (s) => s.guest.agent && s.guest.beacon, 60_000);
    await sampling;
    expect(status).toMatchObject({
      phase: 'running',
      accelerator: 'tcg',
      warnings: [],
      guest: { agent: true, beacon: true },
    });
    expect(status.qemuPid).toEqual(expect.any(Number));
    expect(phases).toContain('running');
    expect(await vm.logs()).toContain('guest beacon: desktop ready');

    expect(await waitHealthy(vm, 60_000)).toContain('healthy');
    expect((await vm.exec(['windock-supervisor', 'health'])).exitCode).toBe(0);

    const started = Date.now();
    await vm.container.stop();
    const state = (await vm.inspect()).State;
    expect(state.ExitCode).toBe(0);
    expect(state.OOMKilled).toBe(false);
    const log = await vm.logs();
    expect(log).toContain(STANDIN_POWEROFF);
    expect(log).toMatch(/guest powered off after \d+ ACPI power-button press\(es\)/);
    expect(log).toContain('VM powered off');
    expect(Date.now() - started).toBeLessThan(vm.spec.power.shutdownTimeoutSeconds * 1000);
  });

  it('a guest that powers itself off ends the container with exit 0', async () => {
    const vm = await rig.createVm();
    await vm.start();
    await vm.waitReady();
    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
    await (await vm.agent()).shutdown('powerdown');
    expect(await vm.waitExit(60_000)).toBe(0);
    const log = await vm.logs();
    expect(log).toContain(STANDIN_POWEROFF);
    expect(log).toContain('VM powered off');
  });

  it('docker stop while storage is being prepared ends the container at once (exit 0), not at the stop timeout', async () => {
    const vm = await rig.createVm({
      spec: {
        disks: [
          {
            name: 'system',
            sizeMiB: 64,
            format: 'qcow2',
            source: { kind: 'import', path: '/storage/import/stuck.raw', format: 'raw' },
            readOnly: false,
          },
        ],
        power: { shutdownTimeoutSeconds: 10, powerdownIntervalSeconds: 2 },
      },
    });
    // A FIFO nobody writes to: the import (qemu-img convert) blocks in "preparing".
    expect((await rig.onVolume(vm.volumeName, ['mkfifo', '/storage/import/stuck.raw'])).exitCode).toBe(0);
    await vm.start();
    await vm.waitForStatus('preparing', (s) => s.phase === 'preparing', 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await vm.status())?.phase).toBe('preparing');

    const started = Date.now();
    await vm.container.stop();
    const took = (Date.now() - started) / 1000;
    const state = (await vm.inspect()).State;
    expect(state.ExitCode).toBe(0);
    expect(await vm.logs()).toContain('SIGTERM before QEMU started: stopping');
    expect(took).toBeLessThan(5);
    // The unfinished import never took the disk's name.
    const disks = await rig.onVolume(vm.volumeName, ['ls', '/storage/disks']);
    expect(disks.stdout.split('\n')).not.toContain('system.qcow2');
  });

  it('quits a guest that ignores the power button after shutdownTimeoutSeconds (exit 75), before Docker would kill it', async () => {
    const vm = await rig.createVm({
      spec: { power: { shutdownTimeoutSeconds: 6, powerdownIntervalSeconds: 2 } },
    });
    const stopTimeout = (await vm.inspect()).Config as { StopTimeout?: number };
    expect(stopTimeout.StopTimeout).toBe(containerCreateOptions(vm.spec, vm.placement).StopTimeout);
    expect(stopTimeout.StopTimeout).toBeGreaterThan(6);
    await vm.start();
    await vm.waitReady();
    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);

    // The guest stops listening to its ACPI power button.
    const agent = await vm.agent();
    await vm.guestRun(agent, '/bin/sh', ['-c', 'killall acpid']);
    const { stdout } = await vm.guestRun(agent, '/bin/sh', ['-c', 'pidof acpid || echo none']);
    expect(stdout.trim()).toBe('none');
    agent.close();

    const started = Date.now();
    await vm.container.stop(); // Docker waits up to the container's StopTimeout (21 s)
    const took = (Date.now() - started) / 1000;
    const state = (await vm.inspect()).State;
    const log = await vm.logs();
    expect(state.ExitCode).toBe(75); // the supervisor's code: Docker's SIGKILL would read 137
    expect(state.OOMKilled).toBe(false);
    expect(log).toContain('guest did not power off within 6 s: telling QEMU to quit');
    expect(log).toContain('VM stopped by force after the deadline');
    expect(log).not.toContain(STANDIN_POWEROFF);
    expect(took).toBeGreaterThanOrEqual(5.5);
    expect(took).toBeLessThan(stopTimeout.StopTimeout!);
  });
});
