// A transport strategy: how one host's Docker API is reached (unix socket, TCP+TLS, SSH).
import type Dockerode from 'dockerode';
import type { HostConfig, HostKind } from './host-config';

export interface HostStrategyStats {
  /** Transport connections opened (SSH: TCP+SSH handshakes attempted; others: 0, not tracked). */
  connects: number;
  /** Connections that authenticated and became usable (SSH). */
  ready: number;
  /** Connections that dropped after becoming ready (SSH). */
  drops: number;
  /** Channels opened on the transport (SSH exec channels running `docker system dial-stdio`). */
  channelsOpened: number;
  /** Channels open right now. */
  channelsOpen: number;
  /** Authentication attempts made (SSH); stays 0 when the host key is refused. */
  authAttempts: number;
  /** Host keys refused (SSH). */
  hostKeyRejections: number;
}

export interface HostStrategy {
  readonly name: string;
  readonly kind: HostKind;
  readonly config: HostConfig;
  /** The Docker client; its errors from the transport are typed HostErrors. */
  readonly docker: Dockerode;
  stats(): HostStrategyStats;
  /** Closes pooled connections; the strategy cannot be used afterwards. */
  close(): Promise<void>;
}

export function emptyStats(): HostStrategyStats {
  return {
    connects: 0,
    ready: 0,
    drops: 0,
    channelsOpened: 0,
    channelsOpen: 0,
    authAttempts: 0,
    hostKeyRejections: 0,
  };
}
