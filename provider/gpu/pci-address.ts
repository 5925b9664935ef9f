/** PCI addresses as sysfs names them: "0000:01:00.0" (domain:bus:device.function, lowercase hex). */
const FULL = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([01]?[0-9a-fA-F])\.([0-7])$/;
const SHORT = /^([0-9a-fA-F]{2}):([01]?[0-9a-fA-F])\.([0-7])$/;
/** nvidia-smi's pci.bus_id: an 8-digit domain ("00000000:01:00.0"). */
const NVIDIA = /^([0-9a-fA-F]{8}):([0-9a-fA-F]{2}):([01]?[0-9a-fA-F])\.([0-7])$/;

/** Normalizes "01:00.0", "0000:01:00.0" or "00000000:01:00.0" to "0000:01:00.0"; undefined if not an address. */
export function normalizePciAddress(text: string): string | undefined {
  const value = text.trim();
  let m = FULL.exec(value);
  if (m) return `${m[1]}:${m[2]}:${m[3]!.padStart(2, '0')}.${m[4]}`.toLowerCase();
  m = SHORT.exec(value);
  if (m) return `0000:${m[1]}:${m[2]!.padStart(2, '0')}.${m[3]}`.toLowerCase();
  m = NVIDIA.exec(value);
  if (m && /^0{4}/.test(m[1]!))
    return `${m[1]!.slice(4)}:${m[2]}:${m[3]!.padStart(2, '0')}.${m[4]}`.toLowerCase();
  return undefined;
}

/** "0000:01:00.0" → "0000:01:00" (the device; its functions share it). */
export function slotOf(address: string): string {
  return address.slice(0, -2);
}

export function compareAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
