import { chooseAccelerator, type KvmProbe } from './accelerator';

const realKvm: KvmProbe = {
  devKvmExists: true,
  devKvmWritable: true,
  cpuHasVirtualization: true,
  pagetableKvmLoaded: false,
};
/** What these machines have: /dev/kvm works, but it is kvm_pvm without vmx/svm. */
const pagetableKvm: KvmProbe = {
  devKvmExists: true,
  devKvmWritable: true,
  cpuHasVirtualization: false,
  pagetableKvmLoaded: true,
};

describe('chooseAccelerator', () => {
  it('auto picks KVM where it truly works', () => {
    expect(chooseAccelerator('auto', realKvm)).toEqual({ ok: true, accelerator: 'kvm' });
  });

  it('auto falls back to TCG with a loud warning on kvm_pvm', () => {
    const choice = chooseAccelerator('auto', pagetableKvm);
    expect(choice).toMatchObject({ ok: true, accelerator: 'tcg' });
    expect(choice.ok && choice.warning).toMatch(/kvm_pvm.*TCG/);
  });

  it('kvm refuses to run without real KVM, saying why', () => {
    expect(chooseAccelerator('kvm', pagetableKvm)).toEqual({
      ok: false,
      reason: expect.stringMatching(/requested but .*kvm_pvm/),
    });
    expect(chooseAccelerator('kvm', { ...realKvm, devKvmExists: false })).toEqual({
      ok: false,
      reason: expect.stringMatching(/--device \/dev\/kvm/),
    });
    expect(chooseAccelerator('kvm', { ...realKvm, cpuHasVirtualization: false })).toMatchObject({
      ok: false,
    });
  });

  it('tcg is always available', () => {
    expect(chooseAccelerator('tcg', { ...realKvm, devKvmExists: false })).toEqual({
      ok: true,
      accelerator: 'tcg',
    });
  });
});
