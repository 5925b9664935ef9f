// An http.Agent whose connections are SSH exec channels running `docker system dial-stdio`, all on the
// host's one SSH connection. With keep-alive, a warm Docker API call costs one HTTP round trip over an
// already open channel (a few ms) instead of an SSH handshake or a remote process start.
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import { SshChannelSocket } from './ssh-channel-socket';
import type { SshConnection } from './ssh-connection';

export interface SshDockerAgentOptions {
  /** Concurrent channels for API calls (each one a remote dial-stdio process). Default 4. */
  maxSockets?: number;
  /** Idle channels are closed after this long (ms). Default 60000. */
  idleTimeoutMs?: number;
}

export class SshDockerAgent extends http.Agent {
  constructor(
    private readonly connection: SshConnection,
    private readonly command: string,
    options: SshDockerAgentOptions = {},
  ) {
    const maxSockets = options.maxSockets ?? 4;
    super({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      timeout: options.idleTimeoutMs ?? 60000,
      scheduling: 'lifo',
    });
  }

  // docker-modem runs util.inspect(requestOptions, { showHidden: true, depth: null }) on every request,
  // even with debug logging off: walking this agent (sockets, SSH client state) would cost ~10 ms a call.
  [inspect.custom](): string {
    return `SshDockerAgent(${this.connection.label})`;
  }

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = new SshChannelSocket(this.connection.config.name, this.connection.label, this.command);
    socket.on('error', () => undefined); // the request using it reports the error
    this.connection.exec(this.command, socket).then(
      (channel) => callback?.(null, socket.attach(channel)),
      (err: Error) => {
        socket.destroy();
        callback?.(err, socket);
      },
    );
    return undefined;
  }
}
