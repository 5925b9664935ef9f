import { createHash } from 'node:crypto';

/** A stable mdev UUID for (host, vm, parent, type): printable at preview, the same on every run. */
export function derivedMdevUuid(host: string, vm: string, parent: string, type: string): string {
  const h = createHash('sha256').update(`windock-mdev\0${host}\0${vm}\0${parent}\0${type}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
