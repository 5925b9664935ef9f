// The part of Dockerode the layer calls, as one narrow surface. A real `Dockerode` is assignable
// to it (checked below, so a dockerode upgrade that drifts fails tsc), and so is the fake in
// fake-docker.ts: every function of the layer takes a `DockerEngine`, so unit tests run the
// layer on the fake and callers keep handing over the host's Dockerode.
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';

export type ContainerInfo = Dockerode.ContainerInspectInfo;
export type ContainerSummary = Dockerode.ContainerInfo;
export type VolumeInfo = Dockerode.VolumeInspectInfo;
export type NetworkInfo = Dockerode.NetworkInspectInfo;
export type ImageInfo = Dockerode.ImageInspectInfo;
export type ContainerCreateOptions = Dockerode.ContainerCreateOptions;

export interface EngineExec {
  readonly id: string;
  inspect(): Promise<{ Running: boolean; ExitCode: number | null }>;
  start(options: Dockerode.ExecStartOptions): Promise<Duplex>;
}

export interface EngineContainer {
  readonly id: string;
  inspect(): Promise<ContainerInfo>;
  start(): Promise<unknown>;
  stop(options?: Dockerode.ContainerStopOptions): Promise<unknown>;
  kill(): Promise<unknown>;
  wait(): Promise<unknown>;
  remove(options?: Dockerode.ContainerRemoveOptions): Promise<unknown>;
  update(options: { RestartPolicy: Dockerode.HostRestartPolicy }): Promise<unknown>;
  logs(options: Dockerode.ContainerLogsOptions & { follow?: false }): Promise<Buffer>;
  logs(options: Dockerode.ContainerLogsOptions & { follow: true }): Promise<NodeJS.ReadableStream>;
  getArchive(options: { path: string }): Promise<NodeJS.ReadableStream>;
  putArchive(file: Buffer, options: { path: string }): Promise<unknown>;
  exec(options: Dockerode.ExecCreateOptions): Promise<EngineExec>;
}

export interface EngineVolume {
  inspect(): Promise<VolumeInfo>;
  remove(): Promise<unknown>;
}

export interface EngineNetwork {
  inspect(): Promise<NetworkInfo>;
}

export interface EngineImage {
  inspect(): Promise<ImageInfo>;
}

/** The host's engine as the layer sees it. */
export interface DockerEngine {
  getContainer(id: string): EngineContainer;
  createContainer(options: ContainerCreateOptions): Promise<EngineContainer>;
  listContainers(options: Dockerode.ContainerListOptions): Promise<ContainerSummary[]>;
  getVolume(name: string): EngineVolume;
  createVolume(options: Dockerode.VolumeCreateOptions): Promise<unknown>;
  getNetwork(id: string): EngineNetwork;
  getImage(name: string): EngineImage;
  info(): Promise<unknown>;
}

// Drift check: the real client must satisfy the surface the layer (and the fake) implement.
type Satisfies<T extends DockerEngine> = T;
export type RealEngineSatisfiesSurface = Satisfies<Dockerode>;
