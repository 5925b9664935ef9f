// The CLI reads hosts and VMs from the stack through the real pulumi CLI and a file backend: the
// windock:hosts config (plain, and secret: decrypted by pulumi) and the WindowsVm resources in the
// state (a state imported with `pulumi stack import`, so that no VM has to run for this).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHosts, resolveVm } from '../../provider/cli/stack-hosts';

const dir = mkdtempSync(join(tmpdir(), 'windock-cli-stack-'));
const saved = { ...process.env };
const pulumi = (...args: string[]) =>
  execFileSync('pulumi', [...args, '--non-interactive'], { cwd: dir, encoding: 'utf8', env: process.env });

const host = (name: string, address: string) => ({
  name,
  kind: 'ssh',
  host: address,
  user: 'windock',
  hostKey: { fingerprint: 'SHA256:' + 'A'.repeat(43) },
  auth: { privateKeyFile: '~/.ssh/id_ed25519' },
});

/** A state with one WindowsVm (resource "web", VM "web-dev") on host lab-1. */
function importState(stack: string, vmHost: string): void {
  const exported = JSON.parse(pulumi('stack', 'export', '--stack', stack));
  const prefix = `urn:pulumi:${stack}::fleet::`;
  const provider = `${prefix}pulumi:providers:pulumi-nodejs::default`;
  exported.deployment.resources = [
    { urn: `${prefix}pulumi:pulumi:Stack::fleet-${stack}`, custom: false, type: 'pulumi:pulumi:Stack' },
    { urn: provider, custom: true, id: 'p1', type: 'pulumi:providers:pulumi-nodejs' },
    {
      urn: `${prefix}pulumi-nodejs:dynamic/windock:WindowsVm::web`,
      custom: true,
      id: 'vm1',
      type: 'pulumi-nodejs:dynamic/windock:WindowsVm',
      provider: `${provider}::p1`,
      parent: `${prefix}pulumi:pulumi:Stack::fleet-${stack}`,
      inputs: { name: `web-${stack}`, host: vmHost },
      outputs: { name: `web-${stack}`, host: vmHost, containerName: `windock-web-${stack}` },
    },
  ];
  writeFileSync(join(dir, `${stack}.json`), JSON.stringify(exported));
  pulumi('stack', 'import', '--stack', stack, '--file', join(dir, `${stack}.json`));
}

beforeAll(() => {
  mkdirSync(join(dir, 'state'));
  Object.assign(process.env, {
    PULUMI_BACKEND_URL: `file://${join(dir, 'state')}`,
    PULUMI_CONFIG_PASSPHRASE: 'windock-cli-test',
    PULUMI_HOME: join(dir, 'home'),
    PULUMI_SKIP_UPDATE_CHECK: 'true',
  });
  delete process.env.WINDOCK_HOSTS;
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: fleet\nruntime: nodejs\n');
  // "prod": hosts as a secret value; "dev" (created last, so the current stack): plain.
  pulumi('stack', 'init', 'prod');
  pulumi('config', 'set', '--secret', 'windock:hosts', JSON.stringify([host('lab-2', '10.0.0.6')]));
  importState('prod', 'lab-2');
  pulumi('stack', 'init', 'dev');
  pulumi('config', 'set', 'windock:hosts', JSON.stringify([host('lab-1', '10.0.0.5')]));
  importState('dev', 'lab-1');
});

afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('the stack tells the CLI where a VM is', () => {
  it("finds a VM of the project's current stack by its name or its resource name, with its host", async () => {
    for (const name of ['web-dev', 'web']) {
      const target = await resolveVm(name, { cwd: dir });
      expect(target).toMatchObject({ vm: 'web-dev', container: 'windock-web-dev', via: 'the current stack' });
      expect(target.host).toMatchObject({ name: 'lab-1', kind: 'ssh', host: '10.0.0.5' });
    }
  });

  it('reads another stack with --stack, its secret hosts decrypted by pulumi', async () => {
    const target = await resolveVm('web-prod', { cwd: dir, stack: 'prod' });
    expect(target.host).toMatchObject({ name: 'lab-2', host: '10.0.0.6' });
    expect(target.via).toBe('stack "prod"');
  });

  it('a VM the stack does not have is "not found", naming the stack and its VMs', async () => {
    await expect(resolveVm('nosuch', { cwd: dir })).rejects.toThrow(
      'no VM "nosuch" in the current stack; its VMs: web-dev (host lab-1). `windock list` lists them',
    );
    await expect(resolveVm('web-dev', { cwd: dir, stack: 'prod' })).rejects.toThrow(
      /no VM "web-dev" in stack "prod"; its VMs: web-prod \(host lab-2\)\. `windock list --stack prod`/,
    );
  });

  it('WINDOCK_HOSTS overrides the stack hosts; --host overrides the stack VM lookup', async () => {
    const env = { ...process.env, WINDOCK_HOSTS: JSON.stringify([host('lab-1', '192.0.2.1')]) };
    expect((await knownHosts({ cwd: dir, env })).hosts.get('lab-1')).toMatchObject({ host: '192.0.2.1' });
    const target = await resolveVm('other', { cwd: dir, host: 'lab-1' });
    expect(target).toMatchObject({ container: 'windock-other', via: '--host', host: { host: '10.0.0.5' } });
  });

  it('a stack that cannot be read says what pulumi said', async () => {
    await expect(resolveVm('web', { cwd: dir, stack: 'missing' })).rejects.toThrow(
      /pulumi .*failed in .*missing/,
    );
  });
});
