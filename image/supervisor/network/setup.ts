import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CONTAINER_PATHS, ownNics, routedNics, type OwnNic, type VmSpec } from '../../../contract';
import { EXIT, SupervisorError } from '../exit-codes';
import { runCommand } from '../run-command';
import { waitForPath } from '../wait-for-path';
import { dnsmasqCommand, nicRunDir } from './dnsmasq';
import { linkCommands } from './links';
import { nftRuleset } from './nft-rules';
import { macvtapCommands, macvtapDevicePath, macvtapName, parseDeviceNumbers } from './macvtap';
import { routedPlan } from './plan';
import { findUplink, type IpAddressEntry } from './uplink';

export interface GuestNetwork {
  /** Stops the NICs' DHCP/DNS servers (the links and rules go with the container's namespace). */
  stop(): void;
  /**
   * The open macvtaps of LAN "own" NICs, in NIC order: QEMU inherits them as fds 3, 4, ..
   * (macvtapFd). The supervisor closes its copies once QEMU runs (`closeMacvtaps`).
   */
  macvtapFds: number[];
  closeMacvtaps(): void;
}

const fail = (message: string) => new SupervisorError(message, EXIT.HELPERS, 'network');

async function startDnsmasq(
  command: { file: string; args: string[] },
  pidFile: string,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const { file, args } = command;
  const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<never>((_, reject) => {
    child.on('error', (error) => reject(fail(`dnsmasq could not start: ${error.message}`)));
    child.on('exit', (code) => reject(fail(`dnsmasq exited with code ${code} (see the log above)`)));
  });
  try {
    await Promise.race([waitForPath(pidFile, 10_000), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error instanceof SupervisorError
      ? error
      : fail(`dnsmasq did not start: ${(error as Error).message}`);
  }
  child.removeAllListeners('exit');
  child.on('exit', (code, signal) =>
    log(`dnsmasq (${args.find((a) => a.startsWith('--interface='))}) ended: ${code ?? signal}`),
  );
  return child;
}

/**
 * Before QEMU starts: for every NAT or LAN NIC, its bridge and tap, the container's nftables
 * ruleset, and one dnsmasq per bridge. Nothing for user-mode NICs (QEMU does it all).
 */
export async function setupGuestNetwork(spec: VmSpec, log: (line: string) => void): Promise<GuestNetwork> {
  const none = { stop: () => undefined, macvtapFds: [], closeMacvtaps: () => undefined };
  if (routedNics(spec.network).length === 0 && ownNics(spec.network).length === 0) return none;
  let interfaces: IpAddressEntry[];
  try {
    interfaces = JSON.parse(await runCommand('ip', ['-json', 'address', 'show'])) as IpAddressEntry[];
  } catch (error) {
    throw fail(`cannot list the container's interfaces: ${(error as Error).message}`);
  }
  const macvtapFds: number[] = [];
  const closeMacvtaps = () => macvtapFds.splice(0).forEach((fd) => closeSync(fd));
  try {
    for (const nic of ownNics(spec.network)) macvtapFds.push(await openMacvtap(nic, interfaces, log));
  } catch (error) {
    closeMacvtaps();
    throw error instanceof SupervisorError ? error : fail((error as Error).message);
  }
  if (routedNics(spec.network).length === 0) return { stop: () => undefined, macvtapFds, closeMacvtaps };
  let plans;
  try {
    plans = routedPlan(spec, interfaces);
  } catch (error) {
    closeMacvtaps();
    throw fail((error as Error).message);
  }
  const children: ChildProcess[] = [];
  const stop = () => children.forEach((child) => child.kill('SIGTERM'));
  try {
    for (const plan of plans) {
      const commands = linkCommands(plan);
      for (const args of commands.cleanup) await runCommand('ip', args).catch(() => undefined);
      for (const args of commands.create) await runCommand('ip', args);
    }
    const rulesFile = `${CONTAINER_PATHS.run}/net/nftables.conf`;
    mkdirSync(`${CONTAINER_PATHS.run}/net`, { recursive: true, mode: 0o700 });
    writeFileSync(rulesFile, nftRuleset(plans));
    await runCommand('nft', ['-f', rulesFile]);
    for (const plan of plans) {
      const dir = nicRunDir(plan.nic.name);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      children.push(
        await startDnsmasq(dnsmasqCommand(plan, spec.network.hostName), `${dir}/dnsmasq.pid`, log),
      );
      const where = plan.uplink
        ? `, LAN ${plan.uplink.ifname} ${[plan.uplink.v4, plan.uplink.v6].filter(Boolean).join(' ')}`
        : '';
      log(
        `network ${plan.nic.name} (${plan.nic.mode}): guest ${plan.link.guestV4} via ${plan.link.bridge}${where}`,
      );
    }
  } catch (error) {
    stop();
    closeMacvtaps();
    throw error instanceof SupervisorError ? error : fail((error as Error).message);
  }
  return { stop, macvtapFds, closeMacvtaps };
}

/**
 * A LAN "own" NIC: its macvtap on the container's LAN interface, the macvtap's character
 * device made at /dev/tap<ifindex> (numbers from sysfs; the container's device cgroup rule
 * allows the macvtap major, and MKNOD makes the node), opened read-write for QEMU.
 */
async function openMacvtap(
  nic: OwnNic,
  interfaces: IpAddressEntry[],
  log: (line: string) => void,
): Promise<number> {
  const uplink = findUplink(interfaces, nic.uplink);
  if (!uplink) {
    const subnets = [nic.uplink.subnetV4, nic.uplink.subnetV6].filter(Boolean).join(' / ');
    throw fail(
      `NIC ${nic.name}: the container has no interface in ${subnets}; is it attached to the LAN network?`,
    );
  }
  const commands = macvtapCommands(nic, uplink);
  for (const args of commands.cleanup) await runCommand('ip', args).catch(() => undefined);
  for (const args of commands.create) await runCommand('ip', args);
  const name = macvtapName(nic);
  const ifindex = Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim());
  const { major, minor } = parseDeviceNumbers(
    readFileSync(`/sys/class/net/${name}/macvtap/tap${ifindex}/dev`, 'utf8'),
  );
  const device = macvtapDevicePath(ifindex);
  rmSync(device, { force: true });
  await runCommand('mknod', ['-m', '0600', device, 'c', String(major), String(minor)]);
  let fd: number;
  try {
    fd = openSync(device, 'r+');
  } catch (error) {
    throw fail(
      `NIC ${nic.name}: cannot open the macvtap ${device} (${major}:${minor}): ${(error as Error).message}; the container needs the device cgroup rule "c ${major}:* rwm"`,
    );
  }
  log(`network ${nic.name} (lan, own address): guest ${nic.mac} on the LAN via ${name} on ${uplink.ifname}`);
  return fd;
}
