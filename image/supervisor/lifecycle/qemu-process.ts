import { spawn, type ChildProcess } from 'node:child_process';
import type { VmSpec } from '../../../contract';
import { ownCapabilities, qemuCommand } from '../network/drop-privileges';
import type { GuestNetwork } from '../network/setup';
import { QEMU_BINARY } from '../qemu/argv';
import type { Log } from './log';

export interface QemuProcess {
  child: ChildProcess;
  /** QEMU's exit code (128 when killed by a signal, 127 when it could not start). */
  exited: Promise<number>;
}

/** Starts QEMU with the VM's command line; its output goes to the container log. */
export function startQemu(
  spec: VmSpec,
  argv: string[],
  accelerator: string,
  network: GuestNetwork,
  log: Log,
): QemuProcess {
  log(`starting ${QEMU_BINARY} (${accelerator})`);
  const launch = qemuCommand(spec, QEMU_BINARY, argv, ownCapabilities());
  const child = spawn(launch.file, launch.args, {
    // LAN "own" NICs: their open macvtaps become QEMU's fds 3, 4, .. (macvtapFd).
    stdio: ['ignore', 'pipe', 'pipe', ...network.macvtapFds],
  });
  network.closeMacvtaps();
  child.stdout!.pipe(process.stdout);
  child.stderr!.pipe(process.stderr);
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (error) => {
      log(`QEMU could not start: ${error.message}`);
      resolve(127);
    });
  });
  return { child, exited };
}
