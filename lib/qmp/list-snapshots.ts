import type { ExecuteOptions, QmpClient } from './qmp-client';

export interface SnapshotInfo {
  id: string;
  tag: string;
  vmStateSize: number;
  /** When it was taken (host clock). */
  date: Date;
  /** Guest clock at the snapshot, in nanoseconds since the VM started. */
  vmClockNs: number;
}

export interface NodeSnapshots {
  node: string;
  filename: string;
  snapshots: SnapshotInfo[];
}

interface RawSnapshot {
  id: string;
  name: string;
  'vm-state-size': number;
  'date-sec': number;
  'date-nsec': number;
  'vm-clock-sec': number;
  'vm-clock-nsec': number;
}

interface RawNode {
  'node-name': string;
  file: string;
  image?: { filename?: string; snapshots?: RawSnapshot[] };
}

/** Internal snapshots per block node that can hold them (qcow2), one entry per node. */
export async function listSnapshots(client: QmpClient, options?: ExecuteOptions): Promise<NodeSnapshots[]> {
  const nodes = await client.execute<RawNode[]>('query-named-block-nodes', { flat: true }, options);
  const byNode = new Map<string, NodeSnapshots>();
  for (const node of nodes) {
    const raw = node.image?.snapshots;
    if (!raw || byNode.has(node['node-name'])) continue;
    byNode.set(node['node-name'], {
      node: node['node-name'],
      filename: node.image?.filename ?? node.file,
      snapshots: raw.map(toSnapshotInfo),
    });
  }
  return [...byNode.values()];
}

function toSnapshotInfo(s: RawSnapshot): SnapshotInfo {
  return {
    id: s.id,
    tag: s.name,
    vmStateSize: s['vm-state-size'],
    date: new Date(s['date-sec'] * 1000 + Math.floor(s['date-nsec'] / 1e6)),
    vmClockNs: s['vm-clock-sec'] * 1e9 + s['vm-clock-nsec'],
  };
}
