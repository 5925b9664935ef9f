// `windock rdp VM`: the VM's RDP port at a local address (a tunnel for remote hosts).
import { sharedHostPool } from '../hosts';
import { hostPort, reach, untilInterrupted } from './reach';
import { resolveVm } from './stack-hosts';
import type { ReachArgs } from './target-args';
import { rdpAddress } from './vm-endpoints';
import { requireRunningVm } from './vm-container';

export const RDP_USAGE = `usage: windock rdp [--stack NAME] [--host NAME] [--port N] <vm-name>

Prints host:port of a VM's RDP (TCP) for an RDP client on this machine. For a VM on an SSH host it
opens a local tunnel (127.0.0.1 only) over windock's pinned SSH connection to that host and keeps
it open until Ctrl-C; for a local VM it prints the address and exits. (RDP over UDP is not
tunnelled: clients fall back to TCP.)

  --stack NAME   the stack that knows the VM (default: the current stack of the project here)
  --host NAME    the VM's host, when no stack knows the VM (as in windock console --help)
  --port N       the local port of the tunnel (default: a free one)`;

export async function rdpCommand(args: ReachArgs): Promise<number> {
  const target = await resolveVm(args.vm, args);
  const docker = sharedHostPool().get(target.host);
  const info = await requireRunningVm(docker, target);
  const address = await rdpAddress(docker, info, target.vm);
  const reached = await reach(target.host, address, args.port, (error) =>
    process.stderr.write(`windock rdp: ${error.message}\n`),
  );
  process.stderr.write(
    reached.tunnel
      ? `VM "${target.vm}" on host "${target.host.name}": RDP (${hostPort(address)} there) is tunnelled to ${hostPort(reached)} over SSH (e.g. xfreerdp /v:${hostPort(reached)}). Ctrl-C closes the tunnel.\n`
      : `VM "${target.vm}" on host "${target.host.name}" (e.g. xfreerdp /v:${hostPort(reached)}).\n`,
  );
  process.stdout.write(`${hostPort(reached)}\n`);
  if (!reached.tunnel) return 0;
  await untilInterrupted();
  await reached.tunnel.close();
  return 0;
}
