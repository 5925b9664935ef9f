// Secrets live in a tmpfs (/run/windock/secrets): never in the container's writable layer, the
// image, the storage volume or the environment, so `docker cp`, `docker export`, `docker commit`
// and volume backups never carry them. The provider hands them over after every start
// (`windock-supervisor secrets`, a JSON object on stdin); a start the provider did not drive
// (Docker's restart policy after a host reboot) waits for the next `pulumi refresh` or `up`.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONTAINER_PATHS, type VmSpec } from '../../../contract';

const SECRET_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function secretPath(name: string, dir: string): string {
  if (!SECRET_NAME.test(name)) throw new Error(`"${name}" is not a secret file name`);
  return join(dir, name);
}

/** The names of the secret files a spec refers to (the console token, share and install passwords). */
export function secretNames(spec: VmSpec): { console: string[]; shares: string[]; install: string[] } {
  const unattend = spec.install?.unattend;
  return {
    console: spec.console.enabled
      ? [
          ...(spec.console.auth.kind === 'token' ? [spec.console.auth.secret] : []),
          ...(spec.console.tls?.kind === 'provided'
            ? [spec.console.tls.certificateSecret, spec.console.tls.keySecret]
            : []),
        ]
      : [],
    shares: spec.shares?.auth.kind === 'user' ? [spec.shares.auth.secret] : [],
    install: spec.install?.answerFile
      ? [spec.install.answerFile.secret]
      : unattend
        ? [
            unattend.adminPasswordSecret,
            ...(unattend.productKeySecret ? [unattend.productKeySecret] : []),
            ...(unattend.domainJoin ? [unattend.domainJoin.passwordSecret] : []),
          ]
        : [],
  };
}

export function readSecret(name: string, dir: string = CONTAINER_PATHS.secretsDir): string {
  return readFileSync(secretPath(name, dir), 'utf8');
}

export function hasSecrets(names: string[], dir: string = CONTAINER_PATHS.secretsDir): boolean {
  return names.every((name) => existsSync(secretPath(name, dir)));
}

/** Resolves once every named secret is there (at once when it already is); polls the tmpfs. */
export async function waitForSecrets(
  names: string[],
  dir: string = CONTAINER_PATHS.secretsDir,
  intervalMs = 200,
): Promise<void> {
  while (!hasSecrets(names, dir)) await sleep(intervalMs);
}

/** Writes secrets as 0400 files (each written whole, then renamed into place). */
export function storeSecrets(
  secrets: Record<string, string>,
  dir: string = CONTAINER_PATHS.secretsDir,
): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== 'string') throw new Error(`secret "${name}" is not a string`);
    const path = secretPath(name, dir);
    writeFileSync(`${path}.new`, value, { mode: 0o400 });
    renameSync(`${path}.new`, path);
    written.push(name);
  }
  return written;
}
