import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerFileFacts, generateAnswerFile, validateAnswerFile, validateOwnAnswerFile } from '.';

// dockur/windows's answer files (MIT; tests/fixtures/answer-files/dockur/README.md): each
// installs Windows in dockur's CI, so Windows Setup takes every construct in them.
const DOCKUR = join(__dirname, '../../tests/fixtures/answer-files/dockur');
const dockurFiles = readdirSync(DOCKUR).filter((f) => f.endsWith('.xml'));
const dockur = (name: string) => readFileSync(join(DOCKUR, name), 'utf8');
const WIN11 = dockur('win11x64.xml');

const messagesOf = (xml: string) => validateOwnAnswerFile(xml).map((i) => i.message);

describe('answer files users bring: what Microsoft documents Setup takes passes', () => {
  test("all 29 of dockur/windows's working answer files validate clean", () => {
    expect(dockurFiles).toHaveLength(29);
    const failing = dockurFiles
      .map((f) => ({ f, issues: validateOwnAnswerFile(dockur(f)) }))
      .filter((r) => r.issues.length > 0);
    expect(failing).toEqual([]);
  });

  test("windock's strict rules are not applied to them (they would refuse every one)", () => {
    expect(dockurFiles.filter((f) => validateAnswerFile(dockur(f)).length === 0)).toEqual([]);
  });

  test('the constructs Microsoft documents: "*" computer name, lower-case /image/index, amd64 + wow64, an empty <Key/>', () => {
    expect(WIN11).toContain('<ComputerName>*</ComputerName>');
    expect(dockur('win10x64-ltsc.xml')).toContain('<Key>/image/index</Key>');
    expect(WIN11).toMatch(/processorArchitecture="wow64"/);
    expect(dockur('win10x64-iot.xml')).toMatch(/<Key \/>/);
    for (const f of ['win11x64.xml', 'win10x64-ltsc.xml', 'win10x64-iot.xml'])
      expect(validateOwnAnswerFile(dockur(f))).toEqual([]);
  });

  test('a file windock generates passes too', () => {
    const xml = generateAnswerFile({
      windows: { version: '11', edition: 'pro', evaluation: false },
      firmware: 'uefi',
      settings: {
        adminUser: 'operator',
        adminPasswordSecret: 'admin-password',
        computerName: 'BUILD-01',
        locale: 'en-US',
        keyboard: 'en-US',
        timeZone: 'UTC',
        rdp: true,
        firstLogonCommands: [],
      },
      secrets: { adminPassword: 'pw' },
      drivers: true,
    }).xml;
    expect(validateOwnAnswerFile(xml)).toEqual([]);
  });
});

describe('answer files users bring: real mistakes are still caught, naming unattend.file', () => {
  test.each([
    [
      'a 16-character computer name',
      '<ComputerName>*</ComputerName>',
      '<ComputerName>ABCDEFGHIJKLMNOP</ComputerName>',
      /16 characters: Windows computer names have at most 15/,
    ],
    [
      'a computer name with a dot',
      '<ComputerName>*</ComputerName>',
      '<ComputerName>web.01</ComputerName>',
      /contains "\.", which Windows Setup refuses/,
    ],
    [
      'a computer name of digits only',
      '<ComputerName>*</ComputerName>',
      '<ComputerName>12345</ComputerName>',
      /only digits/,
    ],
    [
      'an IANA time zone',
      '<ComputerName>*</ComputerName>',
      '<ComputerName>*</ComputerName><TimeZone>Europe/Berlin</TimeZone>',
      /IANA zone name/,
    ],
    [
      'an unknown time zone',
      '<ComputerName>*</ComputerName>',
      '<ComputerName>*</ComputerName><TimeZone>Mars Standard Time</TimeZone>',
      /not a Windows time zone id/,
    ],
    [
      'an unknown image key',
      '<InstallTo>',
      '<InstallFrom><MetaData wcm:action="add"><Key>/IMAGE/EDITION</Key><Value>1</Value></MetaData></InstallFrom><InstallTo>',
      /selects an image by \/IMAGE\/INDEX/,
    ],
    [
      'a malformed product key',
      '<Key>VK7JG-NPHTM-C97JM-9MPGT-3V66T</Key>',
      '<Key>VK7JG-NPHTM</Key>',
      /not a product key/,
    ],
    [
      'a pass that does not exist',
      'pass="specialize"',
      'pass="specialise"',
      /"specialise" is not a Windows Setup configuration pass/,
    ],
    [
      'an unknown architecture',
      'processorArchitecture="wow64"',
      'processorArchitecture="x64"',
      /processorArchitecture is "x64"/,
    ],
    ['a DiskID that is not a number', '<DiskID>1</DiskID>', '<DiskID>one</DiskID>', /use a whole number/],
  ])('%s', (_what, from, to, message) => {
    expect(WIN11).toContain(from);
    const issues = validateOwnAnswerFile(WIN11.replace(from, to));
    expect(issues).toContainEqual(
      expect.objectContaining({ field: 'unattend.file', message: expect.stringMatching(message) }),
    );
  });

  test('not XML, XML that is not an answer file, the wrong namespace', () => {
    expect(messagesOf('PK\u0003\u0004 this is a zip')[0]).toMatch(
      /^not well-formed XML: .*give an answer file/,
    );
    expect(messagesOf(WIN11.slice(0, 500))[0]).toMatch(/not well-formed XML/);
    expect(messagesOf('<?xml version="1.0"?><html><body/></html>')[0]).toMatch(
      /XML but not an answer file: its root element is <html>/,
    );
    expect(messagesOf(WIN11.replace('xmlns="urn:schemas-microsoft-com:unattend"', ''))).toContainEqual(
      expect.stringMatching(/needs xmlns="urn:schemas-microsoft-com:unattend"/),
    );
  });
});

describe('facts of an answer file', () => {
  test('the disks it installs to, and whether it writes the readiness beacon', () => {
    expect(answerFileFacts(WIN11)).toEqual({ installDisks: [1], installTo: 1, writesBeacon: false });
    const withBeacon = WIN11.replace(
      '</FirstLogonCommands>',
      '<SynchronousCommand wcm:action="add"><Order>99</Order><CommandLine>cmd /c "echo WINDOCK-READY&gt;\\\\.\\Global\\org.windock.beacon"</CommandLine></SynchronousCommand></FirstLogonCommands>',
    );
    expect(answerFileFacts(withBeacon)?.writesBeacon).toBe(true);
    expect(answerFileFacts('not xml')).toBeUndefined();
  });
});
