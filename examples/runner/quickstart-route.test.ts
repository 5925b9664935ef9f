import { chooseQuickstartRoute, type QuickstartFacts } from './quickstart-route';

const kvm = {
  devKvmExists: true,
  devKvmWritable: true,
  cpuHasVirtualization: true,
  pagetableKvmLoaded: false,
};
const kvmHost: QuickstartFacts = {
  kvm,
  microsoftAnswers: true,
  memAvailableMiB: 16 * 1024,
  diskFreeGiB: 200,
};

describe('chooseQuickstartRoute', () => {
  it('installs Windows 11 on a host with real KVM, room, and Microsoft answering, saying which and how long', () => {
    const route = chooseQuickstartRoute(kvmHost);
    expect(route.route).toBe('windows');
    expect(route.announcement).toMatch(/Windows 11 Pro .*minutes/);
  });

  it("boots the stand-in on this project's machines: nested kvm_pvm and no Microsoft, naming both", () => {
    const route = chooseQuickstartRoute({
      ...kvmHost,
      kvm: { ...kvm, pagetableKvmLoaded: true },
      microsoftAnswers: false,
    });
    expect(route).toMatchObject({ route: 'standin' });
    expect(route.announcement).toContain('kvm_pvm');
    expect(route.announcement).toContain("Microsoft's download servers cannot be reached");
    expect(route.announcement).toContain('stand-in guest');
  });

  it.each([
    [{ kvm: { ...kvm, devKvmExists: false } }, '/dev/kvm does not exist'],
    [{ kvm: { ...kvm, devKvmWritable: false } }, 'not writable'],
    [{ kvm: { ...kvm, cpuHasVirtualization: false } }, 'vmx/svm'],
    [{ memAvailableMiB: 2048 }, '2048 MiB of memory'],
    [{ diskFreeGiB: 20 }, '20 GiB is free'],
  ])('says why it does not install Windows: %j', (change, reason) => {
    const route = chooseQuickstartRoute({ ...kvmHost, ...change });
    expect(route.route).toBe('standin');
    expect(route.announcement).toContain(reason);
  });

  it('WINDOCK_QUICKSTART forces either route', () => {
    expect(chooseQuickstartRoute(kvmHost, 'standin').route).toBe('standin');
    const forced = chooseQuickstartRoute({ ...kvmHost, microsoftAnswers: false }, 'windows');
    expect(forced.route).toBe('windows');
    expect(forced.announcement).toContain('forced');
  });
});
