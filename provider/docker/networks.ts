// Networks on one host.
import type { DockerEngine, NetworkInfo } from './engine';
import { orUndefined } from './containers';

export function inspectNetwork(docker: DockerEngine, nameOrId: string): Promise<NetworkInfo | undefined> {
  return orUndefined(docker.getNetwork(nameOrId).inspect());
}

export async function networkExists(docker: DockerEngine, nameOrId: string): Promise<boolean> {
  return (await inspectNetwork(docker, nameOrId)) !== undefined;
}
