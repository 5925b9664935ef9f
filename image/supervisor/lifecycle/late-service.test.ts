import { LateService } from './late-service';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a service that starts once its secrets are handed over', () => {
  it('holds what started before QEMU', () => {
    const service = new LateService<string>();
    service.started('smbd');
    expect(service.current).toBe('smbd');
  });

  it('starts when the hand-over comes while QEMU runs', async () => {
    const service = new LateService<string>();
    let handOver!: () => void;
    service.startWhen(new Promise<void>((resolve) => (handOver = resolve)), async () => 'console');
    await tick();
    expect(service.current).toBeUndefined();
    handOver();
    await tick();
    expect(service.current).toBe('console');
  });

  it('starts nothing once QEMU has exited', async () => {
    const service = new LateService<string>();
    let handOver!: () => void;
    const start = jest.fn(() => 'console');
    service.startWhen(new Promise<void>((resolve) => (handOver = resolve)), start);
    service.refuseLaterStarts();
    handOver();
    await tick();
    expect(start).not.toHaveBeenCalled();
    expect(service.current).toBeUndefined();
  });
});
