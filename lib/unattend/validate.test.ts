import type { UnattendSpec } from '../../contract/unattend';
import { answerFile, generateAnswerFile, validateAnswerFile, type AnswerFileInput } from '.';

const SETTINGS: UnattendSpec = {
  adminUser: 'operator',
  adminPasswordSecret: 'admin-password',
  computerName: 'BUILD-01',
  locale: 'en-US',
  keyboard: 'en-US',
  timeZone: 'UTC',
  rdp: true,
  firstLogonCommands: [],
};

const BASE: AnswerFileInput = {
  windows: { version: '11', edition: 'pro', evaluation: false },
  firmware: 'uefi',
  settings: SETTINGS,
  secrets: { adminPassword: 'pw-1234' },
  drivers: false,
};

/** The issues of an answer file made from BASE with these changes. */
function issuesWith(change: {
  settings?: Partial<UnattendSpec>;
  secrets?: Partial<AnswerFileInput['secrets']>;
}) {
  const result = answerFile({
    ...BASE,
    settings: { ...SETTINGS, ...change.settings },
    secrets: { ...BASE.secrets, ...change.secrets },
  });
  return result.ok ? [] : result.issues;
}

describe('answer-file validator (what windock writes): limits, each refused with the field and the fix', () => {
  test.each([
    [
      'a 16-character computer name',
      { computerName: 'ABCDEFGHIJKLMNOP' },
      'unattend.computerName',
      /16 characters: Windows computer names have at most 15/,
    ],
    ['a computer name of digits only', { computerName: '123456' }, 'unattend.computerName', /only digits/],
    [
      'a computer name with a dot',
      { computerName: 'web.01' },
      'unattend.computerName',
      /use only letters, digits and "-"/,
    ],
    [
      'a computer name with a space',
      { computerName: 'WEB 01' },
      'unattend.computerName',
      /use only letters, digits and "-"/,
    ],
    [
      'a 21-character user name',
      { adminUser: 'abcdefghijklmnopqrstu' },
      'unattend.adminUser',
      /21 characters: Windows user names have at most 20/,
    ],
    [
      'a user name with "@"',
      { adminUser: 'me@corp' },
      'unattend.adminUser',
      /contains "@": Windows user names cannot contain any of/,
    ],
    ['a user name with a backslash', { adminUser: 'corp\\me' }, 'unattend.adminUser', /contains "\\\\"/],
    ['the built-in Administrator', { adminUser: 'Administrator' }, 'unattend.adminUser', /built-in account/],
    [
      'an IANA time zone',
      { timeZone: 'Europe/Berlin' },
      'unattend.timeZone',
      /IANA zone name: Windows uses its own ids/,
    ],
    [
      'a time zone in the wrong case',
      { timeZone: 'utc' },
      'unattend.timeZone',
      /is spelled "UTC" in Windows/,
    ],
    [
      'an unknown time zone',
      { timeZone: 'Mars Standard Time' },
      'unattend.timeZone',
      /not a Windows time zone id/,
    ],
    [
      'a locale with an underscore',
      { locale: 'en_US' },
      'unattend.locale',
      /not a locale name: use a language tag like "en-US"/,
    ],
    [
      'a keyboard that is neither a tag nor an input locale',
      { keyboard: 'qwertz' },
      'unattend.keyboard',
      /not a keyboard/,
    ],
    [
      'a command over 1024 characters',
      { firstLogonCommands: ['x'.repeat(1025)] },
      'unattend.firstLogonCommands',
      /1025 characters long: Windows Setup takes at most 1024/,
    ],
  ])('%s', (_what, settings, field, message) => {
    const issues = issuesWith({ settings: settings as Partial<UnattendSpec> });
    expect(issues).toContainEqual(
      expect.objectContaining({ field, message: expect.stringMatching(message) }),
    );
  });

  test('a password over 127 characters, an empty one, one with a control character', () => {
    expect(issuesWith({ secrets: { adminPassword: 'p'.repeat(128) } })).toContainEqual(
      expect.objectContaining({
        field: 'unattend.adminPassword',
        message: expect.stringMatching(/128 characters long: Windows passwords have at most 127/),
      }),
    );
    expect(issuesWith({ secrets: { adminPassword: 'p'.repeat(127) } })).toEqual([]);
    expect(issuesWith({ secrets: { adminPassword: '' } })).toContainEqual(
      expect.objectContaining({
        field: 'unattend.adminPassword',
        message: expect.stringMatching(/is empty/),
      }),
    );
    expect(issuesWith({ secrets: { adminPassword: 'a\u0001b' } })).toContainEqual(
      expect.objectContaining({
        field: 'unattend.adminPassword',
        message: expect.stringMatching(/control character/),
      }),
    );
  });

  test('a malformed product key', () => {
    expect(issuesWith({ secrets: { productKey: 'abcde-12345' } })).toContainEqual(
      expect.objectContaining({
        field: 'unattend.productKey',
        message: expect.stringMatching(/XXXXX-XXXXX-XXXXX-XXXXX-XXXXX/),
      }),
    );
  });

  test('a domain join with a bad domain name', () => {
    const issues = issuesWith({
      settings: { domainJoin: { domain: 'corp example', account: 'joiner', passwordSecret: 'join' } },
      secrets: { domainPassword: 'x' },
    });
    expect(issues).toContainEqual(
      expect.objectContaining({
        field: 'unattend.domainJoin.domain',
        message: expect.stringMatching(/not a domain name/),
      }),
    );
  });

  test('the values at their limits pass', () => {
    expect(
      issuesWith({
        settings: {
          computerName: 'ABCDEFGHIJKLMNO',
          adminUser: 'abcdefghijklmnopqrst',
          keyboard: '0407:00000407',
        },
      }),
    ).toEqual([]);
  });

  test('structure: unknown elements, a component in the wrong pass, a missing required element, bad XML', () => {
    const xml = generateAnswerFile(BASE).xml;
    const typo = xml.replace('<ComputerName>', '<ComputerNam>').replace('</ComputerName>', '</ComputerNam>');
    expect(validateAnswerFile(typo)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: expect.stringMatching(/<ComputerNam> is not an element windock writes here/),
        }),
        expect.objectContaining({ field: 'unattend.computerName', message: '<ComputerName> is missing' }),
      ]),
    );
    const wrongPass = xml.replace(
      '<settings pass="specialize">',
      '<settings pass="specialize">\n<component name="Microsoft-Windows-PnpCustomizationsWinPE" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS"/>',
    );
    expect(validateAnswerFile(wrongPass)).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(
          /component "Microsoft-Windows-PnpCustomizationsWinPE" is not one windock writes in pass specialize/,
        ),
      }),
    );
    const x86 = xml.replace('processorArchitecture="amd64"', 'processorArchitecture="x86"');
    expect(validateAnswerFile(x86)).toContainEqual(
      expect.objectContaining({ message: 'processorArchitecture is "x86": windock writes "amd64"' }),
    );
    const noAction = xml.replace('<LocalAccount wcm:action="add">', '<LocalAccount>');
    expect(validateAnswerFile(noAction)).toContainEqual(
      expect.objectContaining({ message: 'list item <LocalAccount> needs wcm:action="add"' }),
    );
    expect(validateAnswerFile('<unattend><settings></unattend>')[0]!.message).toMatch(/not well-formed XML/);
  });

  test('injected markup in a value is refused by the validator when it reaches the XML unescaped', () => {
    const xml = generateAnswerFile(BASE).xml.replace(
      '<Value>pw-1234</Value>',
      '<Value>pw</Value><x>1</x><Value>1</Value>',
    );
    const issues = validateAnswerFile(xml);
    expect(issues).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/<x> is not an element/) }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ message: '<Value> appears more than once' }));
  });
});
