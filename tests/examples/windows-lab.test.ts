import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { localDocker } from '../rig/docker';
import { PulumiRig, resourceSteps, type EngineRun } from '../rig/pulumi';

/**
 * examples/windows-lab through the real engine, preview only: Windows cannot be installed on
 * this machine (no Microsoft download, no real KVM), so no `up`. The preview runs in a network
 * namespace with nothing but loopback: it must need no network at all (no media download, no
 * request to Microsoft), only the local Docker engine's socket.
 */
const REPO = resolve(__dirname, '..', '..');
const RUNNER = join(REPO, 'dist', 'examples', 'runner', 'run-example.js');
const PROGRAM = join(REPO, 'dist', 'examples', 'windows-lab', 'index.js');
const EXAMPLE = join(REPO, 'examples', 'windows-lab');

// The test's own LAN: a Linux bridge standing in for the host's NIC, and a macvlan Docker network on it.
const BRIDGE = 'wdk-f7-br0';
const LAN_NETWORK = 'windock-f7-lan';
const LAN_SUBNET = '192.168.177.0/24';
const SERVER_ADDRESS = '192.168.177.20';
const STACK = 'ci';

const docker = localDocker();

function quiet(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

function removeLan(): void {
  quiet('docker', ['network', 'rm', LAN_NETWORK]);
  quiet('ip', ['link', 'del', BRIDGE]);
}

function createLan(): void {
  removeLan(); // what an earlier, killed run left
  execFileSync('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  execFileSync('ip', ['link', 'set', BRIDGE, 'up']);
  execFileSync('docker', [
    'network',
    'create',
    '-d',
    'macvlan',
    '-o',
    `parent=${BRIDGE}`,
    '--subnet',
    LAN_SUBNET,
    LAN_NETWORK,
  ]);
}

/** The engine's environment for a rig, as PulumiRig sets it. */
function engineEnv(rig: PulumiRig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${rig.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: 'windock-tests',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_HOME: process.env.PULUMI_HOME ?? join(rig.workDir, 'home'),
    ...extra,
  };
}

/** The example's own Pulumi.yaml, its stack, and the admin password as an encrypted secret (through stdin, never argv). */
function stackWithSecret(rig: PulumiRig, password: string): void {
  copyFileSync(join(EXAMPLE, 'Pulumi.yaml'), join(rig.workDir, 'Pulumi.yaml'));
  const options = { cwd: rig.workDir, env: engineEnv(rig), stdio: 'pipe' as const };
  execFileSync('pulumi', ['stack', 'select', '--create', STACK, '--non-interactive'], options);
  execFileSync('pulumi', ['config', 'set', '--secret', 'adminPassword', '--non-interactive'], {
    ...options,
    input: password,
  });
  const stackFile = readFileSync(join(rig.workDir, `Pulumi.${STACK}.yaml`), 'utf8');
  if (!/adminPassword:\s*\n\s*secure:/.test(stackFile) || stackFile.includes(password))
    throw new Error(`adminPassword is not an encrypted secret in the stack config:\n${stackFile}`);
}

/** `pulumi preview --diff` of the example in a fresh network namespace (loopback only). */
function previewOffline(rig: PulumiRig, config: Record<string, unknown>): EngineRun {
  const events = join(rig.workDir, `events-${Date.now()}.jsonl`);
  writeFileSync(events, '');
  const result = spawnSync(
    'unshare',
    [
      '--net',
      '--',
      'sh',
      '-c',
      // Nothing but lo in the namespace, or the test proves nothing.
      'ip link set lo up && [ "$(ip -o link | wc -l)" = 1 ] || { echo "namespace has more than lo"; exit 99; }; exec "$@"',
      'sh',
      process.execPath,
      RUNNER,
      'windows-lab',
      'preview',
      STACK,
    ],
    {
      encoding: 'utf8',
      timeout: 300_000,
      env: engineEnv(rig, {
        WINDOCK_PROGRAM: PROGRAM,
        WINDOCK_WORK_DIR: rig.workDir,
        WINDOCK_EVENTS_FILE: events,
        WINDOCK_EXAMPLE_CONFIG_JSON: JSON.stringify(config),
      }),
    },
  );
  const eventLines = readFileSync(events, 'utf8').split('\n').filter(Boolean);
  return {
    status: result.status ?? -1,
    output: `${result.stdout}\n${result.stderr}`,
    events: eventLines.map((line) => JSON.parse(line) as Record<string, any>),
  };
}

/** Everything the preview left in the rig's folder: events, stack config, the backend. */
function filesText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return filesText(path);
      return e.isFile() ? readFileSync(path, 'latin1') : ''; // node_modules is a link: not followed
    })
    .join('\n');
}

async function ownObjects(): Promise<string[]> {
  const containers = (await docker.listContainers({ all: true })).flatMap((c) => c.Names);
  const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
  return [...containers, ...volumes].filter((n) => /windock-(desktop|server)-ci/.test(n));
}

describe('windows-lab example (preview only: Windows cannot be installed here)', () => {
  let folders: string;
  let config: Record<string, unknown>;

  beforeAll(() => {
    createLan();
    // Share folders must be where hosts allow them (default allowedHostPaths: /srv, /mnt, ...).
    mkdirSync('/srv', { recursive: true });
    folders = mkdtempSync('/srv/windock-f7-lab-');
    for (const name of ['samples', 'results']) execFileSync('mkdir', ['-p', join(folders, name)]);
    config = {
      lanNetwork: LAN_NETWORK,
      serverAddress: SERVER_ADDRESS,
      samplesDir: join(folders, 'samples'),
      resultsDir: join(folders, 'results'),
      // This machine has 2 CPUs (preflight refuses more vCPUs than the host has).
      cpu: 2,
    };
  });

  afterAll(() => {
    removeLan();
    rmSync(folders, { recursive: true, force: true });
  });

  it('previews two Windows installs and a snapshot with no network access, and never shows the admin password (TCG: no real KVM here)', async () => {
    const password = `Lab-${randomBytes(12).toString('hex')}!`;
    const rig = new PulumiRig('windows-lab', STACK, PROGRAM);
    try {
      stackWithSecret(rig, password);
      const preview = previewOffline(rig, { ...config, accelerator: 'tcg' });
      if (preview.status !== 0) throw new Error(`preview failed:\n${preview.output.slice(-6000)}`);

      const vms = resourceSteps(preview);
      expect(vms.map((s) => [s.urn.split('::').pop(), s.op]).sort()).toEqual([
        ['desktop', 'create'],
        ['server', 'create'],
      ]);
      const snapshots = resourceSteps(preview, 'pulumi-nodejs:dynamic/windock:WindowsSnapshot');
      expect(snapshots.map((s) => [s.urn.split('::').pop(), s.op])).toEqual([['clean', 'create']]);

      // The inputs the provider checked, normalized: what `up` would build.
      const desktop = vms.find((s) => s.urn.endsWith('::desktop'))!.new!.inputs!;
      expect(desktop.name).toBe('desktop-ci');
      expect(desktop.media).toMatchObject({ kind: 'windows', version: '11', edition: 'pro', source: 'auto' });
      expect(desktop.nics).toEqual([{ mode: 'nat', egress: { policy: 'internet', allow: [] } }]);
      expect(desktop.rdp).toEqual({ enabled: true, bind: '127.0.0.1' });
      expect(desktop.shares).toEqual([
        { name: 'Results', hostPath: join(folders, 'results'), readOnly: false },
        { name: 'Samples', hostPath: join(folders, 'samples'), readOnly: true },
      ]);
      expect(desktop.recording).toEqual({ onStart: true, framesPerSecond: 2, format: 'webm' });
      expect(desktop.audio).toEqual({ microphone: false, capture: 'wav' });
      expect(desktop.changeImpact).toMatch(/^create/);
      const server = vms.find((s) => s.urn.endsWith('::server'))!.new!.inputs!;
      expect(server.media).toMatchObject({ kind: 'windows', version: 'server-2022', edition: 'standard' });
      expect(server.nics).toEqual([{ mode: 'lan', dockerNetwork: LAN_NETWORK, ipv4Address: SERVER_ADDRESS }]);
      expect(server.rdp.enabled).toBe(false);

      // The password: not in the engine's output, its events, the stack config or the backend.
      expect(preview.output).not.toContain(password);
      expect(JSON.stringify(preview.events)).not.toContain(password);
      expect(filesText(rig.workDir)).not.toContain(password);
      // A preview makes nothing.
      expect(await ownObjects()).toEqual([]);
    } finally {
      rig.dispose();
    }
  });

  it('refuses the default accelerator "kvm" at preview on a host without real KVM, naming the field', () => {
    const password = `Lab-${randomBytes(12).toString('hex')}!`;
    const rig = new PulumiRig('windows-lab', STACK, PROGRAM);
    try {
      stackWithSecret(rig, password);
      const preview = previewOffline(rig, config);
      expect(preview.status).not.toBe(0);
      expect(preview.output).toMatch(/accelerator: accelerator "kvm" was requested but/);
      expect(preview.output).not.toContain(password);
    } finally {
      rig.dispose();
    }
  });
});
