import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CONTAINER_PATHS, routedNics, type VmSpec } from '../../../provider/spec';
import { EXIT, SupervisorError } from '../exit-codes';
import { runCommand } from '../run-command';
import { waitForPath } from '../wait-for-path';
import { DNSMASQ_BINARY, dnsmasqArgs, nicRunDir } from './dnsmasq';
import { linkCommands } from './links';
import { nftRuleset } from './nft-rules';
import { routedPlan } from './plan';
import type { IpAddressEntry } from './uplink';

export interface GuestNetwork {
  /** Stops the NICs' DHCP/DNS servers (the links and rules go with the container's namespace). */
  stop(): void;
}

const fail = (message: string) => new SupervisorError(message, EXIT.HELPERS, 'network');

async function startDnsmasq(
  args: string[],
  pidFile: string,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const child = spawn(DNSMASQ_BINARY, args, { stdio: ['ignore', 'inherit', 'inherit'] });
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
  if (routedNics(spec.network).length === 0) return { stop: () => undefined };
  let interfaces: IpAddressEntry[];
  try {
    interfaces = JSON.parse(await runCommand('ip', ['-json', 'address', 'show'])) as IpAddressEntry[];
  } catch (error) {
    throw fail(`cannot list the container's interfaces: ${(error as Error).message}`);
  }
  let plans;
  try {
    plans = routedPlan(spec, interfaces);
  } catch (error) {
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
      children.push(await startDnsmasq(dnsmasqArgs(plan, spec.network.hostName), `${dir}/dnsmasq.pid`, log));
      const where = plan.uplink
        ? `, LAN ${plan.uplink.ifname} ${[plan.uplink.v4, plan.uplink.v6].filter(Boolean).join(' ')}`
        : '';
      log(
        `network ${plan.nic.name} (${plan.nic.mode}): guest ${plan.link.guestV4} via ${plan.link.bridge}${where}`,
      );
    }
  } catch (error) {
    stop();
    throw error instanceof SupervisorError ? error : fail((error as Error).message);
  }
  return { stop };
}
