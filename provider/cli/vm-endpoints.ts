// Where a running VM's console and RDP are, read from its host: the spec the container runs, the
// ports Docker bound, and the console token from the container's secrets tmpfs. The host, not the
// stack's outputs: it needs no stack passphrase, decrypts nothing but the one token, always matches
// what the running console accepts, and the token crosses only the Docker API stream, never an argv.
import { X509Certificate } from 'node:crypto';
import type Dockerode from 'dockerode';
import { allForwards, CONTAINER_PATHS, parseVmSpec, type VmSpec } from '../../contract';
import { execOutput } from '../docker/exec-output';

/** An address as the VM's host sees it (the SSH server connects there). */
export interface HostAddress {
  host: string;
  port: number;
  /** Bound to every address of the host (then `host` is its loopback). */
  wildcard?: true;
}

export interface ConsoleAccess {
  address: HostAddress;
  scheme: 'http' | 'https';
  /** Empty with console.auth "none". Secret. */
  token: string;
  /** SHA-256 of the console's certificate (AA:BB:..), with TLS. */
  certificateFingerprint?: string;
}

async function readFromContainer(
  docker: Dockerode,
  id: string,
  cmd: string[],
  what: string,
): Promise<string> {
  const result = await execOutput(docker, id, cmd);
  if (result.exitCode !== 0)
    throw new Error(`cannot read ${what} from the VM's container: ${result.stderr.trim()}`);
  return result.stdout;
}

export async function readVmSpec(docker: Dockerode, id: string): Promise<VmSpec> {
  return parseVmSpec(
    JSON.parse(await readFromContainer(docker, id, ['cat', CONTAINER_PATHS.spec], 'its spec')),
  );
}

/**
 * Where Docker published a container port, as the host sees it. A wildcard bind is reached on
 * the host's loopback (the SSH server's own side). Pure.
 */
export function publishedAddress(
  info: Pick<Dockerode.ContainerInspectInfo, 'NetworkSettings'>,
  containerPort: number,
): HostAddress | undefined {
  const binding = info.NetworkSettings.Ports?.[`${containerPort}/tcp`]?.[0];
  const port = Number(binding?.HostPort);
  if (!binding || !Number.isInteger(port) || port <= 0) return undefined;
  const ip = binding.HostIp || '0.0.0.0';
  if (ip === '0.0.0.0' || ip === '::')
    return { host: ip === '::' ? '::1' : '127.0.0.1', port, wildcard: true };
  return { host: ip, port };
}

/** The container port RDP (TCP) is forwarded from, if the VM has RDP. Pure. */
export function rdpContainerPort(spec: VmSpec): number | undefined {
  return allForwards(spec.network).find((p) => p.name === 'rdp' && p.protocol === 'tcp')?.container;
}

async function certificateFingerprint(docker: Dockerode, id: string): Promise<string | undefined> {
  const pem = await readFromContainer(
    docker,
    id,
    ['windock-supervisor', 'console-certificate'],
    'the console certificate',
  ).catch(() => undefined);
  try {
    return pem ? new X509Certificate(pem).fingerprint256 : undefined;
  } catch {
    return undefined;
  }
}

export async function consoleAccess(
  docker: Dockerode,
  info: Dockerode.ContainerInspectInfo,
  vm: string,
): Promise<ConsoleAccess> {
  const spec = await readVmSpec(docker, info.Id);
  if (!spec.console.enabled) throw new Error(`VM "${vm}" has no console (console.enabled is false)`);
  const address = publishedAddress(info, spec.console.port);
  if (!address) throw new Error(`VM "${vm}": Docker published no port for its console`);
  const auth = spec.console.auth;
  const token =
    auth.kind === 'token'
      ? (
          await readFromContainer(
            docker,
            info.Id,
            ['cat', `${CONTAINER_PATHS.secretsDir}/${auth.secret}`],
            'the console token',
          ).catch(() => {
            throw new Error(
              `VM "${vm}": its console token is not in the container (Docker restarted it without the provider): run pulumi refresh to hand it over again`,
            );
          })
        ).trim()
      : '';
  const tls = spec.console.tls !== undefined;
  const fingerprint = tls ? await certificateFingerprint(docker, info.Id) : undefined;
  return {
    address,
    scheme: tls ? 'https' : 'http',
    token,
    ...(fingerprint ? { certificateFingerprint: fingerprint } : {}),
  };
}

export async function rdpAddress(
  docker: Dockerode,
  info: Dockerode.ContainerInspectInfo,
  vm: string,
): Promise<HostAddress> {
  const port = rdpContainerPort(await readVmSpec(docker, info.Id));
  const address = port === undefined ? undefined : publishedAddress(info, port);
  if (!address)
    throw new Error(`VM "${vm}" has no RDP port (rdp.enabled is false, or no NIC forwards ports)`);
  return address;
}
