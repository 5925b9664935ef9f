// How to reach a Docker host. Hosts are stack configuration (never VM inputs): a VM names a host,
// the stack says how to reach it. Parsing is pure: no file is read and nothing is contacted here.
import { z } from 'zod';
import { allowedHostPathsField } from '../security/allowed-host-paths';
import { HostConfigError } from './errors';

const FINGERPRINT_HELP =
  "pin the host's SSH key: run `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host " +
  '(or `ssh-keyscan -p PORT HOST | ssh-keygen -lf -` and compare it out of band), ' +
  "then set hostKey: { fingerprint: 'SHA256:...' }, or point hostKey: { knownHostsFile: '~/.ssh/known_hosts' } " +
  'at a known_hosts file that already has the host; windock never trusts a key on first use';

/** `SHA256:` + 43 base64 characters (32 bytes, padding dropped), as `ssh-keygen -lf` prints it. */
export const SHA256_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

const hostName = z
  .string({ error: 'name is required: a short id for the host, e.g. "gpu-1"' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    error:
      'name must be 1-63 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

const nonEmpty = (field: string, what: string) =>
  z
    .string({ error: `${field} is required: ${what}` })
    .min(1, { error: `${field} must not be empty: ${what}` });

const port = (field: string) =>
  z
    .number({ error: `${field} must be a number (1-65535)` })
    .int({ error: `${field} must be a whole number` })
    .min(1, { error: `${field} must be between 1 and 65535` })
    .max(65535, { error: `${field} must be between 1 and 65535` });

const pemOrPath = (field: string) =>
  nonEmpty(field, 'a PEM string ("-----BEGIN ...") or the path of a PEM file');

// ---------------------------------------------------------------------------------------------------------

export const LocalHostConfigSchema = z.strictObject({
  name: hostName,
  kind: z.literal('local'),
  /** Unix socket of the engine; default /var/run/docker.sock. */
  socketPath: nonEmpty('socketPath', 'the path of the Docker engine socket').optional(),
  /** Folders of this host VMs may get as host paths (shares, ISOs, ROMs); default: allowed-host-paths.ts. */
  allowedHostPaths: allowedHostPathsField,
});

export const TlsHostConfigSchema = z.strictObject({
  name: hostName,
  kind: z.literal('tcp-tls'),
  host: nonEmpty('host', 'the DNS name or IP address of the Docker engine (must match its certificate)'),
  port: port('port').default(2376),
  ca: pemOrPath('ca'),
  cert: pemOrPath('cert'),
  key: pemOrPath('key'),
  allowedHostPaths: allowedHostPathsField,
});

const fingerprint = z
  .string({ error: `hostKey.fingerprint must be a string like "SHA256:..."; ${FINGERPRINT_HELP}` })
  .transform((s) => s.trim().replace(/=+$/, ''))
  .refine((s) => SHA256_FINGERPRINT.test(s), {
    error: (issue) =>
      /^(MD5:)?([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(String(issue.input))
        ? `hostKey.fingerprint is an MD5 fingerprint; use the SHA-256 one: ${FINGERPRINT_HELP}`
        : `hostKey.fingerprint must be "SHA256:" followed by 43 base64 characters, as \`ssh-keygen -lf\` prints it; ${FINGERPRINT_HELP}`,
  });

const SshHostKeySchema = z
  .strictObject(
    {
      fingerprint: fingerprint.optional(),
      knownHostsFile: nonEmpty('hostKey.knownHostsFile', 'the path of a known_hosts file').optional(),
    },
    { error: `hostKey is required; ${FINGERPRINT_HELP}` },
  )
  .superRefine((v, ctx) => {
    const n = (v.fingerprint ? 1 : 0) + (v.knownHostsFile ? 1 : 0);
    if (n !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          n === 0
            ? `hostKey needs fingerprint or knownHostsFile; ${FINGERPRINT_HELP}`
            : 'hostKey takes fingerprint OR knownHostsFile, not both',
      });
    }
  })
  .transform((v) =>
    v.fingerprint
      ? ({ fingerprint: v.fingerprint } as const)
      : ({ knownHostsFile: v.knownHostsFile as string } as const),
  );

const AUTH_HELP =
  'set auth: { privateKeyFile: "~/.ssh/id_ed25519" } (or privateKey: "<PEM>"; passphrase if it is encrypted), ' +
  'or auth: { agent: true } to use $SSH_AUTH_SOCK (agentSocket: "/path" for another agent)';

const SshAuthSchema = z
  .strictObject(
    {
      privateKey: nonEmpty('auth.privateKey', 'the private key as a PEM/OpenSSH string').optional(),
      privateKeyFile: nonEmpty('auth.privateKeyFile', 'the path of a private key file').optional(),
      passphrase: z.string({ error: 'auth.passphrase must be a string' }).optional(),
      agent: z.literal(true, { error: 'auth.agent must be true (or leave it out)' }).optional(),
      agentSocket: nonEmpty('auth.agentSocket', 'the path of an ssh-agent socket').optional(),
    },
    { error: `auth is required; ${AUTH_HELP}` },
  )
  .superRefine((v, ctx) => {
    const keys = (v.privateKey ? 1 : 0) + (v.privateKeyFile ? 1 : 0);
    const agent = v.agent || v.agentSocket;
    if (keys === 0 && !agent) ctx.addIssue({ code: 'custom', message: `auth has no method; ${AUTH_HELP}` });
    if (keys === 2)
      ctx.addIssue({ code: 'custom', message: 'auth takes privateKey OR privateKeyFile, not both' });
    if (keys > 0 && agent)
      ctx.addIssue({ code: 'custom', message: 'auth takes a private key OR an agent, not both' });
    if (v.passphrase !== undefined && keys === 0)
      ctx.addIssue({ code: 'custom', message: 'auth.passphrase only applies to privateKey/privateKeyFile' });
  })
  .transform((v) =>
    v.privateKey || v.privateKeyFile
      ? ({
          ...(v.privateKey ? { privateKey: v.privateKey } : { privateKeyFile: v.privateKeyFile as string }),
          ...(v.passphrase !== undefined ? { passphrase: v.passphrase } : {}),
        } as SshKeyAuth)
      : ({ agent: true, ...(v.agentSocket ? { agentSocket: v.agentSocket } : {}) } as SshAgentAuth),
  );

// Parsed shapes keep the input's field names, so parsing a parsed config again gives the same config.
export type SshKeyAuth =
  | { privateKey: string; privateKeyFile?: undefined; passphrase?: string; agent?: undefined }
  | { privateKeyFile: string; privateKey?: undefined; passphrase?: string; agent?: undefined };
export interface SshAgentAuth {
  agent: true;
  privateKey?: undefined;
  privateKeyFile?: undefined;
  /** Default: $SSH_AUTH_SOCK at connect time. */
  agentSocket?: string;
}

export const SshHostConfigSchema = z.strictObject({
  name: hostName,
  kind: z.literal('ssh'),
  host: nonEmpty('host', 'the DNS name or IP address of the SSH server'),
  port: port('port').default(22),
  user: nonEmpty('user', 'the SSH user (must be allowed to use the Docker socket on the host)'),
  hostKey: SshHostKeySchema,
  auth: SshAuthSchema,
  /** DOCKER_HOST on the remote side, e.g. unix:///run/docker.sock; default: the remote user's default. */
  remoteDockerHost: z
    .string({ error: 'remoteDockerHost must be a string like "unix:///var/run/docker.sock"' })
    .regex(/^(unix|tcp|fd):\/\/[^\s'"]+$/, {
      error: 'remoteDockerHost must look like "unix:///var/run/docker.sock" or "tcp://127.0.0.1:2375"',
    })
    .optional(),
  allowedHostPaths: allowedHostPathsField,
});

export const HostConfigSchema = z.discriminatedUnion(
  'kind',
  [LocalHostConfigSchema, TlsHostConfigSchema, SshHostConfigSchema],
  { error: `kind must be one of 'local', 'tcp-tls', 'ssh'` },
);

export type HostConfigInput = z.input<typeof HostConfigSchema>;
export type HostConfig = z.output<typeof HostConfigSchema>;
export type LocalHostConfig = z.output<typeof LocalHostConfigSchema>;
export type TlsHostConfig = z.output<typeof TlsHostConfigSchema>;
export type SshHostConfig = z.output<typeof SshHostConfigSchema>;
export type SshHostKeyConfig = SshHostConfig['hostKey'];
export type SshAuthConfig = SshHostConfig['auth'];
export type HostKind = HostConfig['kind'];

function formatIssues(error: z.ZodError, where: string): string {
  return error.issues
    .map((i) => {
      const path = i.path.length ? `${where}.${i.path.map(String).join('.')}` : where;
      return `${path}: ${i.message}`;
    })
    .join('\n');
}

/** Parse one host's configuration; throws HostConfigError naming each bad field and its fix. */
export function parseHostConfig(input: unknown, where = 'host'): HostConfig {
  const r = HostConfigSchema.safeParse(input);
  if (r.success) return r.data;
  const name =
    typeof input === 'object' && input !== null && typeof (input as { name?: unknown }).name === 'string'
      ? (input as { name: string }).name
      : '?';
  throw new HostConfigError(name, `invalid host configuration:\n${formatIssues(r.error, where)}`);
}

/** Parse a list of hosts (names must be unique). */
export function parseHostConfigs(input: unknown, where = 'hosts'): HostConfig[] {
  if (!Array.isArray(input)) throw new HostConfigError('?', `${where} must be a list of host configurations`);
  const out = input.map((h, i) => parseHostConfig(h, `${where}[${i}]`));
  const seen = new Set<string>();
  for (const h of out) {
    if (seen.has(h.name)) throw new HostConfigError(h.name, `${where}: host name "${h.name}" is used twice`);
    seen.add(h.name);
  }
  return out;
}

/**
 * A stable text identity of a parsed config (sorted keys); two configs with the same identity reach the
 * same host the same way. Contains secrets when the config does: keep it in memory only.
 */
export function hostConfigIdentity(config: HostConfig): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canon(config));
}
