// Least privilege seen from inside a running VM container: no capabilities at all, no new
// privileges, no device nodes beyond the defaults (no /dev/kvm unless asked), no secrets in
// any process's environment, secrets only as 0400 files. (Every container the image tests
// make is also checked from `docker inspect` when it is created: tests/image/harness.ts.)
import { Results } from '../reliability/results';
import { CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';

const rig = new ImageRig('priv');
const results = new Results();
let vm: TestVm;

beforeAll(async () => {
  vm = await rig.createVm({ spec: { firmware: { type: 'bios', tpm: true } } });
  await vm.start();
  await vm.waitReady();
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

async function streamContains(stream: NodeJS.ReadableStream, needle: string): Promise<boolean> {
  const target = Buffer.from(needle);
  let tail = Buffer.alloc(0);
  let found = false;
  for await (const chunk of stream) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    if (window.includes(target)) found = true;
    tail = window.subarray(Math.max(0, window.length - target.length));
  }
  return found;
}

async function processes(): Promise<Array<{ pid: string; name: string; status: string; environ: string }>> {
  const { stdout } = await vm.exec([
    'sh',
    '-c',
    'for p in /proc/[0-9]*; do [ "${p#/proc/}" = "$$" ] && continue; ' +
      'echo "@@ ${p#/proc/} $(cat $p/comm 2>/dev/null)"; cat $p/status 2>/dev/null; echo "ENV $(tr "\\0" " " <$p/environ 2>/dev/null)"; done',
  ]);
  return stdout
    .split('@@ ')
    .slice(1)
    .map((block) => {
      const [head, ...rest] = block.split('\n');
      const [pid, name] = head!.split(' ');
      const body = rest.join('\n');
      return { pid: pid!, name: name ?? '', status: body, environ: /^ENV (.*)$/m.exec(body)?.[1] ?? '' };
    })
    .filter((process) => process.status.includes('Name:'));
}

describe('least privilege inside the container', () => {
  it('every process (supervisor, QEMU, swtpm) runs with no capabilities and no_new_privs', async () => {
    const list = await processes();
    expect(list.map((p) => p.name)).toEqual(
      expect.arrayContaining(['node', 'swtpm', expect.stringMatching(/^qemu-/)]),
    );
    for (const process of list) {
      expect({ name: process.name, eff: /^CapEff:\s+(\w+)/m.exec(process.status)?.[1] }).toEqual({
        name: process.name,
        eff: '0000000000000000',
      });
      expect({ name: process.name, prm: /^CapPrm:\s+(\w+)/m.exec(process.status)?.[1] }).toEqual({
        name: process.name,
        prm: '0000000000000000',
      });
      expect({ name: process.name, bnd: /^CapBnd:\s+(\w+)/m.exec(process.status)?.[1] }).toEqual({
        name: process.name,
        bnd: '0000000000000000',
      });
      expect({ name: process.name, nnp: /^NoNewPrivs:\s+(\d)/m.exec(process.status)?.[1] }).toEqual({
        name: process.name,
        nnp: '1',
      });
      expect({ name: process.name, seccomp: /^Seccomp:\s+(\d)/m.exec(process.status)?.[1] }).toEqual({
        name: process.name,
        seccomp: '2',
      });
    }
  });

  it('no process has a secret in its environment; the token is a 0400 file', async () => {
    for (const process of await processes()) {
      expect(process.environ).not.toContain(CONSOLE_TOKEN);
      expect(process.environ).not.toMatch(/TOKEN|PASSWORD|SECRET/i);
    }
    expect((await vm.exec(['stat', '-c', '%a %U', '/run/windock/secrets/console-token'])).stdout.trim()).toBe(
      '400 root',
    );
    expect((await vm.exec(['cat', '/etc/windock/spec.json'])).stdout).not.toContain(CONSOLE_TOKEN);
  });

  it('secrets are in no layer: docker cp, export and commit of the container carry none', async () => {
    const row = results.attackRow('secrets via docker cp / export / commit');
    // docker cp of the secret file: the tmpfs is not reachable through the archive API.
    const copied = await vm.container
      .getArchive({ path: '/run/windock/secrets/console-token' })
      .then((stream) => streamContains(stream, CONSOLE_TOKEN))
      .catch(() => false);
    row.attack(copied);
    // docker export (and docker commit, which saves the same writable layer).
    const exported = await streamContains(await vm.container.export(), CONSOLE_TOKEN);
    row.attack(exported);
    // Every file the container changed in its writable layer.
    const changed = ((await vm.container.changes()) ?? []) as Array<{ Path: string; Kind: number }>;
    let inLayer = false;
    for (const change of changed.filter((c) => c.Kind !== 2)) {
      const archive = await vm.container.getArchive({ path: change.Path }).catch(() => undefined);
      if (archive && (await streamContains(archive, CONSOLE_TOKEN))) inLayer = true;
    }
    row.attack(inLayer);
    expect({ copied, exported, inLayer }).toEqual({ copied: false, exported: false, inLayer: false });
    // ... while the supervisor has it, in its tmpfs, and the console takes it.
    const mounts = (await vm.exec(['cat', '/proc/mounts'])).stdout;
    expect(mounts).toMatch(/^tmpfs \/run\/windock tmpfs /m);
    row.pass();
  }, 180_000);

  it('has no /dev/kvm (not asked for) and only the default device nodes', async () => {
    const { stdout } = await vm.exec(['ls', '/dev']);
    const devices = stdout.split('\n').filter(Boolean);
    expect(devices).not.toContain('kvm');
    expect(devices).not.toContain('net');
    expect(devices).not.toContain('vhost-net');
    for (const device of devices) {
      expect([
        'console',
        'core',
        'fd',
        'full',
        'mqueue',
        'null',
        'ptmx',
        'pts',
        'random',
        'shm',
        'stderr',
        'stdin',
        'stdout',
        'tty',
        'urandom',
        'zero',
      ]).toContain(device);
    }
  });

  it('cannot do what capabilities would allow (chown, mknod, raw sockets)', async () => {
    expect((await vm.exec(['chown', 'nobody', '/storage/windock-volume.json'])).exitCode).not.toBe(0);
    expect((await vm.exec(['mknod', '/tmp/kvm', 'c', '10', '232'])).exitCode).not.toBe(0);
    const limits = (await vm.inspect()).HostConfig;
    expect(limits.Memory).toBeGreaterThan(0);
    expect(limits.PidsLimit).toBeGreaterThan(0);
  });
});
