import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const RUNNER = join(REPO, 'dist', 'examples', 'runner', 'run-example.js');

export type EngineCommand = 'up' | 'preview' | 'refresh' | 'destroy';

function readEvents(path: string): Array<Record<string, any>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);
}

export interface EngineRun {
  status: number;
  output: string;
  events: Array<Record<string, any>>;
}

/**
 * Drives a program through the real Pulumi CLI (Automation API, inline program, in a child
 * process) with a file backend of its own. The program is plain JavaScript requiring `windock`.
 */
export class PulumiRig {
  readonly workDir: string;
  readonly backendDir: string;

  constructor(
    readonly project: string,
    readonly stack: string,
    readonly programPath: string,
  ) {
    if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: run the set-up (npm run build)`);
    this.workDir = mkdtempSync(join(tmpdir(), 'windock-pulumi-'));
    this.backendDir = join(this.workDir, 'state');
    mkdirSync(this.backendDir, { recursive: true });
    // The dynamic-provider plugin resolves @pulumi/pulumi (and windock) from the work dir.
    symlinkSync(join(REPO, 'node_modules'), join(this.workDir, 'node_modules'));
  }

  run(command: EngineCommand, config: Record<string, unknown>): EngineRun {
    const eventsFile = this.newEventsFile();
    const result = spawnSync('node', [RUNNER, this.project, command, this.stack], {
      encoding: 'utf8',
      timeout: 600_000,
      env: this.engineEnv(config, eventsFile),
    });
    return {
      status: result.status ?? -1,
      output: `${result.stdout}\n${result.stderr}`,
      events: readEvents(eventsFile),
    };
  }

  /** Like run, but asynchronous: the test goes on meanwhile (faults, a second engine racing). */
  runAsync(command: EngineCommand, config: Record<string, unknown>, timeoutMs = 600_000): Promise<EngineRun> {
    const eventsFile = this.newEventsFile();
    return new Promise((done) => {
      const child = spawn('node', [RUNNER, this.project, command, this.stack], {
        env: this.engineEnv(config, eventsFile),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ status: code ?? -1, output, events: readEvents(eventsFile) });
      });
    });
  }

  /** The environment of one engine run: this rig's file backend, program and config. */
  private engineEnv(config: Record<string, unknown>, eventsFile: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: 'windock-tests',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_HOME: process.env.PULUMI_HOME ?? join(this.workDir, 'home'),
      WINDOCK_PROGRAM: this.programPath,
      WINDOCK_WORK_DIR: this.workDir,
      WINDOCK_EVENTS_FILE: eventsFile,
      WINDOCK_EXAMPLE_CONFIG_JSON: JSON.stringify(config),
    };
  }

  private newEventsFile(): string {
    const path = join(this.workDir, `events-${Date.now()}-${Math.random().toString(16).slice(2)}.jsonl`);
    writeFileSync(path, '');
    return path;
  }

  /** Runs and fails with the engine's output when the command failed. */
  ok(command: EngineCommand, config: Record<string, unknown>): EngineRun {
    const run = this.run(command, config);
    if (run.status !== 0) throw new Error(`pulumi ${command} failed:\n${run.output.slice(-6000)}`);
    return run;
  }

  /** The stack's state file as text (everything the backend stores about it). */
  stateText(): string {
    const path = join(this.backendDir, '.pulumi', 'stacks', `windock-${this.project}`, `${this.stack}.json`);
    return readFileSync(path, 'utf8');
  }

  dispose(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** The step events of one resource type in a run: operation and the new inputs. */
export function resourceSteps(run: EngineRun, type = 'pulumi-nodejs:dynamic/windock:WindowsVm') {
  return run.events
    .filter((e) => e.resourcePreEvent?.metadata?.type === type)
    .map(
      (e) =>
        e.resourcePreEvent.metadata as {
          op: string;
          urn: string;
          diffs?: string[];
          keys?: string[];
          new?: { inputs?: Record<string, any> };
        },
    );
}
