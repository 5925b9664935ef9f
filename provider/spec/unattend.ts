import { z } from 'zod';

/**
 * Settings of the unattended install, without secrets: the admin password is a named secret
 * file, read by the image when it writes the answer file. The answer file itself is made by
 * one pure generator (provider/unattend) on both sides: at preview to validate, in the image to deliver.
 */
export const unattendSpec = z.strictObject({
  adminUser: z.string().min(1).max(20),
  adminPasswordSecret: z.string(),
  computerName: z.string().min(1).max(15),
  locale: z.string(),
  keyboard: z.string(),
  timeZone: z.string(),
  productKey: z.string().optional(),
  rdp: z.boolean(),
  firstLogonCommands: z.array(z.string().max(1024)).max(50),
});

export type UnattendSpec = z.infer<typeof unattendSpec>;
