import { join } from 'node:path';
import {
  QmpClient,
  QmpConnectionError,
  QmpError,
  QmpJobError,
  QmpTimeoutError,
  SnapshotLoadError,
  connectUnix,
  listSnapshots,
  powerdown,
  queryStatus,
  quit,
  recoverAfterFailedLoad,
  snapshotDelete,
  snapshotLoad,
  snapshotSave,
  type QmpEvent,
} from '../../lib/qmp';
import { createQcow2, makeTempDir, startQemu, type QemuProcess } from './qemu-process';

jest.setTimeout(60_000);

let temp: { dir: string; remove(): Promise<void> };
const started: QemuProcess[] = [];
const clients: QmpClient[] = [];

beforeEach(async () => {
  temp = await makeTempDir('windock-qmp-');
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const qemu of started.splice(0)) await qemu.kill();
  await temp.remove();
});

async function boot(
  options: { disk?: string; memMb?: number } = {},
): Promise<{ qemu: QemuProcess; client: QmpClient }> {
  const qemu = startQemu({ dir: temp.dir, ...options });
  started.push(qemu);
  const client = await qemu.connect();
  clients.push(client);
  return { qemu, client };
}

describe('QmpClient against a real QEMU', () => {
  test('reads the greeting, negotiates, and answers queries', async () => {
    const { client } = await boot();
    expect(client.greeting.version.qemu.major).toBeGreaterThanOrEqual(7);
    expect(client.greeting.capabilities).toContain('oob');

    const status = await queryStatus(client);
    expect(status).toMatchObject({ status: 'prelaunch', running: false });

    const version = await client.execute<{ qemu: { major: number; minor: number } }>('query-version');
    expect(version.qemu).toEqual(client.greeting.version.qemu);
  });

  test('an unknown command fails with QmpError carrying class, desc and command', async () => {
    const { client } = await boot();
    const err = await client.execute('no-such-command').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect(err).toMatchObject({ errorClass: 'CommandNotFound', command: 'no-such-command' });
    expect((err as QmpError).desc).toContain('no-such-command');

    const badArgs = await client.execute('query-status', { bogus: 1 }).catch((e: unknown) => e);
    expect(badArgs).toMatchObject({ errorClass: 'GenericError', command: 'query-status' });
    // The connection is still fine afterwards.
    await expect(queryStatus(client)).resolves.toMatchObject({ running: false });
  });

  test('HMP output is returned, HMP errors become QmpError', async () => {
    const { client } = await boot();
    expect(await client.hmp('info status')).toContain('VM status: paused (prelaunch)');

    const unknown = await client.hmp('bogus-command').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(QmpError);
    expect(unknown).toMatchObject({ errorClass: 'HmpError' });
    expect((unknown as QmpError).desc).toMatch(/^unknown command: 'bogus-command'/);

    const failing = await client.hmp('device_del no-such-device').catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(QmpError);
    expect((failing as QmpError).desc).toMatch(/^Error: Device 'no-such-device' not found/);
  });

  test('STOP and RESUME events around stop/cont, with no race against the reply', async () => {
    const { client } = await boot();
    const all: QmpEvent[] = [];
    client.events.on('*', (e) => all.push(e));

    // Pattern 1: mark, execute, wait since the mark (RESUME arrives before cont's reply).
    const resumed = await client.executeAndWait('cont', undefined, 'RESUME', { timeoutMs: 5_000 });
    expect(resumed.event.event).toBe('RESUME');
    expect(await queryStatus(client)).toMatchObject({ status: 'running', running: true });

    // Pattern 2: the waiter promise exists before the command is sent.
    const stopped = client.waitForEvent('STOP', { timeoutMs: 5_000 });
    await client.execute('stop');
    expect((await stopped).event).toBe('STOP');
    expect(await queryStatus(client)).toMatchObject({ status: 'paused', running: false });

    // Pattern 3: an explicit marker.
    const since = client.events.mark();
    await client.execute('cont');
    const again = await client.waitForEvent('RESUME', { since, timeoutMs: 5_000 });
    expect(again.seq).toBeGreaterThan(since);

    expect(all.map((e) => e.event)).toEqual(['RESUME', 'STOP', 'RESUME']);
    expect(all[0]!.timestamp.seconds).toBeGreaterThan(0);
  });

  test('powerdown presses the power button (POWERDOWN event)', async () => {
    const { client } = await boot();
    const since = client.events.mark();
    await powerdown(client);
    await expect(client.waitForEvent('POWERDOWN', { since, timeoutMs: 5_000 })).resolves.toMatchObject({
      event: 'POWERDOWN',
    });
  });

  test('more than 8 concurrent commands: 8 on the wire, the rest queued, all answered', async () => {
    const { client } = await boot();
    const calls = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? client.execute<{ status: string }>('query-status')
        : client.execute<{ qemu: object }>('query-version'),
    );
    expect(client.inFlightCount).toBe(8);
    expect(client.queuedCount).toBe(22);
    const results = await Promise.all(calls);
    results.forEach((r, i) => expect(r).toHaveProperty(i % 2 === 0 ? 'status' : 'qemu'));
    expect(client.inFlightCount).toBe(0);
    expect(client.queuedCount).toBe(0);
  });

  test('a command that gets no reply times out; a late reply is dropped and the client goes on', async () => {
    const { qemu, client } = await boot();
    qemu.proc.kill('SIGSTOP');
    const err = await client.execute('query-status', undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    qemu.proc.kill('SIGCONT');
    const version = await client.execute<{ qemu: object }>('query-version', undefined, { timeoutMs: 5_000 });
    expect(version).toHaveProperty('qemu');
  });

  test('the socket closing rejects every pending call with QmpConnectionError', async () => {
    const { qemu, client } = await boot();
    qemu.proc.kill('SIGSTOP');
    const pending = Array.from({ length: 12 }, () => client.execute('query-status').catch((e: unknown) => e));
    const waiting = client.waitForEvent('RESUME', { timeoutMs: 30_000 }).catch((e: unknown) => e);
    qemu.proc.kill('SIGKILL');
    for (const err of await Promise.all(pending)) {
      expect(err).toBeInstanceOf(QmpConnectionError);
      expect((err as Error).message).toMatch(/query-status.*(closed|ECONNRESET)/);
    }
    expect(await waiting).toBeInstanceOf(QmpConnectionError);
    expect(await client.closed).toBeInstanceOf(QmpConnectionError);
    expect(client.isClosed).toBe(true);
    await expect(client.execute('query-status')).rejects.toBeInstanceOf(QmpConnectionError);
  });

  test('close() by the caller rejects pending calls', async () => {
    const { qemu, client } = await boot();
    qemu.proc.kill('SIGSTOP');
    const pending = client.execute('query-status');
    await client.close();
    await expect(pending).rejects.toThrow(/closed by caller/);
    qemu.proc.kill('SIGCONT');
  });

  test('QEMU serves one client per monitor: a second connection gets no greeting', async () => {
    const { qemu } = await boot();
    const second = await connectUnix(qemu.qmpSocket);
    const err = await QmpClient.connect(second, { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as Error).message).toMatch(/greeting/);
    expect(second.destroyed).toBe(true);
  });

  test('quit resolves although QEMU closes the socket, and the process exits', async () => {
    const { qemu, client } = await boot();
    await quit(client);
    expect(client.isClosed).toBe(true);
    expect(await qemu.exited).toBe(0);
  });
});

describe('snapshot jobs on a qcow2 disk (real QEMU)', () => {
  const target = (tag: string) => ({ tag, vmstateNode: 'disk0', deviceNodes: ['disk0'], timeoutMs: 30_000 });

  async function jobsLeft(client: QmpClient): Promise<unknown[]> {
    return client.execute<unknown[]>('query-jobs');
  }

  test('save, list, duplicate save, load, failed load with recovery, delete', async () => {
    const disk = join(temp.dir, 'disk0.qcow2');
    await createQcow2(disk);
    const { client } = await boot({ disk });
    await client.execute('cont');

    await snapshotSave(client, target('first'));
    const listed = await listSnapshots(client);
    expect(listed).toHaveLength(1); // disk0 only: its file node holds no snapshots
    expect(listed[0]).toMatchObject({ node: 'disk0', filename: disk });
    expect(listed[0]!.snapshots.map((s) => s.tag)).toEqual(['first']);
    expect(listed[0]!.snapshots[0]!.vmStateSize).toBeGreaterThan(0);
    expect(Math.abs(listed[0]!.snapshots[0]!.date.getTime() - Date.now())).toBeLessThan(60_000);

    const duplicate = await snapshotSave(client, target('first')).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(QmpJobError);
    expect((duplicate as QmpJobError).jobError).toMatch(/first/);
    expect(await jobsLeft(client)).toEqual([]);

    await snapshotLoad(client, target('first'));
    expect(await queryStatus(client)).toMatchObject({ running: true });

    const unknown = await snapshotLoad(client, target('no-such-tag')).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(SnapshotLoadError);
    const loadErr = unknown as SnapshotLoadError;
    expect(loadErr.jobError).toMatch(/no-such-tag/);
    expect(loadErr.wasRunning).toBe(true);
    expect(loadErr.statusAfter.status).toBeDefined();
    expect(await recoverAfterFailedLoad(client, loadErr)).toMatchObject({ status: 'running', running: true });
    expect(await jobsLeft(client)).toEqual([]);

    await snapshotSave(client, target('second'));
    await snapshotDelete(client, { tag: 'first', deviceNodes: ['disk0'] });
    await snapshotDelete(client, { tag: 'never-existed', deviceNodes: ['disk0'] });
    const after = await listSnapshots(client);
    expect(after[0]!.snapshots.map((s) => s.tag)).toEqual(['second']);
    expect(await jobsLeft(client)).toEqual([]);
  });

  test('a load that fails inside the vmstate leaves restore-vm; recovery resets and resumes', async () => {
    const disk = join(temp.dir, 'disk0.qcow2');
    await createQcow2(disk);
    const first = await boot({ disk, memMb: 64 });
    await snapshotSave(first.client, target('small-ram'));
    await quit(first.client);
    await first.qemu.exited;

    // The snapshot pins the RAM size: restoring it with another -m fails mid-load.
    const { client } = await boot({ disk, memMb: 128 });
    await client.execute('cont');
    const err = await snapshotLoad(client, target('small-ram')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapshotLoadError);
    const loadErr = err as SnapshotLoadError;
    expect(loadErr.wasRunning).toBe(true);
    expect(loadErr.statusAfter).toMatchObject({ status: 'restore-vm', running: false });
    expect(await queryStatus(client)).toMatchObject({ status: 'restore-vm' });

    const status = await recoverAfterFailedLoad(client, { wasRunning: loadErr.wasRunning, reset: true });
    expect(status).toMatchObject({ status: 'running', running: true });
    expect(await jobsLeft(client)).toEqual([]);
  });
});
