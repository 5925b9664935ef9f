/** The supervisor's exit codes, documented in image/README.md. Stable: the provider reads them. */
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

export class SupervisorError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly step: string,
  ) {
    super(message);
    this.name = 'SupervisorError';
  }
}
