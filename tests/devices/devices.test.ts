// USB passthrough, audio and screen recording on the stand-in guest, in a container made with
// the provider's options. There is no USB hardware here: the host's USB devices are stand-ins
// (a sysfs tree with two devices, and their usbfs nodes made with mknod in a temporary folder);
// the provider's helper container finds the named device's node there, and only that node is
// passed into the container. QEMU's libusb sees no real device, so the usb-host devices stay
// unplugged and the test proves QEMU has them and runs anyway. Recordings go through the
// supervisor's control channel (`docker exec windock-supervisor control`, and
// provider/vm/recording.ts) and are decoded with ffprobe inside the image.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerPlacement } from '../../provider/docker/container-spec';
import type { UsbDeviceNode } from '../../provider/docker/usb-container';
import { usbNodesOnHost } from '../../provider/resources/windows-vm/usb-nodes';
import type { QmpClient } from '../../lib/qmp/qmp-client';
import type { VmSpec } from '../../contract';
import type { ActiveRecording, FinishedRecording, RecordingFile } from '../../contract/control';
import {
  listRecordings,
  recordingStatus,
  startRecording,
  stopRecording,
  type RecordingVmRef,
} from '../../provider/vm/recording';
import { ImageRig, type TestVm, type VmOptions } from '../image/harness';
import { Results } from '../reliability/results';
import { WINDOCK_IMAGE } from '../rig/docker';
import { FFPROBE, parseProbe, type Probe } from './probe';

/** An ImageRig whose VMs get the USB nodes found among the stand-in host devices. */
class UsbRig extends ImageRig {
  nodes: UsbDeviceNode[] = [];

  override placement(name: string, volumeName: string, options: VmOptions, spec: VmSpec): ContainerPlacement {
    return { ...super.placement(name, volumeName, options, spec), usbDevices: this.nodes };
  }
}

/**
 * Stand-in USB devices of a host: a sysfs tree and their usbfs nodes (usb_device major 189,
 * minor (bus-1)*128 + dev-1, as the kernel numbers them). 1-1.4 (046d:c52b, 001/004) is the
 * one the spec names; 1-1.2 (1234:5678, 001/005) is another device on the host.
 */
function standInUsbHost(root: string): { sysfs: string; usbfs: string } {
  const devices = [
    { port: '1-1.4', vendor: '046d', product: 'c52b', bus: 1, dev: 4 },
    { port: '1-1.2', vendor: '1234', product: '5678', bus: 1, dev: 5 },
  ];
  for (const d of devices) {
    const dir = join(root, 'sys', 'bus', 'usb', 'devices', d.port);
    mkdirSync(dir, { recursive: true });
    const attributes = { idVendor: d.vendor, idProduct: d.product, busnum: d.bus, devnum: d.dev };
    for (const [file, value] of Object.entries(attributes)) writeFileSync(join(dir, file), `${value}\n`);
    const bus = join(root, 'usbfs', String(d.bus).padStart(3, '0'));
    mkdirSync(bus, { recursive: true });
    const minor = String((d.bus - 1) * 128 + d.dev - 1);
    execFileSync('mknod', [join(bus, String(d.dev).padStart(3, '0')), 'c', '189', minor]);
  }
  return { sysfs: join(root, 'sys'), usbfs: join(root, 'usbfs') };
}

const standIn = mkdtempSync(join(tmpdir(), 'f3-usb-stand-in-'));
const rig = new UsbRig('dev');
const results = new Results();
let vm: TestVm;
let ref: RecordingVmRef;
let usbfs: string;

const devices: Partial<VmSpec> = {
  usb: [
    { id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' } },
    { id: 'usbhost1', match: { kind: 'bus-port', bus: 1, port: '1.4' } },
  ],
  audio: { microphone: true, backend: 'wav' },
  recording: { onStart: true, framesPerSecond: 2, format: 'webm' },
};

async function probe(file: string): Promise<Probe> {
  const result = await vm.exec([...FFPROBE, file]);
  if (result.exitCode !== 0) throw new Error(`ffprobe ${file} failed: ${result.stderr}`);
  return parseProbe(result.stdout);
}

/** QEMU serves one client per monitor socket: the tests share one QMP connection. */
let qmpClient: Promise<QmpClient> | undefined;
const qmp = () => (qmpClient ??= vm.qmp());

/** The guest's screen size, from a screenshot QEMU writes (its PPM header). */
async function screenSize(): Promise<{ width: number; height: number }> {
  await (await qmp()).execute('screendump', { filename: '/run/windock/test-screen.ppm' });
  const { stdout } = await vm.exec(['head', '-c', '32', '/run/windock/test-screen.ppm']);
  const [, width, height] = /^P6\s+(\d+)\s+(\d+)/.exec(stdout)!;
  return { width: Number(width), height: Number(height) };
}

async function control(
  request: object,
): Promise<{ exitCode: number | null; answer: Record<string, unknown> }> {
  const result = await vm.exec(['windock-supervisor', 'control', JSON.stringify(request)]);
  return { exitCode: result.exitCode, answer: JSON.parse(result.stdout) as Record<string, unknown> };
}

beforeAll(async () => {
  const host = standInUsbHost(standIn);
  usbfs = host.usbfs;
  rig.nodes = await usbNodesOnHost(
    { docker: rig.docker, hostName: 'local', image: WINDOCK_IMAGE, sysfsRoot: host.sysfs },
    devices.usb!,
    host.usbfs,
  );
  vm = await rig.createVm({ spec: devices });
  ref = { docker: vm.docker, container: vm.container.id };
  await vm.start();
  await vm.waitReady();
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
  rmSync(standIn, { recursive: true, force: true });
});

describe('USB and audio devices (no USB hardware here: stand-in device nodes made with mknod)', () => {
  it("the container gets the named stand-in device's node only: no other USB device, no rule for major 189", async () => {
    const row = results.attackRow('USB device rule');
    const host = (await vm.inspect()).HostConfig;
    expect(host.Devices).toEqual([
      { PathOnHost: `${usbfs}/001/004`, PathInContainer: '/dev/bus/usb/001/004', CgroupPermissions: 'rw' },
    ]);
    expect(host.DeviceCgroupRules ?? []).toEqual([]);
    expect((host.Mounts ?? []).map((m) => m.Target)).not.toContain('/dev/bus/usb');
    expect(host.Privileged).toBe(false);
    expect(host.CapAdd ?? []).toEqual([]);
    // Inside: the one node, with its exact numbers (189 = 0xbd, minor 3).
    const inside = await vm.exec(['sh', '-c', "find /dev/bus/usb -type c -exec stat -c '%n %t:%T' {} +"]);
    expect(inside.stdout.trim()).toBe('/dev/bus/usb/001/004 bd:3');
    // The attacks of a process in the container on the host's other USB device (001/005): its
    // node is not there, and no node for it can be made.
    const other = await vm.exec(['sh', '-c', 'exec 3</dev/bus/usb/001/005 && echo opened']);
    row.attack(other.stdout.includes('opened') || !/No such file/.test(other.stderr));
    expect(other.stderr).toMatch(/No such file/);
    const made = await vm.exec(['sh', '-c', 'mknod /tmp/usb-other c 189 4 && echo made']);
    row.attack(made.stdout.includes('made'));
    expect(made.stdout).not.toContain('made');
    row.pass();
  });

  it('QEMU has the xHCI controller, both usb-host devices and the HDA sound card, and runs without the hardware', async () => {
    const monitor = await qmp();
    const peripherals = (
      await monitor.execute<Array<{ name: string; type: string }>>('qom-list', {
        path: '/machine/peripheral',
      })
    )
      .filter((p) => p.type.startsWith('child<'))
      .map((p) => `${p.name} ${p.type}`);
    expect(peripherals).toEqual(
      expect.arrayContaining([
        'usb-passthrough child<qemu-xhci>',
        'usbhost0 child<usb-host>',
        'usbhost1 child<usb-host>',
        'sound0 child<ich9-intel-hda>',
        'sound0-codec0 child<hda-duplex>',
      ]),
    );
    const usb = await monitor.execute<string>('human-monitor-command', { 'command-line': 'info usb' });
    expect(usb).toMatch(/ID: usbhost0/);
    expect(usb).toMatch(/ID: usbhost1/);
    expect(await monitor.execute('query-status')).toMatchObject({ running: true, status: 'running' });
    // The guest sees the sound card on its PCI bus (Intel 8086:293e, ICH9 HDA).
    const pci =
      await monitor.execute<Array<{ devices: Array<{ id: { device: number; vendor: number } }> }>>(
        'query-pci',
      );
    const ids = pci.flatMap((bus) =>
      bus.devices.map((d) => `${d.id.vendor.toString(16)}:${d.id.device.toString(16)}`),
    );
    expect(ids).toContain('8086:293e');
  });
});

describe('screen recording through the control channel', () => {
  it('records from boot (onStart) into one file per screen size, each decoding at its own size', async () => {
    const { answer } = await control({ command: 'record-status' });
    expect(answer).toMatchObject({ ok: true, active: { format: 'webm', framesPerSecond: 2 } });
    const active = answer.active as ActiveRecording;
    expect(active.frames).toBeGreaterThan(0);
    // The stand-in guest's screen changes size once during boot (the firmware's, then the
    // kernel's console): the recording went on in a second file at the new size.
    expect(active.segments.length).toBeGreaterThanOrEqual(2);
    const stop = await control({ command: 'record-stop' });
    expect(stop.exitCode).toBe(0);
    const stopped = stop.answer.stopped as FinishedRecording;
    expect(stopped.file).toBe(active.file);
    const files = stopped.segments.map((s) => s.file);
    expect(files.slice(0, 2)).toEqual([active.file, active.file.replace(/\.webm$/, '.part2.webm')]);
    for (const [i, segment] of stopped.segments.entries()) {
      const video = await probe(segment.file);
      expect(video).toMatchObject({ codec: 'vp8', width: segment.width, height: segment.height });
      expect(video.frames).toBe(segment.frames);
      if (i > 0) {
        const before = stopped.segments[i - 1]!;
        expect(`${segment.width}x${segment.height}`).not.toBe(`${before.width}x${before.height}`);
      }
    }
    const first = stopped.segments[0]!;
    const last = stopped.segments[stopped.segments.length - 1]!;
    // Not stuck at the firmware's size: the last file has the screen's size now.
    expect({ width: last.width, height: last.height }).toEqual(await screenSize());
    expect(`${last.width}x${last.height}`).not.toBe(`${first.width}x${first.height}`);
    expect(stopped.frames).toBe(stopped.segments.reduce((sum, s) => sum + s.frames, 0));
    // record-list gives the files of the recording together, in order.
    const name = active.name;
    const listed = (await control({ command: 'record-list' })).answer.files as RecordingFile[];
    expect(listed.filter((f) => f.recording === name).map((f) => `${f.segment} ${f.file}`)).toEqual(
      files.map((file, i) => `${i + 1} ${file}`),
    );
  });

  it('a recording started and stopped a few seconds later has several frames at the screen size', async () => {
    const start = await control({ command: 'record-start', name: 'evidence-1', framesPerSecond: 4 });
    expect(start).toMatchObject({
      exitCode: 0,
      answer: { ok: true, recording: { name: 'evidence-1', file: '/storage/recordings/evidence-1.webm' } },
    });
    const again = await control({ command: 'record-start' });
    expect(again.exitCode).toBe(1);
    expect(again.answer).toEqual({ ok: false, error: 'already recording "evidence-1": stop it first' });
    await sleep(4000);
    const stop = await control({ command: 'record-stop' });
    expect(stop.answer).toMatchObject({ ok: true, stopped: { file: '/storage/recordings/evidence-1.webm' } });
    const video = await probe('/storage/recordings/evidence-1.webm');
    expect(video).toMatchObject({ codec: 'vp8', ...(await screenSize()) });
    // About 4 s at 4 fps, in real time: frames repeat when a screenshot takes longer than a tick.
    expect(video.frames).toBeGreaterThanOrEqual(12);
  });

  it('mp4 (H.264) through the provider (provider/vm/recording.ts), and the list of files', async () => {
    const started = await startRecording(ref, { name: 'evidence-2', format: 'mp4', framesPerSecond: 2 });
    expect(started).toMatchObject({ file: '/storage/recordings/evidence-2.mp4', format: 'mp4' });
    expect(await recordingStatus(ref)).toMatchObject({ name: 'evidence-2' });
    await sleep(3000);
    const stopped = await stopRecording(ref);
    expect(stopped.file).toBe('/storage/recordings/evidence-2.mp4');
    expect(await recordingStatus(ref)).toBeNull();
    const video = await probe(stopped.file);
    expect(video).toMatchObject({ codec: 'h264', ...(await screenSize()) });
    expect(video.frames).toBeGreaterThanOrEqual(4);
    const files = (await listRecordings(ref)).map((f) => `${f.file} ${f.partial}`);
    expect(files).toEqual(
      expect.arrayContaining([
        '/storage/recordings/evidence-1.webm false',
        '/storage/recordings/evidence-2.mp4 false',
      ]),
    );
    await expect(stopRecording(ref)).rejects.toThrow('no recording is running');
    await expect(startRecording(ref, { name: 'evidence-1' })).rejects.toThrow(/already exists/);
  });

  it('a VM stopped while recording leaves a finalized file, and the WAV of its sound', async () => {
    await startRecording(ref, { name: 'until-shutdown' });
    await sleep(3000);
    await vm.container.stop({ t: 60 });
    expect(await vm.waitExit(60_000)).toBe(0);
    expect(await vm.logs()).toMatch(/recording "until-shutdown" saved/);
    const listing = await rig.onVolume(vm.volumeName, ['ls', '/storage/recordings']);
    expect(listing.stdout.split('\n')).toEqual(expect.arrayContaining(['until-shutdown.webm', 'audio.wav']));
    expect(listing.stdout).not.toMatch(/\.partial/);
    const probed = await rig.onVolume(vm.volumeName, [...FFPROBE, '/storage/recordings/until-shutdown.webm']);
    expect(probed.exitCode).toBe(0);
    expect(parseProbe(probed.stdout).frames).toBeGreaterThanOrEqual(4);
    // QEMU wrote the WAV header when it exited (hda-duplex output, captured by the wav backend).
    const wav = await rig.onVolume(vm.volumeName, ['head', '-c', '12', '/storage/recordings/audio.wav']);
    expect(wav.stdout).toMatch(/^RIFF....WAVE/s);
  });
});
