// The console over HTTPS: a certificate the VM makes at its first start (kept in its storage
// volume, the same after a restart) or one the user gives (delivered as secret files). Real
// clients check it: curl against the certificate as its only CA, and a TLS client pinning the
// SHA-256 fingerprint the provider reports (consoleCertificateFingerprint).
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleCertificateFingerprint } from '../../provider/resources/windows-vm/console-tls';
import { CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';
import { RawRfbClient } from './rfb-client';

const rig = new ImageRig('ctl');
const dir = mkdtempSync(join(tmpdir(), 'wdk-console-tls-'));
let generated: TestVm;
let provided: TestVm;
let providedCert: string;

/** A certificate and key for 127.0.0.1, as a user would bring them. */
function userCertificate(): { cert: string; key: string } {
  const [cert, key] = [join(dir, 'user.pem'), join(dir, 'user-key.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=user console',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const consoleWith = (tls: NonNullable<TestVm['spec']['console']['tls']>) => ({
  enabled: true,
  port: 8006,
  viewOnly: false,
  auth: { kind: 'token' as const, secret: 'console-token' },
  tls,
});

beforeAll(async () => {
  const user = userCertificate();
  providedCert = user.cert;
  generated = await rig.createVm({
    publishConsole: true,
    spec: { console: consoleWith({ kind: 'generated' }) },
  });
  provided = await rig.createVm({
    publishConsole: true,
    spec: {
      console: consoleWith({
        kind: 'provided',
        certificateSecret: 'console-tls-certificate',
        keySecret: 'console-tls-key',
      }),
    },
    secrets: {
      'console-token': CONSOLE_TOKEN,
      'console-tls-certificate': user.cert,
      'console-tls-key': user.key,
    },
  });
  await Promise.all([generated.start(), provided.start()]);
  await Promise.all([generated.waitReady(180_000), provided.waitReady(180_000)]);
}, 300_000);
afterAll(() => rig.dispose());

/** curl against `ca` as the only trusted certificate; returns the HTTP status and headers. */
function curlStatus(url: string, ca: string): { status: string; headers: string } {
  const file = join(dir, `ca-${Date.now()}.pem`);
  writeFileSync(file, ca);
  const headers = execFileSync(
    'curl',
    ['-sS', '--max-time', '20', '--cacert', file, '-D', '-', '-o', '/dev/null', url],
    {
      encoding: 'utf8',
    },
  );
  return { status: headers.split(' ')[1] ?? '', headers };
}

/** The fingerprint of the certificate the server presents (no CA check: pinning instead). */
function presentedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function generatedCertificate(): Promise<string> {
  const result = await generated.exec(['windock-supervisor', 'console-certificate']);
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

async function waitForConsole(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await presentedFingerprint(port);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe('a certificate the VM generates', () => {
  it('serves HTTPS that curl verifies against it, with a Secure cookie, and wss sessions', async () => {
    const port = await generated.hostPort(8006);
    await waitForConsole(port);
    const cert = await generatedCertificate();
    const reply = curlStatus(`https://127.0.0.1:${port}/?token=${CONSOLE_TOKEN}`, cert);
    expect(reply.status).toBe('303');
    expect(reply.headers).toMatch(/Set-Cookie: windock_console=[^\r\n]*; Secure/i);
    // Plain HTTP gets no console.
    expect(() =>
      execFileSync('curl', ['-sS', '--max-time', '10', `http://127.0.0.1:${port}/`], { stdio: 'pipe' }),
    ).toThrow();
    const folder = /Location: (\S+)/i.exec(reply.headers)![1]!;
    const rfb = await RawRfbClient.open(
      `wss://127.0.0.1:${port}${folder}websockify`,
      `windock_console=${CONSOLE_TOKEN}`,
      { Origin: `https://127.0.0.1:${port}` },
      cert,
    );
    expect((await rfb.readBytes(12)).toString()).toMatch(/^RFB 003\.00\d\n$/);
    rfb.close();
  });

  it('is pinned by its SHA-256 fingerprint, the same after a restart', async () => {
    const port = await generated.hostPort(8006);
    const fingerprint = new X509Certificate(await generatedCertificate()).fingerprint256;
    expect(await presentedFingerprint(port)).toBe(fingerprint);
    expect(await generated.logs()).toContain(`SHA-256 ${fingerprint}`);
    // What the provider reports as consoleCertificateFingerprint.
    expect(await consoleCertificateFingerprint(generated.docker, generated.container.id, 'generated')).toBe(
      fingerprint,
    );
    await generated.container.stop({ t: 30 });
    await generated.start();
    await generated.waitReady(180_000, 2);
    const after = await generated.hostPort(8006);
    await waitForConsole(after);
    expect(await presentedFingerprint(after)).toBe(fingerprint);
  });
});

describe('a certificate the user gives', () => {
  it('serves HTTPS with it', async () => {
    const port = await provided.hostPort(8006);
    await waitForConsole(port);
    expect(curlStatus(`https://127.0.0.1:${port}/?token=${CONSOLE_TOKEN}`, providedCert).status).toBe('303');
    expect(await presentedFingerprint(port)).toBe(new X509Certificate(providedCert).fingerprint256);
    const input = { certificate: providedCert, privateKey: '' };
    expect(await consoleCertificateFingerprint(provided.docker, provided.container.id, input)).toBe(
      await presentedFingerprint(port),
    );
  });
});
