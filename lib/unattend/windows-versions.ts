/**
 * What the answer file needs to know about each Windows version: where its virtio drivers live
 * on the virtio-win ISO, whether Setup checks TPM/Secure Boot/RAM (Windows 11), the install
 * image names of its editions, and the public generic keys that let Setup pick an edition
 * without a purchased key (they install, they do not activate; evaluation media take none).
 */
export interface WindowsVersionFacts {
  family: 'client' | 'server';
  /** The folder name under each driver on the virtio-win ISO (viostor\\w11\\amd64). */
  virtioDir: string;
  /** Windows 11 Setup refuses machines without TPM 2.0, Secure Boot or 4 GB RAM. */
  hardwareChecks: boolean;
  /** Install image name (/IMAGE/NAME in install.wim) per edition id; "#1": the first image (one-image media). */
  images: Record<string, string>;
  /** Generic (install-only or KMS client) keys per edition id; missing: no key needed. */
  genericKeys: Record<string, string>;
}

const CLIENT_IMAGES = (n: string) => ({
  home: `Windows ${n} Home`,
  pro: `Windows ${n} Pro`,
  education: `Windows ${n} Education`,
  enterprise: `Windows ${n} Enterprise`,
  'pro-workstations': `Windows ${n} Pro for Workstations`,
});

// Microsoft's published generic install keys (Home, Pro) and KMS client setup keys.
const CLIENT_KEYS = {
  home: 'YTMG3-N6DKC-DKB77-7M9GH-8HVX7',
  pro: 'VK7JG-NPHTM-C97JM-9MPGT-3V66T',
  education: 'NW6C2-QMPVW-D7KKK-3GKT6-VCFB2',
  enterprise: 'NPPR9-FWDCX-D2C8J-H872K-2YT43',
  'pro-workstations': 'NRG8B-VKK3Q-CXVCJ-9G2XF-6Q84J',
};

const SERVER_IMAGES = (year: string) => ({
  standard: `Windows Server ${year} SERVERSTANDARD`,
  'standard-core': `Windows Server ${year} SERVERSTANDARDCORE`,
  datacenter: `Windows Server ${year} SERVERDATACENTER`,
  'datacenter-core': `Windows Server ${year} SERVERDATACENTERCORE`,
});

const serverKeys = (standard: string, datacenter: string) => ({
  standard,
  'standard-core': standard,
  datacenter,
  'datacenter-core': datacenter,
});

export const WINDOWS_VERSIONS: Record<string, WindowsVersionFacts> = {
  '11': {
    family: 'client',
    virtioDir: 'w11',
    hardwareChecks: true,
    images: CLIENT_IMAGES('11'),
    genericKeys: CLIENT_KEYS,
  },
  '10': {
    family: 'client',
    virtioDir: 'w10',
    hardwareChecks: false,
    images: CLIENT_IMAGES('10'),
    genericKeys: CLIENT_KEYS,
  },
  // LTSC evaluation media carry one image: install it by index.
  '11-ltsc': {
    family: 'client',
    virtioDir: 'w11',
    hardwareChecks: true,
    images: { 'iot-enterprise': '#1' },
    genericKeys: {},
  },
  '10-ltsc': {
    family: 'client',
    virtioDir: 'w10',
    hardwareChecks: false,
    images: { enterprise: '#1' },
    genericKeys: {},
  },
  'server-2025': {
    family: 'server',
    virtioDir: '2k25',
    hardwareChecks: false,
    images: SERVER_IMAGES('2025'),
    genericKeys: serverKeys('TVRH6-WHNXV-R9WG3-9XRFY-MY832', 'D764K-2NDRG-47T6Q-P8T8W-YP6DF'),
  },
  'server-2022': {
    family: 'server',
    virtioDir: '2k22',
    hardwareChecks: false,
    images: SERVER_IMAGES('2022'),
    genericKeys: serverKeys('VDYBN-27WPP-V4HQT-9VMD4-VMK7H', 'WX4NM-KYWYW-QJJR4-XV3QB-6VM33'),
  },
  'server-2019': {
    family: 'server',
    virtioDir: '2k19',
    hardwareChecks: false,
    images: SERVER_IMAGES('2019'),
    genericKeys: serverKeys('N69G4-B89J2-4G8F4-WWYCC-J464C', 'WMDGN-G9PQG-XVVXX-R3X43-63DFG'),
  },
  'server-2016': {
    family: 'server',
    virtioDir: '2k16',
    hardwareChecks: false,
    images: SERVER_IMAGES('2016'),
    genericKeys: serverKeys('WC2BQ-8NRM3-FDDYY-2BFGV-KHKQY', 'CB7KF-BWN84-R7R2Y-793K2-8XDDG'),
  },
};

export type WindowsVersionId = keyof typeof WINDOWS_VERSIONS;

/** The facts of a version, or a message naming the versions there are. */
export function windowsVersion(version: string): WindowsVersionFacts | { error: string } {
  const facts = WINDOWS_VERSIONS[version];
  if (facts) return facts;
  return {
    error: `no unattended setup is known for Windows version "${version}": use one of ${Object.keys(WINDOWS_VERSIONS).join(', ')}`,
  };
}

/**
 * The install image name for an edition: the NAME in install.wim's metadata, which evaluation
 * media share with retail media ("Windows Server 2022 SERVERDATACENTER" is the Desktop
 * Experience image; "...CORE" has no desktop).
 */
export function imageName(facts: WindowsVersionFacts, edition: string): string | undefined {
  return facts.images[edition];
}

/** Windows' virtio-win driver folders Setup needs: storage (to see the disk), network, serial (the beacon), balloon. */
export const VIRTIO_DRIVERS = ['viostor', 'vioscsi', 'NetKVM', 'vioserial', 'Balloon'] as const;
