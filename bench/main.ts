// `npm run bench` (./dev bench): windock's benchmarks side by side with the anchors, each row with
// the anchor's figure measured in the same run where it can run here, and the ratio. Prints a
// table and writes bench/results/latest.json. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GROUPS, parseBenchArgs, USAGE, type Group } from './args';
import { guarded, type GroupContext } from './groups/context';
import { runCloneGroup } from './groups/clones';
import { runDiskImageGroup } from './groups/disk-images';
import { runImageGroup } from './groups/image';
import { runLifecycleGroup } from './groups/lifecycle';
import { runPreviewGroup } from './groups/preview';
import { runSnapshotGroup } from './groups/snapshots';
import { runSshGroup } from './groups/ssh';
import { REPO } from './lib/paths';
import { renderTable, toReport, type Row } from './table';
import { localDocker, WINDOCK_IMAGE } from '../tests/rig/docker';
import { startSshHosts, type SshHostsRig } from '../tests/rig/ssh-hosts';
import { sharedHostPool } from '../provider/hosts';

const RUNNERS: Record<Group, (ctx: GroupContext) => Promise<void>> = {
  ssh: runSshGroup,
  preview: runPreviewGroup,
  lifecycle: runLifecycleGroup,
  snapshots: runSnapshotGroup,
  clones: runCloneGroup,
  image: runImageGroup,
  'disk-images': runDiskImageGroup,
};

/** Removes whatever a benchmark made on the local engine and was not removed (names carry "wdkb-"). */
async function sweepLocal(): Promise<void> {
  const docker = localDocker();
  const containers = await docker.listContainers({ all: true }).catch(() => []);
  for (const c of containers) {
    if (c.Names.some((n) => n.includes('wdkb-')))
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  const volumes = (await docker.listVolumes().catch(() => ({ Volumes: [] }))).Volumes ?? [];
  for (const v of volumes) {
    if (v.Name.includes('wdkb-'))
      await docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined);
  }
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const started = new Date();
  const t0 = Date.now();
  const log = (line: string) =>
    console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${line}`);
  const rows: Row[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  let rig: SshHostsRig | undefined;
  let rigPromise: Promise<SshHostsRig> | undefined;
  const needsImage = opts.groups.includes('preview') || opts.groups.includes('disk-images');

  const cleanupAll = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
    await sharedHostPool()
      .closeAll()
      .catch(() => undefined);
    if (rigPromise) {
      log('stopping the SSH test hosts');
      await (rig ?? (await rigPromise.catch(() => undefined)))?.stopAll().catch(() => undefined);
      rigPromise = undefined;
    }
    await sweepLocal();
  };
  let interrupted = false;
  const onSignal = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up (containers, volumes, SSH test hosts) ...`);
    void cleanupAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const ctx: GroupContext = {
    opts,
    log,
    add: (row) => {
      rows.push(row);
    },
    onCleanup: (step) => {
      cleanups.push(step);
    },
    sshHosts: () => {
      rigPromise ??= (async () => {
        log(
          `starting 3 SSH test hosts (own dockerd + sshd each${needsImage ? `; copying ${WINDOCK_IMAGE} into each` : ''})`,
        );
        rig = await startSshHosts(3, { images: needsImage ? [WINDOCK_IMAGE] : [], lockTimeoutMs: 600_000 });
        log('SSH test hosts up');
        return rig;
      })();
      return rigPromise;
    },
  };

  log(
    `groups: ${opts.groups.join(', ')}${opts.quick ? ' (quick)' : ''}; ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  try {
    for (const group of opts.groups) {
      if (interrupted) break;
      log(`== ${group}`);
      const g0 = Date.now();
      await guarded(ctx, group, `${group} group`, 'ms', () => RUNNERS[group](ctx));
      log(`== ${group} done in ${((Date.now() - g0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await cleanupAll();
  }

  const order = new Map(GROUPS.map((g, i) => [g, i]));
  rows.sort((a, b) => (order.get(a.group as Group) ?? 99) - (order.get(b.group as Group) ?? 99));
  const report = toReport(rows, {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    options: { ...opts },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryBytes: totalmem(),
      loadAvgAtEnd: loadavg(),
      node: process.version,
      image: WINDOCK_IMAGE,
    },
  });
  const out = resolve(opts.out ?? join(REPO, 'bench', 'results', 'latest.json'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log('');
  console.log(
    `windock benchmarks (${opts.quick ? 'quick' : 'full'}), ${((Date.now() - t0) / 1000 / 60).toFixed(1)} min, ${cpus().length} CPUs (shared: ratios matter more than absolutes). Ratio = windock / anchor by medians; lower is faster or smaller.`,
  );
  console.log('');
  console.log(renderTable(rows));
  console.log('');
  console.log(`JSON: ${out}`);
  if (rows.some((r) => r.error && !r.ours)) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
