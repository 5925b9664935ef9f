/**
 * A guest panic reaches QEMU through the ISA pvpanic device (ACPI QEMU0001; Linux: pvpanic-mmio,
 * Windows: virtio-win's pvpanic driver) and becomes the QMP event GUEST_PANICKED.
 * QEMU 7.2's default action is `panic=shutdown`: QEMU quits with exit code 0, as if the guest
 * had powered off. `pause` keeps the panicked guest as it is (screen, memory) for inspection
 * and lets the supervisor report the panic (image/supervisor/guest-panic.ts).
 */
export function panicArgs(): string[] {
  return ['-device', 'pvpanic', '-action', 'panic=pause'];
}
