import { HostConfigError } from './errors';
import { hostConfigIdentity, parseHostConfig, parseHostConfigs } from './host-config';
import type { SshHostConfig } from './host-config';

const parseSsh = (input: unknown) => parseHostConfig(input) as SshHostConfig;

const FP = 'SHA256:o6Ivtktr4XSGwyhWyMLcpcRL0BLpRhhegnlEPrQB7iU';
const ssh = {
  name: 'gpu-1',
  kind: 'ssh',
  host: '10.0.0.5',
  user: 'windock',
  hostKey: { fingerprint: FP },
  auth: { privateKeyFile: '~/.ssh/id_ed25519' },
};

function message(input: unknown): string {
  try {
    parseHostConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(HostConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a HostConfigError');
}

test('ssh defaults: port 22; parsing a parsed config gives the same config', () => {
  const c = parseHostConfig(ssh);
  expect(c).toMatchObject({ kind: 'ssh', port: 22, hostKey: { fingerprint: FP } });
  expect(parseHostConfig(c)).toEqual(c);
  expect(hostConfigIdentity(parseHostConfig(c))).toBe(hostConfigIdentity(c));
});

test('a fingerprint with base64 padding is accepted and normalized', () => {
  expect(parseSsh({ ...ssh, hostKey: { fingerprint: FP + '=' } }).hostKey).toEqual({ fingerprint: FP });
});

test('a missing host key is refused: never trust on first use, and the message says how to pin', () => {
  const noKey: Record<string, unknown> = { ...ssh };
  delete noKey.hostKey;
  const m = message(noKey);
  expect(m).toMatch(/host\.hostKey: hostKey is required/);
  expect(m).toMatch(/ssh-keygen -lf/);
  expect(m).toMatch(/never trusts a key on first use/);
  expect(message({ ...ssh, hostKey: {} })).toMatch(/needs fingerprint or knownHostsFile/);
  expect(message({ ...ssh, hostKey: { fingerprint: FP, knownHostsFile: '/x' } })).toMatch(/not both/);
});

test('bad fingerprints: wrong shape, MD5', () => {
  expect(message({ ...ssh, hostKey: { fingerprint: 'SHA256:short' } })).toMatch(
    /hostKey\.fingerprint must be "SHA256:" followed by 43 base64/,
  );
  expect(message({ ...ssh, hostKey: { fingerprint: 'MD5:' + '0a:'.repeat(15) + '0b' } })).toMatch(
    /MD5 fingerprint/,
  );
});

test('auth: one method, clear messages', () => {
  expect(message({ ...ssh, auth: {} })).toMatch(/host\.auth: auth has no method/);
  expect(message({ ...ssh, auth: { privateKey: 'x', privateKeyFile: 'y' } })).toMatch(/not both/);
  expect(message({ ...ssh, auth: { privateKeyFile: 'y', agent: true } })).toMatch(/private key OR an agent/);
  expect(message({ ...ssh, auth: { agent: true, passphrase: 'p' } })).toMatch(/passphrase only applies/);
  expect(parseSsh({ ...ssh, auth: { agent: true } }).auth).toEqual({ agent: true });
  expect(parseSsh({ ...ssh, auth: { agentSocket: '/tmp/a.sock' } }).auth).toEqual({
    agent: true,
    agentSocket: '/tmp/a.sock',
  });
});

test('typos, unknown kinds, bad ports and names are named with the field', () => {
  expect(message({ ...ssh, hostkey: 1 })).toMatch(/Unrecognized key: "hostkey"/);
  expect(message({ ...ssh, kind: 'docker' })).toMatch(
    /host\.kind: kind must be one of 'local', 'tcp-tls', 'ssh'/,
  );
  expect(message({ ...ssh, port: 70000 })).toMatch(/host\.port: port must be between 1 and 65535/);
  expect(message({ ...ssh, name: '' })).toMatch(/host\.name/);
  expect(message({ ...ssh, remoteDockerHost: "unix:///x' ; rm -rf /" })).toMatch(
    /remoteDockerHost must look like/,
  );
});

test('tcp-tls and local', () => {
  expect(parseHostConfig({ name: 'l', kind: 'local' })).toEqual({ name: 'l', kind: 'local' });
  const t = parseHostConfig({ name: 't', kind: 'tcp-tls', host: 'h', ca: 'a', cert: 'b', key: 'c' });
  expect(t).toMatchObject({ port: 2376 });
  expect(message({ name: 't', kind: 'tcp-tls', host: 'h', ca: 'a', cert: '' })).toMatch(
    /host\.cert: cert must not be empty/,
  );
});

test('host lists need unique names', () => {
  expect(() => parseHostConfigs([ssh, ssh])).toThrow(/"gpu-1" is used twice/);
  expect(() => parseHostConfigs([ssh, { kind: 'local' }])).toThrow(/hosts\[1\]\.name/);
});
