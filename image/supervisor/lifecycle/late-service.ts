/**
 * A service that may start after QEMU did, once the provider handed its secrets over (the share
 * server, the console), and never once QEMU has exited: the VM is going away.
 */
export class LateService<T> {
  private service: T | undefined;
  private refused = false;

  /** The service, if it started. */
  get current(): T | undefined {
    return this.service;
  }

  /** Started now, before QEMU. */
  started(service: T | undefined): void {
    this.service = service;
  }

  /** Starts it when `ready` resolves, unless QEMU has exited by then. */
  startWhen(ready: Promise<unknown>, start: () => T | undefined | Promise<T | undefined>): void {
    void ready.then(async () => {
      if (!this.refused) this.service = await start();
    });
  }

  /** QEMU has exited: a hand-over from now on starts nothing. */
  refuseLaterStarts(): void {
    this.refused = true;
  }
}
