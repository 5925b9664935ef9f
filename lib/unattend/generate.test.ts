import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { UnattendSpec } from '../../contract/unattend';
import { answerFile, computerNameFor, generateAnswerFile, validateAnswerFile, type AnswerFileInput } from '.';

const GOLDEN_DIR = join(__dirname, 'golden');

export const SETTINGS: UnattendSpec = {
  adminUser: 'operator',
  adminPasswordSecret: 'admin-password',
  computerName: 'BUILD-01',
  locale: 'en-US',
  keyboard: 'de-DE',
  timeZone: 'W. Europe Standard Time',
  rdp: true,
  firstLogonCommands: ['powershell -NoProfile -Command "Set-ExecutionPolicy RemoteSigned -Force"'],
};

const WIN11: AnswerFileInput = {
  windows: { version: '11', edition: 'pro', evaluation: false },
  firmware: 'uefi-secure',
  settings: SETTINGS,
  secrets: { adminPassword: 'Correct-Horse-7' },
  drivers: true,
};

const SERVER_2022_BIOS: AnswerFileInput = {
  windows: { version: 'server-2022', edition: 'datacenter', evaluation: true },
  firmware: 'bios',
  settings: {
    ...SETTINGS,
    computerName: 'DC-2022',
    rdp: false,
    firstLogonCommands: [],
    domainJoin: {
      domain: 'corp.example.com',
      account: 'CORP\\joiner',
      passwordSecret: 'domain-password',
      organizationalUnit: 'OU=Lab,DC=corp,DC=example,DC=com',
    },
  },
  secrets: { adminPassword: 'Server-Pass-9', domainPassword: 'Join-Pass-1' },
  drivers: true,
};

/** Compares with the stored golden file; UPDATE_GOLDEN=1 rewrites it (review the diff). */
function expectGolden(name: string, xml: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, xml);
  }
  expect(xml).toBe(readFileSync(file, 'utf8'));
}

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: () => false }).parse(xml);

describe('answer-file generator', () => {
  test('Windows 11 Pro, UEFI: golden XML, valid', () => {
    const result = answerFile(WIN11);
    expect(result).toMatchObject({ ok: true });
    expectGolden('windows-11-pro-uefi.xml', generateAnswerFile(WIN11).xml);
  });

  test('Windows Server 2022 Datacenter evaluation, BIOS, domain join: golden XML, valid', () => {
    const result = answerFile(SERVER_2022_BIOS);
    expect(result).toMatchObject({ ok: true });
    expectGolden('server-2022-datacenter-bios.xml', generateAnswerFile(SERVER_2022_BIOS).xml);
  });

  test('UEFI lays out GPT (EFI 128M, MSR 128M, Windows) and installs to partition 3', () => {
    const xml = generateAnswerFile(WIN11).xml;
    expect(xml).toMatch(
      /<Order>1<\/Order>\s*<Type>EFI<\/Type>\s*<Size>128<\/Size>[\s\S]*<Order>2<\/Order>\s*<Type>MSR<\/Type>\s*<Size>128<\/Size>[\s\S]*<Order>3<\/Order>\s*<Type>Primary<\/Type>\s*<Extend>true<\/Extend>/,
    );
    expect(xml).toMatch(/<InstallTo>\s*<DiskID>0<\/DiskID>\s*<PartitionID>3<\/PartitionID>/);
    expect(xml).toContain('<Format>FAT32</Format>');
  });

  test('BIOS lays out MBR: one active NTFS partition, installs to partition 1, no EFI or MSR', () => {
    const xml = generateAnswerFile(SERVER_2022_BIOS).xml;
    expect(xml).not.toMatch(/<Type>(EFI|MSR)<\/Type>/);
    expect(xml).toMatch(/<Active>true<\/Active>\s*<Format>NTFS<\/Format>/);
    expect(xml).toMatch(/<InstallTo>\s*<DiskID>0<\/DiskID>\s*<PartitionID>1<\/PartitionID>/);
  });

  test('Windows 11 gets the LabConfig bypasses in WinPE; Server 2022 does not', () => {
    const win11 = generateAnswerFile(WIN11).xml;
    for (const key of ['BypassTPMCheck', 'BypassSecureBootCheck', 'BypassRAMCheck'])
      expect(win11).toContain(`reg add HKLM\\SYSTEM\\Setup\\LabConfig /v ${key} /t REG_DWORD /d 1 /f`);
    expect(generateAnswerFile(SERVER_2022_BIOS).xml).not.toContain('LabConfig');
  });

  test('image by edition; generic key for retail media, an empty key for evaluation media, the given key wins', () => {
    const win11 = generateAnswerFile(WIN11).xml;
    expect(win11).toMatch(/<Key>\/IMAGE\/NAME<\/Key>\s*<Value>Windows 11 Pro<\/Value>/);
    expect(win11).toContain('<Key>VK7JG-NPHTM-C97JM-9MPGT-3V66T</Key>');
    const server = generateAnswerFile(SERVER_2022_BIOS).xml;
    expect(server).toContain('<Value>Windows Server 2022 SERVERDATACENTER</Value>');
    // dockur keeps the node with no key for evaluation media (src/answer.sh removeEmbeddedProductKeys).
    expect(server).toMatch(/<ProductKey>\s*<Key\/>\s*<WillShowUI>OnError<\/WillShowUI>\s*<\/ProductKey>/);
    expect(server).not.toMatch(/<Key>[A-Z0-9]{5}(-[A-Z0-9]{5}){4}<\/Key>/);
    const keyed = generateAnswerFile({
      ...WIN11,
      secrets: { ...WIN11.secrets, productKey: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE' },
    });
    expect(keyed.xml).toContain('<Key>AAAAA-BBBBB-CCCCC-DDDDD-EEEEE</Key>');
  });

  test('virtio drivers for the version in WinPE (storage, network, serial for the beacon), none without the drivers ISO', () => {
    const win11 = generateAnswerFile(WIN11).xml;
    for (const driver of ['viostor', 'NetKVM', 'vioserial'])
      expect(win11).toContain(`E:\\${driver}\\w11\\amd64`);
    expect(generateAnswerFile(SERVER_2022_BIOS).xml).toContain('D:\\viostor\\2k22\\amd64');
    expect(generateAnswerFile({ ...WIN11, drivers: false }).xml).not.toContain('PnpCustomizationsWinPE');
  });

  test('specialize: computer name, time zone, RDP with its firewall group, domain join', () => {
    const doc = parse(generateAnswerFile(WIN11).xml);
    const specialize = doc.unattend.settings[1];
    expect(specialize['@_pass']).toBe('specialize');
    expect(specialize.component[0].ComputerName).toBe('BUILD-01');
    expect(specialize.component[0].TimeZone).toBe('W. Europe Standard Time');
    expect(specialize.component[1].fDenyTSConnections).toBe('false');
    // The resource id (Microsoft's FirewallGroup example, dockur assets/*.xml), not a localized name.
    expect(specialize.component[2].FirewallGroups.FirewallGroup.Group).toBe('@FirewallAPI.dll,-28752');
    const server = generateAnswerFile(SERVER_2022_BIOS).xml;
    expect(server).not.toContain('fDenyTSConnections');
    expect(server).toMatch(
      /<Domain>corp.example.com<\/Domain>\s*<Password>Join-Pass-1<\/Password>\s*<Username>CORP\\joiner<\/Username>/,
    );
    expect(server).toContain('<MachineObjectOU>OU=Lab,DC=corp,DC=example,DC=com</MachineObjectOU>');
  });

  test('oobeSystem: admin with autologon, OOBE skipped, first logon: power off, user commands, beacon last', () => {
    const doc = parse(generateAnswerFile(WIN11).xml);
    const shell = doc.unattend.settings[2].component[1];
    expect(shell.UserAccounts.LocalAccounts.LocalAccount.Name).toBe('operator');
    expect(shell.UserAccounts.LocalAccounts.LocalAccount.Password.Value).toBe('Correct-Horse-7');
    expect(shell.AutoLogon.Enabled).toBe('true');
    expect(shell.AutoLogon.Username).toBe('operator');
    expect(shell.OOBE.HideOnlineAccountScreens).toBe('true');
    const commands = shell.FirstLogonCommands.SynchronousCommand as Array<{
      Order: string;
      CommandLine: string;
    }>;
    expect(commands.map((c) => c.Order)).toEqual(commands.map((_, i) => String(i + 1)));
    expect(commands[0]!.CommandLine).toBe('powercfg /hibernate off');
    expect(commands.some((c) => c.CommandLine === 'powercfg /change standby-timeout-ac 0')).toBe(true);
    expect(commands.at(-2)!.CommandLine).toBe(SETTINGS.firstLogonCommands[0]);
    expect(commands.at(-1)!.CommandLine).toBe(
      'cmd /c "echo WINDOCK-READY>\\\\.\\Global\\org.windock.beacon"',
    );
  });

  test('hostile values stay text: escaped in the XML, read back verbatim, no element injected', () => {
    const hostile = '</Value><x>&amp;"\'';
    const input = {
      ...WIN11,
      settings: { ...SETTINGS, firstLogonCommands: [hostile] },
      secrets: { adminPassword: hostile },
    };
    const xml = generateAnswerFile(input).xml;
    expect(xml).not.toContain('<x>');
    expect(xml).toContain('&lt;/Value&gt;&lt;x&gt;&amp;amp;');
    expect(validateAnswerFile(xml)).toEqual([]);
    const shell = parse(xml).unattend.settings[2].component[1];
    expect(shell.AutoLogon.Password.Value).toBe(hostile);
    expect(shell.FirstLogonCommands.SynchronousCommand.at(-2).CommandLine).toBe(hostile);
  });

  test('an unknown version or edition names the field and the choices', () => {
    const version = answerFile({ ...WIN11, windows: { ...WIN11.windows, version: '95' } });
    expect(version.ok).toBe(false);
    if (!version.ok)
      expect(version.issues[0]).toMatchObject({
        field: 'windows.version',
        message: expect.stringMatching(/use one of 10, 11, 11-ltsc, 10-ltsc, server-2025/),
      });
    const edition = answerFile({ ...WIN11, windows: { ...WIN11.windows, edition: 'ultimate' } });
    if (!edition.ok)
      expect(edition.issues[0]).toMatchObject({
        field: 'windows.edition',
        message: expect.stringMatching(/no edition "ultimate": use one of home, pro/),
      });
    expect(edition.ok).toBe(false);
  });

  test('computer names derived from VM names follow Windows rules', () => {
    expect(computerNameFor('build-01')).toBe('BUILD-01');
    expect(computerNameFor('a-very-long-vm-name-for-tests')).toBe('A-VERY-LONG-VM');
    expect(computerNameFor('12345')).toBe('W12345');
    expect(computerNameFor('-x-')).toBe('X');
  });
});

test('one-image LTSC evaluation media are installed by index', () => {
  const ltsc = answerFile({
    ...WIN11,
    windows: { version: '11-ltsc', edition: 'iot-enterprise', evaluation: true },
  });
  expect(ltsc.ok).toBe(true);
  if (ltsc.ok) {
    expect(ltsc.xml).toMatch(/<Key>\/IMAGE\/INDEX<\/Key>\s*<Value>1<\/Value>/);
    expect(ltsc.xml).toMatch(/<ProductKey>\s*<Key\/>/);
  }
});

test("an image picked from the media's own list is installed by its index, whatever the catalogue names", () => {
  const picked = answerFile({
    ...WIN11,
    windows: { version: '11', edition: 'enterprise', evaluation: true },
    image: { index: 3, name: 'Windows 11 Enterprise Evaluation' },
  });
  expect(picked.ok).toBe(true);
  if (picked.ok) {
    expect(picked.xml).toMatch(/<Key>\/IMAGE\/INDEX<\/Key>\s*<Value>3<\/Value>/);
    expect(picked.xml).not.toContain('/IMAGE/NAME');
  }
});

test('the target disk goes into both DiskConfiguration and InstallTo (UEFI and BIOS)', () => {
  for (const input of [WIN11, SERVER_2022_BIOS]) {
    const xml = generateAnswerFile({ ...input, targetDisk: 2 }).xml;
    expect(xml.match(/<DiskID>\d+<\/DiskID>/g)).toEqual(['<DiskID>2</DiskID>', '<DiskID>2</DiskID>']);
  }
});
