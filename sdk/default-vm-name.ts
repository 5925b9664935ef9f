import { createHash } from 'node:crypto';

/**
 * The VM's name on its host when the program gives none: the resource name and the stack, so
 * two stacks of one program on one host never collide (containers, volumes). A DNS label of at
 * most 41 characters; a long one keeps a hash of the whole so it stays unique.
 */
export function defaultVmName(resourceName: string, stack: string): string {
  const full = `${resourceName}-${stack}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (full.length <= 41) return full || 'vm';
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 32).replace(/-$/, '')}-${hash}`;
}
