import { ImageRig } from '../image/harness';
import { guestShell } from '../rig/guest-shell';
const rig = new ImageRig('f2dbg');
afterAll(() => rig.dispose(), 60_000);
it('dbg', async () => {
  const vm = await rig.createVm();
  await vm.start();
  await vm.waitReady(180_000);
  await new Promise((r) => setTimeout(r, 8000));
  const r = await guestShell(rig.docker, vm.name, 'cat /run/udhcpc-eth0.log; ip addr show eth0; cat /proc/uptime');
  const q = await vm.exec(['sh', '-c', 'for p in /proc/[0-9]*; do tr "\\0" " " <$p/cmdline; echo; done']);
  console.log(r.stdout, q.stdout);
}, 300_000);
