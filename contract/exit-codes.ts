/**
 * The supervisor's exit codes: the image exits with them, the provider explains them (in
 * errors, `phase`, the CLI). Stable: an older provider reads a newer image's codes.
 */
export const EXIT = {
  /** The guest powered off (or was shut down gracefully on request). */
  OK: 0,
  /** The spec is missing or malformed. */
  SPEC_INVALID: 64,
  /** The spec's version is newer (or older) than this image reads. */
  SPEC_VERSION: 65,
  /** Storage could not be prepared, or the volume belongs to another VM / install (no silent reinstall). */
  STORAGE: 66,
  /** Firmware, TPM or another helper could not be prepared. */
  HELPERS: 67,
  /** Installation media could not be fetched or verified (blocked, checksum, network). */
  MEDIA: 68,
  /** A share's folder on the host is not the one the provider checked (swapped after create): not started. */
  HOST_PATH: 69,
  /** QEMU could not start, or exited with an error. */
  QEMU_FAILED: 70,
  /** The guest ignored the ACPI power button until the deadline; QEMU was told to quit. */
  FORCED_STOP: 75,
  /** accelerator "kvm" was requested but KVM is not usable (the number dockur/windows uses). */
  NO_KVM: 88,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code tells a user; the compiler asks for a line for every code. */
export const EXIT_MEANINGS: Record<ExitCode, string> = {
  [EXIT.OK]: 'the guest powered off',
  [EXIT.SPEC_INVALID]: 'the VM spec was invalid',
  [EXIT.SPEC_VERSION]: "the VM spec's version does not match the image: update the image or the provider",
  [EXIT.STORAGE]: 'the storage volume could not be prepared or belongs to another VM',
  [EXIT.HELPERS]: 'firmware or TPM could not be prepared',
  [EXIT.MEDIA]: 'the installation media could not be fetched or verified',
  [EXIT.HOST_PATH]: 'a shared folder on the host is not the one checked at create: the VM was not started',
  [EXIT.QEMU_FAILED]: 'QEMU failed',
  [EXIT.FORCED_STOP]: 'the guest ignored the power button until the deadline and was stopped by force',
  [EXIT.NO_KVM]: 'accelerator "kvm" was requested but KVM is not usable on this host',
};

/** Docker's own code for a container killed by SIGKILL (OOM killer, `docker kill`). */
export const KILLED_EXIT = 137;
