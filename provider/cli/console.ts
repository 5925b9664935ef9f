// `windock console VM`: the VM's browser console at a local address (a tunnel for remote hosts).
import { sharedHostPool } from '../hosts';
import { hostPort, reach, untilInterrupted } from './reach';
import { resolveVm } from './stack-hosts';
import type { ReachArgs } from './target-args';
import { consoleAccess } from './vm-endpoints';
import { requireRunningVm } from './vm-container';

export const CONSOLE_USAGE = `usage: windock console [--stack NAME] [--host NAME] [--port N] <vm-name>

Prints the URL of a VM's browser console that opens from this machine. For a VM on an SSH host it
opens a local tunnel (127.0.0.1 only) over windock's pinned SSH connection to that host and keeps
it open until Ctrl-C; for a local VM it prints the URL and exits. The URL carries the console
token: it is a secret (it opens the VM's screen and keyboard).

  --stack NAME   the stack that knows the VM (default: the current stack of the project here)
  --host NAME    the VM's host, when no stack knows the VM (hosts: the stack's windock:hosts,
                 or WINDOCK_HOSTS, a JSON list in that format, which overrides them)
  --port N       the local port of the tunnel (default: a free one)`;

export async function consoleCommand(args: ReachArgs): Promise<number> {
  const target = await resolveVm(args.vm, args);
  const docker = sharedHostPool().get(target.host);
  const info = await requireRunningVm(docker, target);
  const access = await consoleAccess(docker, info, target.vm);
  const reached = await reach(target.host, access.address, args.port, (error) =>
    process.stderr.write(`windock console: ${error.message}\n`),
  );
  const url = `${access.scheme}://${hostPort(reached)}/${access.token ? `?token=${encodeURIComponent(access.token)}` : ''}`;
  const notes = [
    reached.tunnel
      ? `VM "${target.vm}" on host "${target.host.name}": its console (${hostPort(access.address)} there) is tunnelled to ${hostPort(reached)} over SSH.`
      : `VM "${target.vm}" on host "${target.host.name}".`,
    ...(access.token
      ? ['The URL carries the console token: a secret, keep it out of chats, tickets and logs.']
      : []),
    ...(access.certificateFingerprint
      ? [
          `HTTPS with the VM's own certificate: the browser warns; it is the console if its SHA-256 fingerprint is ${access.certificateFingerprint}`,
          '(the consoleCertificateFingerprint output).',
        ]
      : []),
    ...(reached.tunnel ? ['Ctrl-C closes the tunnel.'] : []),
  ];
  process.stderr.write(`${notes.join('\n')}\n`);
  process.stdout.write(`${url}\n`); // last: a reader of stdout has the notes by then
  if (!reached.tunnel) return 0;
  await untilInterrupted();
  await reached.tunnel.close();
  return 0;
}
