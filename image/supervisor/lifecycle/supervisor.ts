import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CONTAINER_PATHS,
  RUNTIME_PATHS,
  STORAGE_PATHS,
  type RestoreSpec,
  type VmSpec,
} from '../../../contract';
import { chooseAccelerator, probeKvm } from '../../../lib/kvm/accelerator';
import type { QmpClient } from '../../../lib/qmp/qmp-client';
import { superviseConsole, type ConsoleProcess } from '../console/process';
import { ensureGeneratedCertificate } from '../console/tls';
import { startControl } from '../control/start';
import { EXIT, SupervisorError, type ExitCode } from '../exit-codes';
import { prepareFirmwareVars, startTpm } from '../firmware';
import { watchGuestPanic } from '../guest-panic';
import { finishInstall, prepareInstallDrives, startInstallBoot } from '../install/boot-install';
import { prepareInstallMedia } from '../install/media/prepare-media';
import { ownCapabilities } from '../network/drop-privileges';
import { setupGuestNetwork, type GuestNetwork } from '../network/setup';
import { stopGracefully } from '../power';
import { qemuArgv } from '../qemu/argv';
import { DEBIAN_FIRMWARE } from '../qemu/host-facts';
import type { InstallDrives } from '../qemu/install';
import { connectMonitor } from '../qmp-monitor';
import { prepareRecordings } from '../recording/files';
import { applyRestore, pendingRestore } from '../restore';
import { readSecret, secretNames } from '../secrets/store';
import { refuseSwappedShares } from '../shares/share-sources';
import { startSmbd, type SmbServer } from '../shares/smbd';
import type { StatusFile } from '../status';
import { prepareStorage } from '../storage/prepare';
import { waitForPath } from '../wait-for-path';
import { watchBeacon, watchGuestPorts } from './guest-watch';
import { secretsHandedOver } from './handed-over';
import { LateService } from './late-service';
import type { Log } from './log';
import { stopAction, type LifecyclePhase } from './phases';
import { startQemu, type QemuProcess } from './qemu-process';
import { readSpec } from './read-spec';

/** How long the boot waits for the provider's hand-over of the share password. */
const SECRETS_GRACE_MS = 30_000;

type Accelerator = 'kvm' | 'tcg';

/** What a boot needs from its preparation: the command line, and what QEMU starts into. */
interface BootPlan {
  argv: string[];
  restore: RestoreSpec | undefined;
  installDrives: InstallDrives | undefined;
}

/** What runs beside QEMU and goes when it exits, in the order it goes. */
interface Companions {
  tpm: ChildProcess | undefined;
  network: GuestNetwork;
  smb: LateService<SmbServer>;
  console: LateService<ConsoleProcess>;
  control: { close(): Promise<void> } | undefined;
  monitor: QmpClient | undefined;
}

/** The VM once QEMU runs, as a stop request needs it. */
interface RunningVm {
  spec: VmSpec;
  qemu: QemuProcess;
  monitor: QmpClient | undefined;
}

/**
 * PID 1's lifecycle: the phases of a start in order, then the wait for QEMU's end and the
 * tear-down. The one owner of stop requests: `requestStop` decides by phase (stopAction).
 */
export class Supervisor {
  private phase: LifecyclePhase = 'spec';
  private pendingStop: string | undefined;
  private vm: RunningVm | undefined;
  private stopping: Promise<'guest' | 'forced'> | undefined;

  constructor(
    private readonly status: StatusFile,
    private readonly log: Log,
    private readonly exit: (code: ExitCode) => never = (code) => process.exit(code),
  ) {}

  /** Starts the VM and supervises it until QEMU exits: the container's exit code. */
  async run(): Promise<ExitCode> {
    mkdirSync(CONTAINER_PATHS.run, { recursive: true });
    this.listenForStopRequests();
    const spec = this.readSpec();
    const accelerator = this.checkHost(spec);
    const tpm = await this.prepareVolume(spec, accelerator.warnings);
    const plan = await this.prepareInstall(spec, accelerator.accelerator);
    const { network, smb } = await this.prepareNetwork(spec);
    const qemu = this.startQemu(spec, plan, accelerator.accelerator, network);
    const monitor = await this.connectMonitor(spec, qemu, plan.installDrives);
    await this.restore(spec, plan.restore, monitor);
    const control = monitor ? startControl(monitor, spec, this.log) : undefined;
    const consoleProcess = this.startConsole(spec);
    this.enterRunning({ spec, qemu, monitor });
    return this.waitForQemuExit(qemu, { tpm, network, smb, console: consoleProcess, control, monitor });
  }

  /** Every SIGTERM and SIGINT, whatever the phase, comes here. */
  requestStop(signal: string): void {
    switch (stopAction(this.phase)) {
      case 'exit':
        return this.stopBeforeQemu(signal);
      case 'defer':
        this.pendingStop ??= signal;
        return;
      case 'shut-down':
        if (this.vm) this.shutDownGuest(signal, this.vm);
        return;
      case 'ignore':
        return;
    }
  }

  // PID 1 ignores the signals it has no handler for, so `docker stop` must be handled from the start.
  private listenForStopRequests(): void {
    process.on('SIGTERM', () => this.requestStop('SIGTERM'));
    process.on('SIGINT', () => this.requestStop('SIGINT'));
  }

  private stopBeforeQemu(signal: string): void {
    this.log(`${signal} before QEMU started: stopping`);
    this.status.update({ phase: 'stopped' });
    this.exit(EXIT.OK);
  }

  private shutDownGuest(signal: string, { spec, qemu, monitor }: RunningVm): void {
    this.phase = 'stopping';
    const deadline = spec.power.shutdownTimeoutSeconds;
    this.log(`${signal}: shutting the guest down (ACPI, deadline ${deadline} s)`);
    this.status.update({ phase: 'stopping' });
    this.stopping = stopGracefully(qemu.child, monitor, {
      // A panicked guest cannot hear the power button: no deadline to wait out.
      deadlineSeconds: this.status.current.panic ? 0 : deadline,
      intervalSeconds: spec.power.powerdownIntervalSeconds,
      log: this.log,
    });
  }

  private readSpec(): VmSpec {
    this.phase = 'spec';
    const spec = readSpec();
    this.log(`VM "${spec.name}" (spec v${spec.specVersion})`);
    refuseSwappedShares(spec, this.log);
    return spec;
  }

  private checkHost(spec: VmSpec): { accelerator: Accelerator; warnings: string[] } {
    this.phase = 'host-checks';
    const choice = chooseAccelerator(spec.accelerator, probeKvm());
    if (!choice.ok) throw new SupervisorError(choice.reason, EXIT.NO_KVM, 'accelerator');
    const warnings = choice.warning ? [choice.warning] : [];
    if (choice.warning) this.log(`WARNING: ${choice.warning}`);
    this.status.update({ accelerator: choice.accelerator, warnings });
    return { accelerator: choice.accelerator, warnings };
  }

  /** The volume's files: installation media, disks, firmware, certificate, TPM, recordings. */
  private async prepareVolume(spec: VmSpec, warnings: string[]): Promise<ChildProcess | undefined> {
    // Installation media first (a refused volume is left untouched, a failed download leaves no disk).
    this.phase = 'install-media';
    await prepareInstallMedia(spec, this.status, this.log);
    this.phase = 'storage';
    const storageWarnings = await prepareStorage(spec);
    for (const warning of storageWarnings) this.log(`WARNING: ${warning}`);
    warnings.push(...storageWarnings);
    this.phase = 'firmware';
    await prepareFirmwareVars(spec);
    await ensureGeneratedCertificate(spec, this.log);
    const tpm = await startTpm(spec);
    await prepareRecordings(spec, STORAGE_PATHS.recordingsDir);
    this.status.update({ warnings });
    return tpm;
  }

  /** An unfinished install attaches its ISO, drivers and answer drive (secrets read as files, exactly). */
  private async prepareInstall(spec: VmSpec, accelerator: Accelerator): Promise<BootPlan> {
    this.phase = 'install';
    const restore = pendingRestore(spec);
    // One builder for the answer file's target disk and the real command line: they cannot differ.
    const argvFor = (drives?: InstallDrives): string[] =>
      qemuArgv({ ...spec, restore }, { accelerator, firmwareFiles: DEBIAN_FIRMWARE }, drives);
    const installDrives = await prepareInstallDrives(
      spec,
      async () => secretsHandedOver(secretNames(spec).install, 'install', this.log),
      readSecret,
      this.log,
      argvFor,
    );
    return { argv: argvFor(installDrives), restore, installDrives };
  }

  /**
   * The guest's NICs, then the shares: served before the guest boots (it finds them at its
   * first logon), and after the NAT bridges exist (smbd binds to them).
   */
  private async prepareNetwork(
    spec: VmSpec,
  ): Promise<{ network: GuestNetwork; smb: LateService<SmbServer> }> {
    this.phase = 'network';
    const network = await setupGuestNetwork(spec, this.log);
    return { network, smb: await this.startShares(spec) };
  }

  // The provider hands the share password over right after it starts the container; a start it
  // did not drive (a host reboot) boots without shares until the next refresh hands it over.
  private async startShares(spec: VmSpec): Promise<LateService<SmbServer>> {
    const smb = new LateService<SmbServer>();
    const handedOver = secretsHandedOver(secretNames(spec).shares, 'share', this.log);
    const inTime = handedOver.then(() => true);
    if (await Promise.race([inTime, sleep(SECRETS_GRACE_MS).then(() => false)]))
      smb.started(await startSmbd(spec, this.log));
    else
      smb.startWhen(handedOver, () =>
        startSmbd(spec, this.log).catch((error: Error) => void this.log(`smb: ${error.message}`)),
      );
    return smb;
  }

  // QEMU runs: from here a stop request waits for the monitor, then becomes the ACPI power-down.
  private startQemu(
    spec: VmSpec,
    plan: BootPlan,
    accelerator: Accelerator,
    network: GuestNetwork,
  ): QemuProcess {
    const qemu = startQemu(spec, plan.argv, accelerator, network, this.log);
    this.status.update({ phase: 'booting', qemuPid: qemu.child.pid });
    this.phase = 'qemu-start';
    return qemu;
  }

  /** QMP once QEMU opens it, with the watches on the guest and an install's first boot. */
  private async connectMonitor(
    spec: VmSpec,
    qemu: QemuProcess,
    installDrives: InstallDrives | undefined,
  ): Promise<QmpClient | undefined> {
    try {
      await Promise.race([waitForPath(RUNTIME_PATHS.qmpSupervisor, 30_000), qemu.exited]);
      if (qemu.child.exitCode !== null) return undefined;
      const monitor = await connectMonitor(RUNTIME_PATHS.qmpSupervisor);
      this.watchGuest(monitor, installDrives !== undefined);
      this.status.update({ phase: 'running' });
      if (installDrives) startInstallBoot(spec, monitor, this.status, this.log);
      return monitor;
    } catch (error) {
      this.log(`QMP not reachable: ${(error as Error).message}`);
      return undefined;
    }
  }

  private watchGuest(monitor: QmpClient, installing: boolean): void {
    watchGuestPorts(monitor, this.status);
    watchGuestPanic(monitor, this.status, this.log);
    watchBeacon(this.status, this.log, installing ? () => finishInstall(this.status, this.log) : undefined);
  }

  private async restore(
    spec: VmSpec,
    restore: RestoreSpec | undefined,
    monitor: QmpClient | undefined,
  ): Promise<void> {
    this.phase = 'restore';
    if (restore && monitor) await applyRestore(monitor, spec, restore, this.log);
  }

  // The console serves once its token is there (at once after a provider-driven start).
  // Its own process: nothing a console client sends can end the supervisor or QEMU.
  private startConsole(spec: VmSpec): LateService<ConsoleProcess> {
    const consoleProcess = new LateService<ConsoleProcess>();
    if (spec.console.enabled)
      consoleProcess.startWhen(secretsHandedOver(secretNames(spec).console, 'console', this.log), () =>
        superviseConsole(ownCapabilities(), this.log),
      );
    return consoleProcess;
  }

  private enterRunning(vm: RunningVm): void {
    this.vm = vm;
    this.phase = 'running';
    if (this.pendingStop) this.requestStop(this.pendingStop);
  }

  private async waitForQemuExit(qemu: QemuProcess, companions: Companions): Promise<ExitCode> {
    const code = await qemu.exited;
    companions.smb.refuseLaterStarts();
    companions.console.refuseLaterStarts();
    const how = this.stopping ? await this.stopping : 'guest';
    await this.tearDown(companions);
    if (code !== 0 && how !== 'forced') {
      throw new SupervisorError(
        `QEMU exited with code ${code} (see the log above)`,
        EXIT.QEMU_FAILED,
        'qemu',
      );
    }
    this.status.update({ phase: 'stopped' });
    this.log(how === 'forced' ? 'VM stopped by force after the deadline' : 'VM powered off');
    return how === 'forced' ? EXIT.FORCED_STOP : EXIT.OK;
  }

  private async tearDown(companions: Companions): Promise<void> {
    await companions.control?.close();
    await companions.monitor?.close();
    companions.console.current?.close();
    companions.tpm?.kill('SIGTERM');
    companions.network.stop();
    await companions.smb.current?.stop();
  }
}
