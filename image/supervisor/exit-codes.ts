import type { ExitCode } from '../../contract/exit-codes';

export { EXIT, type ExitCode } from '../../contract/exit-codes';

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
