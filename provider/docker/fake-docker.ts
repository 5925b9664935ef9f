// A FAKE Docker engine for unit tests: an in-memory stand-in for exactly the part of Dockerode
// the layer calls (engine.ts `DockerEngine`), so that create/update/delete paths run without an
// engine. Containers have a state, labels, mounts and a restart policy; volumes and networks
// have labels; archives are files; execs and one-shot runs answer what the test scripts.
// Missing objects and name clashes fail as the engine does (statusCode 404 / 409).
// System tests use the real engine; nothing outside tests may import this file.
import { PassThrough, Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type {
  ContainerCreateOptions,
  ContainerInfo,
  ContainerSummary,
  DockerEngine,
  EngineContainer,
  EngineExec,
  ImageInfo,
  NetworkInfo,
  VolumeInfo,
} from './engine';
import { encodeDockerFrame } from './exec-stream';
import { tarArchive, untarFiles } from './spec-archive';

export interface ScriptedOutput {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface FakeContainer {
  id: string;
  name: string;
  options: ContainerCreateOptions;
  running: boolean;
  exitCode: number;
  restartPolicy: string;
  /** Files put with putArchive, by their absolute path. */
  files: Map<string, Buffer>;
  /** What the container wrote (for logs), set when it runs. */
  output: ScriptedOutput;
}

export interface FakeCall {
  method: string;
  target?: string;
  args?: unknown;
}

class EngineError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(`(HTTP code ${statusCode}) ${message}`);
  }
}

const notFound = (what: string) => new EngineError(404, `no such ${what}`);

let nextId = 1;

export class FakeDocker implements DockerEngine {
  readonly containers = new Map<string, FakeContainer>();
  readonly volumes = new Map<string, { labels: Record<string, string> }>();
  readonly networks = new Map<string, { subnet?: string }>();
  readonly images = new Set<string>();
  readonly calls: FakeCall[] = [];
  private execScript: (container: string, cmd: string[]) => ScriptedOutput = () => ({});
  private runScript: (options: ContainerCreateOptions) => ScriptedOutput = () => ({});

  /** This fake where a function still types its parameter as a real Dockerode. */
  asDockerode(): Dockerode {
    return this as unknown as Dockerode;
  }

  /** How execs answer (default: nothing, exit 0). */
  onExec(script: (container: string, cmd: string[]) => ScriptedOutput): this {
    this.execScript = script;
    return this;
  }

  /** What a started container writes and how it exits (default: nothing, exit 0). */
  onRun(script: (options: ContainerCreateOptions) => ScriptedOutput): this {
    this.runScript = script;
    return this;
  }

  addImage(ref: string): this {
    this.images.add(ref);
    return this;
  }

  addVolume(name: string, labels: Record<string, string> = {}): this {
    this.volumes.set(name, { labels });
    return this;
  }

  addNetwork(name: string, facts: { subnet?: string } = {}): this {
    this.networks.set(name, facts);
    return this;
  }

  /** A container as if created earlier (its image need not be added). */
  addContainer(seed: {
    name: string;
    image?: string;
    labels?: Record<string, string>;
    running?: boolean;
    mounts?: Dockerode.MountSettings[];
    restartPolicy?: string;
  }): FakeContainer {
    const container = this.make({
      name: seed.name,
      Image: seed.image ?? 'windock:test',
      Labels: seed.labels ?? {},
      HostConfig: { Mounts: seed.mounts ?? [], RestartPolicy: { Name: seed.restartPolicy ?? 'no' } },
    });
    container.running = seed.running ?? false;
    return container;
  }

  /** The container by name or id, or undefined. */
  find(nameOrId: string): FakeContainer | undefined {
    const byName = this.containers.get(nameOrId.replace(/^\//, ''));
    return byName ?? [...this.containers.values()].find((c) => c.id === nameOrId);
  }

  getContainer(id: string): EngineContainer {
    return new FakeContainerHandle(this, id);
  }

  async createContainer(options: ContainerCreateOptions): Promise<EngineContainer> {
    this.calls.push({ method: 'createContainer', target: options.name, args: options });
    if (!this.images.has(options.Image ?? '')) throw notFound(`image: ${options.Image}`);
    if (options.name && this.containers.has(options.name)) throw new EngineError(409, 'name in use');
    for (const m of options.HostConfig?.Mounts ?? [])
      if (m.Type === 'volume' && m.Source && !this.volumes.has(m.Source)) this.addVolume(m.Source);
    return new FakeContainerHandle(this, this.make(options).id);
  }

  async listContainers(options: Dockerode.ContainerListOptions): Promise<ContainerSummary[]> {
    const filters = (options.filters ?? {}) as { label?: string[]; status?: string[] };
    return [...this.containers.values()]
      .filter((c) => (filters.label ?? []).every((l) => hasLabel(c.options.Labels ?? {}, l)))
      .filter((c) => !filters.status || filters.status.includes(c.running ? 'running' : 'exited'))
      .map((c) => summaryOf(c));
  }

  getVolume(name: string) {
    return {
      inspect: async (): Promise<VolumeInfo> => {
        const volume = this.volumes.get(name);
        if (!volume) throw notFound(`volume: ${name}`);
        return {
          Name: name,
          Driver: 'local',
          Mountpoint: `/fake/${name}`,
          Labels: volume.labels,
        } as VolumeInfo;
      },
      remove: async (): Promise<void> => {
        this.calls.push({ method: 'removeVolume', target: name });
        if (!this.volumes.has(name)) throw notFound(`volume: ${name}`);
        if ([...this.containers.values()].some((c) => mountsOf(c).some((m) => m.Source === name)))
          throw new EngineError(409, `volume ${name} is in use`);
        this.volumes.delete(name);
      },
    };
  }

  async createVolume(options: Dockerode.VolumeCreateOptions): Promise<void> {
    this.calls.push({ method: 'createVolume', target: options.Name, args: options });
    if (!this.volumes.has(options.Name ?? '')) this.addVolume(options.Name ?? '', options.Labels ?? {});
  }

  getNetwork(id: string) {
    return {
      inspect: async (): Promise<NetworkInfo> => {
        const network = this.networks.get(id);
        if (!network) throw notFound(`network: ${id}`);
        const config = network.subnet ? [{ Subnet: network.subnet }] : [];
        return {
          Name: id,
          Id: id,
          Driver: 'bridge',
          IPAM: { Driver: 'default', Config: config },
        } as NetworkInfo;
      },
    };
  }

  getImage(name: string) {
    return {
      inspect: async (): Promise<ImageInfo> => {
        if (!this.images.has(name)) throw notFound(`image: ${name}`);
        return { Id: `sha256:${name}`, RepoTags: [name] } as ImageInfo;
      },
    };
  }

  async info(): Promise<{ NCPU: number; MemTotal: number }> {
    return { NCPU: 4, MemTotal: 8 * 1024 ** 3 };
  }

  /** What an exec in the container answers (the test's script). */
  scriptedExec(container: string, cmd: string[]): ScriptedOutput {
    this.calls.push({ method: 'exec', target: container, args: cmd });
    return this.execScript(container, cmd);
  }

  /** Starts a container: it runs, and a one-shot's script decides its output and exit. */
  run(container: FakeContainer): void {
    container.running = true;
    const entrypoint = container.options.Entrypoint;
    if (Array.isArray(entrypoint) && entrypoint[0] === 'sleep') return; // exec-driven
    container.output = this.runScript(container.options);
    container.exitCode = container.output.exitCode ?? 0;
    container.running = false;
  }

  private make(options: ContainerCreateOptions): FakeContainer {
    const id = `fake${String(nextId++).padStart(8, '0')}`;
    const container: FakeContainer = {
      id,
      name: options.name ?? id,
      options,
      running: false,
      exitCode: 0,
      restartPolicy: options.HostConfig?.RestartPolicy?.Name ?? 'no',
      files: new Map(),
      output: {},
    };
    this.containers.set(container.name, container);
    return container;
  }
}

function hasLabel(labels: Record<string, string>, filter: string): boolean {
  const [key, value] = filter.split(/=(.*)/s, 2) as [string, string | undefined];
  return key in labels && (value === undefined || labels[key] === value);
}

function mountsOf(c: FakeContainer): Dockerode.MountSettings[] {
  return c.options.HostConfig?.Mounts ?? [];
}

function summaryOf(c: FakeContainer): ContainerSummary {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.options.Image ?? '',
    Labels: c.options.Labels ?? {},
    State: c.running ? 'running' : 'exited',
    Status: c.running ? 'Up' : `Exited (${c.exitCode})`,
  } as ContainerSummary;
}

function inspectOf(c: FakeContainer): ContainerInfo {
  return {
    Id: c.id,
    Name: `/${c.name}`,
    State: {
      Status: c.running ? 'running' : 'exited',
      Running: c.running,
      Restarting: false,
      ExitCode: c.exitCode,
    },
    Config: { Image: c.options.Image ?? '', Labels: c.options.Labels ?? {} },
    HostConfig: { ...c.options.HostConfig, RestartPolicy: { Name: c.restartPolicy } },
    Mounts: mountsOf(c).map((m) => ({
      Type: m.Type,
      Name: m.Type === 'volume' ? m.Source : undefined,
      Source: m.Source,
      Destination: m.Target,
      RW: !m.ReadOnly,
    })),
  } as unknown as ContainerInfo;
}

/** Docker's framing of a container's output (what `logs` returns for a non-TTY container). */
function framed(output: ScriptedOutput): Buffer {
  return Buffer.concat([
    encodeDockerFrame(1, Buffer.from(output.stdout ?? '')),
    encodeDockerFrame(2, Buffer.from(output.stderr ?? '')),
  ]);
}

class FakeContainerHandle implements EngineContainer {
  constructor(
    private readonly engine: FakeDocker,
    private readonly ref: string,
  ) {}

  get id(): string {
    return this.engine.find(this.ref)?.id ?? this.ref;
  }

  private get c(): FakeContainer {
    const found = this.engine.find(this.ref);
    if (!found) throw notFound(`container: ${this.ref}`);
    return found;
  }

  private call<T>(method: string, body: (c: FakeContainer) => T | Promise<T>, args?: unknown): Promise<T> {
    this.engine.calls.push({ method, target: this.ref, ...(args !== undefined ? { args } : {}) });
    try {
      return Promise.resolve(body(this.c));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  inspect(): Promise<ContainerInfo> {
    return this.call('inspect', inspectOf);
  }

  start(): Promise<void> {
    return this.call('start', (c) => this.engine.run(c));
  }

  stop(): Promise<void> {
    return this.call('stop', (c) => {
      if (!c.running) throw new EngineError(304, 'container already stopped');
      c.running = false;
    });
  }

  kill(): Promise<void> {
    return this.call('kill', (c) => {
      c.running = false;
      c.exitCode = 137;
    });
  }

  wait(): Promise<{ StatusCode: number }> {
    return this.call('wait', (c) => ({ StatusCode: c.exitCode }));
  }

  remove(options?: Dockerode.ContainerRemoveOptions): Promise<void> {
    return this.call(
      'remove',
      (c) => {
        if (c.running && !options?.force) throw new EngineError(409, 'container is running');
        this.engine.containers.delete(c.name);
      },
      options,
    );
  }

  update(options: { RestartPolicy: Dockerode.HostRestartPolicy }): Promise<void> {
    return this.call('update', (c) => void (c.restartPolicy = options.RestartPolicy.Name), options);
  }

  logs(options: Dockerode.ContainerLogsOptions & { follow?: false }): Promise<Buffer>;
  logs(options: Dockerode.ContainerLogsOptions & { follow: true }): Promise<NodeJS.ReadableStream>;
  logs(options: Dockerode.ContainerLogsOptions): Promise<Buffer | NodeJS.ReadableStream> {
    return this.call('logs', (c) => {
      if (!options.follow) return framed(c.output);
      const stream = new PassThrough();
      stream.end(framed(c.output));
      return stream;
    });
  }

  getArchive(options: { path: string }): Promise<NodeJS.ReadableStream> {
    return this.call('getArchive', async (c) => {
      const path = options.path.replace(/\/+$/, '');
      const base = path.slice(path.lastIndexOf('/') + 1);
      const file = c.files.get(path);
      const inDir = [...c.files].filter(([p]) => p.startsWith(`${path}/`));
      if (!file && inDir.length === 0) throw notFound(`file: ${options.path}`);
      const entries = file
        ? [{ path: base, content: file }]
        : inDir.map(([p, content]) => ({ path: `${base}/${p.slice(path.length + 1)}`, content }));
      const stream = new PassThrough();
      stream.end(await tarArchive(entries));
      return stream;
    });
  }

  putArchive(file: Buffer, options: { path: string }): Promise<void> {
    return this.call(
      'putArchive',
      async (c) => {
        for (const [name, content] of await untarFiles(file))
          c.files.set(`${options.path.replace(/\/+$/, '')}/${name}`, content);
      },
      options,
    );
  }

  exec(options: Dockerode.ExecCreateOptions): Promise<EngineExec> {
    return this.call('execCreate', (c) => fakeExec(this.engine.scriptedExec(c.name, options.Cmd ?? [])));
  }
}

/** An exec whose hijacked stream gives the scripted output, framed, once stdin ends. */
function fakeExec(output: ScriptedOutput): EngineExec {
  let finished = false;
  return {
    id: `exec${nextId++}`,
    inspect: async () => ({ Running: !finished, ExitCode: finished ? (output.exitCode ?? 0) : null }),
    start: async () => {
      const socket = new Duplex({
        read() {},
        write(_chunk, _enc, cb) {
          cb();
        },
        final(cb) {
          socket.push(framed(output));
          socket.push(null);
          finished = true;
          cb();
        },
      });
      return socket;
    },
  };
}
