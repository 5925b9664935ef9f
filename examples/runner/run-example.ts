import { LocalWorkspace, type EngineEvent, type OutputMap, type Stack } from '@pulumi/pulumi/automation';
import { appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Runs an example through the real Pulumi engine: the Automation API with an inline program
 * (the example's compiled index.js), in the example's own directory, on whatever backend
 * PULUMI_BACKEND_URL names (scripts/pulumi-env.sh sets a local file backend).
 *
 * Inline, because the Node language host cannot be built here (shared/notes/pulumi.md); the
 * examples are still ordinary Pulumi projects that `pulumi up` runs anywhere else.
 */
export interface ExampleRun {
  example: string;
  stackName: string;
  config?: Record<string, { value: string; secret?: boolean }>;
  /** Another compiled program to run in the example's place (tests use their own). */
  programPath?: string;
  workDir?: string;
}

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export function exampleDir(example: string): string {
  return join(REPO_ROOT, 'examples', example);
}

function compiledProgram(example: string): string {
  const path = join(REPO_ROOT, 'dist', 'examples', example, 'index.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
  return path;
}

export async function exampleStack(run: ExampleRun): Promise<Stack> {
  const programPath = run.programPath ?? compiledProgram(run.example);
  const stack = await LocalWorkspace.createOrSelectStack(
    {
      stackName: run.stackName,
      projectName: `windock-${run.example}`,
      program: async () => {
        // A fresh module per run: the program's top level declares the resources.
        delete require.cache[require.resolve(programPath)];
        return require(programPath) as Record<string, unknown>;
      },
    },
    { workDir: run.workDir ?? exampleDir(run.example) },
  );
  if (run.config) await stack.setAllConfig(run.config);
  return stack;
}

function printOutputs(outputs: OutputMap, log: (line: string) => void): void {
  for (const [name, output] of Object.entries(outputs)) {
    log(`  ${name}: ${output.secret ? '[secret]' : JSON.stringify(output.value)}`);
  }
}

async function main(): Promise<void> {
  const [example, command = 'up', stackName = 'dev'] = process.argv.slice(2);
  if (!example) throw new Error('usage: run-example EXAMPLE up|preview|refresh|destroy [STACK]');
  const config: ExampleRun['config'] = {};
  for (const pair of process.env.WINDOCK_EXAMPLE_CONFIG?.split('\n').filter(Boolean) ?? []) {
    const [key, ...rest] = pair.split('=');
    config[key!] = { value: rest.join('=') };
  }
  // Secret values (the quickstart's admin password): kept encrypted in the stack's config.
  for (const pair of process.env.WINDOCK_EXAMPLE_SECRET_CONFIG?.split('\n').filter(Boolean) ?? []) {
    const [key, ...rest] = pair.split('=');
    config[key!] = { value: rest.join('='), secret: true };
  }
  if (process.env.WINDOCK_EXAMPLE_CONFIG_JSON) {
    for (const [key, value] of Object.entries(
      JSON.parse(process.env.WINDOCK_EXAMPLE_CONFIG_JSON) as Record<string, unknown>,
    )) {
      config[key] = { value: typeof value === 'string' ? value : JSON.stringify(value) };
    }
  }
  const onOutput = (line: string) => process.stdout.write(line);
  // Engine events as JSON lines, for tests that assert operations and diffs.
  const eventsFile = process.env.WINDOCK_EVENTS_FILE;
  const onEvent = eventsFile
    ? (event: EngineEvent) => appendFileSync(eventsFile, JSON.stringify(event) + '\n')
    : undefined;
  const stack = await exampleStack({
    example,
    stackName,
    config,
    programPath: process.env.WINDOCK_PROGRAM,
    workDir: process.env.WINDOCK_WORK_DIR,
  });
  switch (command) {
    case 'up': {
      // WINDOCK_UP_DISPLAY=progress: plain `pulumi up`'s display, which shows what providers print
      // while a resource is created (download percent); the diff display leaves those out.
      const diff = process.env.WINDOCK_UP_DISPLAY !== 'progress';
      const result = await stack.up({ onOutput, onEvent, diff });
      printOutputs(result.outputs, console.log);
      break;
    }
    case 'preview':
      await stack.preview({ onOutput, onEvent, diff: true });
      break;
    case 'refresh':
      await stack.refresh({ onOutput, onEvent });
      break;
    case 'destroy':
      await stack.destroy({ onOutput, onEvent });
      break;
    case 'output': {
      const name = process.argv[5];
      const outputs = await stack.outputs();
      process.stdout.write(String(name ? (outputs[name]?.value ?? '') : JSON.stringify(outputs)) + '\n');
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
