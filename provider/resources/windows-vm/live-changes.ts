import { diskNodeName } from '../../../contract/block-nodes';
import { requireContainer, updateRestartPolicy } from '../../docker/containers';
import { startVmContainer } from '../../docker/vm-secrets';
import { stopVmContainer } from '../../vm/power';
import { connectVmQmp } from '../../vm/qmp-exec';
import { applyRecordingChange } from '../../vm/recording';
import type { WindowsVmInputs } from './inputs';
import type { HostContext } from './launch';

/** What a live handler works on: the VM's container as it is, and the inputs before and after. */
export interface LiveChange {
  context: HostContext;
  container: string;
  before: WindowsVmInputs;
  after: WindowsVmInputs;
  /** The secret files a start hands over (read when a handler starts the VM). */
  secrets: () => Record<string, string>;
}

/**
 * Applies one or more live-tier inputs to a VM's existing container. `rewritesSpec`: the handler
 * reads the container's spec file, which the update rewrites once before any such handler runs.
 */
export interface LiveHandler {
  name: string;
  rewritesSpec: boolean;
  apply(change: LiveChange): Promise<void>;
}

const isRunning = async (change: LiveChange) =>
  (await requireContainer(change.context.docker, change.container)).State.Running;

/** The disks a change grows, as QMP block nodes and their new sizes in bytes. */
export function grownDisks(
  before: WindowsVmInputs,
  after: WindowsVmInputs,
): Array<{ node: string; bytes: number }> {
  const grown: Array<{ node: string; bytes: number }> = [];
  if (after.systemDiskSize > before.systemDiskSize)
    grown.push({ node: diskNodeName({ name: 'system' }), bytes: after.systemDiskSize * 1024 ** 2 });
  for (const disk of after.disks) {
    const was = before.disks.find((d) => d.name === disk.name);
    if (was && disk.size > was.size) grown.push({ node: diskNodeName(disk), bytes: disk.size * 1024 ** 2 });
  }
  return grown;
}

/** Grows disks of a running VM through QMP; the image grows them at start otherwise. */
export const growDisks: LiveHandler = {
  name: 'growDisks',
  rewritesSpec: true,
  async apply(change) {
    if (!(await isRunning(change))) return;
    const grown = grownDisks(change.before, change.after);
    if (grown.length === 0) return;
    const qmp = await connectVmQmp(change.context.docker, change.container);
    try {
      for (const disk of grown)
        await qmp.execute('block_resize', { 'node-name': disk.node, size: disk.bytes });
    } finally {
      await qmp.close();
    }
  },
};

/** Starts or stops a recording on a running VM; the supervisor reads its defaults from the spec at each start. */
export const changeRecording: LiveHandler = {
  name: 'changeRecording',
  rewritesSpec: true,
  async apply(change) {
    if (!(await isRunning(change))) return;
    const ref = { docker: change.context.docker, container: change.container };
    await applyRecordingChange(ref, change.before.recording, change.after.recording);
  },
};

/** Docker's restart policy follows autostart, on the container as it is. */
export const changeAutostart: LiveHandler = {
  name: 'changeAutostart',
  rewritesSpec: false,
  async apply(change) {
    const policy = change.after.autostart ? 'unless-stopped' : 'no';
    await updateRestartPolicy(change.context.docker, change.container, policy);
  },
};

/** A graceful power-down, or a start in the same container with its secrets handed over. */
export const changePowerState: LiveHandler = {
  name: 'changePowerState',
  rewritesSpec: false,
  async apply(change) {
    const { docker } = change.context;
    if (change.after.powerState === 'stopped')
      await stopVmContainer(docker, change.container, change.after.timeouts.shutdownSeconds);
    else await startVmContainer(docker, change.container, change.secrets());
  },
};

/** The order the update applies live handlers in (the VM's power last, after what it runs with). */
export const LIVE_ORDER: readonly LiveHandler[] = [
  growDisks,
  changeRecording,
  changeAutostart,
  changePowerState,
];
