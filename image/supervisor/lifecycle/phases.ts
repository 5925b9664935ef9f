/**
 * The supervisor's phases, in the order a start goes through them. A stop request (SIGTERM from
 * `docker stop`, SIGINT) means something different in each: see stopAction.
 */
export type LifecyclePhase =
  | 'spec'
  | 'host-checks'
  | 'install-media'
  | 'storage'
  | 'firmware'
  | 'install'
  | 'network'
  | 'qemu-start'
  | 'restore'
  | 'running'
  | 'stopping';

/**
 * - `exit`: QEMU does not run yet, there is nothing to shut down: stop at once (a partial import
 *   or VARS file never gets its real name, so it is redone on the next start).
 * - `defer`: QEMU runs but its monitor (and a restore) is not ready: remembered, done once running.
 * - `shut-down`: the ACPI power-down with its deadline.
 * - `ignore`: a shut-down is under way already.
 */
export type StopAction = 'exit' | 'defer' | 'shut-down' | 'ignore';

export function stopAction(phase: LifecyclePhase): StopAction {
  switch (phase) {
    case 'qemu-start':
    case 'restore':
      return 'defer';
    case 'running':
      return 'shut-down';
    case 'stopping':
      return 'ignore';
    default:
      return 'exit';
  }
}
