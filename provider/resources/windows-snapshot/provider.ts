import type * as dynamic from '@pulumi/pulumi/dynamic';
import { containerExists } from '../../docker/containers';
import { isNotFound } from '../../docker/errors';
import { stackSettings } from '../common/stack-settings';
import {
  deleteSnapshot,
  listVmSnapshots,
  readSnapshotRecord,
  takeSnapshot,
  type VmRef,
} from '../../vm/snapshots';
import { readContainerSpec, writeStorageFiles } from '../../vm/volume-files';
import { checkWindowsSnapshot } from './check';
import { diffWindowsSnapshot } from './diff';
import {
  snapshotInputsOf,
  STATE_VERSION,
  windowsSnapshotInputs,
  type WindowsSnapshotInputs,
  type WindowsSnapshotOutputs,
} from './inputs';

function vmRef(inputs: Pick<WindowsSnapshotInputs, 'host' | 'containerName'>): VmRef {
  return {
    docker: stackSettings.docker(inputs.host),
    container: inputs.containerName,
  };
}

/**
 * Whether the container still is the VM the snapshot belongs to: gone, or replaced by another VM
 * of the same name (a replaced VM takes its snapshots with it), means the snapshot is gone.
 */
async function sameVm(ref: VmRef, vmUuid: string): Promise<boolean> {
  try {
    return (await readContainerSpec(ref.docker, ref.container)).identity.uuid === vmUuid;
  } catch (error) {
    if (isNotFound(error) || /has no VM spec/.test((error as Error).message)) return false;
    throw error;
  }
}

/** Why the snapshot's VM is not where the inputs say, with the fix that applies. */
async function notThisVm(ref: VmRef, snap: WindowsSnapshotInputs): Promise<Error> {
  if (!(await containerExists(ref.docker, ref.container)))
    return new Error(
      `host: there is no container ${snap.containerName} on host "${snap.host}": a snapshot's host must be its VM's host; ` +
        "pass the WindowsVm itself (`vm: theVm`, which also sets containerName and host) or set host to the WindowsVm's host",
    );
  return new Error(
    `vm: container ${snap.containerName} on host "${snap.host}" is not VM ${snap.vm} (another VM of that name): ` +
      'pass the WindowsVm itself (`vm: theVm`), or its vmUuid and containerName outputs',
  );
}

function parse(values: Record<string, unknown>): WindowsSnapshotInputs {
  return windowsSnapshotInputs.parse(snapshotInputsOf(values));
}

export const windowsSnapshotProvider: dynamic.ResourceProvider = {
  async configure(request) {
    stackSettings.configure(request);
  },

  async check(_olds, news) {
    const outcome = checkWindowsSnapshot(news ?? {});
    return outcome.ok ? { inputs: outcome.inputs } : { inputs: news, failures: outcome.failures };
  },

  async diff(_id, olds, news) {
    return diffWindowsSnapshot(olds, news);
  },

  async create(inputs) {
    const snap = parse(inputs);
    const ref = vmRef(snap);
    if (!(await sameVm(ref, snap.vm))) throw await notThisVm(ref, snap);
    const record = await takeSnapshot(ref, {
      tag: snap.name,
      memory: snap.memory,
      description: snap.description,
    });
    const listed = (await listVmSnapshots(ref)).find((s) => s.tag === snap.name);
    const outs: WindowsSnapshotOutputs = {
      ...snap,
      stateVersion: STATE_VERSION,
      createdAt: record.createdAt,
      vmStateBytes: listed?.vmStateBytes ?? 0,
      hardware: record.hardware,
      hardwareHash: record.hardwareHash,
      specHash: record.specHash,
    };
    return { id: `${snap.vm}/${snap.name}`, outs };
  },

  async read(id, props) {
    const old = props as WindowsSnapshotOutputs;
    if (!old?.containerName) return { id, props };
    const ref = vmRef(old);
    // A vanished VM, a replaced one, or a snapshot deleted behind Pulumi's back: it leaves the state.
    if (!(await sameVm(ref, old.vm))) return { id: '' };
    const found = (await listVmSnapshots(ref)).find((s) => s.tag === old.name);
    if (!found) return { id: '' };
    const outs: WindowsSnapshotOutputs = {
      ...old,
      vmStateBytes: found.vmStateBytes,
      description: found.record?.description ?? old.description,
    };
    return { id, props: outs, inputs: snapshotInputsOf(outs as unknown as Record<string, unknown>) };
  },

  async update(_id, olds, news) {
    const old = olds as WindowsSnapshotOutputs;
    const snap = parse(news);
    const ref = vmRef(snap);
    // Only the description can change in place: it lives in the snapshot's record.
    const record = await readSnapshotRecord(ref, snap.name);
    if (record) {
      await writeStorageFiles(ref.docker, ref.container, [
        {
          path: `snapshots/${snap.name}.json`,
          content: JSON.stringify({ ...record, description: snap.description }, null, 2) + '\n',
        },
      ]);
    }
    return { outs: { ...old, ...snap } };
  },

  async delete(_id, props) {
    const old = props as WindowsSnapshotOutputs;
    if (!old?.containerName) return;
    const ref = vmRef(old);
    // The VM is gone or is another VM now: its snapshots went with it.
    if (!(await sameVm(ref, old.vm))) return;
    await deleteSnapshot(ref, old.name);
  },
};
