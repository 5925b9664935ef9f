/** What the image's exit codes mean (image/supervisor/exit-codes.ts, image/README.md). */
const MEANINGS: Record<number, string> = {
  0: 'the guest powered off',
  64: 'the VM spec was invalid',
  65: "the VM spec's version does not match the image: update the image or the provider",
  66: 'the storage volume could not be prepared or belongs to another VM',
  67: 'firmware or TPM could not be prepared',
  68: 'the installation media could not be fetched or verified',
  70: 'QEMU failed',
  75: 'the guest ignored the power button until the deadline and was stopped by force',
  88: 'accelerator "kvm" was requested but KVM is not usable on this host',
  137: 'the container was killed (out of memory, or docker kill)',
};

export function describeExit(code: number): string {
  return MEANINGS[code] ?? `exit code ${code}`;
}
