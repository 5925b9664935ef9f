import { XMLParser } from 'fast-xml-parser';
import type { VmSpec } from '../../../contract';
import { sampleSpec } from '../../../contract/sample-spec';
import { generateAnswerFile } from '../../../lib/unattend';
import { qemuArgv } from '../qemu/argv';
import { DEBIAN_FIRMWARE } from '../qemu/host-facts';
import { setupTargetDisk } from '../qemu/install';
import { ANSWER_DRIVE, answerFileInput, windowsLanguageTag } from './answer-drive';

const INSTALL: NonNullable<VmSpec['install']> = {
  windows: { version: '11', edition: 'pro' },
  media: { source: { kind: 'host-file', path: '/media/host/win11.iso' }, cacheKey: 'windows-11-pro-en-us' },
  drivers: { source: { kind: 'host-file', path: '/media/host/virtio-win.iso' }, cacheKey: 'virtio-win' },
  fetchedBy: 'provider',
  unattend: {
    adminUser: 'operator',
    adminPasswordSecret: 'admin-password',
    computerName: 'DISK-TEST',
    locale: 'de-DE',
    keyboard: 'de-DE',
    timeZone: 'W. Europe Standard Time',
    rdp: true,
    firstLogonCommands: [],
  },
};
const DRIVES = {
  media: '/media/host/win11.iso',
  drivers: '/media/host/virtio-win.iso',
  answer: ANSWER_DRIVE,
};
const FACTS = { accelerator: 'tcg' as const, firmwareFiles: DEBIAN_FIRMWARE };
const secret = (name: string): string => `secret-of-${name}`;

/** Every DiskID of the windowsPE pass: DiskConfiguration's and InstallTo's. */
function diskIds(xml: string): { configuration: number[]; installTo: number[] } {
  const doc = new XMLParser({ parseTagValue: true }).parse(xml);
  const settings = [doc.unattend.settings].flat();
  const pe = settings.find((s: { component: unknown }) =>
    [s.component].flat().some((c: any) => c.DiskConfiguration),
  );
  const setup = [pe.component].flat().find((c: any) => c.DiskConfiguration);
  return {
    configuration: [setup.DiskConfiguration.Disk].flat().map((d: any) => d.DiskID),
    installTo: [setup.ImageInstall.OSImage.InstallTo.DiskID],
  };
}

describe('the answer file installs to the disk the QEMU command line makes the system disk', () => {
  test('answer stick (USB, inbox) + drivers CD + virtio system disk: Setup installs to DiskID 1, not the stick', () => {
    const spec = sampleSpec({ boot: { kind: 'disk' }, install: INSTALL });
    const argv = qemuArgv(spec, FACTS, DRIVES);
    // The devices the model reads are really on this command line.
    expect(argv.join(' ')).toContain('usb-storage,bus=usb0.0,drive=answer-media');
    expect(argv.join(' ')).toContain('virtio-blk-pci,drive=disk-system,id=disk-system-dev');

    const input = answerFileInput(spec, secret, setupTargetDisk(spec, argv))!;
    const { xml, issues } = generateAnswerFile(input);
    expect(issues).toEqual([]);
    expect(diskIds(xml)).toEqual({ configuration: [1], installTo: [1] });
  });

  test('an extra virtio data disk does not move the system disk; without the stick it is disk 0', () => {
    const spec = sampleSpec({ boot: { kind: 'disk' }, install: INSTALL });
    const withData: VmSpec = {
      ...spec,
      disks: [...spec.disks, { ...spec.disks[0]!, name: 'data', sizeMiB: 1024 }],
    };
    expect(setupTargetDisk(withData, qemuArgv(withData, FACTS, DRIVES))).toBe(1);
    const { answer: _answer, ...noStick } = DRIVES;
    expect(setupTargetDisk(spec, qemuArgv(spec, FACTS, noStick))).toBe(0);
  });

  test('a command line without the system disk is refused, not guessed', () => {
    const spec = sampleSpec({ boot: { kind: 'disk' }, install: INSTALL });
    expect(() => setupTargetDisk(spec, ['-device', 'qemu-xhci,id=usb0'])).toThrow(/no system disk device/);
  });
});

describe("Setup's UI language is the media's", () => {
  test("the media's culture, not the locale, in WinPE's SetupUILanguage and the installed UILanguage", () => {
    const spec = sampleSpec({
      boot: { kind: 'disk' },
      install: { ...INSTALL, windows: { ...INSTALL.windows, language: 'en-gb' } },
    });
    const { xml } = generateAnswerFile(answerFileInput(spec, secret, 1)!);
    expect(xml).toMatch(/<SetupUILanguage>\s*<UILanguage>en-GB<\/UILanguage>/);
    expect(xml).not.toContain('<UILanguage>de-DE</UILanguage>');
    // The locale still sets formats and the keyboard.
    expect(xml).toContain('<UserLocale>de-DE</UserLocale>');
  });

  test('culture tags as Windows writes them', () => {
    expect(windowsLanguageTag('en-us')).toBe('en-US');
    expect(windowsLanguageTag('sr-latn-rs')).toBe('sr-Latn-RS');
    expect(windowsLanguageTag('zh-tw')).toBe('zh-TW');
  });
});
