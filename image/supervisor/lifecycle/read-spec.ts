import { existsSync, readFileSync } from 'node:fs';
import { CONTAINER_PATHS, parseVmSpec, VmSpecError, type VmSpec } from '../../../contract';
import { EXIT, SupervisorError } from '../exit-codes';

/** The VM spec the provider wrote; a missing, invalid or too new one is the `spec` step's failure. */
export function readSpec(path: string = CONTAINER_PATHS.spec): VmSpec {
  if (!existsSync(path)) {
    throw new SupervisorError(
      `no VM spec at ${path}: this image is started by the windock provider`,
      EXIT.SPEC_INVALID,
      'spec',
    );
  }
  try {
    return parseVmSpec(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    const code =
      error instanceof VmSpecError && error.kind === 'version' ? EXIT.SPEC_VERSION : EXIT.SPEC_INVALID;
    throw new SupervisorError((error as Error).message, code, 'spec');
  }
}
