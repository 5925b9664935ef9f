// The answer file's target disk comes from a model of Windows Setup's disk order read off the
// QEMU command line (lib/unattend/setup-disk-order.ts). Windows cannot boot here, so this
// checks the model's inputs against QEMU itself: the install's storage devices from the image's
// real argv builder, started under TCG (stopped, -S), are the hard disks the model counts, the
// answer stick hangs off the xHCI controller, and QEMU gives the controllers their PCI slots in
// command-line order (what "controller order" in the model rests on).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qemuArgv } from '../../image/supervisor/qemu/argv';
import { DEBIAN_FIRMWARE } from '../../image/supervisor/qemu/host-facts';
import { setupTargetDisk } from '../../image/supervisor/qemu/install';
import { QmpClient } from '../../lib/qmp';
import { diskPath, type VmSpec } from '../../contract';
import { sampleSpec } from '../../contract/sample-spec';
import { setupDiskOrder } from '../../lib/unattend/setup-disk-order';
import { createQcow2, makeTempDir } from '../qmp/qemu-process';
import { connectWhenReady } from '../qmp/retry-connect';

const STORAGE_DEVICES = /^(virtio-blk-pci|qemu-xhci|ahci|ide-cd|usb-storage),/;

/** The storage part of a command line: iothreads, the disk/controller devices and their block nodes. */
function storageArgs(argv: string[]): string[] {
  const pairs = argv.flatMap((flag, i) => (flag.startsWith('-') ? [[flag, argv[i + 1] ?? '']] : []));
  const devices = pairs.filter(([flag, value]) => flag === '-device' && STORAGE_DEVICES.test(value!));
  const drives = devices.flatMap(([, value]) => /drive=([^,]+)/.exec(value!)?.slice(1) ?? []);
  const node = (value: string): string => /node-name=([^,]+)/.exec(value)?.[1] ?? '';
  const keep = pairs.filter(
    ([flag, value]) =>
      (flag === '-object' && value!.startsWith('iothread,')) ||
      (flag === '-blockdev' && drives.some((d) => node(value!) === d || node(value!) === `${d}-file`)) ||
      devices.some(([, device]) => device === value),
  );
  return keep.flat() as string[];
}

interface PciDevice {
  slot: number;
  qdev_id: string;
  pci_bridge?: { devices: PciDevice[] };
}

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let qemu: ReturnType<typeof spawn> | undefined;
let qmp: QmpClient;
let argv: string[];
let spec: VmSpec;

beforeAll(async () => {
  tmp = await makeTempDir('wdk-disk-order-');
  const file = (name: string): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, Buffer.alloc(1024 * 1024));
    return path;
  };
  spec = sampleSpec({
    boot: { kind: 'disk' },
    install: {
      windows: { version: '11', edition: 'pro' },
      media: { source: { kind: 'host-file', path: '/media/host/w.iso' }, cacheKey: 'w' },
      drivers: { source: { kind: 'host-file', path: '/media/host/v.iso' }, cacheKey: 'v' },
      fetchedBy: 'provider',
    },
  });
  const drives = { media: file('win.iso'), drivers: file('virtio.iso'), answer: file('answer.img') };
  argv = qemuArgv(spec, { accelerator: 'tcg', firmwareFiles: DEBIAN_FIRMWARE }, drives);
  const system = join(tmp.dir, 'system.qcow2');
  await createQcow2(system);
  const storage = storageArgs(argv).map((arg) => arg.replace(diskPath('system', 'qcow2'), system));
  const socket = join(tmp.dir, 'qmp.sock');
  qemu = spawn(
    'qemu-system-x86_64',
    [
      ...['-accel', 'tcg', '-machine', 'q35', '-m', '64', '-nodefaults', '-display', 'none', '-S'],
      ...['-qmp', `unix:${socket},server=on,wait=off`],
      ...storage,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  qmp = await QmpClient.connect(await connectWhenReady(socket), { timeoutMs: 10_000 });
});

afterAll(async () => {
  await qmp?.close();
  if (qemu && qemu.exitCode === null) {
    const exited = new Promise((resolve) => qemu!.once('exit', resolve));
    qemu.kill('SIGKILL');
    await exited;
  }
  await tmp.remove();
});

test('QEMU has exactly the hard disks the model numbers: the answer stick (inbox) and the virtio system disk', async () => {
  const model = setupDiskOrder(argv);
  expect(model.map((d) => [d.id, d.driver])).toEqual([
    ['answer-drive', 'inbox'],
    ['disk-system-dev', 'virtio'],
  ]);
  expect(setupTargetDisk(spec, argv)).toBe(1);
  // Every device QEMU made, by type (qom-list of /machine/peripheral: "child<usb-storage>").
  const children = await qmp.execute<Array<{ name: string; type: string }>>('qom-list', {
    path: '/machine/peripheral',
  });
  const typeOf = Object.fromEntries(children.map((c) => [c.name, c.type.replace(/^child<(.*)>$/, '$1')]));
  expect(typeOf).toMatchObject({ 'install-cd': 'ide-cd', 'drivers-cd': 'ide-cd' });
  const hardDisks = Object.keys(typeOf).filter((name) =>
    ['usb-storage', 'virtio-blk-pci'].includes(typeOf[name]!),
  );
  expect(hardDisks.sort()).toEqual(model.map((d) => d.id).sort());
  expect(Object.values(typeOf).filter((t) => /-(hd|blk|storage)|nvme|scsi/.test(t))).toHaveLength(2);
});

test('the answer stick sits on the xHCI controller; controllers get PCI slots in command-line order', async () => {
  const bus = await qmp.execute<string>('qom-get', {
    path: '/machine/peripheral/answer-drive',
    property: 'parent_bus',
  });
  expect(bus).toMatch(/\/machine\/peripheral\/usb0\//);
  const [pci] = await qmp.execute<Array<{ devices: PciDevice[] }>>('query-pci');
  const slot = (id: string): number => pci!.devices.find((d) => d.qdev_id === id)!.slot;
  const argvOrder = ['disk-system-dev', 'usb0', 'ahci-install'].sort(
    (a, b) => argv.findIndex((x) => x.includes(`id=${a}`)) - argv.findIndex((x) => x.includes(`id=${b}`)),
  );
  expect([...argvOrder].sort((a, b) => slot(a) - slot(b))).toEqual(argvOrder);
});
