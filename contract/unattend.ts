import { z } from 'zod';

/** A secret file's name under /run/windock/secrets (the value never travels in the spec). */
const secretName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a secret file name');

/**
 * Settings of the unattended install, without secrets: the admin password, the product key and
 * the domain-join password are named secret files, read by the image when it writes the answer
 * file. The answer file itself is made by one pure generator (lib/unattend) on both sides:
 * at preview to validate (with dummy secrets), in the image to deliver. Windows Setup's own
 * limits (name lengths, characters, time zone ids) are checked by lib/unattend/validate.ts,
 * so this schema only pins the shape.
 */
export const unattendSpec = z.strictObject({
  /** The local administrator created at OOBE (logged on automatically). */
  adminUser: z.string().min(1).max(20),
  adminPasswordSecret: secretName,
  /** Windows' NetBIOS computer name: at most 15 characters, not all digits. */
  computerName: z.string().min(1).max(15),
  /** UI language and user/system locale, like "en-US". */
  locale: z.string().min(2).max(85),
  /** Input locale: a language tag ("de-DE") or "0407:00000407". */
  keyboard: z.string().min(2).max(85),
  /** A Windows time zone id, like "W. Europe Standard Time". */
  timeZone: z.string().min(1).max(64),
  /** A secret file holding the product key; without it the edition's generic key is used. */
  productKeySecret: secretName.optional(),
  /** Remote Desktop on, with its firewall rule group. */
  rdp: z.boolean(),
  domainJoin: z
    .strictObject({
      domain: z.string().min(1).max(255),
      account: z.string().min(1).max(104),
      passwordSecret: secretName,
      /** The OU for the computer account, as a distinguished name. */
      organizationalUnit: z.string().max(1024).optional(),
    })
    .optional(),
  /** Run in order at the first logon, after power settings and before the readiness beacon. */
  firstLogonCommands: z.array(z.string().min(1).max(1024)).max(50),
});

export type UnattendSpec = z.infer<typeof unattendSpec>;

/**
 * An answer file the user brought (`unattend.file`, v4) instead of settings: it may hold
 * passwords, so it travels as the named secret file, and the image writes it onto the answer
 * drive as it is. Absent: windock generates the answer file from `unattend` (as before).
 */
export const ownAnswerFileSpec = z.strictObject({ secret: secretName });

export type OwnAnswerFileSpec = z.infer<typeof ownAnswerFileSpec>;
