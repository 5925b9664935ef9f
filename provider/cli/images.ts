import { DEFAULT_IMAGE } from '../config/provider-config';
import { sharedHostPool } from '../hosts';
import { pruneImageCache } from '../images/prune';
import { resolveHost } from './stack-hosts';

export const IMAGES_USAGE = `usage: windock images prune [--stack NAME] [--host NAME] [--image IMAGE]

Removes the disk images in a host's image cache that no VM container on the host uses (running
or stopped), and partial transfers. Deleting a VM never removes its image; this does.

  --host NAME     the host (default: local; hosts from the stack or WINDOCK_HOSTS, as in exec)
  --stack NAME    the stack whose windock:hosts names the host (default: the current stack here)
  --image IMAGE   the windock image that runs the cache helper (default: WINDOCK_IMAGE, or the provider's default)`;

export interface ImagesArgs {
  action: 'prune';
  host: string;
  stack?: string;
  image?: string;
}

export class ImagesUsageError extends Error {}

/** Parses `images` arguments (everything after `windock images`). Pure. */
export function parseImagesArgs(args: string[]): ImagesArgs {
  const [action, ...rest] = args;
  if (action !== 'prune') throw new ImagesUsageError(`say prune${action ? ` (not "${action}")` : ''}`);
  const parsed: ImagesArgs = { action, host: 'local' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = rest[++i];
    if (value === undefined || value.startsWith('--')) throw new ImagesUsageError(`${arg} needs a value`);
    if (arg === '--host') parsed.host = value;
    else if (arg === '--image') parsed.image = value;
    else if (arg === '--stack') parsed.stack = value;
    else throw new ImagesUsageError(`unknown option ${arg}`);
  }
  return parsed;
}

export async function images(args: ImagesArgs): Promise<number> {
  const docker = sharedHostPool().get(await resolveHost(args.host, args));
  const pruned = await pruneImageCache(docker, args.image ?? DEFAULT_IMAGE);
  for (const digest of pruned.removed) process.stdout.write(`removed sha256:${digest}\n`);
  for (const digest of pruned.kept) process.stdout.write(`kept    sha256:${digest} (a VM uses it)\n`);
  return 0;
}
