// The Windows versions windock installs, with where their media comes from.
//
// Pinned media: Microsoft's own static URLs of evaluation ISOs (en-us), with the size and
// SHA-256 published in dockur/windows (src/define.sh, getMido; its CI checks those links) and
// confirmed by independent public build recipes (Packer templates and notes that hashed the same
// file). Where a value could not be confirmed by a second source it is left out. Pins go stale:
// source "auto" falls back to the live route when a pin answers 404. Consumer Windows 11/10 come
// from Microsoft's live download (the current release): no checksum can be pinned for those.
// Requirements: Microsoft's published minimums (Windows 11: 4 GB RAM, 64 GB storage; Windows 10
// 64-bit: 2 GB, 32 GB; Server 2016-2025 with Desktop Experience: 2 GB, 32 GB).

export const WINDOWS_VERSIONS = [
  '11',
  '10',
  '11-ltsc',
  '10-ltsc',
  'server-2016',
  'server-2019',
  'server-2022',
  'server-2025',
] as const;
export type WindowsVersion = (typeof WINDOWS_VERSIONS)[number];

export interface PinnedMedia {
  url: string;
  sizeBytes?: number;
  sha256: string;
  /** The only culture the pin is for. */
  language: 'en-us';
}

export interface CatalogueMedia {
  /** Stem of the cache file: one file per media, whichever edition is installed from it. */
  cacheName: string;
  /** Microsoft's live download (consumer ISO with Home, Pro, Education...). */
  microsoft?: { product: 'windows-11' | 'windows-10' };
  /**
   * The Evaluation Center page and which of its links (per culture) is the x64 ISO: dockur's
   * src/mido.sh (downloadWindowsEval) indices; the fetch refuses a link that resolves to arm64.
   */
  evaluation?: { product: string; linkIndex: number };
  pinned?: PinnedMedia;
}

export interface CatalogueEntry {
  version: WindowsVersion;
  title: string;
  /** Editions the media installs; the first is the default. */
  editions: readonly string[];
  /** Per edition, when it is an evaluation: the days it runs before it expires. */
  evaluationDays?: Partial<Record<string, number>>;
  /** Media per edition group: editions listed here use this media instead of `media`. */
  media: CatalogueMedia;
  editionMedia?: Partial<Record<string, CatalogueMedia>>;
  minMemoryMiB: number;
  minDiskMiB: number;
}

/** 64 GB (decimal, as Microsoft counts storage) in MiB. */
const GB = (n: number) => Math.ceil((n * 1e9) / 1024 ** 2);
const SERVER_EVALUATION_DAYS = 180;
const CLIENT_EVALUATION_DAYS = 90;

function server(year: number, pinned: PinnedMedia): CatalogueEntry {
  return {
    version: `server-${year}` as WindowsVersion,
    title: `Windows Server ${year}`,
    editions: ['standard', 'datacenter', 'standard-core', 'datacenter-core'],
    evaluationDays: {
      standard: SERVER_EVALUATION_DAYS,
      datacenter: SERVER_EVALUATION_DAYS,
      'standard-core': SERVER_EVALUATION_DAYS,
      'datacenter-core': SERVER_EVALUATION_DAYS,
    },
    media: {
      cacheName: `windows-server-${year}-eval`,
      evaluation: { product: `windows-server-${year}`, linkIndex: 0 },
      pinned,
    },
    minMemoryMiB: 2048,
    minDiskMiB: GB(32),
  };
}

const MS = 'https://software-static.download.prss.microsoft.com';
const MS_OLD = 'https://software-download.microsoft.com/download/pr';

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    version: '11',
    title: 'Windows 11',
    editions: ['pro', 'home', 'education', 'enterprise'],
    evaluationDays: { enterprise: CLIENT_EVALUATION_DAYS },
    media: { cacheName: 'windows-11', microsoft: { product: 'windows-11' } },
    editionMedia: {
      enterprise: {
        cacheName: 'windows-11-enterprise-eval',
        // The page lists the x64 ISO first and the arm64 ISO second (dockur's downloadWindowsEval:
        // link_index 0 for x64, 1 for arm64); the fetch also refuses a link that resolves to arm64.
        evaluation: { product: 'windows-11-enterprise', linkIndex: 0 },
      },
    },
    minMemoryMiB: 4096,
    minDiskMiB: GB(64),
  },
  {
    version: '10',
    title: 'Windows 10',
    editions: ['pro', 'home', 'education', 'enterprise'],
    evaluationDays: { enterprise: CLIENT_EVALUATION_DAYS },
    media: { cacheName: 'windows-10', microsoft: { product: 'windows-10' } },
    editionMedia: {
      // The Evaluation Center no longer serves Windows 10 Enterprise: dockur fetches its
      // evaluation from this static URL only (src/mido.sh getWindows: win10*-enterprise* takes
      // no live route; src/define.sh getMido win10x64-enterprise-eval). English only.
      enterprise: {
        cacheName: 'windows-10-enterprise-eval',
        pinned: {
          url: `${MS}/dbazure/988969d5-f34g-4e03-ac9d-1f9786c66750/19045.2006.220908-0225.22h2_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso`,
          sizeBytes: 5550497792,
          sha256: 'ef7312733a9f5d7d51cfa04ac497671995674ca5e1058d5164d6028f0938d668',
          language: 'en-us',
        },
      },
    },
    minMemoryMiB: 2048,
    minDiskMiB: GB(32),
  },
  {
    version: '11-ltsc',
    title: 'Windows 11 IoT Enterprise LTSC 2024',
    editions: ['iot-enterprise'],
    evaluationDays: { 'iot-enterprise': CLIENT_EVALUATION_DAYS },
    media: {
      cacheName: 'windows-11-ltsc-eval',
      evaluation: { product: 'windows-11-iot-enterprise-ltsc-eval', linkIndex: 0 },
      pinned: {
        // The file moved from .../888969d5-... to .../998969d5-... (dockur's define.sh).
        url: `${MS}/dbazure/998969d5-f34g-4e03-ac9d-1f9786c66749/26100.1742.240906-0331.ge_release_svc_refresh_CLIENT_IOT_LTSC_EVAL_x64FRE_en-us.iso`,
        sizeBytes: 5060020224,
        sha256: '2cee70bd183df42b92a2e0da08cc2bb7a2a9ce3a3841955a012c0f77aeb3cb29',
        language: 'en-us',
      },
    },
    minMemoryMiB: 4096,
    minDiskMiB: GB(64),
  },
  {
    version: '10-ltsc',
    title: 'Windows 10 Enterprise LTSC 2021',
    editions: ['enterprise'],
    evaluationDays: { enterprise: CLIENT_EVALUATION_DAYS },
    // Pinned only: the Evaluation Center's Windows 10 Enterprise page no longer serves it (dockur
    // fetches win10x64-enterprise-ltsc-eval from the static URL, English only).
    media: {
      cacheName: 'windows-10-ltsc-eval',
      pinned: {
        url: `${MS_OLD}/19044.1288.211006-0501.21h2_release_svc_refresh_CLIENT_LTSC_EVAL_x64FRE_en-us.iso`,
        sizeBytes: 4898582528,
        sha256: 'e4ab2e3535be5748252a8d5d57539a6e59be8d6726345ee10e7afd2cb89fefb5',
        language: 'en-us',
      },
    },
    minMemoryMiB: 2048,
    minDiskMiB: GB(32),
  },
  server(2016, {
    url: `${MS_OLD}/Windows_Server_2016_Datacenter_EVAL_en-us_14393_refresh.ISO`,
    sizeBytes: 6972221440,
    sha256: '1ce702a578a3cb1ac3d14873980838590f06d5b7101c5daaccbac9d73f1fb50f',
    language: 'en-us',
  }),
  server(2019, {
    // Size left out: the only published size is for an older file name with this digest.
    url: `${MS}/dbazure/988969d5-f34g-4e03-ac9d-1f9786c66749/17763.3650.221105-1748.rs5_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso`,
    sha256: '6dae072e7f78f4ccab74a45341de0d6e2d45c39be25f1f5920a2ab4f51d7bcbb',
    language: 'en-us',
  }),
  server(2022, {
    url: `${MS}/sg/download/888969d5-f34g-4e03-ac9d-1f9786c66749/SERVER_EVAL_x64FRE_en-us.iso`,
    sizeBytes: 5044094976,
    sha256: '3e4fa6d8507b554856fc9ca6079cc402df11a8b79344871669f0251535255325',
    language: 'en-us',
  }),
  server(2025, {
    // The 26100.1742 file is gone; dockur's define.sh (getMido win2025-eval) pins this refresh.
    url: `${MS}/dbazure/998969d5-f34g-4e03-ac9d-1f9786c66749/26100.32230.260111-0550.lt_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso`,
    sizeBytes: 8152356864,
    sha256: '7b052573ba7894c9924e3e87ba732ccd354d18cb75a883efa9b900ea125bfd51',
    language: 'en-us',
  }),
];

export function catalogueEntry(version: WindowsVersion): CatalogueEntry {
  const entry = CATALOGUE.find((e) => e.version === version);
  if (!entry) throw new Error(`no catalogue entry for Windows version "${version}"`);
  return entry;
}

export function mediaFor(entry: CatalogueEntry, edition: string): CatalogueMedia {
  return entry.editionMedia?.[edition] ?? entry.media;
}

/**
 * The virtio-win drivers ISO (Fedora's build of Red Hat's drivers): storage, network, serial
 * and balloon drivers Windows Setup loads from the answer file's driver paths.
 *
 * Pinned: 0.1.285 from Fedora's archive, its size and SHA-256 as recorded by independent public
 * build recipes (Packer templates, a Chocolatey package, a size check of the same file); Fedora
 * publishes no digest itself. `stable` is Fedora's moving pointer to the current stable release:
 * no checksum can be pinned for it, and the cache keeps the first copy it fetched.
 */
export const VIRTIO_WIN = {
  title: 'virtio-win drivers',
  pinned: {
    version: '0.1.285',
    url: 'https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/archive-virtio/virtio-win-0.1.285-1/virtio-win-0.1.285.iso',
    sizeBytes: 789645312,
    sha256: 'e14cf2b94492c3e925f0070ba7fdfedeb2048c91eea9c5a5afb30232a3976331',
  },
  stable: {
    url: 'https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/stable-virtio/virtio-win.iso',
  },
} as const;
