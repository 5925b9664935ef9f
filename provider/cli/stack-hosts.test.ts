import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostsConfigValue, resolveHost, resolveVm, vmsInStackExport } from './stack-hosts';

const vmResource = (name: string, outputs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  urn: `urn:pulumi:dev::fleet::pulumi-nodejs:dynamic/windock:WindowsVm::${name}`,
  type: 'pulumi-nodejs:dynamic/windock:WindowsVm',
  inputs: {},
  outputs,
  ...extra,
});

describe('reading the stack', () => {
  it('finds the WindowsVms of a stack export: resource name, VM name, host, container', () => {
    const exported = {
      version: 3,
      deployment: {
        resources: [
          { urn: 'urn:pulumi:dev::fleet::pulumi:pulumi:Stack::fleet-dev', type: 'pulumi:pulumi:Stack' },
          vmResource('web', { name: 'web-dev', host: 'lab-1', containerName: 'windock-web-dev' }),
          vmResource('db', { name: 'db-dev' }),
          vmResource('old', { name: 'old-dev', host: 'lab-1' }, { delete: true }),
        ],
      },
    };
    expect(vmsInStackExport(exported)).toEqual([
      { resource: 'web', vm: 'web-dev', host: 'lab-1', container: 'windock-web-dev' },
      { resource: 'db', vm: 'db-dev', host: 'local', container: 'windock-db-dev' },
    ]);
    expect(vmsInStackExport({ version: 3, deployment: {} })).toEqual([]);
  });

  it('reads windock:hosts from `pulumi config --json`, and says when it is secret', () => {
    expect(hostsConfigValue({ 'windock:hosts': { value: '[]', secret: false } })).toEqual({
      value: '[]',
      secret: false,
    });
    expect(hostsConfigValue({ 'windock:hosts': { secret: true } })).toEqual({ secret: true });
    expect(hostsConfigValue({ 'aws:region': { value: 'x' } })).toEqual({ secret: false });
  });
});

describe('without a stack', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'windock-nostack-')); // no Pulumi.yaml here or above
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const lab = {
    name: 'lab-1',
    kind: 'ssh',
    host: '10.0.0.5',
    user: 'u',
    hostKey: { fingerprint: 'SHA256:' + 'A'.repeat(43) },
    auth: { agent: true },
  };

  it('a VM is on the local host unless --host names one from WINDOCK_HOSTS', async () => {
    await expect(resolveVm('web-1', { cwd, env: {} })).resolves.toMatchObject({
      container: 'windock-web-1',
      host: { name: 'local' },
    });
    const env = { WINDOCK_HOSTS: JSON.stringify([lab]) };
    await expect(resolveVm('web-1', { cwd, env, host: 'lab-1' })).resolves.toMatchObject({
      host: { name: 'lab-1', kind: 'ssh', host: '10.0.0.5' },
      via: '--host',
    });
  });

  it('refuses what cannot be a VM name before any call is made', async () => {
    for (const bad of ['../images/x', 'a/b', '', '-rf', 'a b', 'x?all=1']) {
      await expect(resolveVm(bad, { cwd, env: {} })).rejects.toThrow('is not a VM name');
    }
  });

  it('an unknown host names where hosts were read from and the fix', async () => {
    await expect(resolveHost('lab-9', { cwd, env: {} })).rejects.toThrow(
      /host "lab-9" is not configured \(hosts read from nowhere \(no Pulumi project here: pass --stack NAME, or set WINDOCK_HOSTS\); known: local\)/,
    );
    await expect(
      resolveHost('lab-9', { cwd, env: { WINDOCK_HOSTS: JSON.stringify([lab]) } }),
    ).rejects.toThrow(/hosts read from WINDOCK_HOSTS; known: local, lab-1/);
  });
});
