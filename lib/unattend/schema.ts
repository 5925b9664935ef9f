import * as limit from './limits';
import type { ValueCheck } from './limits';

/**
 * The part of Windows Setup's answer-file schema (the Unattended Windows Setup Reference) that
 * windock writes: per configuration pass, the components Setup accepts there, and per component
 * the elements, their nesting and their value limits. Anything else is refused, so a generator
 * typo or a component in the wrong pass is caught before a VM boots. This is windock's own closed
 * list, not Setup's: Setup takes far more (validate-document.ts checks files users bring).
 */
export interface ElementRule {
  /** Text content and its limits (a leaf). */
  value?: ValueCheck;
  /** The input the value comes from, for messages ("unattend.computerName"). */
  field?: string;
  /** Child elements (a container). */
  children?: Record<string, ElementRule>;
  /** May repeat, each with wcm:action="add" (a list item). */
  listItem?: boolean;
  /** Needed among its parent's children. */
  required?: boolean;
}

const leaf = (value: ValueCheck, field?: string, required = false): ElementRule => ({
  value,
  field,
  required,
});
const node = (children: Record<string, ElementRule>, required = false): ElementRule => ({
  children,
  required,
});
const item = (children: Record<string, ElementRule>): ElementRule => ({ children, listItem: true });

const password = (field: string, required = true): ElementRule =>
  node({ Value: leaf(limit.password, field, true), PlainText: leaf(limit.bool) }, required);

const internationalCore = {
  InputLocale: leaf(limit.inputLocale, 'unattend.keyboard', true),
  SystemLocale: leaf(limit.locale, 'unattend.locale', true),
  UILanguage: leaf(limit.locale, 'unattend.locale', true),
  UILanguageFallback: leaf(limit.locale),
  UserLocale: leaf(limit.locale, 'unattend.locale', true),
};

const partitionNumber = limit.integer(1, 128);

const WINDOWS_PE: Record<string, ElementRule> = {
  'Microsoft-Windows-International-Core-WinPE': node({
    SetupUILanguage: node({
      UILanguage: leaf(limit.locale, 'unattend.locale', true),
      WillShowUI: leaf(limit.oneOf('Always', 'Never', 'OnError')),
    }),
    ...internationalCore,
  }),
  'Microsoft-Windows-Setup': node({
    DiskConfiguration: node({
      WillShowUI: leaf(limit.oneOf('Always', 'Never', 'OnError')),
      Disk: item({
        DiskID: leaf(limit.integer(0, 255), undefined, true),
        WillWipeDisk: leaf(limit.bool),
        CreatePartitions: node({
          CreatePartition: item({
            Order: leaf(partitionNumber, undefined, true),
            Type: leaf(limit.oneOf('Primary', 'EFI', 'Extended', 'Logical', 'MSR'), undefined, true),
            Size: leaf(limit.integer(1, 2 ** 31)),
            Extend: leaf(limit.bool),
          }),
        }),
        ModifyPartitions: node({
          ModifyPartition: item({
            Order: leaf(partitionNumber, undefined, true),
            PartitionID: leaf(partitionNumber, undefined, true),
            Active: leaf(limit.bool),
            Extend: leaf(limit.bool),
            Format: leaf(limit.oneOf('NTFS', 'FAT32')),
            Label: leaf(limit.text(32)),
            Letter: leaf(limit.oneOf(...'CDEFGHIJKLMNOPQRSTUVWXYZ'.split(''))),
            TypeID: leaf(limit.text(64)),
          }),
        }),
      }),
    }),
    ImageInstall: node({
      OSImage: node({
        InstallFrom: node({
          Path: leaf(limit.text(260)),
          MetaData: item({
            Key: leaf(limit.oneOf('/IMAGE/INDEX', '/IMAGE/NAME', '/IMAGE/DESCRIPTION'), undefined, true),
            Value: leaf(limit.text(256, 1), 'windows.edition', true),
          }),
        }),
        InstallTo: node({
          DiskID: leaf(limit.integer(0, 255), undefined, true),
          PartitionID: leaf(partitionNumber, undefined, true),
        }),
        InstallToAvailablePartition: leaf(limit.bool),
        WillShowUI: leaf(limit.oneOf('Always', 'Never', 'OnError')),
      }),
    }),
    UserData: node({
      AcceptEula: leaf(limit.bool),
      FullName: leaf(limit.text(256)),
      Organization: leaf(limit.text(256)),
      ProductKey: node({
        // Empty for media without a key (evaluation, LTSC): Setup takes `<Key />` (dockur's win10x64-iot.xml).
        Key: leaf((v) => (v === '' ? undefined : limit.productKey(v)), 'unattend.productKey', true),
        WillShowUI: leaf(limit.oneOf('Always', 'Never', 'OnError')),
      }),
    }),
    RunSynchronous: node({
      RunSynchronousCommand: item({
        Order: leaf(limit.integer(1, 500), undefined, true),
        Path: leaf(limit.commandLine, undefined, true),
        Description: leaf(limit.text(256)),
        WillReboot: leaf(limit.oneOf('Always', 'Never', 'OnRequest')),
      }),
    }),
  }),
  'Microsoft-Windows-PnpCustomizationsWinPE': node({
    DriverPaths: node({
      PathAndCredentials: item({ Path: leaf(limit.text(260, 1), undefined, true) }),
    }),
  }),
};

const SPECIALIZE: Record<string, ElementRule> = {
  'Microsoft-Windows-Shell-Setup': node({
    ComputerName: leaf(limit.computerName, 'unattend.computerName', true),
    TimeZone: leaf(limit.timeZone, 'unattend.timeZone'),
    RegisteredOwner: leaf(limit.text(256)),
    RegisteredOrganization: leaf(limit.text(256)),
  }),
  'Microsoft-Windows-TerminalServices-LocalSessionManager': node({ fDenyTSConnections: leaf(limit.bool) }),
  'Microsoft-Windows-TerminalServices-RDP-WinStationExtensions': node({
    UserAuthentication: leaf(limit.integer(0, 1)),
  }),
  'Networking-MPSSVC-Svc': node({
    FirewallGroups: node({
      FirewallGroup: item({
        Active: leaf(limit.bool, undefined, true),
        Group: leaf(limit.text(256, 1), undefined, true),
        Profile: leaf(limit.oneOf('all', 'domain', 'private', 'public'), undefined, true),
      }),
    }),
  }),
  'Microsoft-Windows-UnattendedJoin': node({
    Identification: node({
      Credentials: node({
        Domain: leaf(limit.domainName, 'unattend.domainJoin.domain', true),
        Password: leaf(limit.password, 'unattend.domainJoin.password', true),
        Username: leaf(limit.joinAccount, 'unattend.domainJoin.account', true),
      }),
      JoinDomain: leaf(limit.domainName, 'unattend.domainJoin.domain', true),
      MachineObjectOU: leaf(limit.text(1024), 'unattend.domainJoin.organizationalUnit'),
      UnsecureJoin: leaf(limit.bool),
    }),
  }),
};

const OOBE_SYSTEM: Record<string, ElementRule> = {
  'Microsoft-Windows-International-Core': node(internationalCore),
  'Microsoft-Windows-Shell-Setup': node({
    UserAccounts: node({
      AdministratorPassword: password('unattend.adminPassword', false),
      LocalAccounts: node({
        LocalAccount: item({
          Password: password('unattend.adminPassword'),
          Description: leaf(limit.text(256)),
          DisplayName: leaf(limit.text(256), 'unattend.adminUser'),
          Group: leaf(limit.text(256, 1), undefined, true),
          Name: leaf(limit.userName, 'unattend.adminUser', true),
        }),
      }),
    }),
    AutoLogon: node({
      Password: password('unattend.adminPassword'),
      Enabled: leaf(limit.bool, undefined, true),
      LogonCount: leaf(limit.integer(1, 9999999)),
      Username: leaf(limit.userName, 'unattend.adminUser', true),
      Domain: leaf(limit.text(255)),
    }),
    OOBE: node({
      HideEULAPage: leaf(limit.bool),
      HideLocalAccountScreen: leaf(limit.bool),
      HideOEMRegistrationScreen: leaf(limit.bool),
      HideOnlineAccountScreens: leaf(limit.bool),
      HideWirelessSetupInOOBE: leaf(limit.bool),
      NetworkLocation: leaf(limit.oneOf('Home', 'Work', 'Other')),
      ProtectYourPC: leaf(limit.integer(1, 3)),
      SkipUserOOBE: leaf(limit.bool),
      SkipMachineOOBE: leaf(limit.bool),
    }),
    FirstLogonCommands: node({
      SynchronousCommand: item({
        Order: leaf(limit.integer(1, 500), undefined, true),
        CommandLine: leaf(limit.commandLine, 'unattend.firstLogonCommands', true),
        Description: leaf(limit.text(256)),
        RequiresUserInput: leaf(limit.bool),
      }),
    }),
    TimeZone: leaf(limit.timeZone, 'unattend.timeZone'),
  }),
};

/** Components Setup accepts per pass (only these passes are used by windock). */
export const ANSWER_FILE_SCHEMA: Record<string, Record<string, ElementRule>> = {
  windowsPE: WINDOWS_PE,
  specialize: SPECIALIZE,
  oobeSystem: OOBE_SYSTEM,
};

/** Attributes every component carries, with the only values valid for 64-bit Windows. */
export const COMPONENT_ATTRIBUTES: Record<string, string> = {
  processorArchitecture: 'amd64',
  publicKeyToken: '31bf3856ad364e35',
  language: 'neutral',
  versionScope: 'nonSxS',
};

export const UNATTEND_NAMESPACE = 'urn:schemas-microsoft-com:unattend';
export const WCM_NAMESPACE = 'http://schemas.microsoft.com/WMIConfig/2002/State';
