// `pulumi preview` of an already-up fleet across 3 SSH hosts, with no change and with one
// change, and the provider's memory. The fleet is real but cheap: every VM's volume and
// container exist on its host, created and never started (powerState "stopped"), with tiny
// placeholder media (nothing boots, so nothing reads them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../lib/paths';
import { BenchStack, type StackRun } from '../lib/pulumi-stack';
import { summarize, type Summary } from '../stats';
import { guarded, type GroupContext } from './context';

const GROUP = 'preview';

function sshLogins(texts: string[]): number {
  return texts.reduce((sum, t) => sum + (t.match(/Accepted publickey/g)?.length ?? 0), 0);
}

export async function runPreviewGroup(ctx: GroupContext): Promise<void> {
  const rig = await ctx.sshHosts();
  const sizes = ctx.opts.quick ? [1, 10] : [1, 10, 50, 100];
  const runs = ctx.opts.quick ? 2 : 3;
  const stack = new BenchStack('bench-fleet', join(REPO, 'bench', 'programs', 'fleet.js'));
  ctx.onCleanup(async () => stack.dispose());

  const mediaDir = join(stack.workDir, 'media');
  mkdirSync(mediaDir);
  for (const f of ['vmlinuz', 'initrd.img', 'disk.qcow2'])
    writeFileSync(join(mediaDir, f), `placeholder ${f}\n`);
  const hosts = rig.hosts.map((h) => h.config);
  const vm = (i: number, cpu = 1) => ({
    name: `wdkb-${i}`,
    host: rig.hosts[i % rig.hosts.length]!.name,
    media: {
      kind: 'kernel',
      kernelFile: join(mediaDir, 'vmlinuz'),
      initrdFile: join(mediaDir, 'initrd.img'),
      diskImageFile: join(mediaDir, 'disk.qcow2'),
    },
    cpu,
    memory: '256MiB',
    systemDiskSize: '64MiB',
    firmware: 'bios',
    accelerator: 'tcg',
    powerState: 'stopped',
  });
  const config = (n: number, changeFirst = false) => ({
    'windock:hosts': hosts,
    vms: Array.from({ length: n }, (_, i) => vm(i, changeFirst && i === 0 ? 2 : 1)),
  });
  const logins = () => sshLogins(rig.hosts.map((h) => h.sshdLogText()));

  interface Previews {
    time: Summary;
    provider?: Summary;
    tree: Summary;
    logins: number[];
  }
  const previews = async (stackName: string, cfg: Record<string, unknown>): Promise<Previews> => {
    const done: StackRun[] = [];
    const loginCounts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = logins();
      done.push(await stack.ok('preview', stackName, cfg));
      loginCounts.push(logins() - before);
    }
    const providerPeaks = done
      .map((r) => r.memory.targetPeakBytes)
      .filter((v): v is number => v !== undefined);
    return {
      time: summarize(done.map((r) => r.ms)),
      ...(providerPeaks.length ? { provider: summarize(providerPeaks) } : {}),
      tree: summarize(done.map((r) => r.memory.treePeakBytes)),
      logins: loginCounts,
    };
  };

  let stackUp = false;
  ctx.onCleanup(async () => {
    if (!stackUp) return;
    ctx.log('  preview: destroying the fleet');
    await stack.run('destroy', 'fleet', config(0)).catch(() => undefined);
  });

  let empty: Previews | undefined;
  await guarded(ctx, GROUP, 'preview, empty stack', 'ms', async () => {
    ctx.log(`  preview: empty stack (${runs} runs)`);
    empty = await previews('empty', config(0));
    ctx.add({
      group: GROUP,
      name: 'preview, empty stack (baseline)',
      unit: 'ms',
      ours: empty.time,
      note:
        'The baseline for every preview row: our own no-op preview of an empty stack, through the same real CLI (Automation API runner in a child process, file backend). ' +
        'A pulumi-docker fleet is the anchor one would want, but its plugin cannot be built here, so the ratio says how much a fleet adds to a preview that does nothing.',
    });
  });

  let base1Provider: Summary | undefined;
  let created = 0;
  for (const n of sizes) {
    await guarded(ctx, GROUP, `pulumi up to ${n} VMs`, 'ms', async () => {
      ctx.log(`  preview: pulumi up to ${n} stopped VMs on ${hosts.length} SSH hosts`);
      stackUp = true;
      const up = await stack.ok('up', 'fleet', config(n));
      ctx.add({
        group: GROUP,
        name: `pulumi up: +${n - created} stopped VM${n - created > 1 ? 's' : ''} (to ${n})`,
        unit: 'ms',
        ours: summarize([up.ms]),
        note:
          `One real \`pulumi up\` adding ${n - created} VM${n - created > 1 ? 's' : ''} round-robin on ${hosts.length} SSH hosts: preflight, volume, container, spec and media written, not started. ` +
          `Provider peak RSS during it: ${((up.memory.targetPeakBytes ?? 0) / 1024 ** 2).toFixed(0)} MiB. Context only (no anchor).`,
      });
      created = n;
    });
    if (created !== n) break;

    await guarded(ctx, GROUP, `preview no change ${n}`, 'ms', async () => {
      ctx.log(`  preview: ${n} VMs, no change (${runs} runs)`);
      const p = await previews('fleet', config(n));
      ctx.add({
        group: GROUP,
        name: `preview, no change, ${n} VM${n > 1 ? 's' : ''} / ${hosts.length} hosts`,
        unit: 'ms',
        ours: p.time,
        ...(empty
          ? { anchor: { label: 'empty-stack preview', value: empty.time, kind: 'baseline' as const } }
          : {}),
        note:
          `Wall time of \`pulumi preview --diff\` (CLI, language host, dynamic provider) of the stack already up with ${n} VM${n > 1 ? 's' : ''}. ` +
          `SSH logins on the hosts during the previews: ${p.logins.join(', ')} (check and diff of an unchanged fleet touch no network).`,
      });
      if (p.provider) {
        if (n === sizes[0]) base1Provider = p.provider;
        ctx.add({
          group: GROUP,
          name: `provider peak RSS, preview of ${n} VM${n > 1 ? 's' : ''}`,
          unit: 'bytes',
          ours: p.provider,
          ...(base1Provider && n !== sizes[0]
            ? {
                anchor: {
                  label: `provider, ${sizes[0]} VM`,
                  value: base1Provider,
                  kind: 'baseline' as const,
                },
              }
            : {}),
          note:
            'VmHWM of the dynamic-provider process (node), sampled from /proc every 100 ms during each no-change preview. ' +
            'An empty stack starts no provider, so the baseline is our own provider with one VM.',
        });
      }
      if (n === sizes[sizes.length - 1] && empty) {
        ctx.add({
          group: GROUP,
          name: `whole engine peak RSS, preview of ${n} VMs`,
          unit: 'bytes',
          ours: p.tree,
          anchor: { label: 'empty-stack preview', value: empty.tree, kind: 'baseline' },
          note: 'Largest sum of RSS over the whole process tree (runner, pulumi CLI, plugins, provider) at one sample.',
        });
      }
    });

    await guarded(ctx, GROUP, `preview one change ${n}`, 'ms', async () => {
      ctx.log(`  preview: ${n} VMs, one change (${runs} runs)`);
      const p = await previews('fleet', config(n, true));
      ctx.add({
        group: GROUP,
        name: `preview, one change (cpu of 1 VM), ${n} VM${n > 1 ? 's' : ''}`,
        unit: 'ms',
        ...(p.time ? { ours: p.time } : {}),
        ...(empty
          ? { anchor: { label: 'empty-stack preview', value: empty.time, kind: 'baseline' as const } }
          : {}),
        note: `As the no-change row, with cpu 1 → 2 on one VM (restart tier: the preview explains it; preflight asks that VM's host only). SSH logins during the previews: ${p.logins.join(', ')}.`,
      });
    });
  }

  if (stackUp) {
    await guarded(ctx, GROUP, 'destroy fleet', 'ms', async () => {
      ctx.log(`  preview: pulumi destroy of ${created} VMs`);
      const destroyed = await stack.ok('destroy', 'fleet', config(0));
      stackUp = false;
      ctx.add({
        group: GROUP,
        name: `pulumi destroy: ${created} stopped VMs`,
        unit: 'ms',
        ours: summarize([destroyed.ms]),
        note: 'Containers and volumes removed on all hosts. Context only.',
      });
    });
  }
}
