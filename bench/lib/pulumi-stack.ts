// A Pulumi stack driven through the real CLI (the Automation API runner of examples/runner, in
// a child process), with a file backend of its own, timed and with its memory sampled.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elapsedMs, now } from '../stats';
import { isDynamicProvider, sampleTree, type TreeMemory } from './proc-sampler';
import { REPO } from './paths';

const RUNNER = join(REPO, 'dist', 'examples', 'runner', 'run-example.js');

export interface StackRun {
  status: number;
  ms: number;
  memory: TreeMemory;
  output: string;
}

export type StackCommand = 'up' | 'preview' | 'refresh' | 'destroy';

export class BenchStack {
  readonly workDir: string;
  readonly backendDir: string;

  constructor(
    readonly project: string,
    readonly programPath: string,
  ) {
    if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: run the set-up (npm run build)`);
    this.workDir = mkdtempSync(join(tmpdir(), 'windock-bench-'));
    this.backendDir = join(this.workDir, 'state');
    mkdirSync(this.backendDir, { recursive: true });
    // The dynamic-provider plugin resolves @pulumi/pulumi (and windock) from the work dir.
    symlinkSync(join(REPO, 'node_modules'), join(this.workDir, 'node_modules'));
  }

  run(
    command: StackCommand,
    stack: string,
    config: Record<string, unknown>,
    timeoutMs = 900_000,
  ): Promise<StackRun> {
    const t0 = now();
    const child = spawn('node', [RUNNER, this.project, command, stack], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${this.backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: 'windock-bench',
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
        PULUMI_HOME: process.env.PULUMI_HOME ?? join(this.workDir, 'home'),
        WINDOCK_PROGRAM: this.programPath,
        WINDOCK_WORK_DIR: this.workDir,
        WINDOCK_EXAMPLE_CONFIG_JSON: JSON.stringify(config),
      },
    });
    const sampler = sampleTree(child.pid!, isDynamicProvider, 100);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    return new Promise((resolve, reject) => {
      child.on('error', (error) => {
        clearTimeout(timer);
        sampler.stop();
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const memory = sampler.stop();
        resolve({ status: code ?? -1, ms: elapsedMs(t0), memory, output });
      });
    });
  }

  async ok(command: StackCommand, stack: string, config: Record<string, unknown>): Promise<StackRun> {
    const run = await this.run(command, stack, config);
    if (run.status !== 0) throw new Error(`pulumi ${command} (${stack}) failed:\n${run.output.slice(-4000)}`);
    return run;
  }

  dispose(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
