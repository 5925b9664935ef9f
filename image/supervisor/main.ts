import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIME_PATHS } from '../../contract';
import { consoleCommand } from './console/process';
import { consoleCertificateCommand } from './console/tls';
import { controlCommand } from './control/client';
import { EXIT, SupervisorError } from './exit-codes';
import { healthCommand } from './health';
import { fetchMediaCommand } from './install/media/fetch-command';
import { Supervisor } from './lifecycle/supervisor';
import { log } from './lifecycle/log';
import { secretsCommand } from './secrets/receive';
import { resolveHostPathsCommand } from './shares/resolve-host-paths';
import { StatusFile } from './status';

const ASSETS_DIR = process.env.WINDOCK_ASSETS_DIR ?? join(__dirname, 'assets');

/** `windock-supervisor run` (the default): PID 1, the VM's whole life; a failure names its step. */
async function runVm(): Promise<void> {
  const status = new StatusFile();
  status.update({ phase: 'preparing' });
  try {
    process.exit(await new Supervisor(status, log).run());
  } catch (error) {
    const failure =
      error instanceof SupervisorError
        ? error
        : new SupervisorError((error as Error).message, EXIT.QEMU_FAILED, 'supervisor');
    log(`FAILED at ${failure.step}: ${failure.message}`);
    status.update({
      phase: 'failed',
      error: { step: failure.step, message: failure.message, exitCode: failure.exitCode },
    });
    process.exit(failure.exitCode);
  }
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'run';
  if (command === 'health') process.exit(healthCommand());
  if (command === 'resolve-host-paths') process.exit(resolveHostPathsCommand(process.argv.slice(3)));
  if (command === 'control') process.exit(await controlCommand(process.argv[3]));
  if (command === 'secrets') process.exit(await secretsCommand());
  if (command === 'fetch-media') process.exit(await fetchMediaCommand());
  if (command === 'console') return consoleCommand(ASSETS_DIR);
  if (command === 'console-certificate') process.exit(consoleCertificateCommand());
  if (command === 'status') {
    process.stdout.write(readFileSync(RUNTIME_PATHS.status, 'utf8'));
    return;
  }
  await runVm();
}

void main();
