// Shared by the image feature tests (tests/image/*.test.ts): one windock container per VM on
// the local engine, made the way the provider makes them (createVmContainer with the
// least-privilege options of provider/docker/container-spec.ts), booting the stand-in guest
// under TCG. Every container is checked for least privilege when it is created, and every
// container and volume is removed in `dispose()`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import type { GuestAgentClient } from '../../provider/agent/guest-agent-client';
import {
  containerCreateOptions,
  type ContainerPlacement,
  type PublishedPort,
} from '../../provider/docker/container-spec';
import { tarArchive, type ArchiveFile } from '../../provider/docker/spec-archive';
import { createVmContainer } from '../../provider/docker/vm-container';
import { startVmContainer } from '../../provider/docker/vm-secrets';
import {
  networkPrivileges,
  type ContainerNetworks,
  type NetworkPrivileges,
} from '../../provider/docker/network-options';
import { CONTAINER_PATHS, vmStatus, type VmSpec, type VmStatus } from '../../contract';
import type { QmpClient } from '../../lib/qmp/qmp-client';
import { connectVmAgent } from '../../provider/vm/agent-exec';
import { execOutput } from '../../provider/docker/exec-output';
import { connectVmQmp } from '../../provider/vm/qmp-exec';
import {
  Cleanup,
  containerLogs,
  demux,
  localDocker,
  uniqueName,
  waitForLog,
  WINDOCK_IMAGE,
} from '../rig/docker';
import { STANDIN_READY, standinGuestDir, standinSpec, standinStorageFiles } from '../rig/standin-guest';

export const CONSOLE_TOKEN = 'image-test-console-token-0123456789';

/** The manifest's fast kernel command line (about 1 s less under TCG than the default). */
export function standinCmdline(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(standinGuestDir(), 'manifest.json'), 'utf8')) as {
      cmdline?: string;
    };
    return manifest.cmdline ?? 'console=ttyS0 quiet';
  } catch {
    return 'console=ttyS0 quiet';
  }
}

export interface VmOptions {
  /** Overrides of the stand-in spec (name, disks, firmware, console...). */
  spec?: Partial<VmSpec>;
  /** Pass /dev/kvm into the container (only the accelerator tests). */
  kvmDevice?: boolean;
  /** Publish the console port on 127.0.0.1 (a free host port). */
  publishConsole?: boolean;
  /** Secret files; default: the console token the spec names. */
  secrets?: Record<string, string>;
  /** Reuse a volume (a restart on the same disks); default: a new one. */
  volumeName?: string;
  /** Files put into the volume before the first start; default: the stand-in's boot files and disk. */
  storageFiles?: ArchiveFile[];
  /** Docker networks of the container (tests/network); default: Docker's default bridge. */
  networks?: ContainerNetworks;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Least privilege, as `docker inspect` shows it: what every test container must satisfy. */
export function expectLeastPrivilege(
  inspect: Dockerode.ContainerInspectInfo,
  kvmDevice: boolean,
  secretValues: string[],
  network: Pick<NetworkPrivileges, 'capAdd' | 'devices'> = { capAdd: [], devices: [] },
): void {
  const host = inspect.HostConfig;
  expect(host.Privileged).toBe(false);
  expect(host.CapDrop).toEqual(['ALL']);
  expect(host.CapAdd ?? []).toEqual(network.capAdd);
  expect(host.SecurityOpt).toContain('no-new-privileges:true');
  expect((host.Devices ?? []).map((device: { PathOnHost: string }) => device.PathOnHost)).toEqual([
    ...(kvmDevice ? ['/dev/kvm'] : []),
    ...network.devices.map((device) => device.PathOnHost),
  ]);
  expect(host.NetworkMode === 'host').toBe(false);
  expect(host.PidMode ?? '').toBe('');
  expect(host.IpcMode === 'host').toBe(false);
  // No secrets in the environment: only what the image itself sets (PATH, DEBIAN_FRONTEND).
  const env = inspect.Config.Env ?? [];
  for (const entry of env) {
    expect(entry).not.toMatch(/token|secret|password|key/i);
    for (const value of secretValues) expect(entry).not.toContain(value);
  }
  for (const binding of Object.values(host.PortBindings ?? {}) as Array<Array<{ HostIp: string }>>) {
    for (const { HostIp } of binding) expect(HostIp).toBe('127.0.0.1');
  }
}

export class TestVm {
  constructor(
    readonly rig: ImageRig,
    readonly container: Dockerode.Container,
    readonly name: string,
    readonly volumeName: string,
    readonly spec: VmSpec,
    readonly placement: ContainerPlacement,
    /** Handed over after every start, into the container's tmpfs, as the provider does. */
    readonly secrets: Record<string, string> = {},
  ) {}

  get docker(): Dockerode {
    return this.rig.docker;
  }

  async start(): Promise<void> {
    await startVmContainer(this.docker, this.container.id, this.secrets);
  }

  logs(): Promise<string> {
    return containerLogs(this.container);
  }

  /** Waits for the stand-in's ready marker on the serial console; returns its boot counter. */
  async waitReady(timeoutMs = 120_000, nth = 1): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const log = await waitForLog(this.container, STANDIN_READY, Math.max(1, deadline - Date.now()));
      const boots = [...log.matchAll(new RegExp(STANDIN_READY.source, 'g'))];
      if (boots.length >= nth) return Number(boots[nth - 1]![1]);
      if (Date.now() > deadline) throw new Error(`ready marker #${nth} did not appear in ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  exec(cmd: string[]): Promise<ExecResult> {
    return execOutput(this.docker, this.container.id, cmd);
  }

  /** `windock-supervisor status` through exec, parsed with the contract's schema. */
  async status(): Promise<VmStatus | undefined> {
    const result = await this.exec(['windock-supervisor', 'status']);
    if (result.exitCode !== 0 || !result.stdout.trim()) return undefined;
    return vmStatus.parse(JSON.parse(result.stdout));
  }

  async waitForStatus(
    what: string,
    predicate: (status: VmStatus) => boolean,
    timeoutMs: number,
  ): Promise<VmStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: VmStatus | undefined;
    for (;;) {
      last = await this.status().catch(() => last);
      if (last && predicate(last)) return last;
      if (Date.now() > deadline)
        throw new Error(`status never showed ${what} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
      const state = (await this.container.inspect()).State;
      if (!state.Running)
        throw new Error(
          `container exited (${state.ExitCode}) before ${what}; log:\n${(await this.logs()).slice(-3000)}`,
        );
      await sleep(500);
    }
  }

  /** Waits for the container to exit on its own; returns its exit code. */
  async waitExit(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = (await this.container.inspect()).State;
      if (!state.Running && state.Status === 'exited') return state.ExitCode;
      if (Date.now() > deadline)
        throw new Error(
          `container still running after ${timeoutMs} ms; log:\n${(await this.logs()).slice(-3000)}`,
        );
      await sleep(250);
    }
  }

  async inspect(): Promise<Dockerode.ContainerInspectInfo> {
    return this.container.inspect();
  }

  /** The host port Docker chose for a published container port. */
  async hostPort(containerPort: number): Promise<number> {
    const ports = (await this.inspect()).NetworkSettings.Ports[`${containerPort}/tcp`];
    const port = ports?.find((binding) => binding.HostIp === '127.0.0.1')?.HostPort;
    if (!port) throw new Error(`port ${containerPort} is not published`);
    return Number(port);
  }

  /**
   * The guest agent through `docker exec socat` (provider/vm/agent-exec.ts), one connection per
   * VM (QEMU's agent socket takes one client at a time); closed in dispose().
   */
  async agent(): Promise<GuestAgentClient> {
    if (this.agentClient && !this.agentClient.isClosed) return this.agentClient;
    const client = await connectVmAgent(this.docker, this.container.id, 30_000);
    this.rig.onDispose(async () => client.close());
    this.agentClient = client;
    return client;
  }
  private agentClient: GuestAgentClient | undefined;

  /** QMP through `docker exec socat` (provider/vm/qmp-exec.ts); closed in dispose(). */
  async qmp(): Promise<QmpClient> {
    const client = await connectVmQmp(this.docker, this.container.id);
    this.rig.onDispose(() => client.close());
    return client;
  }

  /** Runs a program in the guest through the agent; returns its stdout. */
  async guestRun(
    agent: GuestAgentClient,
    path: string,
    args: string[] = [],
  ): Promise<{ stdout: string; exitCode: number | null }> {
    const result = await agent.exec(path, args, { timeoutMs: 30_000 });
    return { stdout: result.stdout.toString('utf8'), exitCode: result.exitCode };
  }
}

/** Makes test VMs and removes every container and volume it made. */
export class ImageRig {
  readonly docker = localDocker();
  private readonly cleanup = new Cleanup();
  private readonly label: string;

  constructor(label: string) {
    this.label = label;
  }

  onDispose(step: () => Promise<unknown>): void {
    this.cleanup.add(step);
  }

  dispose(): Promise<void> {
    return this.cleanup.run();
  }

  placement(name: string, volumeName: string, options: VmOptions, spec: VmSpec): ContainerPlacement {
    const published: PublishedPort[] = options.publishConsole
      ? [{ containerPort: spec.console.port, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 0 }]
      : [];
    return {
      containerName: name,
      image: WINDOCK_IMAGE,
      volumeName,
      labels: { 'io.windock.test': `image-${this.label}` },
      published,
      kvmDevice: options.kvmDevice ?? false,
      restartPolicy: 'no',
      ...(options.networks ? { networks: options.networks } : {}),
    };
  }

  specFor(name: string, options: VmOptions): VmSpec {
    return standinSpec({
      name,
      boot: {
        kind: 'kernel',
        kernel: '/storage/boot/vmlinuz',
        initrd: '/storage/boot/initrd.img',
        cmdline: standinCmdline(),
      },
      ...options.spec,
    });
  }

  /** Creates (does not start) a VM container; checks least privilege on what Docker made. */
  async createVm(options: VmOptions = {}): Promise<TestVm> {
    const name = uniqueName(`wdk-img-${this.label}`);
    const spec = this.specFor(name, options);
    return this.createVmWithSpec(name, spec, options);
  }

  async createVmWithSpec(name: string, spec: VmSpec, options: VmOptions = {}): Promise<TestVm> {
    const volumeName = options.volumeName ?? `${name}-storage`;
    if (!options.volumeName)
      this.cleanup.add(() => this.docker.getVolume(volumeName).remove({ force: true }));
    this.cleanup.add(() => this.docker.getContainer(name).remove({ force: true, v: false }));
    const placement = this.placement(name, volumeName, options, spec);
    const secrets = options.secrets ?? { 'console-token': CONSOLE_TOKEN };
    const storageFiles = options.storageFiles ?? (options.volumeName ? [] : standinStorageFiles());
    const container = await createVmContainer(this.docker, { spec, placement, storageFiles });
    const inspect = await container.inspect();
    const network = networkPrivileges(spec);
    // USB passthrough adds exactly the named devices' nodes (tests/devices).
    const usb = (placement.usbDevices ?? []).map((node) => ({
      PathOnHost: node.pathOnHost,
      PathInContainer: node.pathInContainer,
      CgroupPermissions: 'rw',
    }));
    expectLeastPrivilege(inspect, placement.kvmDevice, Object.values(secrets), {
      ...network,
      devices: [...network.devices, ...usb],
    });
    return new TestVm(this, container, name, volumeName, spec, placement, secrets);
  }

  /**
   * A container of the image with the provider's options but files chosen by the test (for
   * the spec contract: a raw spec.json, or none at all).
   */
  async createRawContainer(files: ArchiveFile[]): Promise<Dockerode.Container> {
    const name = uniqueName(`wdk-img-${this.label}`);
    const spec = this.specFor(name, {});
    const placement = this.placement(name, `${name}-storage`, {}, spec);
    this.cleanup.add(() => this.docker.getVolume(placement.volumeName).remove({ force: true }));
    this.cleanup.add(() => this.docker.getContainer(name).remove({ force: true }));
    await this.docker.createVolume({ Name: placement.volumeName, Labels: placement.labels });
    const container = await this.docker.createContainer(containerCreateOptions(spec, placement));
    if (files.length > 0) {
      await container.putArchive(await tarArchive(files), { path: '/etc/windock' });
    }
    expectLeastPrivilege(await container.inspect(), false, []);
    return container;
  }

  /**
   * Runs a short command in a throwaway container on a VM's volume (the image's tools, no VM):
   * reads or changes the volume while no VM runs on it.
   */
  async onVolume(volumeName: string, cmd: string[]): Promise<ExecResult> {
    const container = await this.docker.createContainer({
      Image: WINDOCK_IMAGE,
      Entrypoint: cmd.slice(0, 1),
      Cmd: cmd.slice(1),
      Labels: { 'io.windock.test': `image-${this.label}` },
      HostConfig: {
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges:true'],
        Mounts: [{ Type: 'volume', Source: volumeName, Target: CONTAINER_PATHS.storage }],
        NetworkMode: 'none',
      },
    });
    try {
      expectLeastPrivilege(await container.inspect(), false, []);
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const raw = (await container.logs({ stdout: true, stderr: false })) as unknown as Buffer;
      const err = (await container.logs({ stdout: false, stderr: true })) as unknown as Buffer;
      return { stdout: demux(raw), stderr: demux(err), exitCode: StatusCode };
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }
}

/** Artifacts (screenshots) go here; kept after the tests for people to look at. */
export function artifactsDir(): string {
  return process.env.WINDOCK_TEST_ARTIFACTS ?? '/tmp/windock-artifacts';
}
