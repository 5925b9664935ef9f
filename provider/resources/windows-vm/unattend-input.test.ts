import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWindowsVm } from './check';
import { identityFor } from './identity';
import { planImpact } from './impact';
import type { WindowsVmInputs } from './inputs';
import { toVmSpec } from './to-spec';
import { unattendSecrets } from './unattend-input';

const PASSWORD = 'S3cret-Admin-Pw';
const base = {
  name: 'build-01',
  media: { kind: 'windows', version: '11', edition: 'pro' },
  unattend: { adminUser: 'operator', adminPassword: PASSWORD, timeZone: 'W. Europe Standard Time' },
};

function check(news: Record<string, unknown>) {
  return checkWindowsVm({}, news);
}

describe('the unattend input', () => {
  test('is checked at preview by generating and validating the answer file; errors name the field and the fix', () => {
    const outcome = check({
      ...base,
      unattend: { ...base.unattend, computerName: 'WAY-TOO-LONG-NAME-1', timeZone: 'Europe/Berlin' },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const reasons = outcome.failures.map((f) => f.reason).join('\n');
    expect(outcome.failures.every((f) => f.property === 'unattend')).toBe(true);
    expect(reasons).toMatch(/unattend\.computerName: .*at most 15/);
    expect(reasons).toMatch(/unattend\.timeZone: .*IANA zone name/);
  });

  test('a too long password is refused without showing it', () => {
    const long = 'x'.repeat(128);
    const outcome = check({ ...base, unattend: { ...base.unattend, adminPassword: long } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.failures[0]!.reason).toMatch(/unattend\.adminPassword: .*at most 127/);
      expect(outcome.failures[0]!.reason).not.toContain(long);
    }
  });

  test('needs install media', () => {
    const outcome = check({ ...base, media: { kind: 'disk-image', file: '/x.qcow2', format: 'qcow2' } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.failures[0]!.reason).toMatch(/give media of kind "windows", "url" or "iso"/);
  });

  test('the spec names secret files, never the values; the computer name comes from the VM name', () => {
    const outcome = check(base);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const vm = outcome.inputs as WindowsVmInputs;
    const spec = toVmSpec(vm, identityFor('00000000-0000-4000-8000-000000000001'));
    expect(spec.install?.unattend).toMatchObject({
      adminUser: 'operator',
      adminPasswordSecret: 'admin-password',
      computerName: 'BUILD-01',
      keyboard: 'en-US',
      rdp: true,
    });
    expect(JSON.stringify(spec)).not.toContain(PASSWORD);
    expect(unattendSecrets(vm.unattend)).toEqual({ 'admin-password': PASSWORD });
  });

  test('a change is tier none and says it applies to a new install only (never a replace)', () => {
    const before = check(base);
    const after = check({ ...base, unattend: { ...base.unattend, timeZone: 'UTC' } });
    if (!before.ok || !after.ok) throw new Error('inputs should be valid');
    const plan = planImpact(before.inputs as WindowsVmInputs, after.inputs as WindowsVmInputs);
    expect(plan).toMatchObject({ ok: true, tier: 'none' });
    if (plan.ok) {
      expect(plan.message).toContain('applies to a new install only');
      expect(plan.message).not.toContain(PASSWORD);
    }
  });
});

describe('unattend.file: an answer file the user brings', () => {
  const DOCKUR = join(__dirname, '../../../tests/fixtures/answer-files/dockur');
  const SECRET_PW = 'Byo-Admin-Pw-7c41e9';
  // dockur's Windows 11 file with a password of the user's own (it must reach no spec or state),
  // and the first-logon command that writes windock's beacon.
  const BEACON =
    '<SynchronousCommand wcm:action="add"><Order>99</Order><CommandLine>cmd /c "echo WINDOCK-READY&gt;\\\\.\\Global\\org.windock.beacon"</CommandLine></SynchronousCommand>';
  const dockur = readFileSync(join(DOCKUR, 'win11x64.xml'), 'utf8').replace(
    '<LocalAccounts>',
    `<AdministratorPassword><Value>${SECRET_PW}</Value><PlainText>true</PlainText></AdministratorPassword><LocalAccounts>`,
  );
  const xml = dockur.replace('</FirstLogonCommands>', `${BEACON}</FirstLogonCommands>`);
  let dir: string;
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const own = (file: string, extra: Record<string, unknown> = {}) =>
    check({ ...base, unattend: { file }, ...extra });
  const reasons = (outcome: ReturnType<typeof check>) =>
    outcome.ok ? '' : outcome.failures.map((f) => `${f.property}|${f.reason}`).join('\n');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-byo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a working dockur file passes; the spec names the secret file only, never the content', () => {
    const outcome = own(write('autounattend.xml', xml));
    expect(reasons(outcome)).toBe('');
    if (!outcome.ok) return;
    const vm = outcome.inputs as WindowsVmInputs;
    const spec = toVmSpec(vm, identityFor('00000000-0000-4000-8000-000000000001'));
    expect(spec.install?.answerFile).toEqual({ secret: 'answer-file' });
    expect(spec.install?.unattend).toBeUndefined();
    expect(JSON.stringify(spec)).not.toContain(SECRET_PW);
    expect(JSON.stringify(outcome.inputs)).not.toContain(SECRET_PW);
    const secrets = unattendSecrets(vm.unattend);
    expect(Object.keys(secrets)).toEqual(['answer-file']);
    expect(Buffer.from(secrets['answer-file']!, 'base64').toString('utf8')).toBe(xml);
  });

  test('a UTF-16 file is read (and handed over byte for byte)', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(xml.replace('UTF-8', 'UTF-16'), 'utf16le'),
    ]);
    const path = write('utf16.xml', utf16);
    expect(reasons(own(path))).toBe('');
    expect(Buffer.from(unattendSecrets({ file: path })['answer-file']!, 'base64')).toEqual(utf16);
  });

  test.each([
    [
      'a file that does not exist',
      () => join(dir, 'missing.xml'),
      /unattend\.file: .*missing\.xml does not exist on the machine running Pulumi/,
    ],
    [
      'a file that is not XML',
      () => write('zip.xml', 'PK\u0003\u0004 not xml at all'),
      /unattend\.file: .*zip\.xml: not well-formed XML: .*give an answer file/,
    ],
    [
      'binary bytes',
      () => write('bin.xml', Buffer.from([0xc3, 0x28, 0xa0, 0xa1])),
      /unattend\.file: .*bin\.xml is not text/,
    ],
    [
      'XML that is not an answer file',
      () => write('html.xml', '<html><body/></html>'),
      /XML but not an answer file: its root element is <html>/,
    ],
    [
      'a 16-character computer name',
      () =>
        write(
          'long.xml',
          xml.replace('<ComputerName>*</ComputerName>', '<ComputerName>ABCDEFGHIJKLMNOP</ComputerName>'),
        ),
      /Windows computer names have at most 15/,
    ],
    [
      'an install to the answer stick (DiskID 0)',
      () => write('disk0.xml', xml.replaceAll('<DiskID>1</DiskID>', '<DiskID>0</DiskID>')),
      /installs to DiskID 0, which is the USB stick that carries the answer file.*use DiskID 1/,
    ],
  ])('%s is refused at preview, naming unattend.file', (_what, file, message) => {
    const outcome = own(file());
    expect(outcome.ok).toBe(false);
    expect(reasons(outcome)).toMatch(message);
    expect(reasons(outcome)).toMatch(/^unattend\|/);
  });

  test('a file without the beacon command is refused (windock ends its install phase on the beacon; it does not change your file)', () => {
    const refused = own(write('plain.xml', dockur), { readiness: 'beacon' });
    expect(reasons(refused)).toMatch(
      /plain\.xml does not write windock's beacon, which tells windock the install has finished .*add <SynchronousCommand wcm:action="add">.*org\.windock\.beacon/,
    );
    expect(reasons(own(write('beacon.xml', xml), { readiness: 'beacon' }))).toBe('');
  });

  test('file with settings is refused, naming both', () => {
    const outcome = check({ ...base, unattend: { file: write('a.xml', xml), adminPassword: PASSWORD } });
    expect(outcome.ok).toBe(false);
    expect(reasons(outcome)).toMatch(/unattend: file is your own answer file: leave out adminPassword/);
    expect(reasons(outcome)).not.toContain(PASSWORD);
  });

  test('settings without the password still say what is missing', () => {
    const outcome = check({ ...base, unattend: { adminUser: 'operator' } });
    expect(reasons(outcome)).toMatch(/unattend: adminPassword: .*\(or give file: your own answer file/);
  });
});
