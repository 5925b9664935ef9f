/** What the supervisor found out about its container before building QEMU's command line. */
export interface HostFacts {
  /** The accelerator actually chosen (auto resolved). */
  accelerator: 'kvm' | 'tcg';
  firmwareFiles: FirmwareFiles;
}

export interface FirmwareFiles {
  /** OVMF code images by variant (read-only, raw). */
  uefiCode: string;
  uefiSecureCode: string;
}

export const DEBIAN_FIRMWARE: FirmwareFiles = {
  uefiCode: '/usr/share/OVMF/OVMF_CODE_4M.fd',
  uefiSecureCode: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd',
};

/** Templates the supervisor copies into the volume the first time (VARS converted to qcow2). */
export const DEBIAN_VARS_TEMPLATES = {
  uefi: '/usr/share/OVMF/OVMF_VARS_4M.fd',
  'uefi-secure': '/usr/share/OVMF/OVMF_VARS_4M.ms.fd',
} as const;
