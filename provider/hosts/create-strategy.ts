// Picks the transport strategy for a host's configuration.
import type { HostConfig } from './host-config';
import { LocalStrategy } from './local-strategy';
import { SshStrategy } from './ssh-strategy';
import type { SshStrategyOptions } from './ssh-strategy';
import type { HostStrategy } from './strategy';
import { TlsStrategy } from './tls-strategy';
import type { TlsStrategyOptions } from './tls-strategy';

export interface StrategyOptions {
  ssh?: SshStrategyOptions;
  tls?: TlsStrategyOptions;
}

export function createHostStrategy(config: HostConfig, options: StrategyOptions = {}): HostStrategy {
  switch (config.kind) {
    case 'local':
      return new LocalStrategy(config);
    case 'tcp-tls':
      return new TlsStrategy(config, options.tls);
    case 'ssh':
      return new SshStrategy(config, options.ssh);
  }
}
