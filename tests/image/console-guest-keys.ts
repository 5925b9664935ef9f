// What the stand-in guest's keyboard received: its evdev input events recorded into /run/keys
// through the guest agent. A view-only console must leave the file empty.
import type { TestVm } from './harness';

/** Starts recording the guest keyboard's input events (evdev) into /run/keys. */
export async function recordGuestKeys(vm: TestVm): Promise<void> {
  await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
  const agent = await vm.agent();
  const { stdout } = await vm.guestRun(agent, '/bin/sh', [
    '-c',
    'for d in /sys/class/input/event*; do grep -q keyboard "$d/device/name" && dev=/dev/input/${d##*/}; done; ' +
      ': >/run/keys; cat "$dev" >/run/keys 2>/dev/null </dev/null & echo "$dev"',
  ]);
  if (!/^\/dev\/input\/event\d+$/.test(stdout.trim())) throw new Error(`no guest keyboard: ${stdout}`);
}

/** Bytes of input events the guest keyboard produced since recordGuestKeys. */
export async function guestKeyBytes(vm: TestVm): Promise<number> {
  const { stdout } = await vm.guestRun(await vm.agent(), '/bin/sh', ['-c', 'wc -c </run/keys']);
  return Number(stdout.trim());
}
