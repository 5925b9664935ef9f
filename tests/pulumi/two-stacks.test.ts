import { join } from 'node:path';
import { localDocker } from '../rig/docker';
import { PulumiRig } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';

/** Two stacks of one program on one host: their VMs' names, ports and volumes never collide. */
describe('two stacks on one host', () => {
  const docker = localDocker();
  const program = join(__dirname, 'programs', 'one-vm.js');
  const stacks = ['alpha', 'beta'].map((stack) => new PulumiRig('twostacks', stack, program));
  const config = { resourceName: 'shared', vm: standinVmArgs() };

  afterAll(() => {
    for (const rig of stacks) {
      rig.run('destroy', config);
      rig.dispose();
    }
  });

  it('runs both, each with its own container, volume and ports', async () => {
    for (const rig of stacks) rig.ok('up', config);
    const [alpha, beta] = await Promise.all(
      ['alpha', 'beta'].map((stack) => docker.getContainer(`windock-shared-${stack}`).inspect()),
    );
    expect(alpha!.State.Running && beta!.State.Running).toBe(true);
    const volume = (info: typeof alpha) => info!.Mounts.find((m) => m.Destination === '/storage')!.Name;
    expect(volume(alpha)).not.toBe(volume(beta));
    const port = (info: typeof alpha) => info!.NetworkSettings.Ports['8006/tcp']![0]!.HostPort;
    expect(port(alpha)).not.toBe(port(beta));
  });

  it('destroys one without touching the other', async () => {
    stacks[0]!.ok('destroy', config);
    await expect(docker.getContainer('windock-shared-alpha').inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await docker.getContainer('windock-shared-beta').inspect()).State.Running).toBe(true);
  });
});
