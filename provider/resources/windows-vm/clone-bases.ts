import { prepareCloneBase, type CloneBase } from '../../vm/clone-base';
import type { HostContext } from './launch';
import type { WindowsVmOutputs } from './outputs';

/** Clone bases being made, by host/container/snapshot: clones created together share one. */
export class CloneBasesInFlight {
  private readonly inFlight = new Map<string, Promise<CloneBase>>();

  shared(context: HostContext, from: { container: string; snapshot: string }): Promise<CloneBase> {
    const key = `${context.host.name}/${from.container}/${from.snapshot}`;
    let base = this.inFlight.get(key);
    if (!base) {
      base = prepareCloneBase({ docker: context.docker, container: from.container }, from.snapshot, {
        withMemory: false,
      });
      this.inFlight.set(key, base);
      // Later creates re-check the base on the host (it may have been removed meanwhile).
      void base.catch(() => undefined).finally(() => this.inFlight.delete(key));
    }
    return base;
  }
}

/** The clone base a VM's state records (a linked clone outlives its source VM). */
export function cloneBaseOf(old: Partial<WindowsVmOutputs>): CloneBase | undefined {
  return old.cloneBase ? (JSON.parse(old.cloneBase) as CloneBase) : undefined;
}
