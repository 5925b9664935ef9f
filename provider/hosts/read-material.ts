// Key material given either inline (PEM text) or as a file path. Read when a strategy is created,
// never while parsing configuration.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HostConfigError, errorMessage } from './errors';

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

export function isInlinePem(value: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(value);
}

export function readConfigFile(host: string, field: string, path: string): string {
  const p = expandHome(path);
  try {
    return readFileSync(p, 'utf8');
  } catch (err) {
    throw new HostConfigError(host, `host "${host}": ${field}: cannot read ${p}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/** A PEM string, or the contents of the PEM file it names. */
export function loadPem(host: string, field: string, value: string): string {
  if (isInlinePem(value)) return value;
  const text = readConfigFile(host, field, value);
  if (!isInlinePem(text)) {
    throw new HostConfigError(
      host,
      `host "${host}": ${field}: ${expandHome(value)} holds no PEM block ("-----BEGIN ...")`,
    );
  }
  return text;
}
