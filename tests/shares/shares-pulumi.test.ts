// WindowsVm `shares` through the real Pulumi engine (file backend) on the local Docker engine:
// a system location refused at preview with the field and the fix, the generated password a
// secret output (never plain in state, argv or `docker inspect`), the shares' capabilities and
// mounts on the container only while shares exist, adding/removing a share as a restart.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execOutput } from '../../provider/docker/exec-output';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';
import { testHostDir } from './rig';

/** The marker of a secret value in Pulumi's state. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

describe('WindowsVm shares through the real engine', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-shares-pl');
  const rig = new PulumiRig('shares', 'test', join(__dirname, '..', 'pulumi', 'programs', 'one-vm.js'));
  const hostDir = testHostDir('shares-pl');
  writeFileSync(join(hostDir, 'hello.txt'), 'hello\n');
  const base = standinVmArgs({ name });
  const config = (vm: Record<string, unknown>) => ({ vm: { ...base, ...vm } });
  const withShare = config({ shares: [{ name: 'Data', hostPath: hostDir }] });
  const container = () => docker.getContainer(`windock-${name}`);
  let volumeName = '';

  afterAll(async () => {
    rig.run('destroy', config({}));
    await cleanup.run();
    rig.dispose();
    rmSync(hostDir, { recursive: true, force: true });
  });
  cleanup.add(() => container().remove({ force: true }));

  it('refuses a system location of the host at preview, naming the field and the fix', () => {
    const run = rig.run('preview', config({ shares: [{ name: 'Data', hostPath: '/etc/ssh' }] }));
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(
      /shares\.0\.hostPath: share "Data": "\/etc\/ssh" is inside the host's system location \/etc: share a folder of your own/,
    );
    const missing = rig.run('preview', config({ shares: [{ name: 'Data', volume: `${name}-nothing` }] }));
    expect(missing.status).not.toBe(0);
    expect(missing.output).toMatch(
      /shares\.0\.volume: share "Data": volume ".*" does not exist on host "local"/,
    );
  });

  it('creates the VM with its share; the password is a secret output and a 0400 file only', async () => {
    rig.ok('up', withShare);
    const info = await container().inspect();
    volumeName = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(volumeName).remove());
    expect([...(info.HostConfig.CapAdd ?? [])].sort()).toEqual(['SETGID', 'SETUID']);
    expect(info.Mounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Type: 'bind', Source: hostDir, Destination: '/shares/Data', RW: true }),
      ]),
    );

    const secret = await execOutput(docker, info.Id, ['cat', '/run/windock/secrets/share-password']);
    const password = secret.stdout.trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    const state = rig.stateText();
    expect(state).not.toContain(password);
    const resources = JSON.parse(state).checkpoint.latest.resources as Array<{
      type: string;
      outputs?: Record<string, unknown>;
    }>;
    const outputs = resources.find((r) => r.type.endsWith('windock:WindowsVm'))!.outputs!;
    expect(outputs.sharePassword).toMatchObject({ [SECRET_SIG]: expect.any(String) });
    expect(outputs.shareAuth).toEqual({ mode: 'password', user: 'windock' });
    expect(JSON.stringify(info)).not.toContain(password);

    // smbd took the password into its own passdb and serves the share.
    const logs = await execOutput(docker, info.Id, ['sh', '-c', 'cat /proc/[0-9]*/cmdline | tr "\\0" " "']);
    expect(logs.stdout).toContain('smbd');
    expect(logs.stdout).not.toContain(password);
  });

  it('removing the share is a restart that takes the capabilities and the mount away', async () => {
    const preview = rig.ok('preview', config({}));
    expect(resourceSteps(preview)[0]?.new?.inputs?.changeImpact).toMatch(/^restart: shares changed/);
    rig.ok('up', config({}));
    const info = await container().inspect();
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect(info.Mounts.some((m) => m.Destination.startsWith('/shares'))).toBe(false);
  });
});
