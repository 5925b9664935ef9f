// The local (unix socket) and tcp-tls strategies, against the default engine and a third dockerd with
// --tlsverify on 127.0.0.1:23760 (own data-root, certificates made with openssl in a temp dir).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  HostAuthError,
  HostConfigError,
  HostKeyMismatchError,
  HostPool,
  HostUnreachableError,
} from '../../provider/hosts';
import type { TlsHostConfig } from '../../provider/hosts';
import { acquireRigLock, releaseRigLock, startDockerd } from '../rig/ssh-hosts';
import type { TestDockerd } from '../rig/ssh-hosts';

const TLS_PORT = 23760;
const pool = new HostPool();
let tmp: string;
let dockerd: TestDockerd | undefined;
let locked = false;

const f = (name: string) => path.join(tmp, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp, stdio: 'pipe' });

function makeKey(name: string): void {
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(`${name}-key.pem`));
}

function makeCa(name: string): void {
  makeKey(name);
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    f(`${name}-key.pem`),
    '-sha256',
    '-days',
    '2',
    '-subj',
    `/CN=windock test ${name}`,
    '-out',
    f(`${name}.pem`),
  );
}

function makeCert(name: string, ca: string, ext: string): void {
  makeKey(name);
  openssl(
    'req',
    '-new',
    '-key',
    f(`${name}-key.pem`),
    '-subj',
    `/CN=windock test ${name}`,
    '-out',
    f(`${name}.csr`),
  );
  fs.writeFileSync(f(`${name}.ext`), ext);
  openssl(
    'x509',
    '-req',
    '-in',
    f(`${name}.csr`),
    '-CA',
    f(`${ca}.pem`),
    '-CAkey',
    f(`${ca}-key.pem`),
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    f(`${name}.ext`),
    '-out',
    f(`${name}.pem`),
  );
}

function tlsPing(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port: TLS_PORT,
        path: '/_ping',
        ca: fs.readFileSync(f('ca.pem')),
        cert: fs.readFileSync(f('client.pem')),
        key: fs.readFileSync(f('client-key.pem')),
        timeout: 2000,
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function tlsConfig(name: string, over: Partial<TlsHostConfig> = {}): TlsHostConfig {
  return {
    name,
    kind: 'tcp-tls',
    host: '127.0.0.1',
    port: TLS_PORT,
    ca: f('ca.pem'),
    cert: f('client.pem'),
    key: f('client-key.pem'),
    ...over,
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'windock-tls-'));
  makeCa('ca');
  makeCa('rogue-ca');
  makeCert('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  makeCert('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  makeCert('rogue-client', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  await acquireRigLock();
  locked = true;
  dockerd = await startDockerd({
    name: 'tls',
    hosts: [`tcp://127.0.0.1:${TLS_PORT}`],
    bridge: { name: 'br-wdktls', cidr: '10.231.250.1/24' },
    args: [
      '--tlsverify',
      '--tlscacert',
      f('ca.pem'),
      '--tlscert',
      f('server.pem'),
      '--tlskey',
      f('server-key.pem'),
    ],
    ready: tlsPing,
  });
}, 290_000);

afterAll(async () => {
  await pool.closeAll().catch(() => undefined);
  try {
    await dockerd?.stop();
  } finally {
    if (locked) releaseRigLock();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 120_000);

describe('local', () => {
  test('pings the default engine through its socket', async () => {
    pool.get({ name: 'local', kind: 'local' });
    const r = await pool.ping('local');
    console.log(`local ping ${r.ms.toFixed(2)} ms`);
    expect(r.name).toBe('local');
  });

  test('a socket with no engine behind it is HostUnreachableError', async () => {
    pool.get({ name: 'nowhere', kind: 'local', socketPath: '/run/windock-test-no-such.sock' });
    const err = await pool.ping('nowhere').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as Error).message).toMatch(/nowhere.*no Docker engine answers/);
  });
});

describe('tcp-tls', () => {
  test('pings through the tls strategy (PEM file paths and inline PEM strings)', async () => {
    pool.get(tlsConfig('tls-files'));
    const r = await pool.ping('tls-files');
    console.log(`tls ping ${r.ms.toFixed(2)} ms`);
    const inline = tlsConfig('tls-inline', {
      ca: fs.readFileSync(f('ca.pem'), 'utf8'),
      cert: fs.readFileSync(f('client.pem'), 'utf8'),
      key: fs.readFileSync(f('client-key.pem'), 'utf8'),
    });
    const docker = pool.get(inline);
    expect(pool.get(inline)).toBe(docker);
    const info = await docker.info();
    expect(info.DockerRootDir).toBe(dockerd!.dataRoot);
  });

  test('a client certificate from another CA is refused (HostAuthError)', async () => {
    pool.get(tlsConfig('tls-rogue', { cert: f('rogue-client.pem'), key: f('rogue-client-key.pem') }));
    const err = await pool.ping('tls-rogue').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostAuthError);
    expect((err as Error).message).toMatch(/tls-rogue.*refused our client certificate/);
  });

  test('a server certificate not signed by our ca is refused before sending (HostKeyMismatchError)', async () => {
    pool.get(tlsConfig('tls-wrong-ca', { ca: f('rogue-ca.pem') }));
    const err = await pool.ping('tls-wrong-ca').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect((err as HostKeyMismatchError).problem).toBe('untrusted-certificate');
  });

  test('a missing PEM file is a HostConfigError naming the field', () => {
    expect(() => pool.get(tlsConfig('tls-missing', { key: f('no-such-key.pem') }))).toThrow(HostConfigError);
    expect(() => pool.get(tlsConfig('tls-missing', { key: f('no-such-key.pem') }))).toThrow(
      /key: cannot read/,
    );
  });
});

test("starting and stopping test engines leaves the default engine's docker0 alone", () => {
  expect(fs.existsSync('/sys/class/net/docker0')).toBe(true);
});
