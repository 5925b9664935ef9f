// Shared by the shares system tests: a stand-in VM whose container is made the way the
// provider makes it for WindowsVm share inputs (inputs -> spec shares + placement mounts ->
// createVmContainer), plus guest commands that explain their failures.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { ContainerNetworks } from '../../provider/docker/network-options';
import { createVmContainer } from '../../provider/docker/vm-container';
import { windowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { shareMounts, sharesToSpec } from '../../provider/resources/windows-vm/share-inputs';
import { SHARE_PASSWORD_SECRET, type VmSpec } from '../../contract';
import {
  withResolvedSources,
  withShareIdentities,
  type VmHostPaths,
} from '../../provider/security/vm-host-paths';
import { CONSOLE_TOKEN, type ImageRig, TestVm } from '../image/harness';
import { uniqueName } from '../rig/docker';
import { guestShell, type GuestShellResult } from '../rig/guest-shell';
import { standinStorageFiles } from '../rig/standin-guest';

/** A password as launch.ts's newSharePassword makes them. */
export function testSharePassword(): string {
  return randomBytes(18).toString('base64url');
}

export interface SharedVmOptions {
  /** WindowsVm `shares` and `shareAuth` inputs. */
  shares: unknown[];
  shareAuth?: unknown;
  password?: string;
  network?: VmSpec['network'];
  networks?: ContainerNetworks;
  /** The shares' folders as resolved on the host (what launch.ts passes): identities in the spec, resolved mount sources. */
  hostPaths?: VmHostPaths;
}

/** Creates and starts a stand-in VM with shares; waits for its guest and its DHCP address. */
export async function startSharedVm(rig: ImageRig, options: SharedVmOptions): Promise<TestVm> {
  const name = uniqueName(`wdk-shares`);
  const inputs = windowsVmInputs.parse({
    name,
    media: { kind: 'disk-image', file: '/unused.qcow2', format: 'qcow2' },
    shares: options.shares,
    ...(options.shareAuth ? { shareAuth: options.shareAuth } : {}),
  });
  const base = rig.specFor(name, {});
  const paths: VmHostPaths = options.hostPaths ?? new Map();
  const spec: VmSpec = withShareIdentities(
    { ...base, network: options.network ?? base.network, shares: sharesToSpec(inputs) },
    paths,
  );
  const placement = withResolvedSources(
    {
      ...rig.placement(name, `${name}-storage`, { networks: options.networks }, spec),
      shareMounts: shareMounts(inputs),
    },
    paths,
  );
  rig.onDispose(() => rig.docker.getVolume(placement.volumeName).remove({ force: true }));
  rig.onDispose(() => rig.docker.getContainer(name).remove({ force: true }));
  const container = await createVmContainer(rig.docker, {
    spec,
    placement,
    storageFiles: standinStorageFiles(),
  });
  const vm = new TestVm(rig, container, name, placement.volumeName, spec, placement, {
    'console-token': CONSOLE_TOKEN,
    ...(options.password ? { [SHARE_PASSWORD_SECRET]: options.password } : {}),
  });
  await vm.start();
  await vm.waitReady(180_000);
  // The guest's DHCP runs in the background: the ready marker can come before its address.
  await guestOk(
    vm,
    'i=0; while [ ! -s /run/ip ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done; cat /run/ip',
  );
  return vm;
}

export function guest(vm: TestVm, command: string): Promise<GuestShellResult> {
  return guestShell(vm.docker, vm.name, command, 60_000);
}

/** Runs a guest command that must succeed; a failure shows its stderr and the guest's state. */
export async function guestOk(vm: TestVm, command: string): Promise<string> {
  const result = await guest(vm, command);
  if (result.exitCode !== 0) {
    const state = await guest(vm, 'dmesg | tail -8; cat /run/udhcpc-*.log; ip addr; cat /etc/resolv.conf');
    throw new Error(
      `guest: "${command}" failed (${result.exitCode}): ${result.stderr}\nguest:\n${state.stdout}`,
    );
  }
  return result.stdout;
}

/** The guest's command that mounts //SERVER/SHARE at AT with its kernel's SMB client. */
export function mountCmd(server: string, share: string, at: string, options: string): string {
  return `mkdir -p ${at} && mount -t cifs //${server}/${share} ${at} -o ${options},vers=3.0`;
}

/** Local addresses listening on TCP 445 in the container (/proc/net/tcp, hex "ADDR:PORT"). */
export async function smbListeners(vm: TestVm): Promise<string[]> {
  const { stdout } = await vm.exec(['cat', '/proc/net/tcp']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1]?.endsWith(':01BD') && cols[3] === '0A') // LISTEN
    .map((cols) => {
      const hex = cols[1]!.split(':')[0]!;
      return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    });
}

/** The effective capabilities (CapEff, hex) of each process of the container, by command name. */
export async function processCaps(vm: TestVm): Promise<Array<{ name: string; capEff: string }>> {
  const { stdout } = await vm.exec([
    'sh',
    '-c',
    'for p in /proc/[0-9]*; do echo "$(cat $p/comm) $(sed -n "s/^CapEff:\\s*//p" $p/status)"; done 2>/dev/null',
  ]);
  return stdout
    .split('\n')
    .filter((line) => /^\S+ [0-9a-f]{16}$/.test(line))
    .map((line) => {
      const [name, capEff] = line.split(' ') as [string, string];
      return { name, capEff };
    });
}

/** CAP_SETGID (bit 6) and CAP_SETUID (bit 7). */
export const SETGID_SETUID = '00000000000000c0';

/**
 * A fresh folder the default allowedHostPaths allow (/srv/windock-test-*): /tmp is a system
 * location VMs never get (issue 15). The caller removes it.
 */
export function testHostDir(prefix: string): string {
  mkdirSync('/srv', { recursive: true });
  return mkdtempSync(`/srv/windock-test-${prefix}-`);
}
