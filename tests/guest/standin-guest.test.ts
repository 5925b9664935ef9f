// The stand-in guest (tests/fixtures/guest): the tiny Linux guest every test boots in
// place of Windows. Checks its interface under QEMU TCG: ready marker with a boot counter
// kept on its disk, the real qemu-ga on virtio-serial (guest-exec reads the RAM-only tick
// counter), clean power-off on the ACPI button and on guest-shutdown, DHCP + httpd, the
// "desktop ready" beacon port, and booting through UEFI (OVMF) with -kernel/-initrd.
// The helpers here are deliberately minimal; the product's clients live in provider/.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
const READY = /WINDOCK-GUEST-READY boot=(\d+)/;
let lastBoot = 0; // the boot counter the guest last reported from this test's disk

jest.setTimeout(300_000); // boots under TCG (also set by tests/rig/jest-timeout.ts)

let guest: string; // folder with vmlinuz, initrd.img, disk.qcow2
let cmdline: string; // the manifest's suggested kernel command line (fast under TCG)
let work: string;

beforeAll(() => {
  guest = execFileSync(path.join(repo, 'scripts/setup/guest.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  cmdline =
    JSON.parse(fs.readFileSync(path.join(guest, 'manifest.json'), 'utf8')).cmdline ?? 'console=ttyS0 quiet';
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'windock-standin-'));
  fs.copyFileSync(path.join(guest, 'disk.qcow2'), path.join(work, 'disk.qcow2'));
}, 600_000);

// A failed test must not leave its QEMU holding the disk's lock for the next one.
afterEach(async () => {
  for (const vm of vms.splice(0)) {
    if (vm.proc.exitCode === null && vm.proc.signalCode === null) vm.proc.kill('SIGKILL');
    await vm.exit;
  }
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

// --- a QEMU process with its serial console on stdout --------------------------------------
interface Vm {
  proc: ChildProcess;
  serial: () => string;
  waitSerial: (re: RegExp, ms: number) => Promise<RegExpMatchArray>;
  exit: Promise<number | null>;
  sock: (name: string) => string;
}
const vms: Vm[] = [];

function boot(name: string, extra: string[] = [], append = cmdline): Vm {
  const sock = (n: string) => path.join(work, `${name}-${n}.sock`);
  const args = [
    ...['-accel', 'tcg', '-machine', 'q35', '-m', '256', '-nodefaults', '-display', 'none'],
    ...['-kernel', path.join(guest, 'vmlinuz'), '-initrd', path.join(guest, 'initrd.img')],
    ...['-append', append, '-serial', 'stdio'],
    ...['-blockdev', `driver=file,filename=${path.join(work, 'disk.qcow2')},node-name=file0`],
    ...['-blockdev', 'driver=qcow2,file=file0,node-name=disk0', '-device', 'virtio-blk-pci,drive=disk0'],
    ...['-device', 'virtio-serial-pci,id=vser0'],
    ...['-chardev', `socket,id=ga0,path=${sock('ga')},server=on,wait=off`],
    ...['-device', 'virtserialport,chardev=ga0,name=org.qemu.guest_agent.0,id=gaport0'],
    ...[
      '-chardev',
      `socket,id=qmp0,path=${sock('qmp')},server=on,wait=off`,
      '-mon',
      'chardev=qmp0,mode=control',
    ],
    ...extra,
  ];
  const proc = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString('latin1');
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitSerial = (re: RegExp, ms: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(re);
        if (m) done(() => resolve(m));
      };
      const done = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${re} in ${ms} ms; output:\n${out}`))),
        ms,
      );
      listeners.add(check);
      check();
      void exit.then((code) =>
        done(() =>
          out.match(re)
            ? resolve(out.match(re)!)
            : reject(new Error(`QEMU exited (${code}) before ${re}; output:\n${out}`)),
        ),
      );
    });
  const vm = { proc, serial: () => out, waitSerial, exit, sock };
  vms.push(vm);
  return vm;
}

// --- line-delimited JSON over a unix socket (QMP, and qemu-ga after 0xFF sync) ---------------
function jsonSocket(file: string) {
  const s = net.connect(file);
  let buf = '';
  const seen: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  s.on('data', (d) => {
    buf += d.toString('latin1').replace(/\xff/g, '');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) seen.push(JSON.parse(line));
    }
    waiters.splice(0).forEach((w) => w());
  });
  const next = (pred: (m: Record<string, unknown>) => boolean, ms = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message in ${ms} ms: ${JSON.stringify(seen)}`)),
        ms,
      );
      const look = () => {
        const i = seen.findIndex(pred);
        if (i < 0) return void waiters.push(look);
        clearTimeout(timer);
        resolve(seen.splice(i, 1)[0]);
      };
      look();
    });
  let n = 0;
  const call = async <T = Record<string, unknown>>(execute: string, args?: object): Promise<T> => {
    const id = `c${++n}`;
    s.write(JSON.stringify({ execute, ...(args ? { arguments: args } : {}), id }) + '\n');
    const reply = await next((m) => m.id === id);
    if (reply.error) throw new Error(`${execute}: ${JSON.stringify(reply.error)}`);
    return reply.return as T;
  };
  return { s, next, call, write: (b: Buffer | string) => s.write(b), close: () => s.destroy() };
}

async function qmp(vm: Vm) {
  const q = jsonSocket(vm.sock('qmp'));
  await q.next((m) => 'QMP' in m);
  await q.call('qmp_capabilities');
  return q;
}

async function agent(vm: Vm) {
  const a = jsonSocket(vm.sock('ga'));
  const id = Math.floor(Math.random() * 1e9);
  a.write(Buffer.from([0xff]));
  a.write(JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } }) + '\n');
  await a.next((m) => m.return === id);
  const exec = async (file: string, ...arg: string[]) => {
    const { pid } = await a.call<{ pid: number }>('guest-exec', { path: file, arg, 'capture-output': true });
    for (;;) {
      const st = await a.call<{ exited: boolean; exitcode?: number; 'out-data'?: string }>(
        'guest-exec-status',
        { pid },
      );
      if (st.exited)
        return { code: st.exitcode, out: Buffer.from(st['out-data'] ?? '', 'base64').toString() };
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { ...a, exec };
}

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) =>
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject),
  );
}

// --- the tests -------------------------------------------------------------------------------
test('boots, counts boots on its disk, runs qemu-ga, powers off on the ACPI button', async () => {
  const t0 = Date.now();
  const vm = boot('one');
  const [, n] = await vm.waitSerial(READY, 120_000);
  console.log(`stand-in guest ready (TCG, direct kernel boot) in ${Date.now() - t0} ms`);
  expect(n).toBe('1'); // a fresh copy of the disk
  lastBoot = 1;

  const ga = await agent(vm);
  await ga.call('guest-ping');
  const info = await ga.call<{ supported_commands: { name: string; enabled: boolean }[] }>('guest-info');
  const enabled = info.supported_commands.filter((c) => c.enabled).map((c) => c.name);
  for (const c of [
    'guest-exec',
    'guest-exec-status',
    'guest-get-time',
    'guest-set-time',
    'guest-shutdown',
    'guest-file-open',
  ]) {
    expect(enabled).toContain(c);
  }
  const first = await ga.exec('/bin/cat', '/run/ticks');
  expect(first.code).toBe(0);
  expect(first.out.trim()).toMatch(/^\d+$/);
  await new Promise((r) => setTimeout(r, 1000));
  const second = await ga.exec('/bin/cat', '/run/ticks');
  expect(Number(second.out)).toBeGreaterThan(Number(first.out));
  expect((await ga.exec('/bin/cat', '/mnt/disk/hello.txt')).out).toBe('windock stand-in guest disk\n');
  expect((await ga.exec('/bin/hostname')).out.trim()).toBe('standin');
  const now = Date.now() * 1e6;
  await ga.call('guest-set-time', { time: now });
  expect(Math.abs((await ga.call<number>('guest-get-time')) - now)).toBeLessThan(60e9);
  ga.close();

  const q = await qmp(vm);
  await q.call('system_powerdown');
  await vm.waitSerial(/WINDOCK-GUEST-POWEROFF/, 30_000);
  expect(await vm.exit).toBe(0);
  q.close();
});

test('keeps its boot counter on the same disk, and powers off on guest-shutdown', async () => {
  const vm = boot('two', [], 'console=ttyS0'); // the plainest command line, kernel messages and all
  const [, n] = await vm.waitSerial(READY, 120_000);
  expect(Number(n)).toBe(lastBoot + 1); // 2 after the first test
  lastBoot = Number(n);
  const ga = await agent(vm);
  ga.write(JSON.stringify({ execute: 'guest-shutdown' }) + '\n'); // never replies
  await vm.waitSerial(/WINDOCK-GUEST-POWEROFF/, 30_000);
  expect(await vm.exit).toBe(0);
  ga.close();
});

test('serves http on DHCP-configured eth0 and sends the desktop-ready beacon', async () => {
  const port = await freePort();
  const beacon = path.join(work, 'beacon.sock');
  const vm = boot('net', [
    ...['-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:80`, '-device', 'virtio-net-pci,netdev=n0'],
    ...['-chardev', `socket,id=bc0,path=${beacon},server=on,wait=off`],
    ...['-device', 'virtserialport,bus=vser0.0,chardev=bc0,name=org.windock.beacon,id=bcport0'],
  ]);
  const [, n] = await vm.waitSerial(READY, 120_000);
  lastBoot = Number(n);
  const b = net.connect(beacon);
  const line = await new Promise<string>((resolve, reject) => {
    let got = '';
    const timer = setTimeout(
      () => reject(new Error(`no beacon line in 30 s (got ${JSON.stringify(got)})`)),
      30_000,
    );
    b.on('data', (d) => {
      got += d.toString();
      if (got.includes('\n')) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
  expect(line).toBe('WINDOCK-READY\n');
  b.destroy();
  expect((await httpGet(`http://127.0.0.1:${port}/`)).trim()).toBe('windock-standin-ok');
  vm.proc.kill('SIGKILL');
  await vm.exit;
});

test('boots through UEFI (OVMF) with -kernel/-initrd', async () => {
  const vars = path.join(work, 'OVMF_VARS.fd');
  fs.copyFileSync(OVMF_VARS, vars);
  const t0 = Date.now();
  const vm = boot('uefi', [
    ...['-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`],
    ...['-drive', `if=pflash,format=raw,unit=1,file=${vars}`],
  ]);
  await vm.waitSerial(READY, 120_000);
  console.log(`stand-in guest ready (TCG, OVMF) in ${Date.now() - t0} ms`);
  vm.proc.kill('SIGKILL');
  await vm.exit;
});
