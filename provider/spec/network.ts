import { z } from 'zod';

export const macAddress = z
  .string()
  .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a lowercase MAC address like 52:54:00:12:34:56');

export const portForward = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
  protocol: z.enum(['tcp', 'udp']),
  /** Port inside the guest. */
  guest: z.number().int().min(1).max(65535),
  /** Port on the container's interface that forwards to the guest; Docker publishes it. */
  container: z.number().int().min(1).max(65535),
});

export const networkSpec = z.strictObject({
  /** user: QEMU user-mode networking, no extra privileges; none: no NIC. */
  mode: z.enum(['user', 'none']),
  mac: macAddress,
  ports: z.array(portForward),
});

export type NetworkSpec = z.infer<typeof networkSpec>;
export type PortForward = z.infer<typeof portForward>;
