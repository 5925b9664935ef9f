// Docker on this machine through its unix socket.
import Dockerode from 'dockerode';
import { HostAuthError, HostError, HostUnreachableError } from './errors';
import type { LocalHostConfig } from './host-config';
import { errorCode, mapModemErrors } from './modem-errors';
import { emptyStats } from './strategy';
import type { HostStrategy, HostStrategyStats } from './strategy';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export class LocalStrategy implements HostStrategy {
  readonly kind = 'local' as const;
  readonly docker: Dockerode;
  readonly socketPath: string;

  constructor(readonly config: LocalHostConfig) {
    this.socketPath = config.socketPath ?? DEFAULT_DOCKER_SOCKET;
    const options = { socketPath: this.socketPath, host: undefined, port: undefined, protocol: 'http' };
    this.docker = mapModemErrors(new Dockerode(options as Dockerode.DockerOptions), (err) =>
      this.mapError(err),
    );
  }

  get name(): string {
    return this.config.name;
  }

  private mapError(err: Error): Error {
    if (err instanceof HostError) return err;
    const label = `host "${this.config.name}" (local ${this.socketPath})`;
    const code = errorCode(err);
    if (code === 'EACCES' || code === 'EPERM') {
      return new HostAuthError(
        this.config.name,
        `${label}: no permission on the Docker socket; run as root or add the user to the docker group`,
        { cause: err },
      );
    }
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      return new HostUnreachableError(
        this.config.name,
        `${label}: no Docker engine answers on the socket (${code}); is dockerd running?`,
        { cause: err },
      );
    }
    if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(err.message)) {
      return new HostUnreachableError(
        this.config.name,
        `${label}: the engine dropped the connection (${err.message})`,
        {
          cause: err,
        },
      );
    }
    return err;
  }

  stats(): HostStrategyStats {
    return emptyStats();
  }

  async close(): Promise<void> {
    // Nothing pooled beyond Node's global agent for unix sockets.
  }
}
