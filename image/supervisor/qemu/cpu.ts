import type { VmSpec } from '../../../contract';
import type { HostFacts } from './host-facts';

/** Hyper-V enlightenments Windows uses on KVM (timers, APIC, spinlocks, TLB flush, IPIs). */
const HYPERV_ENLIGHTENMENTS = [
  'hv_relaxed',
  'hv_vapic',
  'hv_spinlocks=0x1fff',
  'hv_vpindex',
  'hv_runtime',
  'hv_synic',
  'hv_stimer',
  'hv_time',
  'hv_reset',
  'hv_frequencies',
  'hv_tlbflush',
  'hv_ipi',
];

export function machineAndCpuArgs(spec: VmSpec, facts: HostFacts): string[] {
  const machine = [spec.machine, `accel=${facts.accelerator}`, 'vmport=off'];
  if (spec.firmware.type === 'uefi-secure') machine.push('smm=on');
  else if (spec.machine.startsWith('pc-q35')) machine.push('smm=off');
  if (spec.firmware.type !== 'bios') machine.push('pflash0=fw-code', 'pflash1=fw-vars');

  // KVM: the host CPU model with Hyper-V enlightenments. +invtsc makes a VM unmigratable,
  // and snapshots are migrations, so it is only offered when snapshots are off.
  // TCG: "max" emulates every feature TCG can; enlightenments need KVM.
  const cpu =
    facts.accelerator === 'kvm'
      ? ['host', ...HYPERV_ENLIGHTENMENTS, ...(spec.snapshots.enabled ? [] : ['+invtsc'])].join(',')
      : 'max';

  return [
    '-machine',
    machine.join(','),
    '-cpu',
    cpu,
    '-smp',
    `${spec.cpu.cores},sockets=1,cores=${spec.cpu.cores},threads=1`,
    '-m',
    `${spec.memoryMiB}M`,
    ...(spec.firmware.type === 'uefi-secure'
      ? ['-global', 'driver=cfi.pflash01,property=secure,value=on']
      : []),
    // Windows guests expect a local-time RTC; S3/S4 suspend off (sleep hangs headless VMs).
    '-rtc',
    'base=localtime,driftfix=slew',
    ...(spec.machine.startsWith('pc-q35')
      ? ['-global', 'ICH9-LPC.disable_s3=1', '-global', 'ICH9-LPC.disable_s4=1']
      : []),
  ];
}
