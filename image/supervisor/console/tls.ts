import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { CONTAINER_PATHS, type VmSpec } from '../../../contract';
import { runCommand } from '../run-command';
import { readSecret } from '../secrets/store';

/** The VM's own certificate: in its storage volume, so it stays the same across restarts. */
export const GENERATED_TLS = {
  dir: `${CONTAINER_PATHS.storage}/console-tls`,
  certificate: `${CONTAINER_PATHS.storage}/console-tls/certificate.pem`,
  key: `${CONTAINER_PATHS.storage}/console-tls/key.pem`,
};

/** SHA-256 fingerprint of a PEM certificate, as browsers show it (AA:BB:..). */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * Makes the VM's self-signed console certificate at its first start (openssl: node cannot
 * make X.509 certificates); later starts keep it. The key is written first and the certificate
 * last, each under a temporary name: a certificate file means both are complete.
 */
export async function ensureGeneratedCertificate(spec: VmSpec, log: (line: string) => void): Promise<void> {
  if (!spec.console.enabled || spec.console.tls?.kind !== 'generated') return;
  if (existsSync(GENERATED_TLS.certificate) && existsSync(GENERATED_TLS.key)) return;
  mkdirSync(GENERATED_TLS.dir, { recursive: true, mode: 0o700 });
  const [key, certificate] = [`${GENERATED_TLS.key}.tmp`, `${GENERATED_TLS.certificate}.tmp`];
  rmSync(key, { force: true });
  await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    `/CN=windock console ${spec.name}`,
    '-addext',
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    '-keyout',
    key,
    '-out',
    certificate,
  ]);
  chmodSync(key, 0o600);
  renameSync(key, GENERATED_TLS.key);
  renameSync(certificate, GENERATED_TLS.certificate);
  log(
    `console: made its TLS certificate, SHA-256 ${certificateFingerprint(readFileSync(GENERATED_TLS.certificate, 'utf8'))}`,
  );
}

/** The console's certificate and key (PEM), or undefined for plain HTTP. */
export function consoleTls(spec: VmSpec): { cert: string; key: string } | undefined {
  const tls = spec.console.tls;
  if (!tls) return undefined;
  if (tls.kind === 'provided')
    return { cert: readSecret(tls.certificateSecret), key: readSecret(tls.keySecret) };
  return {
    cert: readFileSync(GENERATED_TLS.certificate, 'utf8'),
    key: readFileSync(GENERATED_TLS.key, 'utf8'),
  };
}

/**
 * `windock-supervisor console-certificate`: prints the VM's generated certificate (public) for
 * the provider's consoleCertificateFingerprint output; exit 1 while there is none yet.
 */
export function consoleCertificateCommand(): number {
  if (!existsSync(GENERATED_TLS.certificate)) {
    process.stderr.write('no console certificate (yet)\n');
    return 1;
  }
  process.stdout.write(readFileSync(GENERATED_TLS.certificate, 'utf8'));
  return 0;
}
