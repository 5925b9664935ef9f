// A warm Docker API call over SSH: windock's pooled host connection (one SSH connection,
// keep-alive HTTP over `docker system dial-stdio` channels) against dockerode's own SSH mode
// (protocol: 'ssh': a new SSH connection and dial-stdio process per request).
import Dockerode from 'dockerode';
import { readFileSync } from 'node:fs';
import { HostPool } from '../../provider/hosts';
import { repeat, timed } from '../stats';
import { guarded, type GroupContext } from './context';

const GROUP = 'ssh';

export async function runSshGroup(ctx: GroupContext): Promise<void> {
  const rig = await ctx.sshHosts();
  const host = rig.hosts[0]!;
  const runs = ctx.opts.quick ? 20 : 50;
  const anchorRuns = ctx.opts.quick ? 10 : 20;
  const pool = new HostPool();
  ctx.onCleanup(() => pool.closeAll());
  const ours = pool.get(host.config);
  const theirs = new Dockerode({
    protocol: 'ssh',
    host: host.sshHost,
    port: host.sshPort,
    username: host.user,
    sshOptions: { privateKey: readFileSync(host.clientKeyFile) },
  } as Dockerode.DockerOptions);
  const local = new Dockerode({ socketPath: host.socketPath });

  const cases: Array<{ name: string; call: (d: Dockerode) => Promise<unknown> }> = [
    { name: 'warm API call over SSH: GET /_ping', call: (d) => d.ping() },
    { name: 'warm API call over SSH: list containers', call: (d) => d.listContainers({ all: true }) },
  ];
  for (const c of cases) {
    await guarded(ctx, GROUP, c.name, 'ms', async () => {
      // Warm both: our connection is made once; dockerode's mode has nothing to keep warm.
      const oursSummary = await repeat(runs, async () => (await timed(() => c.call(ours))).ms, 3);
      const theirsSummary = await repeat(anchorRuns, async () => (await timed(() => c.call(theirs))).ms, 1);
      ctx.add({
        group: GROUP,
        name: c.name,
        unit: 'ms',
        ours: oursSummary,
        anchor: { label: "dockerode protocol:'ssh'", value: theirsSummary, kind: 'measured' },
        note:
          `Same SSH test host (its own dockerd + sshd on loopback), same call. windock: the host pool's one SSH connection, HTTP keep-alive over dial-stdio channels (${runs} calls after 3 warm-up). ` +
          `dockerode's SSH mode: a new SSH handshake and a new \`docker system dial-stdio\` per request (${anchorRuns} calls); it also verifies no host key, windock pins it.`,
      });
    });
  }
  await guarded(ctx, GROUP, 'same call on the engine socket (no SSH)', 'ms', async () => {
    const summary = await repeat(runs, async () => (await timed(() => local.ping())).ms, 3);
    ctx.add({
      group: GROUP,
      name: 'reference: GET /_ping on the unix socket',
      unit: 'ms',
      ours: summary,
      note: 'The floor: the same engine through its local unix socket, no SSH at all.',
    });
  });
  const stats = pool.stats(host.name);
  ctx.log(
    `  ssh: ${stats.connects} SSH connection(s), ${stats.channelsOpened} dial-stdio channel(s) for all windock calls`,
  );
}
