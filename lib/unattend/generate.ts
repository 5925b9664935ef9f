import type { UnattendSpec } from '../../contract/unattend';
import { el, renderXml, type XmlElement } from './xml';
import { imageName, VIRTIO_DRIVERS, windowsVersion } from './windows-versions';

/** The virtio-serial port the supervisor watches (image/supervisor/qemu/control.ts BEACON_PORT). */
export const BEACON_DEVICE = '\\\\.\\Global\\org.windock.beacon';
export const BEACON_TEXT = 'WINDOCK-READY';

/** Everything the answer file depends on. Secrets arrive as values here, never in the spec. */
export interface AnswerFileInput {
  windows: { version: string; edition: string; evaluation: boolean };
  firmware: 'uefi' | 'uefi-secure' | 'bios';
  settings: UnattendSpec;
  secrets: { adminPassword: string; productKey?: string; domainPassword?: string };
  /** The virtio-win drivers ISO is attached as a CD-ROM. */
  drivers: boolean;
  /** Setup's UI language: one the media carries (default: settings.locale). */
  uiLanguage?: string;
  /**
   * The install image picked from the media's own image list (install.wim/esd) by the media
   * inspection; when present, the answer file selects /IMAGE/INDEX = index instead of a name
   * from the catalogue.
   */
  image?: { index: number; name: string };
  /**
   * Windows Setup's number of the disk to install to: where the system disk falls in the disk
   * order of the VM's QEMU command line (setupDiskNumber). Default 0 (a VM with one disk).
   */
  targetDisk?: number;
}

export interface GenerateIssue {
  /** The input the problem comes from (for messages that name the field). */
  field: string;
  message: string;
}

/** The "Remote Desktop" firewall rule group, by resource id (the same on every display language). */
export const RDP_FIREWALL_GROUP = '@FirewallAPI.dll,-28752';

/** Drive letters WinPE may give the virtio-win CD (after the install CD and the answer drive). */
export const DRIVER_LETTERS = ['D', 'E', 'F', 'G'] as const;

const COMPONENT_ATTRS = {
  processorArchitecture: 'amd64',
  publicKeyToken: '31bf3856ad364e35',
  language: 'neutral',
  versionScope: 'nonSxS',
};

const component = (name: string, children: XmlElement[]): XmlElement =>
  el('component', children, { name, ...COMPONENT_ATTRS });

const added = (name: string, children: XmlElement[], keyValue?: string): XmlElement =>
  el(name, children, { 'wcm:action': 'add', ...(keyValue ? { 'wcm:keyValue': keyValue } : {}) });

function diskConfiguration(
  firmware: AnswerFileInput['firmware'],
  diskId: number,
): { disk: XmlElement; partition: number } {
  const create = (order: number, type: string, size?: number): XmlElement =>
    added('CreatePartition', [
      el('Order', order),
      el('Type', type),
      size === undefined ? el('Extend', true) : el('Size', size),
    ]);
  const modify = (order: number, children: XmlElement[]): XmlElement =>
    added('ModifyPartition', [el('Order', order), el('PartitionID', order), ...children]);
  if (firmware === 'bios') {
    // MBR: one active NTFS partition (Setup makes its own boot files there).
    const disk = added('Disk', [
      el('DiskID', diskId),
      el('WillWipeDisk', true),
      el('CreatePartitions', [create(1, 'Primary')]),
      el('ModifyPartitions', [
        modify(1, [el('Active', true), el('Format', 'NTFS'), el('Label', 'Windows'), el('Letter', 'C')]),
      ]),
    ]);
    return { disk, partition: 1 };
  }
  // UEFI: GPT with the EFI system partition, the MSR, and Windows.
  const disk = added('Disk', [
    el('DiskID', diskId),
    el('WillWipeDisk', true),
    el('CreatePartitions', [create(1, 'EFI', 128), create(2, 'MSR', 128), create(3, 'Primary')]),
    el('ModifyPartitions', [
      modify(1, [el('Format', 'FAT32'), el('Label', 'System')]),
      modify(2, []),
      modify(3, [el('Format', 'NTFS'), el('Label', 'Windows'), el('Letter', 'C')]),
    ]),
  ]);
  return { disk, partition: 3 };
}

/** Windows 11 Setup refuses a VM without TPM 2.0 / Secure Boot / 4 GB: WinPE's LabConfig keys skip those checks. */
const LAB_CONFIG_BYPASSES = ['BypassTPMCheck', 'BypassSecureBootCheck', 'BypassRAMCheck'];

/**
 * Media without a key (evaluation, LTSC) still get the node with an empty Key: some installers
 * require it to exist, and a concrete key could select another edition (dockur src/answer.sh
 * removeEmbeddedProductKeys; assets/win10x64-iot.xml writes `<Key />`).
 */
const productKey = (key: string | undefined): XmlElement =>
  el('ProductKey', [el('Key', key ?? ''), el('WillShowUI', 'OnError')]);

function windowsPePass(input: AnswerFileInput, issues: GenerateIssue[]): XmlElement {
  const facts = windowsVersion(input.windows.version);
  if ('error' in facts) {
    issues.push({ field: 'windows.version', message: facts.error });
    return el('settings', [], { pass: 'windowsPE' });
  }
  const image = input.image ? `#${input.image.index}` : imageName(facts, input.windows.edition);
  if (!image) {
    issues.push({
      field: 'windows.edition',
      message: `Windows ${input.windows.version} has no edition "${input.windows.edition}": use one of ${Object.keys(facts.images).join(', ')}`,
    });
  }
  const key =
    input.secrets.productKey ??
    (input.windows.evaluation ? undefined : facts.genericKeys[input.windows.edition]);
  const diskId = input.targetDisk ?? 0;
  const { disk, partition } = diskConfiguration(input.firmware, diskId);
  const uiLanguage = input.uiLanguage ?? input.settings.locale;

  const setupChildren: XmlElement[] = [el('DiskConfiguration', [disk])];
  setupChildren.push(
    el('ImageInstall', [
      el('OSImage', [
        el('InstallFrom', [
          added(
            'MetaData',
            image?.startsWith('#')
              ? [el('Key', '/IMAGE/INDEX'), el('Value', image.slice(1))]
              : [el('Key', '/IMAGE/NAME'), el('Value', image ?? '')],
          ),
        ]),
        el('InstallTo', [el('DiskID', diskId), el('PartitionID', partition)]),
      ]),
    ]),
    el('UserData', [el('AcceptEula', true), productKey(key)]),
  );
  if (facts.hardwareChecks) {
    setupChildren.push(
      el(
        'RunSynchronous',
        LAB_CONFIG_BYPASSES.map((value, i) =>
          added('RunSynchronousCommand', [
            el('Order', i + 1),
            el('Path', `reg add HKLM\\SYSTEM\\Setup\\LabConfig /v ${value} /t REG_DWORD /d 1 /f`),
          ]),
        ),
      ),
    );
  }

  const components: XmlElement[] = [
    component('Microsoft-Windows-International-Core-WinPE', [
      el('SetupUILanguage', [el('UILanguage', uiLanguage)]),
      el('InputLocale', input.settings.keyboard),
      el('SystemLocale', input.settings.locale),
      el('UILanguage', uiLanguage),
      el('UserLocale', input.settings.locale),
    ]),
    component('Microsoft-Windows-Setup', setupChildren),
  ];
  if (input.drivers) {
    // Storage first (Setup must see the virtio disk), then network, serial (the beacon), balloon.
    const paths: XmlElement[] = [];
    for (const letter of DRIVER_LETTERS) {
      for (const driver of VIRTIO_DRIVERS) {
        paths.push(
          added(
            'PathAndCredentials',
            [el('Path', `${letter}:\\${driver}\\${facts.virtioDir}\\amd64`)],
            String(paths.length + 1),
          ),
        );
      }
    }
    components.push(component('Microsoft-Windows-PnpCustomizationsWinPE', [el('DriverPaths', paths)]));
  }
  return el('settings', components, { pass: 'windowsPE' });
}

function specializePass(input: AnswerFileInput): XmlElement {
  const { settings } = input;
  const components: XmlElement[] = [
    component('Microsoft-Windows-Shell-Setup', [
      el('ComputerName', settings.computerName),
      el('TimeZone', settings.timeZone),
    ]),
  ];
  if (settings.rdp) {
    components.push(
      component('Microsoft-Windows-TerminalServices-LocalSessionManager', [el('fDenyTSConnections', false)]),
      component('Networking-MPSSVC-Svc', [
        el('FirewallGroups', [
          added(
            'FirewallGroup',
            // The group's resource id, not its display name (which is localized): Microsoft's
            // Networking-MPSSVC-Svc FirewallGroup example and dockur's assets/*.xml write this.
            [el('Active', true), el('Group', RDP_FIREWALL_GROUP), el('Profile', 'all')],
            'RemoteDesktop',
          ),
        ]),
      ]),
    );
  }
  if (settings.domainJoin) {
    const join = settings.domainJoin;
    components.push(
      component('Microsoft-Windows-UnattendedJoin', [
        el('Identification', [
          el('Credentials', [
            el('Domain', join.domain),
            el('Password', input.secrets.domainPassword ?? ''),
            el('Username', join.account),
          ]),
          el('JoinDomain', join.domain),
          ...(join.organizationalUnit ? [el('MachineObjectOU', join.organizationalUnit)] : []),
        ]),
      ]),
    );
  }
  return el('settings', components, { pass: 'specialize' });
}

/** What runs at the first logon: power settings, the user's commands, and last the beacon. */
export function firstLogonCommands(settings: UnattendSpec): Array<{ command: string; description: string }> {
  return [
    { command: 'powercfg /hibernate off', description: 'windock: hibernation off' },
    { command: 'powercfg /change standby-timeout-ac 0', description: 'windock: sleep off' },
    { command: 'powercfg /change hibernate-timeout-ac 0', description: 'windock: hibernate timeout off' },
    { command: 'powercfg /change monitor-timeout-ac 0', description: 'windock: display always on' },
    ...settings.firstLogonCommands.map((command, i) => ({ command, description: `user command ${i + 1}` })),
    {
      // cmd can redirect to a device path; the supervisor reads this line from the port.
      command: `cmd /c "echo ${BEACON_TEXT}>${BEACON_DEVICE}"`,
      description: 'windock: desktop ready beacon',
    },
  ];
}

function oobeSystemPass(input: AnswerFileInput): XmlElement {
  const { settings, secrets } = input;
  const password = (value: string): XmlElement[] => [el('Value', value), el('PlainText', true)];
  return el(
    'settings',
    [
      component('Microsoft-Windows-International-Core', [
        el('InputLocale', settings.keyboard),
        el('SystemLocale', settings.locale),
        el('UILanguage', input.uiLanguage ?? settings.locale),
        el('UserLocale', settings.locale),
      ]),
      component('Microsoft-Windows-Shell-Setup', [
        el('UserAccounts', [
          el('LocalAccounts', [
            added('LocalAccount', [
              el('Password', password(secrets.adminPassword)),
              el('DisplayName', settings.adminUser),
              el('Group', 'Administrators'),
              el('Name', settings.adminUser),
            ]),
          ]),
        ]),
        el('AutoLogon', [
          el('Password', password(secrets.adminPassword)),
          el('Enabled', true),
          el('LogonCount', 9999999),
          el('Username', settings.adminUser),
        ]),
        el('OOBE', [
          el('HideEULAPage', true),
          el('HideLocalAccountScreen', true),
          el('HideOEMRegistrationScreen', true),
          el('HideOnlineAccountScreens', true),
          el('HideWirelessSetupInOOBE', true),
          el('NetworkLocation', 'Work'),
          el('ProtectYourPC', 3),
          el('SkipUserOOBE', true),
          el('SkipMachineOOBE', true),
        ]),
        el(
          'FirstLogonCommands',
          firstLogonCommands(settings).map((step, i) =>
            added('SynchronousCommand', [
              el('Order', i + 1),
              el('CommandLine', step.command),
              el('Description', step.description),
              el('RequiresUserInput', false),
            ]),
          ),
        ),
        el('TimeZone', settings.timeZone),
      ]),
    ],
    { pass: 'oobeSystem' },
  );
}

/**
 * The autounattend.xml for one install. Pure. Issues name what cannot be generated (an unknown
 * version or edition); the values themselves are checked by `validateAnswerFile`.
 */
export function generateAnswerFile(input: AnswerFileInput): { xml: string; issues: GenerateIssue[] } {
  const issues: GenerateIssue[] = [];
  const root = el('unattend', [windowsPePass(input, issues), specializePass(input), oobeSystemPass(input)], {
    xmlns: 'urn:schemas-microsoft-com:unattend',
    'xmlns:wcm': 'http://schemas.microsoft.com/WMIConfig/2002/State',
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
  });
  return { xml: renderXml(root), issues };
}
