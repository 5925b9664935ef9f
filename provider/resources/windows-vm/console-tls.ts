import { createPrivateKey, X509Certificate } from 'node:crypto';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import type { ConsoleTlsSpec } from '../../../contract';
import { execOutput } from '../../docker/exec-output';

/** Secret files the user's certificate and key travel in (/run/windock/secrets, mode 0400). */
export const CONSOLE_TLS_SECRETS = {
  certificate: 'console-tls-certificate',
  key: 'console-tls-key',
} as const;

function certificateOf(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** HTTPS for the console: "generated" (the VM makes a self-signed certificate) or the user's. */
export const consoleTlsInput = z.union([
  z.literal('generated'),
  z
    .strictObject({
      certificate: z.string().describe('PEM certificate (with its chain) for the console.'),
      privateKey: z.string().describe('Its PEM private key (pass a Pulumi secret).'),
    })
    .superRefine((tls, context) => {
      const certificate = certificateOf(tls.certificate);
      if (!certificate) {
        context.addIssue({
          code: 'custom',
          path: ['certificate'],
          message: 'not a PEM certificate: give the "-----BEGIN CERTIFICATE-----" text',
        });
        return;
      }
      try {
        if (!certificate.checkPrivateKey(createPrivateKey(tls.privateKey)))
          context.addIssue({
            code: 'custom',
            path: ['privateKey'],
            message: 'this key does not belong to the certificate: give the key the certificate was made for',
          });
      } catch {
        context.addIssue({
          code: 'custom',
          path: ['privateKey'],
          message: 'not a PEM private key (unencrypted): give the "-----BEGIN ... PRIVATE KEY-----" text',
        });
      }
    }),
]);

export type ConsoleTlsInput = z.output<typeof consoleTlsInput>;

/** The spec's console.tls. Pure. */
export function consoleTlsSpecOf(input: ConsoleTlsInput | undefined): ConsoleTlsSpec | undefined {
  if (input === undefined) return undefined;
  if (input === 'generated') return { kind: 'generated' };
  return {
    kind: 'provided',
    certificateSecret: CONSOLE_TLS_SECRETS.certificate,
    keySecret: CONSOLE_TLS_SECRETS.key,
  };
}

/** The secret files of a user's certificate. Pure. */
export function consoleTlsSecrets(input: ConsoleTlsInput | undefined): Record<string, string> {
  if (input === undefined || input === 'generated') return {};
  return {
    [CONSOLE_TLS_SECRETS.certificate]: input.certificate,
    [CONSOLE_TLS_SECRETS.key]: input.privateKey,
  };
}

/**
 * The SHA-256 fingerprint of the console's certificate (AA:BB:..): the user's, or the one the VM
 * made at its first start (read from the container; empty until it has made it, a refresh
 * fills it in). Empty without TLS.
 */
export async function consoleCertificateFingerprint(
  docker: Dockerode,
  containerId: string,
  input: ConsoleTlsInput | undefined,
  waitMs = 20_000,
): Promise<string> {
  if (input === undefined) return '';
  if (input !== 'generated') return certificateOf(input.certificate)?.fingerprint256 ?? '';
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const result = await execOutput(docker, containerId, ['windock-supervisor', 'console-certificate']);
      const certificate = result.exitCode === 0 ? certificateOf(result.stdout) : undefined;
      if (certificate) return certificate.fingerprint256;
    } catch {
      // a stopped container: nothing to read now
      return '';
    }
    if (Date.now() > deadline) return '';
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
