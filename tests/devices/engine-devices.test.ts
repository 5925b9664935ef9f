// Audio, recording and USB inputs of a WindowsVm through the real Pulumi engine (file backend)
// on the local Docker engine, with the stand-in guest under TCG: the live tier of `recording`
// (no restart), the `windock record` CLI as built in dist/, and what preview refuses. This
// host has no USB bus (no /sys/bus/usb), so the USB preflight's helper container finds none.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActiveRecording, FinishedRecording, RecordingFile } from '../../contract/control';
import { execOutput } from '../../provider/docker/exec-output';
import { connectVmQmp } from '../../provider/vm/qmp-exec';
import { listRecordings, recordingStatus } from '../../provider/vm/recording';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { guestSh } from '../rig/guest-shell';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';
import { FFPROBE, parseProbe } from './probe';

const CLI = resolve(__dirname, '..', '..', 'dist', 'provider', 'cli', 'main.js');

describe('audio, recording and USB inputs through the real engine', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-f3b');
  const containerName = `windock-${name}`;
  const rig = new PulumiRig('devices', 'test', join(__dirname, '..', 'pulumi', 'programs', 'one-vm.js'));
  const base = standinVmArgs({ name, readiness: 'agent', audio: { microphone: true, capture: 'wav' } });
  const config = (vm: Record<string, unknown>) => ({ vm: { ...base, ...vm } });
  const recordingOn = { recording: { onStart: true } };
  const recordingOff = { recording: { onStart: false } };
  const container = () => docker.getContainer(containerName);
  const ref = { docker, container: containerName };

  const inContainer = async (cmd: string[]) => {
    const result = await execOutput(docker, containerName, cmd);
    if (result.exitCode !== 0) throw new Error(`${cmd.join(' ')} failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  /** QEMU's process id and how many clock ticks after boot it started (changes on any restart). */
  const qemuProcess = async () => {
    const pid = await inContainer(['pgrep', '-o', '-f', 'qemu-system-x86_64']);
    const stat = await inContainer(['cat', `/proc/${pid}/stat`]);
    return `${pid} started at ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  };
  const guestUptime = async () =>
    Number((await guestSh(docker, containerName, 'cut -d. -f1 /proc/uptime')).trim());
  /** ffprobe in the VM's container: codec, size and the number of frames it decodes. */
  const probe = async (file: string) => parseProbe(await inContainer([...FFPROBE, file]));
  /** The windock CLI as a user runs it (the built dist/), answering JSON. */
  const windock = (...args: string[]) => {
    const run = spawnSync('node', [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`windock ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout) as unknown;
  };

  afterAll(async () => {
    rig.run('destroy', config(recordingOff));
    await cleanup.run();
    rig.dispose();
  });
  cleanup.add(() => container().remove({ force: true }));

  let volumeName = '';
  let bootFile = '';
  let bootName = '';

  it('creates the VM with a sound card (HDA, duplex) and a recording running from boot', async () => {
    const run = rig.ok('up', config(recordingOn));
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create']);
    const info = await container().inspect();
    volumeName = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(volumeName).remove());

    const qmp = await connectVmQmp(docker, containerName);
    const peripherals = await qmp
      .execute<Array<{ name: string; type: string }>>('qom-list', { path: '/machine/peripheral' })
      .finally(() => qmp.close());
    expect(peripherals.map((p) => `${p.name} ${p.type}`)).toEqual(
      expect.arrayContaining(['sound0 child<ich9-intel-hda>', 'sound0-codec0 child<hda-duplex>']),
    );
    const active = await recordingStatus(ref);
    expect(active).toMatchObject({ format: 'webm', framesPerSecond: 2 });
    expect(active!.frames).toBeGreaterThan(0);
    bootFile = active!.file;
    bootName = active!.name;
    expect(await inContainer(['ls', '/storage/recordings'])).toMatch(/^audio\.wav$/m);
  });

  it('turns onStart off live: the recording stops and is finalized, the VM keeps running', async () => {
    const preview = rig.ok('preview', config(recordingOff));
    const [step] = resourceSteps(preview);
    expect(step?.op).toBe('update');
    expect(step?.new?.inputs?.changeImpact).toMatch(/^live: recording/);

    const before = {
      id: (await container().inspect()).Id,
      qemu: await qemuProcess(),
      uptime: await guestUptime(),
    };
    rig.ok('up', config(recordingOff));
    expect((await container().inspect()).Id).toBe(before.id);
    expect(await qemuProcess()).toBe(before.qemu);
    expect(await guestUptime()).toBeGreaterThanOrEqual(before.uptime);
    expect(await guestSh(docker, containerName, 'cat /mnt/disk/boot-count')).toBe('1');

    expect(await recordingStatus(ref)).toBeNull();
    // The recording from boot is finalized: every file of it (one per screen size) decodes.
    const boot = (await listRecordings(ref)).filter((f) => f.recording === bootName);
    expect(boot.map((f) => `${f.segment} ${f.file}`)[0]).toBe(`1 ${bootFile}`);
    expect(boot.length).toBeGreaterThanOrEqual(2);
    for (const file of boot) {
      expect(file.partial).toBe(false);
      const video = await probe(file.file);
      expect(video.codec).toBe('vp8');
      expect(video.frames).toBeGreaterThanOrEqual(1);
    }
    // The state keeps the new setting: the next preview has nothing to do.
    const again = rig.ok('preview', config(recordingOff));
    expect(resourceSteps(again)[0]?.op).toBe('same');
  });

  it('starts and stops a recording with the windock CLI (dist/), and lists its file', async () => {
    const started = windock(
      'record',
      'start',
      '--name',
      'cli-evidence',
      '--fps',
      '3',
      name,
    ) as ActiveRecording;
    expect(started).toMatchObject({
      name: 'cli-evidence',
      file: '/storage/recordings/cli-evidence.webm',
      framesPerSecond: 3,
    });
    expect(windock('record', 'status', name)).toMatchObject({ name: 'cli-evidence' });
    await sleep(3000);
    const stopped = windock('record', 'stop', name) as FinishedRecording;
    expect(stopped.file).toBe('/storage/recordings/cli-evidence.webm');
    expect(windock('record', 'status', name)).toBeNull();
    const video = await probe(stopped.file);
    expect(video).toMatchObject({ codec: 'vp8', width: stopped.width, height: stopped.height });
    expect(video.frames).toBeGreaterThanOrEqual(6);
    const listed = (windock('record', 'list', name) as RecordingFile[]).map((f) => `${f.file} ${f.partial}`);
    expect(listed).toEqual(
      expect.arrayContaining(['/storage/recordings/cli-evidence.webm false', `${bootFile} false`]),
    );
  });

  it('refuses USB passthrough at preview on a host without a USB bus, naming the field and the fix', async () => {
    const run = rig.run('preview', config({ ...recordingOff, usb: ['046d:c52b'] }));
    expect(run.status).not.toBe(0);
    // The helper container listed the host's sysfs and found no USB bus there.
    expect(run.output).toContain(
      'usb: host "local" has no USB bus (no /sys/bus/usb): USB passthrough cannot work there; remove the usb devices or run the VM on a host with USB',
    );
    const helpers = await docker.listContainers({ all: true });
    expect(helpers.filter((c) => c.Command.includes('/sys/bus/usb/devices'))).toEqual([]);
  });

  it.each([
    [
      { recording: { onStart: false, framesPerSecond: 0 } },
      'recording.framesPerSecond: give at least 1 frame per second (1 to 30)',
    ],
    [
      { recording: { onStart: false, format: 'avi' } },
      'recording.format: choose "webm" (VP8) or "mp4" (H.264)',
    ],
    [
      { ...recordingOff, usb: ['zzzz'] },
      'usb.0: give a USB device as vendor:product ("046d:c52b", from lsusb) or bus-port ("1-1.4", from /sys/bus/usb/devices)',
    ],
  ])('refuses bad inputs at preview, naming the field: %j', (vm, message) => {
    const run = rig.run('preview', config(vm));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(message);
  });

  it('destroys the VM and leaves no container or volume behind', async () => {
    rig.ok('destroy', config(recordingOff));
    await expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(volumeName).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const left = await docker.listContainers({ all: true, filters: { name: [name] } });
    expect(left.map((c) => c.Names)).toEqual([]);
  });
});
