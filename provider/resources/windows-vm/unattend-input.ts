import { z } from 'zod';
import type { InstallSpec, UnattendSpec, VmSpec } from '../../../contract';
import { answerFile, computerNameFor } from '../../../lib/unattend';
import { ANSWER_FILE_SECRET, ownAnswerFileSecret } from './own-answer-file';

/** Secret files the answer file's secrets travel in (/run/windock/secrets, mode 0400). */
export const UNATTEND_SECRETS = {
  adminPassword: 'admin-password',
  productKey: 'product-key',
  domainPassword: 'domain-join-password',
} as const;

/**
 * The unattended Windows setup of a VM installed from Windows media, as settings windock writes
 * into an answer file. Windows Setup's own limits are checked at preview by generating and
 * validating the answer file.
 */
const generatedUnattendInput = z.strictObject({
  adminUser: z
    .string()
    .default('admin')
    .describe('The local administrator (logged on automatically); at most 20 characters.'),
  adminPassword: z
    .string()
    .describe(
      'Its password (pass a Pulumi secret): written to a 0400 secret file, never into the spec or env.',
    ),
  computerName: z
    .string()
    .optional()
    .describe("Windows' computer name; default: the VM name trimmed to Windows' rules (15 characters)."),
  locale: z.string().default('en-US').describe('UI language and region, like "en-US".'),
  keyboard: z.string().optional().describe('Keyboard, like "de-DE" or "0407:00000407"; default: the locale.'),
  timeZone: z.string().default('UTC').describe('A Windows time zone id, like "W. Europe Standard Time".'),
  productKey: z
    .string()
    .optional()
    .describe("A product key (pass a Pulumi secret); default: the edition's generic key."),
  domainJoin: z
    .strictObject({
      domain: z.string(),
      account: z.string(),
      password: z.string().describe('Pass a Pulumi secret.'),
      organizationalUnit: z.string().optional(),
    })
    .optional()
    .describe('Join an Active Directory domain during setup.'),
  rdp: z.boolean().default(true).describe('Remote Desktop on, with its firewall rule.'),
  firstLogonCommands: z
    .array(z.string())
    .max(50)
    .default([])
    .describe('Commands run in order at the first logon (before the readiness beacon).'),
});

/**
 * Or the user's own answer file, as dockur users mount theirs. A path, not a content input: the
 * file may hold passwords, and a path keeps them out of the program, the state (even encrypted)
 * and the spec; the provider reads it at preview (checked) and at each start of an unfinished
 * install (handed over as a secret file).
 */
const ownAnswerFileInput = z.strictObject({
  file: z
    .string()
    .min(1)
    .describe(
      'Your own answer file (autounattend.xml) on the machine running Pulumi, used as it is instead of the settings; checked at preview. It may hold passwords: it reaches the VM as a secret file, never the spec or state.',
    ),
});

const SETTINGS = Object.keys(generatedUnattendInput.shape);

/**
 * One message for either shape (check.ts puts "unattend: " before it): mixing them, or the
 * settings' own first problem.
 */
function unattendShapeError(issue: {
  input?: unknown;
  errors?: Array<Array<{ path: PropertyKey[]; message: string }>>;
}): string {
  const input = (issue.input ?? {}) as Record<string, unknown>;
  if (input && typeof input === 'object' && 'file' in input) {
    const mixed = Object.keys(input).filter((k) => k !== 'file');
    return mixed.length > 0
      ? `file is your own answer file: leave out ${mixed.join(', ')} (windock writes those only into a file it makes), or remove file`
      : 'file: give the path of an answer file (a string)';
  }
  const first = issue.errors?.[1]?.[0];
  return first
    ? `${first.path.map(String).join('.') || 'settings'}: ${first.message} (or give file: your own answer file instead of the settings ${SETTINGS.join(', ')})`
    : 'give either file (your own answer file) or the settings';
}

export const unattendInput = z.union([ownAnswerFileInput, generatedUnattendInput], {
  error: (issue) => unattendShapeError(issue as never),
});

export type UnattendInput = z.output<typeof unattendInput>;
export type GeneratedUnattendInput = z.output<typeof generatedUnattendInput>;
export type OwnAnswerFileInput = z.output<typeof ownAnswerFileInput>;

export const isOwnAnswerFile = (input: UnattendInput): input is OwnAnswerFileInput => 'file' in input;

/** The spec's unattend settings (secrets as file names). Pure. */
export function unattendSpecFor(vmName: string, input: GeneratedUnattendInput): UnattendSpec {
  return {
    adminUser: input.adminUser,
    adminPasswordSecret: UNATTEND_SECRETS.adminPassword,
    computerName: input.computerName ?? computerNameFor(vmName),
    locale: input.locale,
    keyboard: input.keyboard ?? input.locale,
    timeZone: input.timeZone,
    ...(input.productKey ? { productKeySecret: UNATTEND_SECRETS.productKey } : {}),
    rdp: input.rdp,
    ...(input.domainJoin
      ? {
          domainJoin: {
            domain: input.domainJoin.domain,
            account: input.domainJoin.account,
            passwordSecret: UNATTEND_SECRETS.domainPassword,
            ...(input.domainJoin.organizationalUnit
              ? { organizationalUnit: input.domainJoin.organizationalUnit }
              : {}),
          },
        }
      : {}),
    firstLogonCommands: input.firstLogonCommands,
  };
}

/** The secret files of an unattended install (reads the user's own answer file). */
export function unattendSecrets(input: UnattendInput | undefined): Record<string, string> {
  if (!input) return {};
  if (isOwnAnswerFile(input)) return ownAnswerFileSecret(input.file);
  return {
    [UNATTEND_SECRETS.adminPassword]: input.adminPassword,
    ...(input.productKey ? { [UNATTEND_SECRETS.productKey]: input.productKey } : {}),
    ...(input.domainJoin ? { [UNATTEND_SECRETS.domainPassword]: input.domainJoin.password } : {}),
  };
}

/** The install with its unattend settings, when the VM has both. Pure. */
export function withUnattend(spec: VmSpec, vmName: string, input: UnattendInput | undefined): VmSpec {
  if (!spec.install || !input) return spec;
  const install: InstallSpec = isOwnAnswerFile(input)
    ? { ...spec.install, answerFile: { secret: ANSWER_FILE_SECRET } }
    : { ...spec.install, unattend: unattendSpecFor(vmName, input) };
  return { ...spec, install };
}

// Issue fields of the generator name spec paths; users know their inputs.
const INPUT_FIELD: Record<string, string> = {
  'unattend.adminPassword': 'unattend.adminPassword',
  'unattend.productKey': 'unattend.productKey',
  'unattend.domainJoin.password': 'unattend.domainJoin.password',
};

/**
 * Preview-time check: the answer file these inputs make, validated against Windows Setup's
 * limits. Secrets are checked with their values when known; the engine leaves unknown ones out.
 * Each message names the input and the fix.
 */
export function unattendIssues(
  vmName: string,
  input: GeneratedUnattendInput,
  windows: { version: string; edition: string; evaluation: boolean },
  firmware: 'uefi' | 'uefi-secure' | 'bios',
): Array<{ field: string; message: string }> {
  const result = answerFile({
    windows,
    firmware,
    settings: unattendSpecFor(vmName, input),
    secrets: {
      adminPassword: input.adminPassword,
      ...(input.productKey ? { productKey: input.productKey } : {}),
      ...(input.domainJoin ? { domainPassword: input.domainJoin.password } : {}),
    },
    drivers: true,
  });
  if (result.ok) return [];
  const seen = new Set<string>();
  return result.issues
    .map((issue) => ({
      field: INPUT_FIELD[issue.field] ?? (issue.field.startsWith('windows.') ? 'media' : issue.field),
      message: issue.message,
    }))
    .filter((issue) => {
      const key = `${issue.field}:${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Which Windows the preview validates the answer file for (a URL or ISO install names none: 11 Pro). */
export function previewWindows(
  media: unknown,
): { version: string; edition: string; evaluation: boolean } | undefined {
  const m = media as { kind?: string; version?: string; edition?: string } | undefined;
  if (m?.kind === 'windows' && m.version) {
    const edition =
      m.edition ??
      (m.version.startsWith('server-')
        ? 'standard'
        : m.version === '11-ltsc'
          ? 'iot-enterprise'
          : m.version === '10-ltsc'
            ? 'enterprise'
            : 'pro');
    return { version: m.version, edition, evaluation: false };
  }
  if (m?.kind === 'url' || m?.kind === 'iso') return undefined;
  return undefined;
}

/** The refinement inputs.ts runs: unattend needs install media, and must make a valid answer file. */
export function unattendRefinement(vm: {
  name: string;
  media?: unknown;
  firmware: 'uefi' | 'uefi-secure' | 'bios';
  unattend?: UnattendInput;
}): Array<{ path: string[]; message: string }> {
  if (!vm.unattend) return [];
  const kind = (vm.media as { kind?: string } | undefined)?.kind;
  if (kind !== 'windows' && kind !== 'url' && kind !== 'iso')
    return [
      {
        path: ['unattend'],
        message:
          'unattend configures a fresh Windows install: give media of kind "windows", "url" or "iso", or remove unattend',
      },
    ];
  // The user's own file is read and checked at preview by check.ts (ownAnswerFileFailures).
  if (isOwnAnswerFile(vm.unattend)) return [];
  const windows = previewWindows(vm.media);
  return unattendIssues(
    vm.name,
    vm.unattend,
    windows ?? { version: '11', edition: 'pro', evaluation: false },
    vm.firmware,
  )
    .filter((issue) => windows || issue.field !== 'media')
    .map((issue) => ({ path: issue.field.split('.'), message: `${issue.field}: ${issue.message}` }));
}
