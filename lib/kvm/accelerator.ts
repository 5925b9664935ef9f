import { existsSync, readFileSync, accessSync, constants } from 'node:fs';

export interface KvmProbe {
  devKvmExists: boolean;
  devKvmWritable: boolean;
  /** vmx (Intel) or svm (AMD) in /proc/cpuinfo. */
  cpuHasVirtualization: boolean;
  /** kvm_pvm: a nested, pagetable-based KVM that crashes real guests. */
  pagetableKvmLoaded: boolean;
}

export type AcceleratorChoice =
  { ok: true; accelerator: 'kvm' | 'tcg'; warning?: string } | { ok: false; reason: string };

export function kvmProblem(probe: KvmProbe): string | undefined {
  if (!probe.devKvmExists)
    return '/dev/kvm does not exist: pass the device to the container (--device /dev/kvm)';
  if (!probe.devKvmWritable) return '/dev/kvm is not writable by the supervisor';
  if (probe.pagetableKvmLoaded)
    return 'the host KVM is kvm_pvm (nested, pagetable-based): it crashes real guests, so it does not count';
  if (!probe.cpuHasVirtualization)
    return 'the CPU shows no vmx/svm flag: hardware virtualization is off or hidden';
  return undefined;
}

/** auto picks KVM only where it truly works; kvm refuses to run without it. Pure. */
export function chooseAccelerator(requested: 'auto' | 'kvm' | 'tcg', probe: KvmProbe): AcceleratorChoice {
  if (requested === 'tcg') return { ok: true, accelerator: 'tcg' };
  const problem = kvmProblem(probe);
  if (!problem) return { ok: true, accelerator: 'kvm' };
  if (requested === 'kvm') return { ok: false, reason: `accelerator "kvm" was requested but ${problem}` };
  return {
    ok: true,
    accelerator: 'tcg',
    warning: `KVM is not usable (${problem}); running under TCG software emulation, many times slower`,
  };
}

export function probeKvm(): KvmProbe {
  const devKvmExists = existsSync('/dev/kvm');
  let devKvmWritable: boolean;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    devKvmWritable = true;
  } catch {
    devKvmWritable = false;
  }
  let cpuinfo: string;
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    cpuinfo = '';
  }
  return {
    devKvmExists,
    devKvmWritable,
    cpuHasVirtualization: /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo),
    pagetableKvmLoaded: existsSync('/sys/module/kvm_pvm'),
  };
}
