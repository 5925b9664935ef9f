import { ensureIsolatedNetwork } from '../../provider/docker/vm-networks';
import {
  removeIsolatedNetworkIfUnused,
  startWithIsolatedNetwork,
} from '../../provider/docker/isolated-network-cleanup';
import { Cleanup, localDocker, uniqueName, WINDOCK_IMAGE } from '../rig/docker';

const docker = localDocker();

async function networkExists(name: string): Promise<boolean> {
  return (await docker.listNetworks({ filters: { name: [name] } })).some((n) => n.Name === name);
}

/**
 * The per-host isolated network goes with the last container that names it (issue #23), on the
 * real engine. A network of this test's own name stands in for 0-windock-isolated, which other
 * stacks on this machine use meanwhile.
 */
describe('isolated network clean-up', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function containerOn(network: string): Promise<string> {
    const name = uniqueName('dn-docs-net-user');
    const container = await docker.createContainer({
      name,
      Image: WINDOCK_IMAGE,
      Entrypoint: ['sleep', '300'],
      HostConfig: { NetworkMode: network },
    });
    cleanup.add(() => container.remove({ force: true }));
    return container.id;
  }

  it('stays while a created or running container names it, goes with the last one', async () => {
    const network = uniqueName('dn-docs-isolated');
    cleanup.add(() => removeIsolatedNetworkIfUnused(docker, network));
    await ensureIsolatedNetwork(docker, network);
    const id = await containerOn(network);
    // Created, never started: Docker would let the network go under it; the clean-up must not.
    expect(await removeIsolatedNetworkIfUnused(docker, network)).toBe(false);
    await docker.getContainer(id).start();
    expect(await removeIsolatedNetworkIfUnused(docker, network)).toBe(false);
    expect(await networkExists(network)).toBe(true);
    await docker.getContainer(id).remove({ force: true });
    expect(await removeIsolatedNetworkIfUnused(docker, network)).toBe(true);
    expect(await networkExists(network)).toBe(false);
    expect(await removeIsolatedNetworkIfUnused(docker, network)).toBe(false);
  });

  it('a container made just before another delete removed the network still starts', async () => {
    const network = uniqueName('dn-docs-isolated');
    cleanup.add(() => removeIsolatedNetworkIfUnused(docker, network));
    await ensureIsolatedNetwork(docker, network);
    const id = await containerOn(network);
    // The other process listed no container, then removed the network: Docker allows it.
    await docker.getNetwork(network).remove();
    await expect(docker.getContainer(id).start()).rejects.toThrow(/not found/);
    await startWithIsolatedNetwork(docker, id, network);
    expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
    expect(await networkExists(network)).toBe(true);
    await docker.getContainer(id).remove({ force: true });
  });
});
