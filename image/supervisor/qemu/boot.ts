import type { VmSpec } from '../../../contract';

/**
 * A state-file restore waits for its migration stream (`migrate-incoming`, sent by the
 * supervisor); a snapshot restore needs nothing here (loaded over QMP once QEMU runs).
 */
export function restoreArgs(spec: VmSpec): string[] {
  return spec.restore?.kind === 'state-file' ? ['-incoming', 'defer'] : [];
}

export function bootArgs(spec: VmSpec): string[] {
  if (spec.boot.kind === 'kernel') {
    return [
      '-kernel',
      spec.boot.kernel,
      '-initrd',
      spec.boot.initrd,
      '-append',
      spec.boot.cmdline,
      ...restoreArgs(spec),
    ];
  }
  // No "press any key to boot from CD" wait and no boot menu.
  return ['-boot', 'menu=off,strict=on', ...restoreArgs(spec)];
}
