// `windock console` and `windock rdp` for a VM on an SSH host, driven as a user would: a stack
// made by the real Pulumi engine, the CLI run in the project folder (hosts and the VM's host read
// from the stack), a real browser opening the tunnelled console (TLS, noVNC connecting), a TCP
// client reaching the guest's RDP port through the tunnel, and "not found" errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tlsConnect } from 'node:tls';
import * as net from 'node:net';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import Dockerode from 'dockerode';
import { HeadlessPage } from '../image/browser';
import { uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig } from '../rig/pulumi';
import { startSshHosts, type SshHostsRig } from '../rig/ssh-hosts';
import { standinVmArgs } from '../rig/standin-guest';

const CLI = resolve(__dirname, '..', '..', 'dist', 'provider', 'cli', 'main.js');
const rig = new PulumiRig('remote-access', 'test', join(__dirname, '..', 'pulumi', 'programs', 'fleet.js'));
const name = uniqueName('wdk-tun');
let hosts: SshHostsRig;
let config: Record<string, unknown>;
let started: ChildProcess[] = [];

/** The environment a user of this stack has: its backend, passphrase, and pulumi on PATH. */
const cliEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${rig.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: 'windock-tests',
    PULUMI_HOME: process.env.PULUMI_HOME ?? join(rig.workDir, 'home'),
  };
  delete env.WINDOCK_HOSTS;
  return env;
};

/** Runs the CLI to its end in the project folder. */
async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', [CLI, ...args], { cwd: rig.workDir, env: cliEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** Starts a long-running CLI command; resolves with its first stdout line (the address). */
async function startCli(
  ...args: string[]
): Promise<{ child: ChildProcess; line: string; stderr: () => string }> {
  const child = spawn('node', [CLI, ...args], { cwd: rig.workDir, env: cliEnv() });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) done(stdout.split('\n')[0]!);
    });
    child.once('close', (code) => fail(new Error(`windock ${args.join(' ')} exited ${code}: ${stderr}`)));
  });
  return { child, line, stderr: () => stderr };
}

const vmOutputs = (): Record<string, any> => {
  const state = JSON.parse(rig.stateText());
  return state.checkpoint.latest.resources.find((r: any) => r.type.endsWith('windock:WindowsVm')).outputs;
};

const freePort = () =>
  new Promise<number>((done) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => done(port));
    });
  });

const connectRefused = (port: number) =>
  new Promise<boolean>((done) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      done(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED'));
  });

beforeAll(async () => {
  hosts = await startSshHosts(1, { images: [WINDOCK_IMAGE], allowTcpForwarding: true });
  config = {
    'windock:hosts': [hosts.hosts[0]!.config],
    vms: [standinVmArgs({ name, host: hosts.hosts[0]!.name, console: { tls: 'generated' } })],
  };
  rig.ok('up', config);
}, 600_000);

afterEach(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  started = [];
});

afterAll(async () => {
  if (config) rig.run('destroy', config);
  await hosts?.stopAll();
  rig.dispose();
});

describe('a VM on an SSH host, reached from here', () => {
  it('its outputs say how: the windock commands, no secret', () => {
    const outputs = vmOutputs();
    // --stack where the provider process knows its stack, else --host (the VM's name is unique on it).
    const flags = outputs.remoteAccess.includes('--stack') ? '--stack test' : '--host h1';
    expect(outputs.remoteAccess).toBe(
      `console: windock console ${name} ${flags}; rdp: windock rdp ${name} ${flags}`,
    );
    expect(typeof outputs.consoleToken).toBe('object'); // a secret in state (ciphertext); remoteAccess is plain text
    expect(outputs.rdpEndpoint).toMatch(/^127\.0\.0\.1:\d+$/); // the remote host's loopback
  });

  it('windock console tunnels the TLS console: a real browser opens it and noVNC connects', async () => {
    const outputs = vmOutputs();
    const remotePort = outputs.publishedPorts['8006/tcp'] as number;
    const { child, line, stderr } = await startCli('console', name, '--stack', 'test');
    const url = new URL(line);
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).not.toBe(remotePort);
    expect(url.searchParams.get('token')!.length).toBeGreaterThan(20);
    for (let i = 0; i < 50 && !stderr().includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stderr()).toContain('a secret');
    expect(stderr()).toContain(outputs.consoleCertificateFingerprint);

    // The certificate seen through the tunnel is the VM's own (the fingerprint output).
    const presented = await new Promise<string>((done, fail) => {
      const socket = tlsConnect(
        { host: '127.0.0.1', port: Number(url.port), rejectUnauthorized: false },
        () => {
          done(socket.getPeerX509Certificate()!.fingerprint256);
          socket.destroy();
        },
      );
      socket.once('error', fail);
    });
    expect(presented).toBe(outputs.consoleCertificateFingerprint);

    const page = await HeadlessPage.launch();
    try {
      // The user accepts the self-signed certificate after comparing its fingerprint.
      await page.send('Security.setIgnoreCertificateErrors', { ignore: true });
      await page.goto(line);
      await page.waitFor<boolean>("document.getElementById('status')?.textContent === 'connected'", 60_000);
    } finally {
      await page.close();
    }

    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(await connectRefused(Number(url.port))).toBe(true);
  });

  it("windock rdp tunnels to the guest's RDP port (the current stack knows the VM and its host)", async () => {
    // Something answering on the guest's 3389: the stand-in's web server, started through `windock exec`.
    const started = await cli('exec', name, '--', '/bin/sh', '-c', 'httpd -p 3389 -h /www');
    expect(started).toMatchObject({ code: 0 });
    const port = await freePort();
    const { child, line } = await startCli('rdp', name, '--port', String(port));
    expect(line).toBe(`127.0.0.1:${port}`);
    const response = await fetch(`http://${line}/`, { signal: AbortSignal.timeout(15_000) });
    expect((await response.text()).trim()).toBe('windock-standin-ok');
    child.kill('SIGTERM');
    expect(((await once(child, 'close')) as [number | null])[0]).toBe(0);
  });

  it('windock list shows the stack VM on its host', async () => {
    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${name}\\s+h1\\s+running\\s+windock-${name}$`, 'm'));
  });

  it('a missing VM is "not found", naming the stack or the host looked at, not a silent agent', async () => {
    const notInStack = await cli('exec', 'nosuch', '--', 'true');
    expect(notInStack.code).toBe(125);
    expect(notInStack.stderr).toContain(`no VM "nosuch" in the current stack; its VMs: ${name} (host h1)`);
    // --host with the host from the stack's own config (no WINDOCK_HOSTS): the host is asked.
    const notOnHost = await cli('console', '--host', 'h1', 'nosuch');
    expect(notOnHost.code).toBe(1);
    expect(notOnHost.stderr).toContain('no VM "nosuch" on host "h1" (no container windock-nosuch there');
    expect(notOnHost.stderr).toContain(`VMs on that host: ${name} (running)`);
    expect(notOnHost.stderr).not.toMatch(/guest agent/);
  });

  it('a stopped VM: console says it is not running and how to start it', async () => {
    const docker = new Dockerode({ socketPath: hosts.hosts[0]!.socketPath });
    await docker.getContainer(`windock-${name}`).stop({ t: 5 });
    const stopped = await cli('rdp', name);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`VM "${name}" on host "h1" is not running`);
  });
});
