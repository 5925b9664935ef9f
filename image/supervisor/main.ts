import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CONTAINER_PATHS,
  parseVmSpec,
  RUNTIME_PATHS,
  STORAGE_PATHS,
  VmSpecError,
  type VmSpec,
} from '../../contract';
import { consoleCommand, superviseConsole } from './console/process';
import { consoleCertificateCommand, ensureGeneratedCertificate } from './console/tls';
import { controlCommand } from './control/client';
import { startControl } from './control/start';
import { EXIT, SupervisorError, type ExitCode } from './exit-codes';
import { prepareFirmwareVars, startTpm } from './firmware';
import { healthCommand } from './health';
import { watchGuestPanic } from './guest-panic';
import { chooseAccelerator, probeKvm } from '../../lib/kvm/accelerator';
import type { QmpClient } from '../../lib/qmp/qmp-client';
import { stopGracefully } from './power';
import { qemuArgv, QEMU_BINARY } from './qemu/argv';
import type { InstallDrives } from './qemu/install';
import { DEBIAN_FIRMWARE } from './qemu/host-facts';
import { connectMonitor } from './qmp-monitor';
import { StatusFile } from './status';
import { prepareStorage } from './storage/prepare';
import { prepareRecordings } from './recording/files';
import { prepareInstallMedia } from './install/media/prepare-media';
import { fetchMediaCommand } from './install/media/fetch-command';
import { finishInstall, prepareInstallDrives, startInstallBoot } from './install/boot-install';
import { applyRestore, pendingRestore } from './restore';
import { startSmbd } from './shares/smbd';
import { resolveHostPathsCommand } from './shares/resolve-host-paths';
import { refuseSwappedShares } from './shares/share-sources';
import { waitForPath } from './wait-for-path';
import { ownCapabilities, qemuCommand } from './network/drop-privileges';
import { setupGuestNetwork } from './network/setup';
import { secretsCommand } from './secrets/receive';
import { hasSecrets, readSecret, secretNames, waitForSecrets } from './secrets/store';

const log = (line: string) => process.stdout.write(`[windock] ${line}\n`);
/** How long the boot waits for the provider's hand-over of the share password. */
const SECRETS_GRACE_MS = 30_000;
const ASSETS_DIR = process.env.WINDOCK_ASSETS_DIR ?? join(__dirname, 'assets');

function readSpec(): VmSpec {
  if (!existsSync(CONTAINER_PATHS.spec)) {
    throw new SupervisorError(
      `no VM spec at ${CONTAINER_PATHS.spec}: this image is started by the windock provider`,
      EXIT.SPEC_INVALID,
      'spec',
    );
  }
  try {
    return parseVmSpec(JSON.parse(readFileSync(CONTAINER_PATHS.spec, 'utf8')));
  } catch (error) {
    const code =
      error instanceof VmSpecError && error.kind === 'version' ? EXIT.SPEC_VERSION : EXIT.SPEC_INVALID;
    throw new SupervisorError((error as Error).message, code, 'spec');
  }
}

/** Waits for the provider's hand-over of these secrets, saying once in the log what it waits for. */
async function secretsHandedOver(names: string[], what: string): Promise<void> {
  if (hasSecrets(names)) return;
  log(`waiting for the provider to hand over the ${what} secrets (pulumi up or refresh does)`);
  await waitForSecrets(names);
}

/** Reads the readiness beacon: the guest writes WINDOCK-READY when its desktop is up. */
function watchBeacon(status: StatusFile, onReady: () => void = () => undefined): void {
  const socket = connect(RUNTIME_PATHS.beacon);
  let buffered = '';
  socket.on('data', (data) => {
    buffered += data.toString('utf8');
    if (buffered.includes('WINDOCK-READY') && !status.current.guest.beacon) {
      status.update({ guest: { ...status.current.guest, beacon: true } });
      log('guest beacon: desktop ready');
      onReady();
    }
    buffered = buffered.slice(-64);
  });
  socket.on('error', () => undefined);
}

function watchGuestPorts(monitor: QmpClient, status: StatusFile): void {
  monitor.events.on('VSERPORT_CHANGE', (event) => {
    if (event.data.id === 'qga')
      status.update({ guest: { ...status.current.guest, agent: event.data.open === true } });
  });
}

async function run(status: StatusFile): Promise<ExitCode> {
  mkdirSync(CONTAINER_PATHS.run, { recursive: true });
  // PID 1 ignores the signals it has no handler for, so `docker stop` must be handled from the
  // start. Until QEMU runs there is nothing to shut down: stop at once (a partial import or
  // VARS file never gets its real name, so it is redone on the next start).
  let onStopRequest: (signal: string) => void = (signal) => {
    log(`${signal} before QEMU started: stopping`);
    status.update({ phase: 'stopped' });
    process.exit(EXIT.OK);
  };
  process.on('SIGTERM', () => onStopRequest('SIGTERM'));
  process.on('SIGINT', () => onStopRequest('SIGINT'));

  const spec = readSpec();
  log(`VM "${spec.name}" (spec v${spec.specVersion})`);
  refuseSwappedShares(spec, log);

  const choice = chooseAccelerator(spec.accelerator, probeKvm());
  if (!choice.ok) throw new SupervisorError(choice.reason, EXIT.NO_KVM, 'accelerator');
  const warnings = choice.warning ? [choice.warning] : [];
  if (choice.warning) log(`WARNING: ${choice.warning}`);
  status.update({ accelerator: choice.accelerator, warnings });

  // Installation media first (a refused volume is left untouched, a failed download leaves no disk).
  await prepareInstallMedia(spec, status, log);
  const storageWarnings = await prepareStorage(spec);
  for (const warning of storageWarnings) log(`WARNING: ${warning}`);
  warnings.push(...storageWarnings);
  await prepareFirmwareVars(spec);
  await ensureGeneratedCertificate(spec, log);
  const tpm = await startTpm(spec);
  await prepareRecordings(spec, STORAGE_PATHS.recordingsDir);
  status.update({ warnings });

  // An unfinished install attaches its ISO, drivers and answer drive (secrets read as files, exactly).
  const secrets = secretNames(spec);
  const restore = pendingRestore(spec);
  // One builder for the answer file's target disk and the real command line: they cannot differ.
  const argvFor = (drives?: InstallDrives): string[] =>
    qemuArgv(
      { ...spec, restore },
      { accelerator: choice.accelerator, firmwareFiles: DEBIAN_FIRMWARE },
      drives,
    );
  const installDrives = await prepareInstallDrives(
    spec,
    async () => secretsHandedOver(secrets.install, 'install'),
    readSecret,
    log,
    argvFor,
  );

  let stopped = false;
  const argv = argvFor(installDrives);
  const guestNetwork = await setupGuestNetwork(spec, log);
  // Shares are served before the guest boots (it finds them at its first logon), and after the
  // NAT bridges exist: smbd binds to them.
  // The provider hands the share password over right after it starts the container; a start it
  // did not drive (a host reboot) boots without shares until the next refresh hands it over.
  let smb: Awaited<ReturnType<typeof startSmbd>>;
  const sharesHandedOver = secretsHandedOver(secrets.shares, 'share');
  if (await Promise.race([sharesHandedOver.then(() => true), sleep(SECRETS_GRACE_MS).then(() => false)]))
    smb = await startSmbd(spec, log);
  else
    void sharesHandedOver.then(async () => {
      if (!stopped)
        smb = await startSmbd(spec, log).catch((error: Error) => void log(`smb: ${error.message}`));
    });
  log(`starting ${QEMU_BINARY} (${choice.accelerator})`);
  const launch = qemuCommand(spec, QEMU_BINARY, argv, ownCapabilities());
  const qemu: ChildProcess = spawn(launch.file, launch.args, {
    // LAN "own" NICs: their open macvtaps become QEMU's fds 3, 4, .. (macvtapFd).
    stdio: ['ignore', 'pipe', 'pipe', ...guestNetwork.macvtapFds],
  });
  guestNetwork.closeMacvtaps();
  qemu.stdout!.pipe(process.stdout);
  qemu.stderr!.pipe(process.stderr);
  const qemuExit = new Promise<number>((resolve) => {
    qemu.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    qemu.on('error', (error) => {
      log(`QEMU could not start: ${error.message}`);
      resolve(127);
    });
  });
  status.update({ phase: 'booting', qemuPid: qemu.pid });
  // QEMU runs: a stop request now waits for the monitor, then becomes the ACPI power-down.
  let pendingStop: string | undefined;
  onStopRequest = (signal) => {
    pendingStop ??= signal;
  };

  let monitor: QmpClient | undefined;
  try {
    await Promise.race([waitForPath(RUNTIME_PATHS.qmpSupervisor, 30_000), qemuExit]);
    if (qemu.exitCode === null) {
      monitor = await connectMonitor(RUNTIME_PATHS.qmpSupervisor);
      watchGuestPorts(monitor, status);
      watchGuestPanic(monitor, status, log);
      watchBeacon(status, installDrives ? () => finishInstall(status, log) : undefined);
      status.update({ phase: 'running' });
      if (installDrives) startInstallBoot(spec, monitor, status, log);
    }
  } catch (error) {
    log(`QMP not reachable: ${(error as Error).message}`);
  }
  if (restore && monitor) await applyRestore(monitor, spec, restore, log);
  // The control channel (recordings) and a recording from boot, once QMP is there.
  const control = monitor ? startControl(monitor, spec, log) : undefined;

  // The console serves once its token is there (at once after a provider-driven start).
  // Its own process: nothing a console client sends can end the supervisor or QEMU.
  let console_: ReturnType<typeof superviseConsole> | undefined;
  if (spec.console.enabled) {
    void secretsHandedOver(secrets.console, 'console').then(() => {
      if (!stopped) console_ = superviseConsole(ownCapabilities(), log);
    });
  }

  let stopping: Promise<'guest' | 'forced'> | undefined;
  const onSignal = (signal: string) => {
    if (stopping) return;
    log(`${signal}: shutting the guest down (ACPI, deadline ${spec.power.shutdownTimeoutSeconds} s)`);
    status.update({ phase: 'stopping' });
    stopping = stopGracefully(qemu, monitor, {
      // A panicked guest cannot hear the power button: no deadline to wait out.
      deadlineSeconds: status.current.panic ? 0 : spec.power.shutdownTimeoutSeconds,
      intervalSeconds: spec.power.powerdownIntervalSeconds,
      log,
    });
  };
  onStopRequest = onSignal;
  if (pendingStop) onSignal(pendingStop);

  const code = await qemuExit;
  stopped = true;
  const how = stopping ? await stopping : 'guest';
  await control?.close();
  await monitor?.close();
  console_?.close();
  tpm?.kill('SIGTERM');
  guestNetwork.stop();
  await smb?.stop();
  if (code !== 0 && how !== 'forced') {
    throw new SupervisorError(`QEMU exited with code ${code} (see the log above)`, EXIT.QEMU_FAILED, 'qemu');
  }
  status.update({ phase: 'stopped' });
  log(how === 'forced' ? 'VM stopped by force after the deadline' : 'VM powered off');
  return how === 'forced' ? EXIT.FORCED_STOP : EXIT.OK;
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
  const status = new StatusFile();
  status.update({ phase: 'preparing' });
  try {
    process.exit(await run(status));
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

void main();
