import type { VmSpec } from '../../../provider/spec';

export function bootArgs(spec: VmSpec): string[] {
  if (spec.boot.kind === 'kernel') {
    return ['-kernel', spec.boot.kernel, '-initrd', spec.boot.initrd, '-append', spec.boot.cmdline];
  }
  // No "press any key to boot from CD" wait and no boot menu.
  return ['-boot', 'menu=off,strict=on'];
}
