// Linked clones against full copies, of one snapshot of a stand-in VM: time to create 1, 5
// and 20 (volume, disk, container; not started), the disk they add, and a few booted together.
import type Dockerode from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { createVmContainer } from '../../provider/docker/vm-container';
import { withMacs, type VmSpec } from '../../contract';
import {
  baseMount,
  cloneDisks,
  prepareCloneBase,
  removeCloneBase,
  type CloneBase,
} from '../../provider/vm/clone-base';
import { stopVmContainer } from '../../provider/vm/power';
import { takeSnapshot } from '../../provider/vm/snapshots';
import { mustRun, runHelper } from '../../provider/vm/volume-files';
import { localDocker, WINDOCK_IMAGE } from '../../tests/rig/docker';
import { summarize, timed } from '../stats';
import { createPlainVm, guestSh, removeVm, standinVmArgs, volumeBytes, waitGuestReady } from '../lib/vm';
import { guarded, type GroupContext } from './context';

const GROUP = 'clones';
const PAYLOAD_MIB = 40;

function mac(i: number): string {
  const b = randomBytes(2);
  return `52:54:00:${(i % 256).toString(16).padStart(2, '0')}:${b[0]!.toString(16).padStart(2, '0')}:${b[1]!.toString(16).padStart(2, '0')}`;
}

interface Made {
  container: string;
  volume: string;
}

/** A linked clone: its own volume with a qcow2 overlay over the frozen base, and its container. */
async function makeLinkedClone(docker: Dockerode, base: CloneBase, name: string, i: number): Promise<Made> {
  const source = base.sourceSpec;
  const spec: VmSpec = {
    ...source,
    name,
    identity: { uuid: randomUUID(), serial: `WDKB-CLONE-${i}` },
    disks: cloneDisks(base, source),
    boot:
      source.boot.kind === 'kernel'
        ? { ...source.boot, kernel: `${base.bootDir}/vmlinuz`, initrd: `${base.bootDir}/initrd.img` }
        : source.boot,
    network: withMacs(source.network, mac(i), { noPorts: true }),
  };
  const volume = `${name}-storage`;
  await docker.createVolume({ Name: volume, Labels: { 'io.windock.bench': 'clone' } });
  await mustRun(
    runHelper(
      docker,
      WINDOCK_IMAGE,
      [{ volume, target: '/storage' }, baseMount(base)],
      'mkdir -p /storage/disks && qemu-img create -q -f qcow2 -F qcow2 -b "$1" /storage/disks/system.qcow2',
      [base.disks.system!],
    ),
    'creating the overlay',
  );
  await createVmContainer(docker, {
    spec,
    placement: {
      containerName: name,
      image: WINDOCK_IMAGE,
      volumeName: volume,
      labels: { 'io.windock.bench': 'clone' },
      published: [],
      kvmDevice: false,
      restartPolicy: 'no',
      extraVolumes: [baseMount(base)],
    },
  });
  return { container: name, volume };
}

/** A full copy: its own volume with a copy of the snapshot's disk and the boot files. */
async function makeFullCopy(docker: Dockerode, base: CloneBase, name: string, i: number): Promise<Made> {
  const source = base.sourceSpec;
  const spec: VmSpec = {
    ...source,
    name,
    identity: { uuid: randomUUID(), serial: `WDKB-COPY-${i}` },
    network: withMacs(source.network, mac(i), { noPorts: true }),
  };
  const volume = `${name}-storage`;
  await docker.createVolume({ Name: volume, Labels: { 'io.windock.bench': 'copy' } });
  await mustRun(
    runHelper(
      docker,
      WINDOCK_IMAGE,
      [{ volume, target: '/storage' }, baseMount(base)],
      'mkdir -p /storage/disks && cp "$1" /storage/disks/system.qcow2 && chmod u+w /storage/disks/system.qcow2 && cp -r "$2" /storage/boot',
      [base.disks.system!, base.bootDir!],
    ),
    'copying the disk',
  );
  await createVmContainer(docker, {
    spec,
    placement: {
      containerName: name,
      image: WINDOCK_IMAGE,
      volumeName: volume,
      labels: { 'io.windock.bench': 'copy' },
      published: [],
      kvmDevice: false,
      restartPolicy: 'no',
    },
  });
  return { container: name, volume };
}

async function bootTogether(docker: Dockerode, made: Made[]): Promise<number> {
  const { ms } = await timed(async () => {
    await Promise.all(made.map((m) => docker.getContainer(m.container).start()));
    await Promise.all(made.map((m) => waitGuestReady(docker, m.container)));
  });
  return ms;
}

export async function runCloneGroup(ctx: GroupContext): Promise<void> {
  const docker = localDocker();
  const counts = ctx.opts.quick ? [1, 5] : [1, 5, 20];
  const sourceName = `wdkb-csrc-${randomBytes(3).toString('hex')}`;
  let source: Awaited<ReturnType<typeof createPlainVm>> | undefined;
  let base: CloneBase | undefined;
  ctx.onCleanup(() => removeVm(docker, `windock-${sourceName}`, source?.volumeName));
  ctx.onCleanup(async () => base && removeCloneBase(docker, base.volume).catch(() => undefined));

  await guarded(ctx, GROUP, 'clone base', 'ms', async () => {
    ctx.log('  clones: source VM, snapshot, frozen base');
    source = await createPlainVm(docker, standinVmArgs(sourceName));
    await docker.getContainer(source.containerName).start();
    await waitGuestReady(docker, source.containerName);
    const ref = { docker, container: source.containerName };
    // Data on the source's disk, so that a copy has something to copy (the stand-in's own is ~1 MiB).
    await guestSh(
      docker,
      source.containerName,
      `dd if=/dev/urandom of=/mnt/disk/payload bs=1M count=${PAYLOAD_MIB} 2>/dev/null; sync`,
    );
    await takeSnapshot(ref, { tag: 'golden', memory: true });
    const made = await timed(() => prepareCloneBase(ref, 'golden', { withMemory: false }));
    base = made.value;
    await stopVmContainer(docker, source.containerName, 30);
    const baseBytes = await volumeBytes(docker, base.volume);
    ctx.add({
      group: GROUP,
      name: 'clone base: freeze the snapshot (once per snapshot)',
      unit: 'ms',
      ours: summarize([made.ms]),
      note: `prepareCloneBase: the snapshot's disks copied out into a read-only base volume (${(baseBytes / 1024 ** 2).toFixed(1)} MiB with the boot files), shared by every clone. Paid once, not per clone.`,
    });
  });
  if (!base) return;
  const theBase = base;

  for (const n of counts) {
    const booted = n === 1 ? 1 : ctx.opts.quick ? 1 : n === 5 ? 2 : 3;
    const linked: Made[] = [];
    const copies: Made[] = [];
    const linkedEach: number[] = [];
    const copyEach: number[] = [];
    const tag = randomBytes(2).toString('hex');
    const removeAll = async () => {
      for (const m of [...linked, ...copies]) await removeVm(docker, m.container, m.volume);
    };
    ctx.onCleanup(removeAll);
    await guarded(ctx, GROUP, `${n} clones`, 'ms', async () => {
      ctx.log(`  clones: ${n} linked clones and ${n} full copies (create), boot ${booted} of each`);
      const linkedTotal = await timed(async () => {
        for (let i = 0; i < n; i++) {
          const one = await timed(() => makeLinkedClone(docker, theBase, `wdkb-lc${tag}-${i}`, i));
          linked.push(one.value);
          linkedEach.push(one.ms);
        }
      });
      const copyTotal = await timed(async () => {
        for (let i = 0; i < n; i++) {
          const one = await timed(() => makeFullCopy(docker, theBase, `wdkb-fc${tag}-${i}`, i));
          copies.push(one.value);
          copyEach.push(one.ms);
        }
      });
      const linkedBytes = (await Promise.all(linked.map((m) => volumeBytes(docker, m.volume)))).reduce(
        (a, b) => a + b,
        0,
      );
      const copyBytes = (await Promise.all(copies.map((m) => volumeBytes(docker, m.volume)))).reduce(
        (a, b) => a + b,
        0,
      );
      ctx.add({
        group: GROUP,
        name: `create ${n} linked clone${n > 1 ? 's' : ''} (not started)`,
        unit: 'ms',
        ours: summarize([linkedTotal.ms]),
        anchor: {
          label: `${n} full cop${n > 1 ? 'ies' : 'y'}`,
          value: summarize([copyTotal.ms]),
          kind: 'measured',
        },
        note:
          `Total for ${n}, one after another: volume, disk, container with its spec. Per clone: median ${summarize(linkedEach).median.toFixed(0)} ms (overlay by \`qemu-img create -b\` over the base); ` +
          `per full copy: median ${summarize(copyEach).median.toFixed(0)} ms (\`cp\` of the disk at the snapshot plus the boot files: what copying a dockur /storage does).`,
      });
      ctx.add({
        group: GROUP,
        name: `extra disk for ${n} clone${n > 1 ? 's' : ''}`,
        unit: 'bytes',
        ours: summarize([linkedBytes]),
        anchor: {
          label: `${n} full cop${n > 1 ? 'ies' : 'y'}`,
          value: summarize([copyBytes]),
          kind: 'measured',
        },
        note:
          `Allocated bytes (du) of the new volumes before their first boot, the shared base not counted. The source's disk holds ~${PAYLOAD_MIB + 1} MiB of data (${PAYLOAD_MIB} MiB written before the snapshot), and a full copy also carries the ~17 MiB kernel and initrd; ` +
          'a Windows disk of 15-30 GiB grows the full-copy column by that much per copy, and the clone column not at all.',
      });
      const bootLinked = await bootTogether(docker, linked.slice(0, booted));
      const bootCopies = await bootTogether(docker, copies.slice(0, booted));
      ctx.add({
        group: GROUP,
        name: `boot ${booted} of the ${n} together → agents answer`,
        unit: 'ms',
        ours: summarize([bootLinked]),
        anchor: {
          label: `${booted} full cop${booted > 1 ? 'ies' : 'y'}`,
          value: summarize([bootCopies]),
          kind: 'measured',
        },
        note: 'Containers started at once, until every guest agent answers (TCG, 2 shared cores: concurrent boots compete). Reads go through the overlay to the base for clones.',
      });
    });
    await removeAll();
  }
  await removeVm(docker, `windock-${sourceName}`, source?.volumeName);
  await removeCloneBase(docker, theBase.volume).catch(() => undefined);
  base = undefined;
}
