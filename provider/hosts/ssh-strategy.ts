// Docker over SSH: one SSH connection per host (lazy, re-connected after a drop), Docker API calls over
// keep-alive HTTP on a few `docker system dial-stdio` channels of that connection.
import Dockerode from 'dockerode';
import { HostError, HostUnreachableError } from './errors';
import type { SshHostConfig } from './host-config';
import { errorCode, mapModemErrors } from './modem-errors';
import { SshConnection } from './ssh-connection';
import type { SshConnectionOptions } from './ssh-connection';
import { SshDockerAgent } from './ssh-docker-agent';
import type { SshDockerAgentOptions } from './ssh-docker-agent';
import type { HostStrategy, HostStrategyStats } from './strategy';

export type SshStrategyOptions = SshConnectionOptions & SshDockerAgentOptions;

/** The HTTP Host header the docker CLI uses for dial-stdio connections. */
const DIAL_STDIO_HOST = 'api.moby.localhost';

export function dialStdioCommand(config: SshHostConfig): string {
  return config.remoteDockerHost
    ? `docker --host '${config.remoteDockerHost}' system dial-stdio`
    : 'docker system dial-stdio';
}

export class SshStrategy implements HostStrategy {
  readonly kind = 'ssh' as const;
  readonly docker: Dockerode;
  readonly connection: SshConnection;
  private readonly agent: SshDockerAgent;

  constructor(
    readonly config: SshHostConfig,
    options: SshStrategyOptions = {},
  ) {
    this.connection = new SshConnection(config, options);
    this.agent = new SshDockerAgent(this.connection, dialStdioCommand(config), options);
    // Every option docker-modem would otherwise take from DOCKER_HOST / DOCKER_CERT_PATH is set here.
    const dockerOptions = {
      protocol: 'http',
      host: DIAL_STDIO_HOST,
      port: undefined,
      socketPath: undefined,
      ca: undefined,
      cert: undefined,
      key: undefined,
      agent: this.agent,
    };
    this.docker = mapModemErrors(new Dockerode(dockerOptions as Dockerode.DockerOptions), (err) =>
      this.mapError(err),
    );
  }

  get name(): string {
    return this.config.name;
  }

  private mapError(err: Error): Error {
    if (err instanceof HostError) return err;
    const code = errorCode(err);
    if (
      /socket hang up/i.test(err.message) ||
      ['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED'].includes(code)
    ) {
      return new HostUnreachableError(
        this.config.name,
        `${this.connection.label}: the connection to the Docker engine was lost during the request (${err.message})`,
        { cause: err },
      );
    }
    return err;
  }

  stats(): HostStrategyStats {
    return { ...this.connection.counters };
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.connection.close();
  }
}
